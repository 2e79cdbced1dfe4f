"""*Registerdata*: figures per sample municipality that come from registers, not from the survey
(docs/beregning.md, "Register data"): kvalifiseringsstønad paid to the target group (SSB), the
non-client expenses on funksjon 281 as reported to KOSTRA, and IMDi's count for the target group.

One row per municipality on the same rows as the Innrapportert sheets and *Beregning per kommune*
(municipality i on row ``FIRST_DATA_ROW + i``), so the KVP column there refers to the same row.
The two register amounts and the source are input cells (typed in the master, or imported with
``kalk-excel beregn --registerdata FIL.csv``; ``pipeline.registerdata``); ``beregn`` carries them
into the next master by kommunenummer. IMDi's count has one home, the kommune list (*Kommuner*):
it is shown here, locked, as the list had it when the master was built.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..definition.model import Kommune
from ..model.per_kommune import REGISTER_FIELDS
from .layout import FIRST_DATA_ROW, HEADER_ID_ROW, HEADER_LABEL_ROW, SHEET_REGISTER, col
from .refs import quote
from .style import FMT_KR, header, protect, status_and_title, unlock

REGISTER_NAME = "registerdata"            # the input cells (amounts and source), all rows
SOURCE_KEY = "kilde"
IMDI_KEY = "imdi_malgruppe"
# (key, header) in column order; keys of REGISTER_FIELDS are the amounts the model reads.
COLUMNS: list[tuple[str, str]] = [
    ("kommunenummer", "Kommunenummer"),
    ("kommune", "Kommune"),
    *REGISTER_FIELDS.items(),
    (SOURCE_KEY, "Kilde (fil eller register, dato)"),
    (IMDI_KEY, "IMDis tall for målgruppen (fra arket Kommuner)"),
]
KEYS = [k for k, _ in COLUMNS]
INPUT_KEYS = [*REGISTER_FIELDS, SOURCE_KEY]
INTRO = ("Tall fra registre per utvalgskommune (SSB, KOSTRA, IMDi). Gule celler er inndata: skriv beløpene "
         "og kilden her, eller hent dem fra en CSV-fil med «kalk-excel beregn --registerdata FIL.csv». "
         "Utbetalt kvalifiseringsstønad legges til kvalifiseringsprogrammet før fradraget per deltaker "
         "(kapittel 13). Tallene føres videre til neste beregning. IMDis tall endres på arket «Kommuner».")


def column(key: str) -> str:
    """The column letter of ``key`` on the sheet."""
    return col(KEYS.index(key) + 1)


def cell_ref(key: str, row: int) -> str:
    """A same-row reference from another sheet, e.g. ``'Registerdata'!C6``."""
    return f"{quote(SHEET_REGISTER)}!{column(key)}{row}"


def input_range(n_rows: int) -> str:
    """The input cells (amounts and source) of all municipality rows, e.g. ``$C$6:$E$29``."""
    last = FIRST_DATA_ROW + max(n_rows, 1) - 1
    return f"${column(INPUT_KEYS[0])}${FIRST_DATA_ROW}:${column(INPUT_KEYS[-1])}${last}"


def build(ws: Worksheet, kommuner: list[tuple[str, str]], records: Iterable[Kommune] = (),
          values: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, str]:
    """Write the sheet for ``kommuner`` (kommunenummer, navn) in master order; ``records``: the
    kommune list (for IMDi's count); ``values``: kommunenummer -> {key: value} to fill in. Returns
    the workbook names (``registerdata`` over the input cells, ``reg_<key>`` per amount column)."""
    status_and_title(ws, "Registerdata – tall fra SSB, KOSTRA og IMDi per kommune")
    ws.cell(3, 1, INTRO)
    header(ws, HEADER_ID_ROW, KEYS)
    header(ws, HEADER_LABEL_ROW, [label for _, label in COLUMNS])
    imdi = {k.kommunenummer: k.imdi_malgruppe for k in records}
    values = values or {}
    amount = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="Ugyldig beløp",
                            error="Skriv beløpet i hele kroner (0 eller mer). Korreksjon: rett beløpet eller "
                                  "tøm cellen.")
    ws.add_data_validation(amount)
    for i, (nr, navn) in enumerate(kommuner):
        row = FIRST_DATA_ROW + i
        ws.cell(row, 1, nr).number_format = "@"
        ws.cell(row, 2, navn)
        given = values.get(nr, {})
        for key in INPUT_KEYS:
            c = ws.cell(row, KEYS.index(key) + 1, given.get(key))
            unlock(c)
            if key in REGISTER_FIELDS:
                c.number_format = FMT_KR
                amount.add(c)
        ws.cell(row, KEYS.index(IMDI_KEY) + 1, imdi.get(nr)).number_format = "#,##0"
    for letter, width in zip("ABCDEF", (14, 20, 22, 22, 44, 20), strict=False):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 3)
    protect(ws)
    sheet = quote(ws.title)
    last = FIRST_DATA_ROW + max(len(kommuner), 1) - 1
    names = {REGISTER_NAME: f"{sheet}!{input_range(len(kommuner))}"}
    for key in REGISTER_FIELDS:
        c = column(key)
        names[f"reg_{key}"] = f"{sheet}!${c}${FIRST_DATA_ROW}:${c}${last}"
    return names
