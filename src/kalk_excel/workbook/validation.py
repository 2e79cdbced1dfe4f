"""Data validation on every input cell: the hard rules of each field type and bounds.

heltall -> whole number within min/max; belop/desimal/prosent -> decimal within min/max;
ja_nei/valg -> list (a quoted literal list, at most 255 characters); tekst -> text length.
Error style "stop", Norwegian input and error messages (Excel's limits: title 32 and message 255
characters, cut cleanly with "…"). Cells with the same rule and messages share one
``DataValidation`` over a multi-cell range (never one object per cell). Soft bounds are
advarsel checks and live on the Kontroll sheet instead (Excel allows one validation per cell).
"""

from __future__ import annotations

from collections import defaultdict

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from .. import numbertext
from ..definition.model import Field, Form
from .errors import WorkbookBuildError
from .layout import Placement

TITLE_MAX = 32
MESSAGE_MAX = 255
LIST_MAX = 255
NO_LIMIT = 1_000_000_000
BLANK_ZERO = "Står feltet tomt, regnes det som 0."


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a word boundary, ending in "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:–-") + "…"


def number_text(value: float) -> str:
    return numbertext.number_text(value, decimals=2)


def list_formula(choices: tuple[str, ...]) -> str:
    return '"' + ",".join(c.replace('"', '""') for c in choices) + '"'


def choices_of(f: Field) -> tuple[str, ...]:
    """A field's choices; table cells of type ja_nei get none from the loader, so default them."""
    if f.choices:
        return f.choices
    return ("ja", "nei") if f.type == "ja_nei" else ()


def rule_of(f: Field) -> tuple:
    """(type, operator, formula1, formula2, allowed text) — the validation rule of one field."""
    if f.type in ("heltall", "belop", "desimal", "prosent"):
        kind = "whole" if f.type == "heltall" else "decimal"
        what = {"heltall": "et helt tall", "belop": "et beløp i kroner", "desimal": "et tall",
                "prosent": "et prosenttall"}[f.type]
        return (kind, "between", number_arg(f.min), number_arg(f.max), what + " " + range_text(f.min, f.max))
    choices = choices_of(f)
    if choices:
        formula = list_formula(choices)
        if len(formula) > LIST_MAX or any("," in c for c in choices):
            raise WorkbookBuildError(
                f"Valglisten for feltet {f.id} kan ikke bli en nedtrekksliste i Excel (et valg inneholder komma, "
                f"eller listen er over {LIST_MAX} tegn). Korreksjon: fjern kommaene eller korte ned valgene.")
        return ("list", None, formula, None, "ett av: " + ", ".join(choices))
    length = f.max_length or 2000
    return ("textLength", "lessThanOrEqual", str(length), None, f"tekst på høyst {number_text(length)} tegn")


def range_text(lo: float | None, hi: float | None) -> str:
    """"fra 0 til 100"; bounds beyond a billion read as no practical limit."""
    lo, hi = lo or 0, hi or 0
    open_lo, open_hi = lo <= -NO_LIMIT, hi >= NO_LIMIT
    if open_lo and open_hi:
        return "(kan være negativt)"
    if open_hi:
        return f"({number_text(lo)} eller mer)"
    if open_lo:
        return f"på høyst {number_text(hi)} (kan være negativt)"
    return f"fra {number_text(lo)} til {number_text(hi)}"


def number_arg(value: float | None) -> str:
    value = 0 if value is None else value
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def prompt_of(form: Form, f: Field, allowed: str) -> tuple[str, str]:
    """Input message (title, text) for a field; table cells share their table's message."""
    if f.table_id:
        title = f"Spørsmål {f.question}"
        column = f"Kolonne: {f.col_label}." if f.col_label and f.col_label != f.label else ""
        body = " ".join(x for x in (column, f.help or "") if x)
    else:
        title = f.label
        body = f.help or ""
    unit = f" ({f.unit})" if f.unit and f.type in ("heltall", "desimal") else ""
    text = f"{body} Skriv {allowed}{unit}." if body else f"Skriv {allowed}{unit}."
    if f.blank_zero:   # the committee's decision: left blank in an answered part it counts as 0
        return clip(title, TITLE_MAX), clip(text.strip(), MESSAGE_MAX - len(BLANK_ZERO) - 1) + " " + BLANK_ZERO
    return clip(title, TITLE_MAX), clip(text.strip(), MESSAGE_MAX)


def add_validations(wb: Workbook, form: Form, placement: Placement) -> int:
    """Add grouped data validations for every input field; returns how many were added."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    for f in form.inputs():
        sheet, coord = placement.cells[f.id]
        kind, op, f1, f2, allowed = rule_of(f)
        title, prompt = prompt_of(form, f, allowed)
        error = clip(f"Ugyldig verdi. Tillatt er {allowed}.", MESSAGE_MAX)
        groups[(sheet, kind, op, f1, f2, title, prompt, error)].append(coord)
    for (sheet, kind, op, f1, f2, title, prompt, error), coords in groups.items():
        dv = DataValidation(type=kind, operator=op, formula1=f1, formula2=f2, allow_blank=True,
                            showErrorMessage=True, showInputMessage=True, errorStyle="stop",
                            errorTitle="Ugyldig verdi", error=error, promptTitle=title, prompt=prompt)
        dv.sqref = " ".join(coords)
        wb[sheet].add_data_validation(dv)
    return len(groups)
