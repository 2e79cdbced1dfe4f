"""What an existing master contributes to the next run, read as DATA.

The core never needs the master's file: it takes the master's state as per-sheet 2-D value grids.

    parse_master_state(grids: Mapping[str, Sequence[Sequence[Any]]],
                       names: Mapping[str, str] | None = None,
                       source: str = "masteren") -> MasterState

``grids`` maps a sheet name to that sheet's values as rows starting at cell A1 (``grids[s][0][0]``
is A1; rows may be ragged or shorter than the sheet; a missing cell is None). The sheets read are
``MASTER_STATE_SHEETS``; for *Sporbarhet* and *Innleveringer* only the number of rows is used, so a
caller may pass ``[[None]] * used_rows`` instead of the values. ``names`` maps a workbook-scope defined name to its
reference (``"'Oppsett'!$A$13:$C$42"``, with or without quotes/``$``/a leading ``=``); without it
(or for a name not given) the fixed positions of ``master.layout`` are used.

Two readers feed the one parser:
- ``read_master_state(path)``: a saved file, read with openpyxl (the CLI, ``beregn``);
- the Excel add-in reads one block per input sheet from the live workbook (unsaved edits
  included, also for a book whose ``fullname`` is a URL) and calls ``parse_master_state``.

Raises ``UpdateError`` (Norwegian, with «Korreksjon:») when the grids are not a master.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils.cell import range_boundaries

from ..definition.model import Kommune
from ..kommuner import kommunenummer
from ..master.layout import (
    CHANGELOG_COLUMNS,
    CHANGELOG_FIRST_ROW,
    CORRECTION_COLUMNS,
    CORRECTION_FIRST_ROW,
    CORRECTION_NAME,
    CORRECTION_ROWS,
    EXCLUSION_COLUMNS,
    EXCLUSION_FIRST_ROW,
    EXCLUSION_NAME,
    EXCLUSION_ROWS,
    FIRST_DATA_ROW,
    FORMS,
    KOMMUNE_LIST_COLUMNS,
    KOMMUNE_LIST_FIRST_ROW,
    LASTYEAR_AREA_NAME,
    LASTYEAR_HISTORY_NAME,
    LASTYEAR_HISTORY_YEARS,
    LASTYEAR_KOMMUNE_NAME,
    SHEET_CHANGELOG,
    SHEET_CORRECTIONS,
    SHEET_INPUT,
    SHEET_KOMMUNER,
    SHEET_LASTYEAR,
    SHEET_PARAMS,
    SHEET_REGISTER,
    SHEET_SETUP,
    SHEET_STATUS,
    SHEET_TRACE,
    lastyear_rows,
    setup_cell,
)
from ..master.perkommune_spec import AREAS
from ..master.sheet_inputs import NOT_EXPECTED
from ..master.sheet_params import FIRST_ROW as PARAMS_FIRST_ROW

Grid = Sequence[Sequence[Any]]

# Sheets the parser reads (the add-in reads exactly these; Sporbarhet and Innleveringer only for
# their length).
MASTER_STATE_SHEETS = (SHEET_SETUP, SHEET_PARAMS, SHEET_LASTYEAR, SHEET_CORRECTIONS, SHEET_INPUT["adm"],
                       SHEET_INPUT["norsk"], SHEET_TRACE, SHEET_STATUS, SHEET_CHANGELOG,
                       SHEET_KOMMUNER)
LENGTH_ONLY_SHEETS = (SHEET_TRACE, SHEET_STATUS)
REQUIRED_SHEETS = (SHEET_SETUP, SHEET_PARAMS, SHEET_INPUT["adm"], SHEET_INPUT["norsk"])


class UpdateError(ValueError):
    """The update cannot start (folder, master or municipality list unusable); Norwegian message."""


@dataclass
class LastYear:
    """Last year's values as typed on *Fjorår*: key -> (value(s)..., source)."""
    areas: dict[str, tuple[Any, Any]] = field(default_factory=dict)              # label -> (snitt, kilde)
    history: dict[int, tuple[Any, Any, Any]] = field(default_factory=dict)       # year -> (deltakere, timer, kilde)
    kommuner: dict[str, tuple[Any, Any, Any]] = field(default_factory=dict)      # nr -> (deltakere, timer, kilde)


@dataclass
class MasterState:
    """What an existing master contributes to the next one."""
    year: int | None
    kommuner: list[Kommune]
    parameters: dict[str, Any]            # id -> value as on Parametre (list for list parameters)
    folder: str | None
    trace_last_row: int                   # last used row on Sporbarhet
    exclusions: list[list[Any]] = field(default_factory=list)   # the Oppsett table's rows as read (3 columns)
    exclusion_first_row: int = EXCLUSION_FIRST_ROW               # the sheet row of exclusions[0]
    last_year: LastYear | None = None                            # the Fjorår values (None: no such sheet)
    sources: dict[str, Any] = field(default_factory=dict)        # id -> source text as on Parametre
    status_last_row: int = 0                                     # last used row on Innleveringer
    defaults: dict[str, tuple[Any, Any]] = field(default_factory=dict)   # id -> (default value, source) on Parametre
    changelog: list[list[Any]] = field(default_factory=list)     # Endringslogg's rows
    corrections: list[list[Any]] = field(default_factory=list)   # the Korreksjoner rows as read (8 columns)
    corrections_first_row: int = CORRECTION_FIRST_ROW            # the sheet row of corrections[0]
    registerdata: dict[str, dict[str, Any]] = field(default_factory=dict)   # nr -> Registerdata inputs


# --------------------------------------------------------------------------------------------
# grid access


def cell(grid: Grid | None, row: int, column: int) -> Any:
    """The value at 1-based (row, column) of ``grid``; None outside it."""
    if grid is None or row < 1 or column < 1 or row > len(grid):
        return None
    line = grid[row - 1]
    return line[column - 1] if line is not None and column <= len(line) else None


def block(grid: Grid | None, first_row: int, first_col: int, last_row: int, last_col: int) -> list[list[Any]]:
    """The rectangle first_row..last_row × first_col..last_col (1-based, inclusive) as full rows."""
    return [[cell(grid, r, c) for c in range(first_col, last_col + 1)] for r in range(first_row, last_row + 1)]


def rows_from(grid: Grid | None, first: int, width: int) -> list[tuple[Any, ...]]:
    """The non-empty rows from ``first`` down, columns 1..width."""
    if grid is None:
        return []
    out = []
    for r in range(first, len(grid) + 1):
        row = tuple(cell(grid, r, c) for c in range(1, width + 1))
        if any(v is not None for v in row):
            out.append(row)
    return out


_REF_RE = re.compile(r"^=?(?:'?(?P<sheet>(?:[^'!]|'')+)'?!)?(?P<ref>\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?)$")


def parse_ref(ref: str) -> tuple[str | None, tuple[int, int, int, int]] | None:
    """``"'Oppsett'!$A$13:$C$42"`` -> ("Oppsett", (min_col, min_row, max_col, max_row)); None if unreadable."""
    m = _REF_RE.match(str(ref).strip())
    if not m:
        return None
    sheet = m.group("sheet").replace("''", "'") if m.group("sheet") else None
    try:
        min_col, min_row, max_col, max_row = range_boundaries(m.group("ref").replace("$", ""))
    except ValueError:
        return None
    return sheet, (min_col, min_row, max_col or min_col, max_row or min_row)


def _named_area(names: Mapping[str, str] | None, name: str, sheet: str,
                default: tuple[int, int, int, int]) -> tuple[str, tuple[int, int, int, int]]:
    """The sheet and (min_col, min_row, max_col, max_row) of a defined name: from ``names`` when it
    has the name, else ``default`` on ``sheet``."""
    if names and name in names:
        parsed = parse_ref(names[name])
        if parsed is not None:
            return parsed[0] or sheet, parsed[1]
    return sheet, default


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


# --------------------------------------------------------------------------------------------
# the parser


def parse_master_state(grids: Mapping[str, Grid], names: Mapping[str, str] | None = None,
                       source: str = "masteren") -> MasterState:
    """The master's state from its sheets' value grids (see the module docstring)."""
    missing = [s for s in REQUIRED_SHEETS if s not in grids]
    if missing:
        raise UpdateError(f"{source} er ikke en masterarbeidsbok (mangler arkene {', '.join(missing)}). "
                          "Korreksjon: bruk en master laget med «kalk-excel master», eller en ny filsti.")
    setup = grids[SHEET_SETUP]

    def setup_value(name: str) -> Any:
        _c, r, _c2, _r2 = range_boundaries(setup_cell(name))
        return cell(setup, r, _c)

    year_raw = setup_value("oppsett_aar")
    folder = setup_value("oppsett_innleveringsmappe")
    params: dict[str, Any] = {}
    sources: dict[str, Any] = {}
    defaults: dict[str, tuple[Any, Any]] = {}
    default_values: dict[str, list[Any]] = {}
    for pid, _label, value, _unit, src, _group, default, default_src in rows_from(grids[SHEET_PARAMS],
                                                                                 PARAMS_FIRST_ROW, 8):
        if not isinstance(pid, str) or not pid.strip():
            continue
        pid = pid.strip()
        if pid in params and isinstance(params[pid], list):
            params[pid].append(value)
        elif pid in params:
            params[pid] = [params[pid], value]
        else:
            params[pid] = value
            sources[pid] = src
        default_values.setdefault(pid, []).append(default)
        if default_src is not None:
            defaults.setdefault(pid, (None, default_src))
    for pid, (_none, default_src) in defaults.items():
        values = default_values[pid]
        defaults[pid] = (values if isinstance(params[pid], list) else values[0], default_src)
    changelog = [list(r) for r in rows_from(grids.get(SHEET_CHANGELOG), CHANGELOG_FIRST_ROW,
                                            len(CHANGELOG_COLUMNS))]
    status = {f: {str(r[0]): r[3] for r in rows_from(grids[SHEET_INPUT[f]], FIRST_DATA_ROW, 4) if r[0]}
              for f in FORMS}
    navn = {str(r[0]): str(r[1] or "") for r in rows_from(grids[SHEET_INPUT["adm"]], FIRST_DATA_ROW, 2) if r[0]}
    kommuner = [Kommune(nr, n, tuple(f for f in FORMS if status[f].get(nr) != NOT_EXPECTED))
                for nr, n in navn.items()]
    kept = _kommune_sheet(grids.get(SHEET_KOMMUNER))
    if kept:
        kommuner = kept
    trace_last = len(grids.get(SHEET_TRACE) or [])
    exclusion_default = (1, EXCLUSION_FIRST_ROW, len(EXCLUSION_COLUMNS), EXCLUSION_FIRST_ROW + EXCLUSION_ROWS - 1)
    if names is not None and EXCLUSION_NAME not in names:
        exclusions, first_row = [], EXCLUSION_FIRST_ROW      # a master built before the table existed
    else:
        sheet, (min_col, first_row, _max, max_row) = _named_area(names, EXCLUSION_NAME, SHEET_SETUP,
                                                                 exclusion_default)
        exclusions = block(grids.get(sheet), first_row, min_col, max_row, min_col + len(EXCLUSION_COLUMNS) - 1)
    last_year = _last_year(grids, names, len(kommuner))
    corrections, corrections_first = _corrections(grids, names)
    try:
        year = int(year_raw) if year_raw is not None else None
    except (TypeError, ValueError):
        year = None
    return MasterState(year, kommuner, params, str(folder) if folder else None, trace_last,
                       exclusions, first_row, last_year, sources, len(grids.get(SHEET_STATUS) or []),
                       defaults=defaults, changelog=changelog, corrections=corrections,
                       corrections_first_row=corrections_first, registerdata=_registerdata(grids))


def _registerdata(grids: Mapping[str, Grid]) -> dict[str, dict[str, Any]]:
    """The *Registerdata* inputs by kommunenummer (a master built before the sheet existed has none)."""
    from ..master.sheet_registerdata import INPUT_KEYS, KEYS
    out: dict[str, dict[str, Any]] = {}
    for row in rows_from(grids.get(SHEET_REGISTER), FIRST_DATA_ROW, len(KEYS)):
        nr = kommunenummer(row[0])
        values = {k: row[KEYS.index(k)] for k in INPUT_KEYS if row[KEYS.index(k)] not in (None, "")}
        if nr and values:
            out[nr] = values
    return out


def _corrections(grids: Mapping[str, Grid], names: Mapping[str, str] | None) -> tuple[list[list[Any]], int]:
    """The *Korreksjoner* input rows through the name ``korreksjoner`` (a master built before the
    sheet existed has none)."""
    if SHEET_CORRECTIONS not in grids or (names is not None and CORRECTION_NAME not in names):
        return [], CORRECTION_FIRST_ROW
    default = (1, CORRECTION_FIRST_ROW, len(CORRECTION_COLUMNS), CORRECTION_FIRST_ROW + CORRECTION_ROWS - 1)
    sheet, (min_col, first, _max, last) = _named_area(names, CORRECTION_NAME, SHEET_CORRECTIONS, default)
    return block(grids.get(sheet), first, min_col, last, min_col + len(CORRECTION_COLUMNS) - 1), first


def _kommune_sheet(grid: Grid | None) -> list[Kommune]:
    """The list on *Kommuner* (a master built before the sheet existed has none: []), checked by
    the same rules as a kommune list file."""
    if grid is None:
        return []
    import csv
    import io

    from ..kommuner import KommunelisteFeil, parse_kommuner
    width = len(KOMMUNE_LIST_COLUMNS)
    data = [r for r in block(grid, KOMMUNE_LIST_FIRST_ROW, 1, max(len(grid), KOMMUNE_LIST_FIRST_ROW), width)
            if any(_text(v) for v in r)]
    if not data:
        return []
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([key for key, _ in KOMMUNE_LIST_COLUMNS])
    for r in data:
        writer.writerow([_text(v) for v in r])
    try:
        return parse_kommuner(text.getvalue(), Path(SHEET_KOMMUNER))
    except KommunelisteFeil as exc:
        raise UpdateError(f"Kommunelisten på arket «{SHEET_KOMMUNER}» kan ikke brukes (linje 2 er rad "
                          f"{KOMMUNE_LIST_FIRST_ROW} på arket): " + " ".join(exc.messages)) from None


def _last_year(grids: Mapping[str, Grid], names: Mapping[str, str] | None, n_kommuner: int) -> LastYear | None:
    """The Fjorår blocks (a master built before the sheet existed has none)."""
    if SHEET_LASTYEAR not in grids:
        return None
    rows = lastyear_rows(len(AREAS))
    defaults = {
        LASTYEAR_AREA_NAME: (1, rows["area_first"], 3, rows["area_last"]),
        LASTYEAR_HISTORY_NAME: (1, rows["history_first"], 4, rows["history_first"] + LASTYEAR_HISTORY_YEARS - 1),
        LASTYEAR_KOMMUNE_NAME: (1, rows["kommune_first"], 5, rows["kommune_first"] + max(n_kommuner, 1) - 1),
    }

    def named(name: str, width: int) -> list[list[Any]]:
        """The rows the name covers, columns A..width (column A holds the key)."""
        if names is not None and name not in names:
            return []
        sheet, (_c, first, _c2, last) = _named_area(names, name, SHEET_LASTYEAR, defaults[name])
        return block(grids.get(sheet), first, 1, last, width)

    out = LastYear()
    for label, value, src in named(LASTYEAR_AREA_NAME, 3):
        if _text(label) and (_text(value) or _text(src)):
            out.areas[_text(label)] = (value, src)
    for year, delt, timer, src in named(LASTYEAR_HISTORY_NAME, 4):
        if _text(year).isdigit() and (_text(delt) or _text(timer) or _text(src)):
            out.history[int(_text(year))] = (delt, timer, src)
    for nr, _navn, delt, timer, src in named(LASTYEAR_KOMMUNE_NAME, 5):
        k = kommunenummer(nr)
        if k and (_text(delt) or _text(timer) or _text(src)):
            out.kommuner[k] = (delt, timer, src)
    return out


# --------------------------------------------------------------------------------------------
# the reader of a saved file


def read_master_grids(path: str | Path) -> tuple[dict[str, list[list[Any]]], dict[str, str]]:
    """The value grids of ``MASTER_STATE_SHEETS`` and the workbook-scope names of a saved master."""
    from openpyxl import load_workbook

    path = Path(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - an unreadable master is a record, not a traceback
        raise UpdateError(f"Masteren {path} kan ikke åpnes ({type(exc).__name__}: {exc}). "
                          "Korreksjon: oppgi en master laget med «kalk-excel master», eller en ny filsti.") from None
    try:
        grids: dict[str, list[list[Any]]] = {}
        for sheet in wb.sheetnames:
            if sheet in LENGTH_ONLY_SHEETS:
                grids[sheet] = [[None]] * int(wb[sheet].max_row or 0)
            elif sheet in MASTER_STATE_SHEETS or sheet in EXTRA_STATE_SHEETS:
                grids[sheet] = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
        names = {}
        for name, dn in wb.defined_names.items():
            if dn.attr_text:
                names[name] = dn.attr_text
    finally:
        wb.close()
    return grids, names


# Sheets added by later issues that carry state too (read when present).
EXTRA_STATE_SHEETS: tuple[str, ...] = (SHEET_REGISTER,)


def read_master_state(path: str | Path) -> MasterState:
    """Read year, municipalities, parameter values and Oppsett from a saved master."""
    path = Path(path)
    grids, names = read_master_grids(path)
    return parse_master_state(grids, names, source=path.name)
