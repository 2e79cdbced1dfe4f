"""*Kommuner*: the year's kommune list as the master keeps it (kommunenummer, navn, skjema, IMDi
målgruppe, kontaktperson, e-post). Given once to ``kalk-excel master --kommuner``; ``beregn`` and
the add-in use this list (a row added here is taken into the next run). Input cells, validated
on read by the same rules as the CSV file (``kalk_excel.kommuner.parse_kommuner``)."""

from __future__ import annotations

from typing import Any, Iterable

from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..definition.model import Kommune
from .layout import KOMMUNE_LIST_COLUMNS, KOMMUNE_LIST_FIRST_ROW, KOMMUNE_LIST_SPARE_ROWS
from .style import header, print_setup, protect, status_and_title, unlock


def rows(kommuner: Iterable[Kommune]) -> list[list[Any]]:
    """One row per municipality in the column order of ``KOMMUNE_LIST_COLUMNS``."""
    return [[k.kommunenummer, k.navn, ";".join(k.skjema), k.imdi_malgruppe, k.kontaktperson, k.epost]
            for k in kommuner]


def build(ws: Worksheet, kommuner: Iterable[Kommune]) -> None:
    status_and_title(ws, "Kommuner – årets utvalgskommuner")
    ws.cell(3, 1, "Listen beregningen bruker (gitt til «kalk-excel master --kommuner»). Gule celler kan endres: "
                  "en kommune som legges til her, tas med ved neste beregning. Skjema: adm, norsk eller adm;norsk.")
    header(ws, KOMMUNE_LIST_FIRST_ROW - 1, [label for _, label in KOMMUNE_LIST_COLUMNS])
    data = rows(kommuner)
    nr_rule = DataValidation(type="textLength", operator="equal", formula1="4", allow_blank=True,
                             showErrorMessage=True, errorTitle="Ugyldig kommunenummer",
                             error="Skriv kommunenummeret med fire sifre, f.eks. 0301. Korreksjon: rett nummeret.")
    ws.add_data_validation(nr_rule)
    for i in range(len(data) + KOMMUNE_LIST_SPARE_ROWS):
        row = KOMMUNE_LIST_FIRST_ROW + i
        values = data[i] if i < len(data) else [None] * len(KOMMUNE_LIST_COLUMNS)
        for j, value in enumerate(values, start=1):
            c = ws.cell(row, j, value)
            unlock(c)
            if j == 1:
                c.number_format = "@"
                nr_rule.add(c)
    for letter, width in zip("ABCDEF", (16, 24, 18, 16, 28, 34), strict=False):
        ws.column_dimensions[letter].width = width
    print_setup(ws)
    protect(ws)
