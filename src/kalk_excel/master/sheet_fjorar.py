"""*Fjorår*: last year's values, typed in by the secretariat (or carried over from the previous
master by ``kalk-excel beregn``), for the report's year-on-year tables on *Resultat* (tabell 10,
vedlegg 6 and 10). Three input blocks, unlocked and yellow, each with a source column and a
workbook-scope name over its value cells: ``fjor_snitt_omrade`` (average per person per service
area, vedlegg 5 order, plus Sum), ``historikk_norsk`` (participants and teaching hours in the four
previous years) and ``fjor_norsk_kommune`` (participants and teaching hours last year per expected
municipality, rows in the order of the kommune list). An empty cell means "not given"."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from .layout import (
    LASTYEAR_AREA_COLUMNS,
    LASTYEAR_AREA_NAME,
    LASTYEAR_HISTORY_COLUMNS,
    LASTYEAR_HISTORY_NAME,
    LASTYEAR_HISTORY_YEARS,
    LASTYEAR_KOMMUNE_COLUMNS,
    LASTYEAR_KOMMUNE_NAME,
    lastyear_rows,
)
from .perkommune_spec import AREAS
from .refs import quote
from .style import BOLD, FMT_KR, header, print_setup, protect, status_and_title, unlock

HELP = ("Gule celler fylles ut med fjorårets tall fra fjorårets rapport (med kilde). Tomme celler betyr «ikke "
        "oppgitt»: da står endringen tom på «Resultat». Verdiene føres videre når «kalk-excel beregn» lager "
        "ny master.")


def build(ws: Worksheet, year: int, pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Write the sheet for ``year`` with one row per expected municipality; return the names."""
    status_and_title(ws, f"Fjorår – tall fra tidligere år (til sammenligning i {year})")
    ws.cell(3, 1, HELP)
    rows = lastyear_rows(len(AREAS))
    sheet = quote(ws.title)
    labels = [label for _, label, _ in AREAS] + ["Sum"]

    ws.cell(rows["area_title"], 1, f"Vedlegg 6: gjennomsnitt per person etter utgiftsområde i {year - 1}").font = BOLD
    header(ws, rows["area_first"] - 1, LASTYEAR_AREA_COLUMNS)
    for i, label in enumerate(labels):
        r = rows["area_first"] + i
        ws.cell(r, 1, label)
        _input(ws, r, 2, FMT_KR)
        _input(ws, r, 3, "@")

    ws.cell(rows["history_title"], 1, "Tabell 10: deltakere og undervisningstimer i norskopplæringen, "
                                      "tidligere år").font = BOLD
    header(ws, rows["history_first"] - 1, LASTYEAR_HISTORY_COLUMNS)
    for i in range(LASTYEAR_HISTORY_YEARS):
        r = rows["history_first"] + i
        ws.cell(r, 1, year - LASTYEAR_HISTORY_YEARS + i)
        _input(ws, r, 2, "#,##0")
        _input(ws, r, 3, "#,##0")
        _input(ws, r, 4, "@")

    ws.cell(rows["kommune_title"], 1,
            f"Vedlegg 10: deltakere og undervisningstimer per kommune i {year - 1}").font = BOLD
    header(ws, rows["kommune_first"] - 1, LASTYEAR_KOMMUNE_COLUMNS)
    for i, (nr, navn) in enumerate(pairs):
        r = rows["kommune_first"] + i
        ws.cell(r, 1, nr).number_format = "@"
        ws.cell(r, 2, navn)
        _input(ws, r, 3, "#,##0")
        _input(ws, r, 4, "#,##0")
        _input(ws, r, 5, "@")
    kommune_last = rows["kommune_first"] + max(len(pairs), 1) - 1

    for letter, width in zip("ABCDE", (44, 22, 22, 24, 60), strict=False):
        ws.column_dimensions[letter].width = width
    print_setup(ws)
    protect(ws)
    history_last = rows["history_first"] + LASTYEAR_HISTORY_YEARS - 1
    return {
        LASTYEAR_AREA_NAME: f"{sheet}!$B${rows['area_first']}:$B${rows['area_last']}",
        LASTYEAR_HISTORY_NAME: f"{sheet}!$B${rows['history_first']}:$C${history_last}",
        LASTYEAR_KOMMUNE_NAME: f"{sheet}!$C${rows['kommune_first']}:$D${kommune_last}",
    }


def _input(ws: Worksheet, row: int, column: int, fmt: str) -> None:
    cell = ws.cell(row, column)
    unlock(cell)
    cell.number_format = fmt
