"""*Parametre*: every number the method uses, with label, unit and source; each value cell is a
workbook-scope defined name = parameter id. The deflator series as rows; the EM exclusion list
as a named column of kommunenummer; the model-check tolerances last."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from .params import TOLERANCES, Parameter, deflators
from .refs import quote
from .style import FMT_FRACTION, FMT_KR, header, protect, status_and_title

FIRST_ROW = 5


def _fmt(p: Parameter) -> str:
    if isinstance(p.value, float) and abs(p.value) < 1:
        return FMT_FRACTION
    return FMT_KR if p.unit.startswith("kr") else "#,##0.####"


def build(ws: Worksheet, items: list[Parameter]) -> dict[str, str]:
    """Write the sheet; return name -> absolute reference."""
    status_and_title(ws, "Parametre – alle tall beregningen bruker, med kilde")
    ws.cell(3, 1, "Hver verdi i kolonne C er et navn (= id) som formlene bruker. Endres i "
                  "workbook_templates/<år>/parametre.yaml, ikke her.")
    header(ws, 4, ["Id (navn)", "Beskrivelse", "Verdi", "Enhet", "Kilde", "Gruppe"])
    defl = deflators(items)
    lists = [p for p in items if isinstance(p.value, list)]
    plain = [p for p in items if p not in defl and p not in lists]
    tol = [Parameter(i, label, v, unit, src, "kontroll") for i, label, v, unit, src in TOLERANCES]
    names: dict[str, str] = {}
    row = FIRST_ROW
    for p in plain + defl + tol:
        _row(ws, row, p, p.value)
        names[p.id] = f"{quote(ws.title)}!$C${row}"
        row += 1
    for p in lists:   # a list parameter (em_ekskludert) occupies one row per element
        values = [f"{v:04d}" if isinstance(v, int) else str(v) for v in p.value] or [None]
        first = row
        for v in values:
            _row(ws, row, p, v)
            ws.cell(row, 3).number_format = "@"
            row += 1
        names[p.id] = f"{quote(ws.title)}!$C${first}:$C${row - 1}"
    for letter, width in zip("ABCDEF", (36, 60, 16, 22, 50, 18)):
        ws.column_dimensions[letter].width = width
    protect(ws)
    return names


def _row(ws: Worksheet, row: int, p: Parameter, value: object) -> None:
    ws.cell(row, 1, p.id)
    ws.cell(row, 2, p.label)
    c = ws.cell(row, 3, value)
    if not isinstance(value, str):
        c.number_format = _fmt(p)
    ws.cell(row, 4, p.unit)
    ws.cell(row, 5, p.source)
    ws.cell(row, 6, p.group)
