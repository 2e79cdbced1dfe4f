"""*Innrapportert adm* / *Innrapportert norsk*: one row per expected municipality, one column per
field id of the form; values only (the pull writes them), status and flag columns first."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from .layout import FIRST_DATA_ROW, HEADER_ID_ROW, HEADER_LABEL_ROW, STATUS_COLUMNS, STATUS_KEYS, col
from .refs import Refs
from .style import FMT_KR, bulk_sheet, header, protect, status_and_title, unlock

TITLES = {"adm": "Innrapportert – administrasjonsskjema (verdier hentet fra innleveringene)",
          "norsk": "Innrapportert – norskopplæring (verdier hentet fra innleveringene)"}


NOT_RECEIVED = "ikke mottatt"
NOT_EXPECTED = "ikke forventet"


def empty_row(kommunenummer: str, navn: str, n_fields: int, expected: bool = True) -> list:
    """The row of a municipality nothing has been received from (also used by the pull)."""
    return [kommunenummer, navn, None, NOT_RECEIVED if expected else NOT_EXPECTED, 0, None, None] + [None] * n_fields


def build(ws: Worksheet, form_id: str, kommuner: list[tuple[str, str]], refs: Refs,
          expected: dict[str, tuple[str, ...]] | None = None) -> None:
    status_and_title(ws, TITLES[form_id])
    ws.cell(3, 1, "Radene fylles av hentingen («kalk-excel beregn» eller knappen «Beregn dekningsgrad» i Excel). "
                  "Rad 4 er felt-id (= navnet i innleveringen), rad 5 spørsmål og tekst. Ingen formler her. "
                  "Bruk filteret i rad 5 for å finne en kommune eller et felt.")
    fields = refs.fields[form_id]
    header(ws, HEADER_ID_ROW, STATUS_KEYS + [f.id for f in fields])
    header(ws, HEADER_LABEL_ROW, [label for _, label in STATUS_COLUMNS]
           + [(f"{f.question} " if f.question else "") + f.label + (" (beregnet)" if f.computed else "")
              for f in fields])
    for i, (nr, navn) in enumerate(kommuner):
        wanted = expected is None or form_id in expected.get(nr, (form_id,))
        for j, v in enumerate(empty_row(nr, navn, len(fields), wanted)):
            if v is not None:
                ws.cell(FIRST_DATA_ROW + i, j + 1, v)
    inkl = STATUS_KEYS.index("inkludert") + 1
    for i in range(len(kommuner)):
        unlock(ws.cell(FIRST_DATA_ROW + i, inkl))   # the secretariat may exclude a municipality
    for j, f in enumerate(fields):
        letter = col(len(STATUS_KEYS) + j + 1)
        ws.column_dimensions[letter].width = 16
        if f.type == "belop":
            for i in range(len(kommuner)):
                ws.cell(FIRST_DATA_ROW + i, len(STATUS_KEYS) + j + 1).number_format = FMT_KR
    for letter, width in zip("ABCDEFG", (14, 18, 18, 16, 12, 30, 20), strict=False):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 3)
    protect(ws)
    last = col(len(STATUS_KEYS) + len(fields))
    bulk_sheet(ws, f"A{HEADER_LABEL_ROW}:{last}{FIRST_DATA_ROW + max(len(kommuner), 1) - 1}")
