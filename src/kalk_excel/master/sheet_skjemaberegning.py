"""*Skjemaberegning adm / norsk*: the form's computed fields recomputed in Excel from the
submitted inputs (the definition's expressions compiled with ``expr.to_excel``, one formula per
column), and a flag per field: 1 when it differs from the value intake computed on receipt."""

from __future__ import annotations

from typing import Callable

from openpyxl.worksheet.worksheet import Worksheet

from ..definition.expr import parse
from .layout import HEADER_ID_ROW, HEADER_LABEL_ROW, SHEET_INPUT
from .refs import FORMCALC_LEAD, Refs, quote
from .style import FMT_KR, header, protect, status_and_title

TITLES = {"adm": "Skjemaberegning – administrasjonsskjemaets beregnede felt, regnet fra innrapporterte verdier",
          "norsk": "Skjemaberegning – norskskjemaets beregnede felt, regnet fra innrapporterte verdier"}


def to_excel(text: str, ref: Callable[[str], str]) -> str:
    """A definition expression as Excel formula text (no '='), field ids mapped by ``ref``."""
    return parse(text).to_excel(ref)


def build(ws: Worksheet, form_id: str, refs: Refs) -> None:
    status_and_title(ws, TITLES[form_id])
    ws.cell(3, 1, "Samme formler som i kommunens skjema, med innrapporterte verdier fra samme rad. "
                  "Avvik-kolonnene er 1 når verdien skiller seg fra mottakskontrollens verdi (se Kontroll).")
    fields = {f.id: f for f in refs.fields[form_id]}
    calc, check = refs.formcalc_cols[form_id], refs.formcheck_cols[form_id]
    header(ws, HEADER_ID_ROW, FORMCALC_LEAD)
    header(ws, HEADER_LABEL_ROW, ["Kommunenummer", "Kommune"])
    for fid, letter in calc.items():
        header(ws, HEADER_ID_ROW, [fid], ws[f"{letter}1"].column)
        header(ws, HEADER_LABEL_ROW, [f"{fields[fid].question} {fields[fid].label}".strip()], ws[f"{letter}1"].column)
    for fid, letter in check.items():
        header(ws, HEADER_ID_ROW, [f"avvik_{fid}"], ws[f"{letter}1"].column)
        header(ws, HEADER_LABEL_ROW, [f"Avvik (1/0) fra mottakskontrollen: {fid}"], ws[f"{letter}1"].column)
    inputs = quote(SHEET_INPUT[form_id])
    for row in range(refs.first_row, refs.last_row + 1):
        ws.cell(row, 1, f"={inputs}!{refs.input_cols[form_id]['kommunenummer']}{row}")
        ws.cell(row, 2, f"={inputs}!{refs.input_cols[form_id]['kommune']}{row}")
        def ref(name: str, r: int = row) -> str:
            return refs.field_ref(form_id, name, r, True)

        for fid, letter in calc.items():
            text = to_excel(fields[fid].calculate or "", ref)
            cell = ws[f"{letter}{row}"]
            cell.value = "=" + text
            if fields[fid].type == "belop":
                cell.number_format = FMT_KR
        for fid, letter in check.items():
            mine = f"{calc[fid]}{row}"
            theirs = f"{inputs}!{refs.input_cols[form_id][fid]}{row}"
            ws[f"{letter}{row}"] = f"=IF(ABS(N({mine})-N({theirs}))>toleranse_andel,1,0)"
    ws.freeze_panes = ws.cell(refs.first_row, 3)
    protect(ws)
