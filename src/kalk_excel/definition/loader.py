"""Load a form definition file into a ``Form``: expand tables and contact blocks, derive the
period from the survey year, fill text placeholders, generate the checks implied by field
properties (herav <= total, soft bounds) — and lint everything in one pass.

Every problem becomes a located ``LintMessage``; if any has severity "feil", ``load_form``
raises ``DefinitionError`` carrying all of them (never a bare traceback for a bad definition).

File layout: ``workbook_templates/<year>/<form id>.yaml``; see ``docs/skjemadefinisjon.md``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from ..numbertext import number_text
from ..paths import DEFINITIONS_ENV  # noqa: F401 - re-exported for `nytt-aar`
from . import lint
from .describe import place_of
from .model import (
    FIELD_TYPES,
    SEVERITIES,
    Check,
    DefinitionError,
    Field,
    FieldsBlock,
    Form,
    LintMessage,
    Location,
    Part,
    Period,
    Question,
    TableBlock,
    TableColumn,
    TableRow,
)
from .yamlsource import YamlError, read_yaml


def __getattr__(name: str) -> Any:
    """``TEMPLATES_DIR``: the installed definitions folder (``kalk_excel.paths.builtin_templates``)."""
    if name == "TEMPLATES_DIR":
        from ..paths import builtin_templates
        return builtin_templates()
    raise AttributeError(name)


ID_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
PART_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
KEY_RE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
SHEET_BAD_CHARS = re.compile(r"[\[\]:*?/\\]")
PLACEHOLDER_RE = re.compile(r"\{([a-z_]+?)([+-]\d+)?(_kort)?\}")
MAX_ID_LENGTH = 64
HERAV_TOTAL = "\x00"   # marks where a generated herav message names its total (filled in by build)

# allowed keys per mapping kind (unknown keys are typos: lint L002)
KEYS = {
    "root": ({"form", "texts", "parts"}, {"form", "parts"}),
    "form": ({"id", "year", "version", "title", "short_title", "period_years", "decisions"},
             {"id", "year", "version", "title", "short_title"}),
    "part": ({"id", "number", "title", "sheet", "info", "relevant", "prefix", "contact", "questions"},
             {"id", "number", "title", "sheet", "questions"}),
    "question": ({"number", "text", "help", "relevant", "routing", "fields", "table", "checks"},
                 {"number", "text"}),
    "field": ({"id", "label", "type", "unit", "required", "help", "min", "max", "warn_min", "warn_max",
               "choices", "max_length", "relevant", "calculate", "kostra", "herav_av", "role", "blank_zero"},
              {"id", "label", "type"}),
    "table": ({"id", "title", "prefix", "type", "required", "blank_zero", "columns", "rows", "skip", "herav",
               "min", "max", "unit", "relevant", "help"},
              {"id", "prefix", "columns", "rows"}),
    "column": ({"key", "label", "type", "calculate", "required", "blank_zero", "choices"}, {"key", "label"}),
    "row": ({"key", "label", "kostra", "calculate", "emphasis", "type", "required", "blank_zero", "min", "choices"},
            {"key", "label"}),
    "check": ({"id", "severity", "assert", "field", "message", "fix", "relevant"},
              {"id", "severity", "assert", "field", "message", "fix"}),
}

TEXT_TYPES = {"tekst"}
LIST_TYPES = {"ja_nei", "valg"}
DEFAULT_TEXT_LENGTH = 2000
DEFAULT_BOUNDS = {  # hard bounds applied when a numeric field gives none
    "heltall": (0, 10_000_000),
    "belop": (0, 100_000_000_000),
    "prosent": (0, 100),
    "desimal": (0, 1_000_000),
}


def year_dir(year: int, templates_dir: Path | None = None) -> Path:
    """The folder of a year's definitions (forms, parametre.yaml, kommuner.csv); the rule is
    ``kalk_excel.paths.definitions_dir`` (the user's folder, else ``$KALK_DEFINISJONER/<year>``
    when it exists, else the installed definitions)."""
    from ..paths import definitions_dir
    return definitions_dir(year, templates_dir)


def template_path(year: int, form_id: str, templates_dir: Path | None = None) -> Path:
    return year_dir(year, templates_dir) / f"{form_id}.yaml"


def available_years(templates_dir: Path | None = None) -> list[int]:
    from ..paths import templates_root
    base = templates_root(templates_dir)
    return sorted(int(p.name) for p in base.iterdir() if p.is_dir() and p.name.isdigit())


def load_form(year: int, form_id: str, templates_dir: Path | None = None) -> Form:
    """Load ``workbook_templates/<year>/<form_id>.yaml``; raises ``DefinitionError`` on lint errors."""
    form, messages = load_path(template_path(year, form_id, templates_dir))
    errors = [m for m in messages if m.severity == "feil"]
    if errors or form is None:
        raise DefinitionError(errors or messages)
    return form


def load_path(path: Path) -> tuple[Form | None, list[LintMessage]]:
    """Load and lint one definition file; returns (form or None, every lint message)."""
    builder = _Builder(path)
    form = builder.build()
    if form is not None:
        builder.messages.extend(lint.semantic_lint(form))
    builder.messages.sort(key=lambda m: (m.location.line or 0, m.code))
    has_errors = any(m.severity == "feil" for m in builder.messages)
    return (None if has_errors else form), builder.messages


def text_context(year: int, period_years: int) -> dict[str, Any]:
    start = date(year - period_years + 1, 1, 1)
    return {"aar": year, "periode_fra": f"1.1.{start.year}", "periode_til": f"31.12.{year}",
            "periode_fra_kort": f"1.1.{start.year % 100:02d}", "periode_til_kort": f"31.12.{year % 100:02d}"}


def fill_placeholders(text: str, year: int, period_years: int) -> tuple[str, list[str]]:
    """Replace {aar}, {aar-2}, {aar_kort}, {aar-2_kort}, {periode_fra}, ...; return unknown names."""
    ctx = text_context(year, period_years)
    unknown: list[str] = []

    def repl(m: re.Match[str]) -> str:
        name, offset, short = m.group(1), m.group(2), m.group(3)
        if name == "aar":
            value = year + int(offset or 0)
            return f"{value % 100:02d}" if short else str(value)
        if name in ctx and not offset and not short:
            return str(ctx[name])
        if short and not offset and f"{name}_kort" in ctx:
            return str(ctx[f"{name}_kort"])
        unknown.append(m.group(0))
        return m.group(0)

    return PLACEHOLDER_RE.sub(repl, text), unknown


class _Builder:
    """One pass over the YAML tree: build the Form and collect lint messages."""

    def __init__(self, path: Path):
        self.path = path
        self.file = _display_path(path)
        self.messages: list[LintMessage] = []
        self.fields: dict[str, Field] = {}
        self.checks: list[Check] = []
        self.year = 0
        self.period_years = 5

    # -- helpers -------------------------------------------------------------------------------
    def loc(self, node: Any) -> Location:
        return Location(self.file, getattr(node, "line", None))

    def err(self, code: str, node: Any, message: str, fix: str, severity: str = "feil") -> None:
        self.messages.append(LintMessage(code, self.loc(node), message, fix, severity))  # type: ignore[arg-type]

    def mapping(self, node: Any, kind: str, where: str) -> bool:
        if not isinstance(node, dict):
            self.err("L003", node, f"{where} skal være en mapping (nøkkel: verdi), fant {type(node).__name__}.",
                     "Skriv elementet som nøkkel: verdi-par.")
            return False
        allowed, required = KEYS[kind]
        for key in node:
            if key not in allowed:
                self.err("L002", node, f"Ukjent nøkkel «{key}» i {where}.",
                         f"Bruk en av: {', '.join(sorted(allowed))} (skrivefeil?).")
        for key in sorted(required - set(node)):
            self.err("L003", node, f"Mangler nøkkelen «{key}» i {where}.", f"Legg til «{key}:».")
        return True

    def text(self, node: Any, value: Any, where: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, (str, int, float)):
            self.err("L003", node, f"{where} skal være tekst.", "Skriv verdien som tekst.")
            return None
        filled, unknown = fill_placeholders(str(value), self.year, self.period_years)
        for name in unknown:
            self.err("L013", node, f"Ukjent plassholder {name} i {where}.",
                     "Bruk {aar}, {aar-1}, {aar_kort}, {periode_fra}, {periode_til}, {periode_fra_kort} "
                     "eller {periode_til_kort}.")
        return filled.strip()

    def check_id(self, node: Any, ident: Any, where: str, pattern: re.Pattern[str] = ID_RE) -> bool:
        if not isinstance(ident, str) or not pattern.match(ident) or len(ident) > MAX_ID_LENGTH:
            self.err("L004", node, f"Ugyldig id «{ident}» i {where}.",
                     "Id skal være små ASCII-bokstaver/tall med minst én understrek "
                     f"(f.eks. sos_netto_mg), høyst {MAX_ID_LENGTH} tegn.")
            return False
        return True

    # -- build ---------------------------------------------------------------------------------
    def build(self) -> Form | None:
        try:
            root: Any = read_yaml(self.path)   # checked node by node below
        except YamlError as exc:
            self.messages.append(LintMessage("L001", Location(self.file, exc.line), str(exc),
                                             "Rett YAML-syntaksen på linjen som er nevnt."))
            return None
        if not self.mapping(root, "root", "fila"):
            return None
        form_node = root.get("form")
        if not isinstance(form_node, dict) or not self.mapping(form_node, "form", "form"):
            return None
        form_id = form_node.get("id")
        if form_id not in ("adm", "norsk"):
            self.err("L006", form_node, f"Ukjent skjema-id «{form_id}».", "Bruk «adm» eller «norsk».")
        year = form_node.get("year")
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            self.err("L006", form_node, f"Ugyldig år «{year}».", "Oppgi kartleggingsåret som heltall, f.eks. 2024.")
            return None
        self.year = year
        self.period_years = int(form_node.get("period_years", 5))
        folder_year = self.path.parent.name
        if folder_year.isdigit() and int(folder_year) != year:
            self.err("L015", form_node, f"Året {year} stemmer ikke med mappen {folder_year}.",
                     "Legg definisjonen i mappen for sitt år, eller rett «year».")
        version = str(form_node.get("version", ""))
        if not re.fullmatch(rf"{year}\.\d+", version):
            self.err("L015", form_node, f"Ugyldig versjon «{version}».",
                     f"Bruk formen «{year}.N», der N øker for hver endring av skjemaet.")
        if self.path.stem != form_id:
            self.err("L015", form_node, f"Filnavnet {self.path.name} stemmer ikke med skjema-id «{form_id}».",
                     f"Kall fila {form_id}.yaml.")

        texts: dict[str, str] = {}
        texts_node = root.get("texts") or {}
        if isinstance(texts_node, dict):
            for key, value in texts_node.items():
                texts[str(key)] = self.text(texts_node, value, f"texts.{key}") or ""
        decisions = tuple(self.text(form_node, d, "form.decisions") or "" for d in form_node.get("decisions") or [])

        parts_node = root.get("parts")
        if not isinstance(parts_node, list) or not parts_node:
            self.err("L003", root, "«parts» skal være en ikke-tom liste.", "Legg til skjemadelene under «parts:».")
            return None
        parts = [p for p in (self.part(node) for node in parts_node) if p is not None]

        self.name_herav_totals(parts)
        start = date(year - self.period_years + 1, 1, 1)
        return Form(
            id=str(form_id), year=year, version=version,
            title=self.text(form_node, form_node.get("title"), "form.title") or "",
            short_title=self.text(form_node, form_node.get("short_title"), "form.short_title") or "",
            period=Period(start, date(year, 12, 31)), texts=texts, decisions=decisions,
            parts=tuple(parts), fields=dict(self.fields), checks=tuple(self.checks), source=self.file,
        )

    def name_herav_totals(self, parts: list[Part]) -> None:
        """Generated herav messages name the total by its label, del and spørsmål (never by id)."""
        numbers = {p.id: p.number for p in parts}
        for i, c in enumerate(self.checks):
            if HERAV_TOTAL not in c.message:
                continue
            head, total_id = c.message.rsplit(HERAV_TOTAL, 1)
            total_id = total_id.rstrip(".")
            total = self.fields.get(total_id)
            if total is None:   # reported as L008 by the semantic lint
                named = ""
            else:
                place = place_of(total, numbers.get(total.part_id, ""))
                here = place_of(self.fields[c.field], numbers.get(c.part_id, "")) if c.field in self.fields else None
                named = f": «{total.label}»" + ("" if here and here.question == place.question else f" ({place.where})")
            self.checks[i] = replace(c, message=f"{head}{named}.")

    def part(self, node: Any) -> Part | None:
        if not self.mapping(node, "part", "en skjemadel"):
            return None
        part_id = node.get("id")
        self.check_id(node, part_id, "skjemadelen", PART_ID_RE)
        where = f"del {node.get('number')}"
        sheet = str(node.get("sheet", ""))
        if not sheet or len(sheet) > 31 or SHEET_BAD_CHARS.search(sheet) or sheet.startswith("'"):
            self.err("L010", node, f"Ugyldig arknavn «{sheet}» i {where}.",
                     "Arknavn skal ha 1-31 tegn og ikke inneholde [ ] : * ? / \\.")
        prefix = node.get("prefix", part_id)
        relevant = _expr_text(node.get("relevant"))
        contact_fields: list[str] = []
        questions = []
        for qnode in node.get("questions") or []:
            q = self.question(qnode, str(part_id), str(prefix), relevant)
            if q is not None:
                questions.append(q)
        if node.get("contact"):
            label_who = self.text(node, node.get("contact") if isinstance(node.get("contact"), str) else None,
                                  f"{where}.contact") or "Opplysningene er gitt av"
            for suffix, label, ftype, role in (
                ("kontakt_navn", f"{label_who}: navn", "tekst", "kontakt_navn"),
                ("kontakt_telefon", "Telefon", "tekst", "kontakt_telefon"),
                ("kontakt_epost", "E-post", "tekst", "kontakt_epost"),
            ):
                fid = f"{prefix}_{suffix}"
                self.add_field(node, Field(
                    id=fid, part_id=str(part_id), question="kontakt", label=label, type=ftype,  # type: ignore[arg-type]
                    required=True, relevant=relevant, max_length=200, role=role, location=self.loc(node),
                    help="Hvem har gitt opplysningene i denne delen? Skjemaet kan ikke godkjennes uten kontaktinformasjon.",
                ))
                contact_fields.append(fid)
        return Part(
            id=str(part_id), number=str(node.get("number")),
            title=self.text(node, node.get("title"), f"{where}.title") or "",
            sheet=sheet, info=self.text(node, node.get("info"), f"{where}.info"),
            questions=tuple(questions), relevant=relevant, contact_fields=tuple(contact_fields),
            location=self.loc(node),
        )

    def question(self, node: Any, part_id: str, prefix: str, part_relevant: str | None) -> Question | None:
        if not self.mapping(node, "question", "et spørsmål"):
            return None
        number = str(node.get("number"))
        where = f"spørsmål {number}"
        q_relevant = _and(part_relevant, _expr_text(node.get("relevant")))
        blocks: list[FieldsBlock | TableBlock] = []
        if "fields" in node:
            ids = []
            for fnode in node.get("fields") or []:
                f = self.simple_field(fnode, part_id, number, q_relevant, where)
                if f is not None:
                    ids.append(f.id)
            blocks.append(FieldsBlock(tuple(ids)))
        if "table" in node:
            table = self.table(node["table"], part_id, number, q_relevant, where)
            if table is not None:
                blocks.append(table)
        for cnode in node.get("checks") or []:
            self.check(cnode, part_id, number, q_relevant, where)
        return Question(
            number=number, text=self.text(node, node.get("text"), f"{where}.text") or "",
            help=self.text(node, node.get("help"), f"{where}.help"), blocks=tuple(blocks),
            relevant=q_relevant, routing=self.text(node, node.get("routing"), f"{where}.routing"),
            location=self.loc(node),
        )

    def add_field(self, node: Any, f: Field) -> None:
        if f.id in self.fields:
            self.err("L005", node, f"Felt-id «{f.id}» er brukt før (spørsmål {self.fields[f.id].question}).",
                     "Gi feltet en unik id.")
            return
        self.fields[f.id] = f

    def field_type(self, node: Any, ftype: Any, where: str) -> str:
        if ftype not in FIELD_TYPES:
            self.err("L006", node, f"Ukjent felttype «{ftype}» i {where}.",
                     f"Bruk en av: {', '.join(FIELD_TYPES)}.")
            return "tekst"
        return str(ftype)

    def bounds(self, node: Any, ftype: str, lo: Any, hi: Any, where: str) -> tuple[float | None, float | None]:
        if ftype not in DEFAULT_BOUNDS:
            return None, None
        dlo, dhi = DEFAULT_BOUNDS[ftype]
        lo = dlo if lo is None else lo
        hi = dhi if hi is None else hi
        if lo == "ingen":
            lo = -DEFAULT_BOUNDS["belop"][1]
        for value, name in ((lo, "min"), (hi, "max")):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                self.err("L011", node, f"«{name}» i {where} skal være et tall (eller «ingen» for min).",
                         "Skriv et tall.")
                return None, None
        if lo > hi:
            self.err("L011", node, f"min ({lo}) er større enn max ({hi}) i {where}.", "Bytt om eller rett grensene.")
        return float(lo), float(hi)

    def simple_field(self, node: Any, part_id: str, question: str, q_relevant: str | None, where: str) -> Field | None:
        if not self.mapping(node, "field", f"et felt i {where}"):
            return None
        fid = node.get("id")
        if not self.check_id(node, fid, where):
            return None
        ftype = self.field_type(node, node.get("type"), f"feltet {fid}")
        choices = self.choices(node, ftype, node.get("choices"), f"feltet {fid}")
        lo, hi = self.bounds(node, ftype, node.get("min"), node.get("max"), f"feltet {fid}")
        relevant = _and(q_relevant, _expr_text(node.get("relevant")))
        calculate = _expr_text(node.get("calculate"))
        blank_zero = self.blank_zero(node, ftype, calculate, f"feltet {fid}")
        f = Field(
            id=fid, part_id=part_id, question=question,
            label=self.text(node, node.get("label"), f"feltet {fid}") or "",
            type=ftype, unit=node.get("unit") or _default_unit(ftype),  # type: ignore[arg-type]
            required=bool(node.get("required", False)) and calculate is None, blank_zero=blank_zero,
            help=self.text(node, node.get("help"), f"feltet {fid}"),
            min=lo, max=hi, choices=choices,
            max_length=node.get("max_length") or (DEFAULT_TEXT_LENGTH if ftype in TEXT_TYPES else None),
            relevant=relevant, calculate=calculate, kostra=node.get("kostra"), role=node.get("role"),
            location=self.loc(node),
        )
        self.add_field(node, f)
        if node.get("herav_av"):
            self.herav_check(node, f, str(node["herav_av"]), relevant)
        for key, op, word in (("warn_min", ">=", "lavere"), ("warn_max", "<=", "høyere")):
            if node.get(key) is not None:
                limit = node[key]
                self.checks.append(Check(
                    id=f"{fid}_{key}", part_id=part_id, question=question, severity="advarsel",
                    assert_=f"tom({fid}) or {fid} {op} {limit}", field=fid,
                    message=f"{f.label}: verdien er {word} enn {_fmt(limit)}, som er uvanlig.",
                    fix=f"Kontroller verdien. Er den riktig, forklar den i kommentarfeltet for del {question.split('.')[0]}.",
                    relevant=relevant, kind="grense", location=self.loc(node),
                ))
        return f

    def blank_zero(self, node: Any, ftype: str, calculate: str | None, where: str) -> bool:
        """``blank_zero: true`` on a field: a number input that is not required and counts as 0 when
        left blank in an answered part (the committee's decision per field, docs/skjemadefinisjon.md)."""
        value = node.get("blank_zero", False)
        if not isinstance(value, bool):
            self.err("L019", node, f"«blank_zero» for {where} skal være true eller false.", "Skriv true eller false.")
            return False
        if not value:
            return False
        if ftype not in DEFAULT_BOUNDS or calculate is not None:
            self.err("L019", node, f"«blank_zero» er bare tillatt for tallfelt som fylles ut ({where}).",
                     "Fjern «blank_zero», eller bruk det på et tallfelt uten «calculate».")
            return False
        if node.get("required"):
            self.err("L019", node, f"{where} er både obligatorisk og «tomt regnes som 0».",
                     "Velg én av dem: «required: true» (må fylles ut) eller «blank_zero: true» (tomt = 0).")
        return True

    def choices(self, node: Any, ftype: str, choices: Any, where: str) -> tuple[str, ...]:
        if ftype == "ja_nei":
            return tuple(choices) if choices else ("ja", "nei")
        if ftype == "valg":
            if not isinstance(choices, list) or not choices:
                self.err("L014", node, f"Valgliste mangler for {where}.", "Legg til «choices: [..]».")
                return ()
            if len(",".join(map(str, choices))) > 250:
                self.err("L014", node, f"Valglisten for {where} er for lang for Excels datavalidering.",
                         "Korte ned alternativene (til sammen under 250 tegn).")
            return tuple(str(c) for c in choices)
        if choices:
            self.err("L014", node, f"«choices» er bare tillatt for ja_nei og valg ({where}).", "Fjern «choices».")
        return ()

    def herav_check(self, node: Any, f: Field, total_id: str, relevant: str | None) -> None:
        self.checks.append(Check(
            id=f"{f.id}_herav", part_id=f.part_id, question=f.question, severity="feil",
            assert_=f"{f.id} <= {total_id}", field=f.id,
            message=f"«{f.label}» er større enn totalen det er en del av{HERAV_TOTAL}{total_id}.",
            fix="Herav-tallet kan ikke være større enn totalen. Kontroller begge tallene.",
            relevant=relevant, kind="herav", location=self.loc(node),
        ))

    def table(self, node: Any, part_id: str, question: str, q_relevant: str | None, where: str) -> TableBlock | None:
        if not self.mapping(node, "table", f"tabellen i {where}"):
            return None
        table_id = node.get("id")
        self.check_id(node, table_id, f"tabellen i {where}", KEY_RE)
        prefix = node.get("prefix")
        if not isinstance(prefix, str) or not KEY_RE.match(prefix):
            self.err("L004", node, f"Ugyldig prefix «{prefix}» i tabellen {table_id}.", "Bruk små bokstaver og _.")
            return None
        ttype = self.field_type(node, node.get("type", "belop"), f"tabellen {table_id}")
        t_relevant = _and(q_relevant, _expr_text(node.get("relevant")))
        columns: list[TableColumn] = []
        for cnode in node.get("columns") or []:
            if self.mapping(cnode, "column", f"en kolonne i tabellen {table_id}"):
                self.check_id(cnode, cnode.get("key"), f"kolonnen i {table_id}", KEY_RE)
                columns.append(TableColumn(
                    key=str(cnode["key"]), label=self.text(cnode, cnode.get("label"), "kolonne") or "",
                    type=cnode.get("type"), calculate=cnode.get("calculate")))
        rows: list[TableRow] = []
        row_nodes = {}
        for rnode in node.get("rows") or []:
            if self.mapping(rnode, "row", f"en rad i tabellen {table_id}"):
                self.check_id(rnode, rnode.get("key"), f"raden i {table_id}", KEY_RE)
                rows.append(TableRow(
                    key=str(rnode["key"]), label=self.text(rnode, rnode.get("label"), "rad") or "",
                    kostra=rnode.get("kostra"), calculate=rnode.get("calculate"),
                    emphasis=bool(rnode.get("emphasis", rnode.get("calculate") is not None))))
                row_nodes[str(rnode["key"])] = rnode
        if not columns or not rows:
            self.err("L003", node, f"Tabellen {table_id} må ha minst én kolonne og én rad.", "Legg til columns og rows.")
            return None
        col_keys = [c.key for c in columns]
        row_keys = [r.key for r in rows]
        skip = set()
        for item in node.get("skip") or []:
            r, _, c = str(item).partition(".")
            if r not in row_keys or c not in col_keys:
                self.err("L016", node, f"«skip: {item}» i tabellen {table_id} viser til en ukjent celle.",
                         "Skriv «radnøkkel.kolonnenøkkel».")
            skip.add((r, c))
        single = len(columns) == 1
        lo, hi = self.bounds(node, ttype, node.get("min"), node.get("max"), f"tabellen {table_id}")
        required = bool(node.get("required", False))
        cells: list[tuple[str | None, ...]] = []

        def cell_id(r: str, c: str) -> str:
            return f"{prefix}_{r}" if single else f"{prefix}_{r}_{c}"

        for row in rows:
            rnode = row_nodes[row.key]
            line: list[str | None] = []
            for col in columns:
                if (row.key, col.key) in skip:
                    line.append(None)
                    continue
                fid = cell_id(row.key, col.key)
                if not self.check_id(rnode, fid, f"tabellen {table_id}"):
                    line.append(None)
                    continue
                calculate = None
                if row.calculate:
                    calculate = self.template(rnode, row.calculate, {k: cell_id(k, col.key) for k in row_keys
                                                                     if (k, col.key) not in skip}, table_id)
                elif col.calculate:
                    calculate = self.template(rnode, col.calculate, {k: cell_id(row.key, k) for k in col_keys
                                                                     if (row.key, k) not in skip}, table_id)
                ctype = self.field_type(rnode, rnode.get("type") or col.type or ttype, f"tabellen {table_id}")
                rlo, rhi = (lo, hi)
                if rnode.get("min") is not None or ctype != ttype:
                    rlo, rhi = self.bounds(rnode, ctype, rnode.get("min"), None, f"tabellen {table_id}")
                col_required = next((c.get("required") for c in node.get("columns") if c.get("key") == col.key), None)
                req = rnode.get("required", col_required if col_required is not None else required)
                col_node: dict[str, Any] = next((c for c in node.get("columns") if c.get("key") == col.key), {})
                zero = rnode.get("blank_zero", col_node.get("blank_zero", node.get("blank_zero", False)))
                zero = bool(zero) and calculate is None and ctype in DEFAULT_BOUNDS
                if zero and rnode.get("required") is not True:
                    req = False
                choices = self.choices(rnode, ctype, rnode.get("choices") or col_node.get("choices"),
                                       f"tabellen {table_id}")
                f = Field(
                    id=fid, part_id=part_id, question=question, label=f"{row.label} – {col.label}" if not single
                    else row.label, type=ctype,  # type: ignore[arg-type]
                    unit=node.get("unit") or _default_unit(ctype), required=bool(req) and calculate is None,
                    blank_zero=zero and not req,
                    help=self.text(node, node.get("help"), f"tabellen {table_id}"),
                    min=rlo if ctype in DEFAULT_BOUNDS else None, max=rhi if ctype in DEFAULT_BOUNDS else None,
                    max_length=DEFAULT_TEXT_LENGTH if ctype in TEXT_TYPES else None, choices=choices,
                    relevant=t_relevant, calculate=calculate, kostra=row.kostra, table_id=str(table_id),
                    row_key=row.key, col_key=col.key, row_label=row.label, col_label=col.label,
                    location=self.loc(rnode),
                )
                self.add_field(rnode, f)
                line.append(fid)
            cells.append(tuple(line))
        herav = node.get("herav") or {}
        if herav and not isinstance(herav, dict):
            self.err("L016", node, f"«herav» i tabellen {table_id} skal være {{delkolonne: totalkolonne}}.",
                     "Skriv f.eks. «herav: {mg: samlet}».")
            herav = {}
        for part_col, total_col in herav.items():
            if part_col not in col_keys or total_col not in col_keys:
                self.err("L016", node, f"«herav: {part_col}: {total_col}» i tabellen {table_id} viser til ukjent kolonne.",
                         f"Kolonnene heter {', '.join(col_keys)}.")
                continue
            ci, ti = col_keys.index(part_col), col_keys.index(total_col)
            for ri, row in enumerate(rows):
                pid, tid = cells[ri][ci], cells[ri][ti]
                if pid and tid and self.fields[pid].is_input and self.fields[tid].is_input:
                    self.herav_check(row_nodes[row.key], self.fields[pid], tid, t_relevant)
        return TableBlock(id=str(table_id), title=self.text(node, node.get("title"), "tabell"),
                          columns=tuple(columns), rows=tuple(rows), cells=tuple(cells))

    def template(self, node: Any, template: str, mapping: dict[str, str], table_id: str) -> str | None:
        def repl(m: re.Match[str]) -> str:
            key = m.group(1)
            if key not in mapping:
                self.err("L016", node, f"Formelen «{template}» i tabellen {table_id} viser til ukjent {{{key}}}.",
                         f"Tilgjengelige nøkler: {', '.join(mapping)}.")
                return "0"
            return mapping[key]

        return re.sub(r"\{([a-z0-9_]+)\}", repl, template)

    def check(self, node: Any, part_id: str, question: str, q_relevant: str | None, where: str) -> None:
        if not self.mapping(node, "check", f"en kontroll i {where}"):
            return
        cid = node.get("id")
        if not self.check_id(node, cid, f"kontrollen i {where}"):
            return
        severity = node.get("severity")
        if severity not in SEVERITIES:
            self.err("L006", node, f"Ukjent alvorlighet «{severity}» i kontrollen {cid}.", "Bruk feil, advarsel eller info.")
            severity = "feil"
        self.checks.append(Check(
            id=cid, part_id=part_id, question=question, severity=severity, assert_=str(node.get("assert")),
            field=str(node.get("field")), message=self.text(node, node.get("message"), f"kontrollen {cid}") or "",
            fix=self.text(node, node.get("fix"), f"kontrollen {cid}") or "",
            relevant=_and(q_relevant, _expr_text(node.get("relevant"))), location=self.loc(node),
        ))


def _expr_text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value).strip() or None


def _and(a: str | None, b: str | None) -> str | None:
    if a and b:
        return f"({a}) and ({b})"
    return a or b


def _default_unit(ftype: str) -> str | None:
    return {"belop": "kr", "prosent": "%", "heltall": "antall"}.get(ftype)


def _fmt(value: Any) -> str:
    return number_text(value, decimals=2)


def _display_path(path: Path) -> str:
    try:
        from ..paths import builtin_templates
        return str(path.resolve().relative_to(builtin_templates().parent))
    except ValueError:
        return str(path)
