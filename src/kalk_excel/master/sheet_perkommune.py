"""*Beregning per kommune*: one row per municipality, one formula per column copied down; plain
same-row references to the Innrapportert sheets and parameter names (docs/beregning.md)."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from .layout import HEADER_ID_ROW, HEADER_LABEL_ROW
from .perkommune_spec import COLUMNS
from .refs import Refs
from .style import BOLD, FMT_COUNT, FMT_KR, PRINT_SCALE, header, print_setup, protect, status_and_title

FORMATS = {"kr": FMT_KR, "count": FMT_COUNT, "flag": "0", "text": "@"}
GROUPS = {"adm": "Administrasjonsskjema", "norsk": "Norskopplæring"}


def build(ws: Worksheet, refs: Refs) -> None:
    status_and_title(ws, "Beregning per kommune – én formel per kolonne, kopiert nedover")
    last_group = None
    for j, c in enumerate(COLUMNS, start=1):
        if c.block != last_group:
            ws.cell(3, j, GROUPS[c.block]).font = BOLD
            last_group = c.block
    header(ws, HEADER_ID_ROW, [c.key for c in COLUMNS])
    header(ws, HEADER_LABEL_ROW, [c.label for c in COLUMNS])
    for row in range(refs.first_row, refs.last_row + 1):
        for j, c in enumerate(COLUMNS, start=1):
            cell = ws.cell(row, j, "=" + refs.expand(c.template, row))
            if c.fmt in FORMATS and c.fmt != "text":
                cell.number_format = FORMATS[c.fmt]
    for j in range(1, len(COLUMNS) + 1):
        ws.column_dimensions[ws.cell(1, j).column_letter].width = 15
    ws.column_dimensions["A"].width = 30
    ws.row_dimensions[HEADER_ID_ROW].height = 30
    ws.row_dimensions[HEADER_LABEL_ROW].height = 60
    ws.freeze_panes = ws.cell(refs.first_row, 3)
    # printed: landscape, the header rows and the municipality columns on every page
    print_setup(ws, fit_width=False, title_rows=f"{HEADER_ID_ROW}:{HEADER_LABEL_ROW}", title_cols="A:B",
                scale=PRINT_SCALE)
    protect(ws)
