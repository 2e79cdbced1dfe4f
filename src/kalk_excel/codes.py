"""The project's problem codes: one catalogue per family, one registry over all of them.

Every code a user can see (in a report, a feedback file, the add-in's message box or the
terminal) is defined once, in the catalogue of its family:

| family | catalogue | detailed in |
| --- | --- | --- |
| mottak (intake of returned workbooks) | ``kalk_excel.intake.codes`` | docs/kontroll.md |
| skjemadefinisjon (lint of the YAML form definitions) | ``kalk_excel.definition.codes`` | docs/skjemadefinisjon.md |
| parametre (the parameter file parametre.yaml) | ``kalk_excel.model.codes`` | docs/beregning.md |
| beregn (pull, master sheets, corrections, model check) | ``kalk_excel.pipeline.codes`` | docs/master.md, sporbarhet.md |
| tillegg (the Excel add-in and its build) | ``kalk_excel.addin.codes`` | addin/README.md |
| nytt år (`kalk-excel nytt-aar`) | ``kalk_excel.year.codes`` | docs/aarssyklus.md |

Outside intake (which has its own richer ``Code``), a catalogue entry carries the Norwegian
message and fix as templates (``Text``; ``str.format`` with keyword placeholders, a code with
several wordings names them in ``variants``), and ``problem(code, ...)`` is the one function that
builds the ``Problem`` from them, so the words live in the catalogue, not where the code is raised.

This registry joins them, refuses a code defined twice (``registry()`` raises), and renders
docs/koder.md (``python -m kalk_excel.codes > docs/koder.md``; a test keeps the page equal).
The test ``tests/test_codes.py`` also checks that every code string in ``src/`` is catalogued.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from kalk_excel.problems import Problem, Severity

CODE_PATTERN = re.compile(r"^[A-Z][0-9]{3}$")


class Text(NamedTuple):
    """A message and its «Korreksjon:» line, as ``str.format`` templates with keyword placeholders."""

    message: str
    fix: str = ""


@dataclass(frozen=True)
class CodeInfo:
    """One catalogued code: what it is called, how severe it is (None: set where raised) and
    what it says (``text``; ``variants`` for other wordings of the same finding, by name)."""

    code: str
    severity: Severity | None
    title: str              # short Norwegian name, as in the docs
    text: Text | None = None
    variants: Mapping[str, Text] = field(default_factory=dict)

    def texts(self) -> dict[str, Text]:
        """Every wording by name ("" = ``text``)."""
        out = {"": self.text} if self.text is not None else {}
        return {**out, **self.variants}


@dataclass(frozen=True)
class Family:
    name: str               # Norwegian family name (docs heading)
    module: str             # where the catalogue lives
    doc: str                # where the codes are described in full
    codes: tuple[CodeInfo, ...]


def families() -> list[Family]:
    """Every family, in the order of the docs page (imports are local: the catalogues are leaves)."""
    from kalk_excel.addin import codes as addin_codes
    from kalk_excel.definition import codes as lint_codes
    from kalk_excel.intake import codes as intake_codes
    from kalk_excel.model import codes as parameter_codes
    from kalk_excel.pipeline import codes as beregn_codes
    from kalk_excel.year import codes as year_codes

    intake = tuple(CodeInfo(c.code, c.severity, c.title) for c in intake_codes.CODES.values())
    return [
        Family("Mottakskontroll", "kalk_excel.intake.codes", "docs/kontroll.md", intake),
        Family("Skjemadefinisjon (lint)", "kalk_excel.definition.codes", "docs/skjemadefinisjon.md",
               tuple(lint_codes.CODES.values())),
        Family("Parameterfila", "kalk_excel.model.codes", "docs/beregning.md", tuple(parameter_codes.CODES.values())),
        Family("Beregning og master", "kalk_excel.pipeline.codes", "docs/master.md, docs/sporbarhet.md",
               tuple(beregn_codes.CODES.values())),
        Family("Excel-tillegget", "kalk_excel.addin.codes", "addin/README.md", tuple(addin_codes.CODES.values())),
        Family("Nytt år", "kalk_excel.year.codes", "docs/aarssyklus.md", tuple(year_codes.CODES.values())),
    ]


def registry() -> dict[str, tuple[Family, CodeInfo]]:
    """Every code with its family; ``ValueError`` if a code is malformed or defined twice."""
    out: dict[str, tuple[Family, CodeInfo]] = {}
    for family in families():
        for info in family.codes:
            if not CODE_PATTERN.match(info.code):
                raise ValueError(f"malformed code {info.code!r} in {family.module}")
            if info.code in out:
                raise ValueError(f"code {info.code} defined in {out[info.code][0].module} and {family.module}")
            out[info.code] = (family, info)
    return out


def catalogue(infos: list[CodeInfo]) -> dict[str, CodeInfo]:
    """A family's dict by code; ``ValueError`` on a duplicate inside the family."""
    out: dict[str, CodeInfo] = {}
    for info in infos:
        if info.code in out:
            raise ValueError(f"code {info.code} twice in one catalogue")
        out[info.code] = info
    return out


@lru_cache(maxsize=1)
def _infos() -> dict[str, CodeInfo]:
    return {code: info for code, (_family, info) in registry().items()}


def placeholders(template: str) -> set[str]:
    """The keyword placeholders of a ``str.format`` template."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def render(code: str, variant: str = "", **values: Any) -> Text:
    """The catalogued message and fix of ``code`` (``variant``: which wording) filled with ``values``;
    ``KeyError`` for an unknown code, wording or placeholder (a programming error, caught by the tests)."""
    text = _infos()[code].texts()[variant]
    return Text(text.message.format(**values), text.fix.format(**values))


def problem(code: str, variant: str = "", *, severity: Severity | None = None, file: str | None = None,
            sheet: str | None = None, cell: str | None = None, field: str | None = None, value: Any = None,
            **values: Any) -> Problem:
    """The ``Problem`` for ``code`` with its catalogued words and severity (``severity`` only for a
    code catalogued without one: then it is set where raised); ``values`` and the record's own
    ``file``, ``sheet``, ``cell``, ``field`` and ``value`` fill the templates."""
    info = _infos()[code]
    level = info.severity or severity
    if level is None:
        raise ValueError(f"{code} has no catalogued severity; pass severity=")
    text = render(code, variant, **{"file": file, "sheet": sheet, "cell": cell, "field": field, "value": value,
                                    **values})
    return Problem(code=code, severity=level, message=text.message, fix=text.fix, file=file, sheet=sheet,
                   cell=cell, field=field, value=value)


def codes_markdown() -> str:
    """docs/koder.md, generated from the catalogues."""
    registry()  # raises on duplicates before anything is written
    lines = ["# Problemkoder", "",
             "Alle koder kalk-excel kan melde, fra katalogene i koden (én katalog per familie). Siden er laget",
             "med `python -m kalk_excel.codes > docs/koder.md`; en test holder den lik katalogene. En kode har",
             "samme betydning overalt og brukes bare i én familie. Hva som utløser koden og hva brukeren skal gjøre,",
             "står i dokumentet familien viser til.", ""]
    for family in families():
        lines += [f"## {family.name}", "", f"Katalog: `{family.module}`. Beskrevet i {family.doc}.", "",
                  "| kode | alvorlighet | navn |", "| --- | --- | --- |"]
        for info in sorted(family.codes, key=lambda i: i.code):
            lines.append(f"| {info.code} | {info.severity or 'varierer'} | {info.title.replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(codes_markdown(), end="")
