"""*Historikk*: earlier years' published results (tabell 1 and 2 per year, cost per teaching hour,
tabell 6), the survey year's own results and the prognosis years, one row per year: the data of
figures 19 and 21 (on *Prognose*) and figure 7 (here).

Rows before the survey year are inputs (yellow, with a source), filled from the year's
``historikk.csv`` (``workbook_templates/<år>/historikk.csv``, or the user's definitions folder);
an empty cell means the report does not print it. The survey year's row refers to the named
results on *Beregning*; the prognosis rows to *Prognose* (prognose 1 for the components, all three
for the expense per person). ``kalk-excel nytt-aar`` writes next year's ``historikk.csv``: these
rows as the master holds them, with this year's results appended (``read_history``,
``results_row``).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..model.prognosis import SCENARIOS, YEARS
from .inputs import MasterInputError
from .layout import SHEET_HISTORY
from .sheet_prognose import name as prognose_name
from .style import BOLD, FMT_KR, FMT_RATIO, header, print_setup, protect, status_and_title, unlock

HISTORY_FILE = "historikk.csv"
FIRST_YEAR = 2010                 # figures 19, 21 and 7 start in 2010
HEADER_ROW = 5
FIRST_ROW = 6
# (key in historikk.csv, heading, number format, named result of the survey year)
COLUMNS = [
    ("adm", "Utgifter til integreringstiltak og administrasjon (fem år)", FMT_KR, "adm_utgift_fem_aar"),
    ("intro", "Utbetalt introduksjonsstønad", FMT_KR, "introstonad_fem_aar"),
    ("sosialhjelp", "Utbetalt sosialhjelp", FMT_KR, "sosialhjelp_fem_aar"),
    ("vente", "Utbetalt ventestønad inkl. etablering", FMT_KR, "ventestonad_per_person"),
    ("helse", "Utgifter til helsetjenester", FMT_KR, "helse_per_person"),
    ("utgift", "Gjennomsnittlig utgift per person (fem år)", FMT_KR, "utgift_per_person_fem_aar"),
    ("tilskudd", "Beregnet tilskudd per person (fem år)", FMT_KR, "tilskudd_per_person_fem_aar"),
    ("dekningsgrad", "Dekningsgrad integreringstilskudd", FMT_RATIO, "dekningsgrad_integreringstilskudd"),
    ("utgift_per_time", "Norsk: utgift per undervisningstime", FMT_KR, "utgift_per_undervisningstime"),
]
KEYS = [key for key, _, _, _ in COLUMNS]
SOURCE_COL = len(COLUMNS) + 2                  # K
PROGNOSIS_COLS = {s: SOURCE_COL + s for s in range(1, SCENARIOS + 1)}     # L, M, N: utgift per scenario
HELP = ("Tidligere års publiserte resultater (gule celler, med kilde), årets resultater og prognosene – grunnlaget "
        "for figur 19, 21 (arket «Prognose») og figur 7 (her). Tom celle = ikke trykt i rapportene. Tallene kommer "
        "fra historikk.csv for året; «kalk-excel nytt-aar» fører årets resultater inn i neste års fil.")


def column_of(key: str) -> int:
    """Column index of ``key`` (a COLUMNS key, or p1..p3 for the prognosis series)."""
    if key.startswith("p") and key[1:].isdigit():
        return PROGNOSIS_COLS[int(key[1:])]
    return KEYS.index(key) + 2


def load_history(year: int, definitions: Path | None = None) -> dict[int, dict[str, Any]]:
    """Year -> values (and ``kilde``) from the year's historikk.csv, years before ``year`` only;
    empty when the year has no file."""
    from ..paths import definition_file
    path = definition_file(year, HISTORY_FILE, definitions)
    if not path.is_file():
        return {}
    return parse_history(path, year)


def parse_history(path: Path, year: int) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for line, rec in enumerate(csv.DictReader(fh), start=2):
            try:
                y = int(str(rec.get("aar", "")).strip())
                values: dict[str, Any] = {k: _number(rec.get(k)) for k in KEYS}
            except ValueError:
                raise MasterInputError(f"{path.name}, linje {line}: år og tall må være tall (punktum som "
                                       "desimaltegn, tom celle for «ikke trykt»). Korreksjon: rett linjen.") from None
            if y < year:
                values["kilde"] = (rec.get("kilde") or "").strip()
                out[y] = values
    return out


def _number(raw: Any) -> float | None:
    text = str(raw or "").strip()
    return float(text) if text else None


def build(ws: Worksheet, year: int, history: Mapping[int, Mapping[str, Any]]) -> tuple[dict[str, str], int, int]:
    """Write the sheet; return (names, first row, last row of the year table)."""
    status_and_title(ws, "Historikk – publiserte resultater tidligere år, årets resultater og prognosene")
    ws.cell(3, 1, HELP)
    header(ws, HEADER_ROW, ["År", *(h for _, h, _, _ in COLUMNS), "Kilde",
                            *(f"Prognose {s}: utgift per person" for s in range(1, SCENARIOS + 1))])
    number = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            showErrorMessage=True, errorTitle="Ugyldig verdi",
                            error="Skriv et tall som er 0 eller større, eller la cellen stå tom (ikke trykt). "
                                  "Korreksjon: rett verdien, og skriv kilden i kolonnen Kilde.")
    ws.add_data_validation(number)
    ws.row_dimensions[HEADER_ROW].height = 45
    first_year = min([FIRST_YEAR, *history])
    row = FIRST_ROW
    for y in range(first_year, year):
        values = history.get(y, {})
        ws.cell(row, 1, y)
        for key, _, fmt, _ in COLUMNS:
            cell = ws.cell(row, column_of(key), values.get(key))
            cell.number_format = fmt
            unlock(cell)
            number.add(cell)
        unlock(ws.cell(row, SOURCE_COL, values.get("kilde") or None))
        row += 1
    survey = row
    ws.cell(survey, 1, year)
    for key, _, fmt, result in COLUMNS:
        ws.cell(survey, column_of(key), f"={result}").number_format = fmt
    ws.cell(survey, SOURCE_COL, "kartleggingsåret (arket «Beregning»)")
    for col in PROGNOSIS_COLS.values():     # the prognosis lines start from this year's result
        ws.cell(survey, col, f"={column_letter('utgift')}{survey}").number_format = FMT_KR
    for k in range(1, YEARS + 1):
        r = survey + k
        ws.cell(r, 1, year + k)
        for key in ("adm", "intro", "vente", "helse"):
            ws.cell(r, column_of(key), f"={prognose_name(key, k)}").number_format = FMT_KR
        ws.cell(r, column_of("sosialhjelp"), f"={prognose_name('sosialhjelp', k, 1)}").number_format = FMT_KR
        ws.cell(r, SOURCE_COL, "prognose 1 (arket «Prognose»)")
        for s, col in PROGNOSIS_COLS.items():
            ws.cell(r, col, f"={prognose_name('utgift', k, s)}").number_format = FMT_KR
    last = survey + YEARS
    fig7 = LineChart()
    fig7.title = "Figur 7. Gjennomsnittlig utgift per undervisningstime (kr)"
    col = column_of("utgift_per_time")
    fig7.add_data(Reference(ws, min_col=col, min_row=HEADER_ROW, max_row=survey), titles_from_data=True)
    fig7.set_categories(Reference(ws, min_col=1, min_row=FIRST_ROW, max_row=survey))
    for series in fig7.series:
        series.smooth = False
        series.marker.symbol = "circle"
    fig7.height, fig7.width = 10, 20
    fig7.x_axis.delete = False
    fig7.y_axis.delete = False
    fig7.y_axis.numFmt = FMT_KR
    ws.add_chart(fig7, f"B{last + 3}")
    ws.cell(last + 2, 1, "Figur 7").font = BOLD
    ws.column_dimensions["A"].width = 10
    for i in range(2, PROGNOSIS_COLS[SCENARIOS] + 1):
        ws.column_dimensions[_letter(i)].width = 18
    ws.column_dimensions[_letter(SOURCE_COL)].width = 50
    print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    protect(ws)
    return {"historikk_tabell": f"'{SHEET_HISTORY}'!$A${FIRST_ROW}:${_letter(SOURCE_COL)}${survey - 1}"}, FIRST_ROW, last


def column_letter(key: str) -> str:
    return _letter(column_of(key))


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(index)


def read_history(master: Path, before: int) -> dict[int, dict[str, Any]]:
    """The input rows (years before ``before``, the master's survey year) of a saved master's
    *Historikk*, the secretariat's edits included; empty when the master has no such sheet."""
    wb = load_workbook(master, read_only=True, data_only=True)
    try:
        if SHEET_HISTORY not in wb.sheetnames:
            return {}
        out: dict[int, dict[str, Any]] = {}
        for values in wb[SHEET_HISTORY].iter_rows(min_row=FIRST_ROW, max_col=SOURCE_COL, values_only=True):
            y = values[0]
            if not isinstance(y, int) or y >= before:
                continue
            rec: dict[str, Any] = {k: _finite(values[column_of(k) - 1]) for k in KEYS}
            rec["kilde"] = values[SOURCE_COL - 1] or ""
            out[y] = rec
        return out
    finally:
        wb.close()


def next_year_history(master: Path, year: int, results: Mapping[str, float] | None,
                      source: str) -> dict[int, dict[str, Any]]:
    """Next year's history: ``master``'s rows before ``year`` (its survey year; the year's
    historikk.csv when the master has no *Historikk*) and ``year``'s results appended."""
    history = read_history(master, year) or load_history(year)
    if results is not None:
        history[year] = results_row(results, source)
    return history


def _finite(v: Any) -> float | None:
    ok = isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
    return float(v) if ok else None


def results_row(results: Mapping[str, float], source: str) -> dict[str, Any]:
    """One year's row from the model's named results (``ModelResult.results``)."""
    rec: dict[str, Any] = {key: _finite(results.get(result)) for key, _, _, result in COLUMNS}
    rec["kilde"] = source
    return rec


def write_history(path: Path, history: Mapping[int, Mapping[str, Any]]) -> None:
    """Write ``historikk.csv`` (years in order; empty cell = not given)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["aar", *KEYS, "kilde"])
        for y in sorted(history):
            rec = history[y]
            writer.writerow([y, *(_csv_number(rec.get(k)) for k in KEYS), rec.get("kilde") or ""])


def _csv_number(v: Any) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else repr(float(v))
