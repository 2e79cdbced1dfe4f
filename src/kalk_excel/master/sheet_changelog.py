"""*Endringslogg*: every change of a parameter on *Parametre* between runs (time, id, old and new
value, old and new source), appended by ``beregn`` and the add-in, carried into every new master.
Locked: it is the record an auditor reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from .layout import CHANGELOG_COLUMNS, CHANGELOG_FIRST_ROW, CHANGELOG_HEADER_ROW
from .style import header, print_setup, protect, status_and_title

DATE_FORMAT = "yyyy-mm-dd hh:mm"


def build(ws: Worksheet, rows: Sequence[Sequence[Any]] = ()) -> None:
    status_and_title(ws, "Endringslogg – endringer i parametrene mellom kjøringene")
    ws.cell(3, 1, "Fylles av beregningen: hver gang en verdi eller kilde på «Parametre» er endret siden forrige "
                  "kjøring, eller standardverdien i parametre.yaml er endret, føres én rad her. "
                  "Arket endres ikke for hånd.")
    header(ws, CHANGELOG_HEADER_ROW, CHANGELOG_COLUMNS)
    for i, values in enumerate(rows):
        write_row(ws, CHANGELOG_FIRST_ROW + i, values)
    for letter, width in zip("ABCDEFGH", (17, 30, 44, 16, 16, 36, 36, 50), strict=False):
        ws.column_dimensions[letter].width = width
    print_setup(ws)          # printed: landscape, all columns on one page width
    protect(ws)


def write_row(ws: Worksheet, row: int, values: Sequence[Any]) -> None:
    for j, v in enumerate(values):
        c = ws.cell(row, j + 1, v)
        if j == 0:
            c.number_format = DATE_FORMAT
