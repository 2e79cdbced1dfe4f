"""The in-memory form definition: immutable dataclasses every other part of kalk-excel reads.

A ``Form`` is one survey (``adm`` or ``norsk``) for one year. It owns an ordered list of
``Part``s, each with ``Question``s, each with ``Block``s (a list of fields, or a table whose
cells are fields). ``Form.fields`` is the flat, ordered catalogue keyed by field id; the field id
is also the workbook-scope defined name of the input cell, the master's input column and the
reference model's key.

Built by ``loader.load_form``; never constructed by hand elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import wraps
from typing import Literal, TypeVar

FieldType = Literal["heltall", "belop", "prosent", "desimal", "ja_nei", "valg", "tekst"]
Severity = Literal["feil", "advarsel", "info"]

FIELD_TYPES: dict[str, str] = {
    "heltall": "heltall",
    "belop": "beløp (kr)",
    "prosent": "prosent 0-100",
    "desimal": "desimaltall",
    "ja_nei": "ja/nei",
    "valg": "valg fra liste",
    "tekst": "tekst",
}
NUMERIC_TYPES = frozenset({"heltall", "belop", "prosent", "desimal"})

_T = TypeVar("_T")


def per_form(fn: Callable[[Form], _T]) -> Callable[[Form], _T]:
    """Remember what ``fn`` derives from a form on the form itself: a ``Form`` is immutable, and
    the intake, the demo and the model check ask for the same calculation order and filter
    questions thousands of times per run. (Kept in the instance ``__dict__``, which a frozen
    dataclass allows; equality and ``replace`` look only at the fields.)"""
    key = f"_per_form_{fn.__module__}.{fn.__qualname__}"

    @wraps(fn)
    def cached(form: Form) -> _T:
        memo = form.__dict__
        if key not in memo:
            memo[key] = fn(form)
        return memo[key]

    return cached
SEVERITIES: tuple[str, ...] = ("feil", "advarsel", "info")


@dataclass(frozen=True)
class Location:
    """Where something is written in a definition file (for lint messages)."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Field:
    """One input or computed cell of the questionnaire."""

    id: str
    part_id: str
    question: str                 # printed question number, e.g. "3.4"
    label: str                    # Norwegian label (for a table cell: "row – column")
    type: FieldType
    unit: str | None = None       # "kr", "personer", "%", "årsverk", ...
    required: bool = False        # required when relevant
    blank_zero: bool = False      # not required: left blank in an answered part it counts as 0
    help: str | None = None       # input message text
    min: float | None = None      # hard lower bound (stop)
    max: float | None = None      # hard upper bound (stop)
    choices: tuple[str, ...] = ()  # for ja_nei / valg
    max_length: int | None = None  # for tekst
    relevant: str | None = None   # effective relevance (part ∧ question ∧ field), None = always
    calculate: str | None = None  # computed field: expression over other field ids (not an input)
    kostra: str | None = None     # KOSTRA function/art reference text, e.g. "funksjon 242, art 010-099"
    table_id: str | None = None   # set for table cells
    row_key: str | None = None
    col_key: str | None = None
    row_label: str | None = None
    col_label: str | None = None
    role: str | None = None       # "kontakt_navn", "kontakt_telefon", "kontakt_epost", "kommentar", ...
    location: Location | None = None

    @property
    def is_input(self) -> bool:
        return self.calculate is None

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES


@dataclass(frozen=True)
class Check:
    """A rule over the filled form: ``assert_`` must hold wherever ``relevant`` holds."""

    id: str
    part_id: str
    question: str | None
    severity: Severity
    assert_: str                  # expression that must be true
    field: str                    # field id the problem is reported on (its cell)
    message: str                  # Norwegian: what is wrong
    fix: str                      # Norwegian: "Korreksjon:" what to do
    relevant: str | None = None   # effective relevance (defaults to the part's)
    kind: str = "kontroll"        # "kontroll" (written), "herav" (generated), "sum" ...
    location: Location | None = None


@dataclass(frozen=True)
class FieldsBlock:
    fields: tuple[str, ...]       # field ids, in order


@dataclass(frozen=True)
class TableColumn:
    key: str
    label: str
    type: FieldType | None = None
    calculate: str | None = None  # row-wise formula template over column keys: "{brutto} - {inntekt}"


@dataclass(frozen=True)
class TableRow:
    key: str
    label: str
    kostra: str | None = None
    calculate: str | None = None  # column-wise formula template over row keys: "{lonn} + {andre}"
    emphasis: bool = False        # printed bold (sum rows)


@dataclass(frozen=True)
class TableBlock:
    id: str
    title: str | None
    columns: tuple[TableColumn, ...]
    rows: tuple[TableRow, ...]
    cells: tuple[tuple[str | None, ...], ...]  # [row][col] -> field id (None = no cell)


Block = FieldsBlock | TableBlock


@dataclass(frozen=True)
class Question:
    number: str
    text: str
    help: str | None
    blocks: tuple[Block, ...]
    relevant: str | None = None
    routing: str | None = None    # printed routing text, e.g. "ja – gå til 3.4, nei – gå til 3.3"
    location: Location | None = None


@dataclass(frozen=True)
class Part:
    id: str
    number: str                   # "1", "8.1", "A" ...
    title: str
    sheet: str                    # sheet name in the workbook (<= 31 chars)
    info: str | None              # "INFORMASJON TIL UTFYLLEREN"
    questions: tuple[Question, ...]
    relevant: str | None = None
    contact_fields: tuple[str, ...] = ()   # "opplysningene er gitt av": navn, telefon, e-post
    location: Location | None = None


@dataclass(frozen=True)
class Period:
    """The surveyed period derived from the survey year (target group = first settled in it)."""

    start: date
    end: date

    @property
    def text(self) -> str:
        return f"{self.start.day}.{self.start.month}.{self.start.year}–{self.end.day}.{self.end.month}.{self.end.year}"


@dataclass(frozen=True)
class Form:
    id: str                       # "adm" | "norsk"
    year: int
    version: str                  # "2024.1"; monotonically increasing within a year
    title: str
    short_title: str
    period: Period
    texts: dict[str, str]         # "forside", "instruksjon", "malgruppe", ... (placeholders filled)
    decisions: tuple[str, ...]    # decisions written down where the report is silent
    parts: tuple[Part, ...]
    fields: dict[str, Field]      # ordered
    checks: tuple[Check, ...]
    source: str                   # definition file path

    @property
    def template_id(self) -> str:
        return f"kalk-excel/{self.id}/{self.year}/{self.version}"

    def inputs(self) -> list[Field]:
        return list(_inputs(self))

    def computed(self) -> list[Field]:
        return list(_computed(self))

    def part(self, part_id: str) -> Part:
        for part in self.parts:
            if part.id == part_id:
                return part
        raise KeyError(part_id)

    def fields_of(self, part_id: str) -> list[Field]:
        return [f for f in self.fields.values() if f.part_id == part_id]


@dataclass(frozen=True)
class LintMessage:
    """A located problem in a definition file."""

    code: str
    location: Location
    message: str                  # Norwegian: what is wrong, with context
    fix: str                      # Norwegian: how to fix it
    severity: Severity = "feil"

    def __str__(self) -> str:
        return f"{self.location}: {self.code} {self.message} Korreksjon: {self.fix}"


class DefinitionError(Exception):
    """The definition did not pass lint; carries every message, in file order."""

    def __init__(self, messages: list[LintMessage]):
        self.messages = messages
        super().__init__("\n".join(str(m) for m in messages))


@dataclass
class Kommune:
    kommunenummer: str            # four digits, as text ("0301")
    navn: str
    skjema: tuple[str, ...]       # ("adm", "norsk")
    imdi_malgruppe: float | None = None  # IMDi's count of the target group, for comparison with 1.1
    kontaktperson: str | None = None
    epost: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@per_form
def _inputs(form: Form) -> tuple[Field, ...]:
    return tuple(f for f in form.fields.values() if f.is_input)


@per_form
def _computed(form: Form) -> tuple[Field, ...]:
    return tuple(f for f in form.fields.values() if not f.is_input)
