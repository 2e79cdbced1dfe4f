"""*Korreksjoner*: the secretariat's corrections of submitted values (after a visit, or after the
KOSTRA publication in mid-March), one per row with its reason, source, date and who registered it.
Input cells A:H (yellow) under the workbook-scope name ``korreksjoner``; columns I:J are written by
the pull (the submitted value, and whether the row is used or why not). ``beregn`` and the add-in
apply the rows on top of the pulled values (``pipeline.corrections``), and ``beregn`` carries the
table over into the new master like *Parametre*."""

from __future__ import annotations

from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .layout import (
    CORRECTION_COLUMNS,
    CORRECTION_FIRST_ROW,
    CORRECTION_HEADER_ROW,
    CORRECTION_NAME,
    CORRECTION_PULLED_COLUMNS,
    CORRECTION_ROWS,
    col,
    correction_range,
)
from .refs import quote
from .style import WRAP, header, print_setup, protect, status_and_title, unlock

HELP = ("Rett et innsendt tall etter avtale med kommunen: én rad per felt med kommunenummer, skjema, felt-id "
        "(se rad 4 på «Innrapportert adm/norsk»), ny verdi, begrunnelse, kilde, dato og hvem som registrerte "
        "den. Beregningen bruker den nye verdien og regner skjemaets beregnede felt og kontroller på nytt; "
        "«Sporbarhet» viser innrapportert og korrigert verdi med begrunnelse. En rad som ikke kan brukes "
        "(ukjent kommune eller felt, feil type, beregnet felt, ingen begrunnelse) meldes og brukes ikke. "
        "Tabellen føres videre når «kalk-excel beregn» lager ny master.")
WIDTHS = (14, 12, 28, 14, 44, 34, 12, 16, 18, 44)


def build(ws: Worksheet) -> dict[str, str]:
    """Write the sheet; return the workbook-scope name of the input rows."""
    status_and_title(ws, "Korreksjoner – sekretariatets rettelser av innsendte tall")
    ws.cell(3, 1, HELP).alignment = WRAP
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(WIDTHS))
    ws.row_dimensions[3].height = 60
    header(ws, CORRECTION_HEADER_ROW, [h for _, h in CORRECTION_COLUMNS] + CORRECTION_PULLED_COLUMNS)
    ws.row_dimensions[CORRECTION_HEADER_ROW].height = 30
    last = CORRECTION_FIRST_ROW + CORRECTION_ROWS - 1
    for r in range(CORRECTION_FIRST_ROW, last + 1):
        for c in range(1, len(CORRECTION_COLUMNS) + 1):
            cell = ws.cell(r, c)
            unlock(cell)
            if c in (1, 2, 3, 5, 6, 8):
                cell.number_format = "@"
            elif c == 7:
                cell.number_format = "dd.mm.yyyy"
    forms = DataValidation(type="list", formula1='"adm,norsk"', allow_blank=True,
                           error="Skriv adm eller norsk.", errorTitle="Skjema", showErrorMessage=True)
    forms.add(f"B{CORRECTION_FIRST_ROW}:B{last}")
    ws.add_data_validation(forms)
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[col(i)].width = width
    ws.freeze_panes = f"A{CORRECTION_FIRST_ROW}"
    print_setup(ws)
    protect(ws)
    a, b = correction_range().split(":")
    return {CORRECTION_NAME: f"{quote(ws.title)}!${a[0]}${a[1:]}:${b[0]}${b[1:]}"}
