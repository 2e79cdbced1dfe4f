"""*Skjemaberegning adm / norsk*: the form's computed fields recomputed in Excel from the
submitted inputs (the definition's expressions compiled with ``expr.to_excel``, one formula per
column), and a flag per field: 1 when it differs from the value intake computed on receipt."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from .layout import HEADER_ID_ROW, HEADER_LABEL_ROW, SHEET_INPUT
from .refs import FORMCALC_LEAD, Refs
from .style import FMT_KR, PRINT_SCALE, header, print_setup, protect, status_and_title

FORMATS = {"belop": FMT_KR, "heltall": "#,##0", "prosent": "0.00", "desimal": "#,##0.00"}
TITLES = {"adm": "Skjemaberegning – administrasjonsskjemaets beregnede felt, regnet fra innrapporterte verdier",
          "norsk": "Skjemaberegning – norskskjemaets beregnede felt, regnet fra innrapporterte verdier"}


def build(ws: Worksheet, form_id: str, refs: Refs) -> None:
    status_and_title(ws, TITLES[form_id])
    ws.cell(3, 1, "Samme formler som i kommunens skjema, med innrapporterte verdier fra samme rad (navnet "
                  f"{form_id}_<felt-id> er kolonnen på «{SHEET_INPUT[form_id]}»). Lange formler er delt i "
                  "hjelpekolonner lengst til høyre (hjelp_1, hjelp_2 …; rad 5 viser hva de regner ut). "
                  "Avvik-kolonnene er 1 når verdien skiller seg fra mottakskontrollens verdi (se Kontroll).")
    fields = {f.id: f for f in refs.fields[form_id]}
    calc, check = refs.formcalc_cols[form_id], refs.formcheck_cols[form_id]
    plan, helpers = refs.plans[form_id], refs.formhelp_cols[form_id]
    header(ws, HEADER_ID_ROW, FORMCALC_LEAD)
    header(ws, HEADER_LABEL_ROW, ["Kommunenummer", "Kommune"])
    for fid, letter in calc.items():
        header(ws, HEADER_ID_ROW, [fid], ws[f"{letter}1"].column)
        header(ws, HEADER_LABEL_ROW, [f"{fields[fid].question} {fields[fid].label}".strip()], ws[f"{letter}1"].column)
    for fid, letter in check.items():
        header(ws, HEADER_ID_ROW, [f"avvik_{fid}"], ws[f"{letter}1"].column)
        header(ws, HEADER_LABEL_ROW, [f"Avvik (1/0) fra mottakskontrollen: {fid}"], ws[f"{letter}1"].column)
    for h in plan.helpers:
        column = ws[f"{helpers[h.key]}1"].column
        header(ws, HEADER_ID_ROW, [h.key], column)
        header(ws, HEADER_LABEL_ROW, [f"Hjelpekolonne: {h.label}"], column)
        ws.column_dimensions[helpers[h.key]].width = 15
    lead = [refs.input_value(form_id, key) for key in FORMCALC_LEAD]
    for row in range(refs.first_row, refs.last_row + 1):
        for j, text in enumerate(lead, start=1):
            ws.cell(row, j, "=" + plan.formula(text, row))
        for fid, letter in calc.items():
            cell = ws[f"{letter}{row}"]
            cell.value = "=" + plan.formula(plan.fields[fid], row)
            cell.number_format = FORMATS.get(fields[fid].type, "General")
        for fid, letter in check.items():
            theirs = refs.input_value(form_id, fid, row)
            ws[f"{letter}{row}"] = f"=IF(ABS({calc[fid]}{row}-{theirs})>toleranse_andel,1,0)"
        for h in plan.helpers:
            ws[f"{helpers[h.key]}{row}"] = "=" + plan.formula(h.template, row)
    for letter in calc.values():
        ws.column_dimensions[letter].width = 15
    for letter in check.values():
        ws.column_dimensions[letter].width = 11
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 14, 18
    ws.row_dimensions[HEADER_ID_ROW].height = 30          # wrapped headers stay readable on screen and on paper
    ws.row_dimensions[HEADER_LABEL_ROW].height = 75
    ws.freeze_panes = ws.cell(refs.first_row, 3)
    print_setup(ws, fit_width=False, title_rows=f"{HEADER_ID_ROW}:{HEADER_LABEL_ROW}", title_cols="A:B",
                scale=PRINT_SCALE)
    protect(ws)
