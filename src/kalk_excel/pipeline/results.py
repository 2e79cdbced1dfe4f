"""Read the results back from a recalculated master and set them beside the model and the report.

``read_results`` resolves each result name (docs/beregning.md) as a workbook-scope defined name
to its cell and reads the cached value of a LibreOffice-recalculated copy (openpyxl
``data_only``, read-only), in one load that also finds error values on the calculation sheets.
``compare`` applies the model check (1 kr, or 0.0001 for ratios; a result that cannot be computed,
blank in Excel and None/NaN in the model, agrees with itself). ``report_values`` gives the
report's published values (``shared/referansedata/<year>``, or the copy shipped for 2024).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from ..master.layout import (
    FIRST_DATA_ROW,
    HEADER_ID_ROW,
    MODEL_CHECK,
    RESULT_NAMES,
    SHEET_CALC,
    SHEET_CHECKS,
    SHEET_PER_KOMMUNE,
    SHEET_RESULTS,
)
from ..master.params import REPORT_TOLERANCE_KR, TOLERANCE
from ..master.perkommune_spec import AREA_KEYS, COLUMNS
from ..master.readback import is_error
from ..master.sheet_results import PER_KOMMUNE, PER_KOMMUNE_NAMES, VEDLEGG5_NAME
from ..model import ModelResult
from ..model.aggregates import per_person
from ..paths import demo_data_dir, reference_dir

TOL_KR, TOL_ANDEL = TOLERANCE["toleranse_kr"], TOLERANCE["toleranse_andel"]   # the master's own names
REPORT_TOL_KR = REPORT_TOLERANCE_KR
KIND = {name: kind for name, _, kind in MODEL_CHECK}
LABEL = {name: label for name, label, _ in MODEL_CHECK}
CALC_SHEETS = (SHEET_PER_KOMMUNE, SHEET_CALC, SHEET_RESULTS, SHEET_CHECKS)
CELL_SHEETS = (SHEET_PER_KOMMUNE, SHEET_CALC, SHEET_RESULTS)          # kept for the cell comparison
TABLE_NAMES = ("omrade_tabell", VEDLEGG5_NAME, *PER_KOMMUNE_NAMES)


@dataclass
class ReadBack:
    values: dict[str, Any]                   # result name -> cached value (None when the name is missing)
    master_status: Any
    errors: list[tuple[str, str, str]]       # (sheet, cell, error value) on the calculation sheets
    grids: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)   # cached values of CELL_SHEETS
    tables: dict[str, tuple[str, int, int, int, int]] = field(default_factory=dict)  # name -> sheet, rows, cols

    def cell(self, sheet: str, row: int, column: int) -> Any:
        """Cached value at 1-based ``row``/``column`` of a sheet in ``grids`` (None outside it)."""
        grid = self.grids.get(sheet, [])
        if row > len(grid) or column > len(grid[row - 1]):
            return None
        return grid[row - 1][column - 1]


@dataclass
class CellDiff:
    """One value the master shows that disagrees with the model (or cannot be compared)."""
    sheet: str
    cell: str
    what: str                                # Norwegian: the column and the municipality or area
    excel: Any
    modell: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"ark": self.sheet, "celle": self.cell, "hva": self.what, "excel": self.excel, "modell": self.modell}


@dataclass
class CellCheck:
    """Every per-municipality value and median the master shows, against the model."""
    compared: int = 0
    diffs: list[CellDiff] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.compared > 0 and not self.diffs


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
        tables = {name: t for name in TABLE_NAMES if (t := _named_range(wb, name)) is not None}
        grids: dict[str, list[tuple[Any, ...]]] = {}
        errors = []
        for ws in wb.worksheets:
            if ws.title not in CALC_SHEETS:
                continue
            rows = list(ws.iter_rows(values_only=True))
            errors += [(ws.title, f"{get_column_letter(j)}{i}", v) for i, row in enumerate(rows, start=1)
                       for j, v in enumerate(row, start=1) if is_error(v)]
            if ws.title in CELL_SHEETS:
                grids[ws.title] = rows
    finally:
        wb.close()
    return ReadBack(values, status, errors, grids, tables)


def _named_range(wb: Any, name: str) -> tuple[str, int, int, int, int] | None:
    """(sheet, first row, last row, first column, last column) of a workbook-scope range name."""
    dn = wb.defined_names.get(name)
    if dn is None:
        return None
    dests = list(dn.destinations)
    if len(dests) != 1:
        return None
    sheet, ref = dests[0]
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    return sheet, min_row, max_row, min_col, max_col


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


def blank(v: Any) -> bool:
    """An Excel result left blank because it cannot be computed (a formula giving "")."""
    return v is None or v == ""


def agrees(name: str, excel_raw: Any, e: float | None, m: float | None, model_ran: bool) -> bool:
    """Excel and the model agree on ``name``: both numbers within the tolerance, or both undefined
    (Excel blank, the model None/NaN). An error value or a number on one side only disagrees."""
    if e is not None and m is not None:
        return abs(e - m) <= (TOL_ANDEL if is_ratio(name) else TOL_KR)
    return e is None and m is None and blank(excel_raw) and model_ran


def compare(excel: dict[str, Any], modell: dict[str, Any], rapport: dict[str, dict[str, Any]] | None = None,
            names: Iterable[str] = RESULT_NAMES) -> list[Comparison]:
    """One row per result: Excel vs model within 1 kr / 0.0001, and vs the report at its precision."""
    out = []
    for name in names:
        e, m = number(excel.get(name)), number(modell.get(name))
        ok = agrees(name, excel.get(name), e, m, name in modell)
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


# --------------------------------------------------------------------------------------------
# every value the master shows per municipality and per area, against the model


def _value(v: Any) -> float | None:
    """A model value as the master shows it: None for undefined (NaN)."""
    if v is None or isinstance(v, bool):
        return None if v is None else float(v)
    v = float(v)
    return v if math.isfinite(v) else None


def expected_per_kommune(m: ModelResult) -> dict[str, dict[str, float | None]]:
    """kommunenummer -> column key of *Beregning per kommune* -> the model's value (None = blank).

    Included adm submissions: N, the areas, total, snitt, ventestønad, førstegangsbosatte, the EM
    columns and the per-person values for the medians; included norsk submissions: the norsk
    columns. A municipality the model does not have is expected with inkludert 0 and blank
    per-person values (it is in no median)."""
    out: dict[str, dict[str, float | None]] = {}
    pk, em, no, pp = m.per_kommune, m.em, m.norsk, per_person(m.per_kommune)
    for nr in pk.index:
        e = out.setdefault(str(nr), {})
        e.update({"inkludert": 1.0, "n": _value(pk.at[nr, "N"]), "total": _value(pk.at[nr, "total"]),
                  "snitt": _value(pk.at[nr, "snitt"]), "ventestonad": _value(pk.at[nr, "ventestonad"]),
                  "forstegangsbosatt": _value(pk.at[nr, "forstegangsbosatt"]),
                  "em_flagg": 1.0 if bool(em.at[nr, "i_utvalg"]) else 0.0,
                  "em_antall": _value(em.at[nr, "em_antall"]), "em_utgift": _value(em.at[nr, "em_utgift_sum"]),
                  "em_sarskilt": _value(em.at[nr, "em_sarskilt_tilskudd"])})
        e.update({k: _value(pk.at[nr, k]) for k in AREA_KEYS})
        e.update({f"pp_{k}": _value(pp.at[nr, k]) for k in [*AREA_KEYS, "total"]})
    for nr in no.index:
        e = out.setdefault(str(nr), {})
        e.update({"no_inkludert": 1.0, "no_flagg": 1.0 if bool(no.at[nr, "undervist"]) else 0.0,
                  "no_utgift": _value(no.at[nr, "no_utgift_sum"]), "no_inntekt": _value(no.at[nr, "no_inntekt_sum"]),
                  "no_resultat": _value(no.at[nr, "resultat"]), "no_timer": _value(no.at[nr, "no_timer"]),
                  "no_deltakere": _value(no.at[nr, "no_deltakere_sum"]),
                  "no_per_time": _value(no.at[nr, "utgift_per_time"])})
    return out


def _not_included(e: dict[str, float | None]) -> dict[str, float | None]:
    """What a row the model leaves out must show: not included, in no sub-sample, no per-person value."""
    out: dict[str, float | None] = {}
    if "inkludert" not in e:
        out.update({"inkludert": 0.0, "em_flagg": 0.0, **{f"pp_{k}": None for k in [*AREA_KEYS, "total"]}})
    if "no_inkludert" not in e:
        out.update({"no_inkludert": 0.0, "no_flagg": 0.0, "no_per_time": None})
    return out


COLUMN_LABEL = {c.key: c.label for c in COLUMNS}
FLAG_KEYS = {c.key for c in COLUMNS if c.fmt == "flag"}
_SHOWN_IF = re.compile(r'IF\(\{c:([a-z0-9_]+)\}=1,\{c:([a-z0-9_]+)\},""\)')
_SHOWN = re.compile(r"\{c:([a-z0-9_]+)\}")


def _shown(template: str) -> tuple[str | None, str | None]:
    """(flag, key) of a Resultat column: it shows column ``key`` of *Beregning per kommune*, only
    where ``flag`` is 1 when there is a flag."""
    shown_if = _SHOWN_IF.fullmatch(template)
    if shown_if:
        return shown_if.group(1), shown_if.group(2)
    plain = _SHOWN.fullmatch(template)
    return None, plain.group(1) if plain else None


class _Cells:
    def __init__(self) -> None:
        self.check = CellCheck()

    def add(self, sheet: str, row: int, column: int, what: str, excel: Any, expected: float | None,
            key: str = "") -> None:
        """Compare one shown value: a number within the tolerance (flags exactly, to the smallest
        tolerance), or blank where the model's value is undefined."""
        self.check.compared += 1
        e = number(excel)
        if expected is None:
            ok = blank(excel)
        else:
            ok = e is not None and abs(e - expected) <= (TOL_ANDEL if key in FLAG_KEYS else TOL_KR)
        if not ok:
            self.check.diffs.append(CellDiff(sheet, f"{get_column_letter(column)}{row}", what,
                                             excel if not isinstance(excel, float) or math.isfinite(excel) else None,
                                             expected))


def compare_cells(rb: ReadBack, m: ModelResult) -> CellCheck:
    """Every per-municipality value and median the master shows (*Beregning per kommune*, the
    vedlegg 5 table on *Beregning*, vedlegg 2, 5, 8 and 9 on *Resultat*) against the model; each
    disagreement names its sheet and cell."""
    cells = _Cells()
    expected = expected_per_kommune(m)
    grid = rb.grids.get(SHEET_PER_KOMMUNE, [])
    keys = {v: j for j, v in enumerate(grid[HEADER_ID_ROW - 1], start=1) if v} if len(grid) >= HEADER_ID_ROW else {}
    for row in range(FIRST_DATA_ROW, len(grid) + 1):
        nr = rb.cell(SHEET_PER_KOMMUNE, row, keys.get("kommunenummer", 1))
        if nr in (None, ""):
            continue
        e = expected.get(str(nr), {})
        for key, value in {**e, **_not_included(e)}.items():
            if key in keys:
                cells.add(SHEET_PER_KOMMUNE, row, keys[key], f"{COLUMN_LABEL[key]} – kommune {nr}",
                          rb.cell(SHEET_PER_KOMMUNE, row, keys[key]), value, key)
    for name, (title, cols) in zip(PER_KOMMUNE_NAMES, PER_KOMMUNE, strict=True):
        if name not in rb.tables:
            continue
        sheet, first, last, c1, _ = rb.tables[name]
        for row in range(first, last + 1):
            nr = rb.cell(sheet, row, c1)
            if nr in (None, ""):
                continue
            e = expected.get(str(nr), {})
            e = {**e, **_not_included(e)}
            for j, (header, template, fmt) in enumerate(cols):
                flag, shown = _shown(template)
                if fmt == "@" or shown is None or shown not in e:
                    continue
                value = e[shown] if flag is None or e.get(flag) == 1 else None
                cells.add(sheet, row, c1 + j, f"{title.split('.')[0]}, {header} – kommune {nr}",
                          rb.cell(sheet, row, c1 + j), value, shown)
    areas = {row["utgiftsomrade"]: (key, row) for key, row in m.vedlegg5.iterrows()}
    sums = m.per_kommune[[*AREA_KEYS, "total"]].sum()
    for name, columns in (("omrade_tabell", ("sum", "snitt", "median")), (VEDLEGG5_NAME, ("snitt", "median"))):
        if name not in rb.tables:
            continue
        sheet, first, last, c1, _ = rb.tables[name]
        for row in range(first, last + 1):
            label = rb.cell(sheet, row, c1)
            if label not in areas:
                continue
            key, v5 = areas[label]
            for j, what in enumerate(columns, start=1):
                value = _value(sums["total" if key == "sum" else key]) if what == "sum" else _value(v5[what])
                cells.add(sheet, row, c1 + j, f"Vedlegg 5, {what} – {label}", rb.cell(sheet, row, c1 + j), value)
    return cells.check
