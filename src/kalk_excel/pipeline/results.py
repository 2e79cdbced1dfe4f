"""Read the results back from a recalculated master and set them beside the model and the report.

``read_results`` resolves each result name (docs/beregning.md) as a workbook-scope defined name
to its cell and reads the cached value of a LibreOffice-recalculated copy (openpyxl
``data_only``, read-only), in one load that also finds error values on the calculation sheets.
``compare`` applies the model check (1 kr, or 0.0001 for ratios). ``report_values`` gives the
report's published values (``shared/referansedata/<year>``, or the copy shipped for 2024).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ..master.layout import MODEL_CHECK, RESULT_NAMES, SHEET_CALC, SHEET_CHECKS, SHEET_PER_KOMMUNE, SHEET_RESULTS
from ..master.params import REPORT_TOLERANCE_KR, TOLERANCE
from ..master.readback import is_error
from ..paths import demo_data_dir, reference_dir

TOL_KR, TOL_ANDEL = TOLERANCE["toleranse_kr"], TOLERANCE["toleranse_andel"]   # the master's own names
REPORT_TOL_KR = REPORT_TOLERANCE_KR
KIND = {name: kind for name, _, kind in MODEL_CHECK}
LABEL = {name: label for name, label, _ in MODEL_CHECK}
CALC_SHEETS = (SHEET_PER_KOMMUNE, SHEET_CALC, SHEET_RESULTS, SHEET_CHECKS)


@dataclass
class ReadBack:
    values: dict[str, Any]                   # result name -> cached value (None when the name is missing)
    master_status: Any
    errors: list[tuple[str, str, str]]       # (sheet, cell, error value) on the calculation sheets


@dataclass
class Comparison:
    name: str
    label: str
    excel: float | None
    modell: float | None
    ok: bool
    rapport: float | None = None             # as printed: kroner, or percent for ratios
    ok_rapport: bool | None = None
    kilde: str = ""


def is_ratio(name: str) -> bool:
    return KIND.get(name) == "andel" or name.startswith("dekningsgrad")


def read_results(path: str | Path, names: Iterable[str] = RESULT_NAMES) -> ReadBack:
    """Result values by defined name, the master status and error cells of a recalculated master."""
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        values = {name: _named(wb, name) for name in names}
        status = _named(wb, "master_status")
        errors = [(ws.title, f"{get_column_letter(j)}{i}", v) for ws in wb.worksheets if ws.title in CALC_SHEETS
                  for i, row in enumerate(ws.iter_rows(values_only=True), start=1)
                  for j, v in enumerate(row, start=1) if is_error(v)]
    finally:
        wb.close()
    return ReadBack(values, status, errors)


def _named(wb: Any, name: str) -> Any:
    dn = wb.defined_names.get(name)
    if dn is None:
        return None
    dests = list(dn.destinations)
    if len(dests) != 1:
        return None
    sheet, ref = dests[0]
    if sheet not in wb.sheetnames or ":" in ref:
        return None
    return wb[sheet][ref.replace("$", "")].value


def number(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v) if math.isfinite(v) else None


def compare(excel: dict[str, Any], modell: dict[str, Any], rapport: dict[str, dict[str, Any]] | None = None,
            names: Iterable[str] = RESULT_NAMES) -> list[Comparison]:
    """One row per result: Excel vs model within 1 kr / 0.0001, and vs the report at its precision."""
    out = []
    for name in names:
        e, m = number(excel.get(name)), number(modell.get(name))
        tol = TOL_ANDEL if is_ratio(name) else TOL_KR
        ok = e is not None and m is not None and abs(e - m) <= tol
        row = Comparison(name, LABEL.get(name, name), e, m, ok)
        rec = (rapport or {}).get(name)
        if rec is not None:
            row.rapport, row.kilde = rec["verdi"], rec["kilde"]
            if e is not None:
                row.ok_rapport = (round(e * 100, 1) == rec["verdi"]) if is_ratio(name) \
                    else abs(e - rec["verdi"]) <= REPORT_TOL_KR
        out.append(row)
    return out


def report_values(year: int) -> dict[str, dict[str, Any]]:
    """name -> {verdi, enhet, kilde} from ``shared/referansedata/<year>``. Which table row holds
    which result is read from the shipped map (demo/data/rapport_2024.csv), which also carries the
    2024 report's printed values: they are used for 2024 when the shared tables are absent."""
    report_map = demo_data_dir() / "rapport_2024.csv"
    if not report_map.exists():
        return {}
    folder = reference_dir(year)
    with report_map.open(encoding="utf-8") as fh:
        wanted = list(csv.DictReader(fh))
    tables = folder / "tabell1_til_5_resultater.csv" if folder else Path("tabell1_til_5_resultater.csv")
    published: dict[tuple[str, str], dict[str, str]] = {}
    if folder is not None and tables.exists():
        with tables.open(encoding="utf-8") as fh:
            published = {(r["tabell"], r["storrelse"]): r for r in csv.DictReader(fh)}
    out: dict[str, dict[str, Any]] = {}
    for rec in wanted:
        src = published.get((rec["tabell"], rec["storrelse"]))
        value = (src or {}).get(f"verdi_{year}")
        if src is not None and value:
            out[rec["navn"]] = {"verdi": float(value), "enhet": src["enhet"],
                                "kilde": f"{tables.name}: tabell {rec['tabell']}, {rec['storrelse']}"}
        elif year == 2024 and rec.get("verdi"):   # printed in the 2024 report (shipped copy)
            out[rec["navn"]] = {"verdi": float(rec["verdi"]), "enhet": rec["enhet"], "kilde": rec["kilde"]}
    return out
