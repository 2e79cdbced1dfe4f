"""*Parametre*: every number the method uses, with label, unit and source; each value cell is a
workbook-scope defined name = parameter id. The year's deflator after the other rows; switches
(unit «bryter»: the committee's choices where the report contradicts itself or is silent,
docs/beregning.md) take 1 or 0 only; the EM exclusion list as a named column of kommunenummer
(with spare rows to add to it); the model-check tolerances.

This sheet is where the secretariat changes rates: value (C) and source (E) are unlocked,
validated input cells. G and H hold the default the master started from (the year's
parametre.yaml), I says per row whether the value or the source differs from it. ``beregn``
records every change between runs on *Endringslogg* (``master.sheet_changelog``).
"""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl.styles import Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..model.parameters import Parameter
from .params import TOLERANCES, deflators, is_switch
from .refs import quote
from .style import FMT_FRACTION, FMT_KR, FMT_KR_DEC, FMT_PLAIN, header, print_setup, protect, status_and_title, unlock

FIRST_ROW = 5
LIST_SPARE_ROWS = 5            # empty rows under a list parameter, for adding a kommunenummer
COLUMNS = ["Id (navn)", "Beskrivelse", "Verdi", "Enhet", "Kilde", "Gruppe", "Standardverdi (parametre.yaml)",
           "Standardkilde", "Endret fra standard"]
VALUE_COL, SOURCE_COL, DEFAULT_COL, DEFAULT_SOURCE_COL, CHANGED_COL = 3, 5, 7, 8, 9
CHANGED_VALUE = "endret verdi"
CHANGED_SOURCE = "endret kilde"
INTRO = ("Her endrer sekretariatet satsene: Verdi (kolonne C) og Kilde (kolonne E) er inndata (gule celler). "
         "Skriv alltid kilden når du endrer en verdi. Standardverdi og standardkilde (G, H) er det året "
         "starter med (parametre.yaml); kolonne I viser hvilke rader som avviker. Hver endring føres i "
         "«Endringslogg» ved neste beregning. Hver verdi i C er et navn (= id) som formlene bruker.")


def _fmt(p: Parameter) -> str:
    if is_switch(p):
        return "0"
    if isinstance(p.value, float) and abs(p.value) < 1:
        return FMT_FRACTION
    if p.unit.startswith("kr"):
        whole = not isinstance(p.value, (int, float)) or float(p.value).is_integer()
        return FMT_KR if whole else FMT_KR_DEC
    return FMT_PLAIN   # a count or rate: 19392 shows as 19392 and 1.5 as 1.5 in Excel and LibreOffice


def _text_value(v: object) -> str:
    return f"{v:04d}" if isinstance(v, int) else str(v)


def build(ws: Worksheet, items: list[Parameter], defaults: Mapping[str, Parameter] | None = None) -> dict[str, str]:
    """Write the sheet; return name -> absolute reference. ``defaults``: id -> the year's default
    parameter (None or a missing id: no default shown for that row)."""
    defaults = defaults or {}
    status_and_title(ws, "Parametre – alle tall beregningen bruker, med kilde")
    ws.cell(3, 1, INTRO)
    header(ws, 4, COLUMNS)
    number = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=False,
                            showErrorMessage=True, errorTitle="Ugyldig verdi",
                            error="Skriv et tall som er 0 eller større, med komma som desimaltegn. "
                                  "Korreksjon: rett verdien, og skriv kilden i kolonne E.")
    kommune = DataValidation(type="textLength", operator="equal", formula1="4", allow_blank=True,
                             showErrorMessage=True, errorTitle="Ugyldig kommunenummer",
                             error="Skriv kommunenummeret med fire sifre, f.eks. 0301. "
                                   "Korreksjon: rett kommunenummeret eller tøm cellen.")
    source = DataValidation(type="textLength", operator="greaterThan", formula1="0", allow_blank=False,
                            showErrorMessage=True, errorTitle="Kilde mangler",
                            error="Hver verdi skal ha en kilde. Korreksjon: skriv hvor verdien er hentet fra.")
    switch = DataValidation(type="whole", operator="between", formula1="0", formula2="1", allow_blank=False,
                            showErrorMessage=True, errorTitle="Ugyldig valg",
                            error="Skriv 1 (ja) eller 0 (nei). Korreksjon: rett verdien, og skriv begrunnelsen "
                                  "i kolonne E.")
    for dv in (number, kommune, source, switch):
        ws.add_data_validation(dv)
    defl = deflators(items)
    lists = [p for p in items if isinstance(p.value, (list, tuple))]
    plain = [p for p in items if p not in defl and p not in lists]
    tol = [Parameter(i, label, v, unit, src, "kontroll") for i, label, v, unit, src in TOLERANCES]
    names: dict[str, str] = {}
    row = FIRST_ROW
    for p in plain + defl:
        default = defaults.get(p.id)
        _row(ws, row, p, p.value, default, default.value if default else None)
        _input(ws, row, switch if is_switch(p) else number, source)
        names[p.id] = f"{quote(ws.title)}!$C${row}"
        row += 1
    for p in tol:   # kalk-excel's own tolerances: not the secretariat's rates, so locked
        _row(ws, row, p, p.value, None, None)
        names[p.id] = f"{quote(ws.title)}!$C${row}"
        row += 1
    for p in lists:   # a list parameter (em_ekskludert) occupies one row per element, plus spare rows
        default = defaults.get(p.id)
        values = [_text_value(v) for v in p.value]
        default_values = [_text_value(v) for v in default.value] if default else []
        n = max(len(values), len(default_values)) + LIST_SPARE_ROWS
        first = row
        for i in range(n):
            _row(ws, row, p, values[i] if i < len(values) else None, default,
                 default_values[i] if i < len(default_values) else None)
            for c in (VALUE_COL, DEFAULT_COL):
                ws.cell(row, c).number_format = "@"
            _input(ws, row, kommune, source)
            row += 1
        names[p.id] = f"{quote(ws.title)}!$C${first}:$C${row - 1}"
    for letter, width in zip("ABCDEFGHI", (36, 60, 16, 22, 50, 18, 16, 40, 16), strict=False):
        ws.column_dimensions[letter].width = width
    print_setup(ws)          # printed: landscape, all columns on one page width
    protect(ws)
    return names


def _input(ws: Worksheet, row: int, value_rule: DataValidation, source_rule: DataValidation) -> None:
    for column, rule in ((VALUE_COL, value_rule), (SOURCE_COL, source_rule)):
        c = ws.cell(row, column)
        unlock(c)
        rule.add(c)


def _row(ws: Worksheet, row: int, p: Parameter, value: object, default: Parameter | None,
         default_value: object) -> None:
    ws.cell(row, 1, p.id)
    ws.cell(row, 2, p.label)
    c = ws.cell(row, VALUE_COL, value)
    if not isinstance(value, str):
        c.number_format = _fmt(p)
    ws.cell(row, 4, p.unit)
    ws.cell(row, SOURCE_COL, p.source)
    ws.cell(row, 6, p.group)
    if default is None:
        return
    d = ws.cell(row, DEFAULT_COL, default_value)
    if not isinstance(default_value, str):
        d.number_format = _fmt(p)
    ws.cell(row, DEFAULT_SOURCE_COL, default.source)
    v, dv, s, ds = (f"{letter}{row}" for letter in "CGEH")
    ws.cell(row, CHANGED_COL, f'=IF({v}<>{dv},"{CHANGED_VALUE}",IF({s}<>{ds},"{CHANGED_SOURCE}",""))')
    ws.cell(row, CHANGED_COL).protection = Protection(locked=True)
