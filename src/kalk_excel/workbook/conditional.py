"""Conditional formatting on the part sheets: inputs (and their labels) whose effective relevance
is false are greyed out; a cell whose check fails turns red (feil) or yellow (advarsel).

Rule formulas come from the definition's expressions and are stored without a leading "=".
One rule per distinct expression, over every cell it applies to on that sheet.
"""

from __future__ import annotations

from collections import defaultdict

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.workbook import Workbook

from ..definition.model import Form
from ..definition.skiplogic import definitely, possibly
from . import styles
from .formulas import excel, numeric_inputs
from .kontroll import cell_failure
from .layout import Placement

GREY = dict(fill=PatternFill("solid", fgColor=styles.GREY_COLOUR, bgColor=styles.GREY_COLOUR),
            font=Font(color=styles.GREY_FONT_COLOUR))
RED = dict(fill=PatternFill("solid", fgColor=styles.ERROR_COLOUR, bgColor=styles.ERROR_COLOUR),
           font=Font(color=styles.ERROR_FONT_COLOUR, bold=True))
YELLOW = dict(fill=PatternFill("solid", fgColor=styles.WARN_COLOUR, bgColor=styles.WARN_COLOUR),
              font=Font(color=styles.WARN_FONT_COLOUR, bold=True))


def not_relevant_formula(relevant: str, numeric: frozenset[str] = frozenset()) -> str:
    return f"NOT({excel(relevant, numeric)})"


def failed_formula(assert_: str, relevant: str | None, numeric: frozenset[str] = frozenset()) -> str:
    failed = f"NOT({excel(assert_, numeric)})"
    return f"AND({excel(relevant, numeric)},{failed})" if relevant else failed


def add_conditional_formats(wb: Workbook, form: Form, placement: Placement) -> None:
    # a cell breaking a single-cell rule (text in a number cell, out of range, not a whole number,
    # not one of the choices) first, then failed checks (red before yellow), then greying: the
    # first matching rule wins visually
    numeric = numeric_inputs(form)
    for f in form.inputs():
        condition = cell_failure(f)
        if condition:
            sheet, coord = placement.cells[f.id]
            wb[sheet].conditional_formatting.add(coord, FormulaRule(formula=[condition], stopIfTrue=False, **RED))
    failed: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for check in form.checks:
        if check.severity not in ("feil", "advarsel") or check.field not in placement.cells:
            continue
        sheet, coord = placement.cells[check.field]
        failed[(sheet, check.severity, failed_formula(check.assert_, definitely(form, check.relevant), numeric))].append(coord)
    for severity in ("feil", "advarsel"):
        for (sheet, sev, formula), coords in failed.items():
            if sev == severity:
                style = RED if severity == "feil" else YELLOW
                wb[sheet].conditional_formatting.add(" ".join(dict.fromkeys(coords)),
                                                     FormulaRule(formula=[formula], stopIfTrue=False, **style))
    greyed: dict[tuple[str, str], list[str]] = defaultdict(list)
    for f in form.fields.values():
        if not f.relevant:
            continue
        sheet, coord = placement.cells[f.id]
        key = (sheet, not_relevant_formula(possibly(form, f.relevant), numeric))   # ruled out, not just blank
        greyed[key].append(coord)
        greyed[key].extend(c for s, c in placement.labels.get(f.id, []) if s == sheet)
    for (sheet, formula), coords in greyed.items():
        wb[sheet].conditional_formatting.add(" ".join(dict.fromkeys(coords)),
                                             FormulaRule(formula=[formula], stopIfTrue=False, **GREY))
