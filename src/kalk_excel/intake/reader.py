"""Reading a returned workbook after the package passed ``safety``: structure and properties
from our own defused XML parse, every sheet's cells in one pass (``xmlparts.sheet_cells``:
values, formulas, styles), the ``_meta`` sheet (key/value metadata and the field id -> cell map),
and typed cell values (``cellvalues``, typed as python-calamine types them).

``value_reader="calamine"`` reads values and ``_meta`` with python-calamine instead (calamine
gives floats for integers, ``''`` for empty cells, error values and formula cells without a
cached value, and date objects for date-formatted numbers); the default reuses the XML pass the
fingerprint needs anyway, which is faster (see docs/kontroll.md). A test holds both equal.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kalk_excel.workbook.metadata import MAP_FIRST_COL, META_SHEET  # D: felt_id | ark | celle | type | beregnet

from .cellvalues import cell_value, date_styles
from .codes import problem
from .safety import Package, Rejected
from .sheetscan import RawCell
from .xmlparts import SheetRef, custom_properties, date1904, modified_time, shared_strings, sheet_cells, split_ref, workbook


@dataclass
class FieldEntry:
    sheet: str
    cell: str
    type: str
    computed: bool


@dataclass
class OpenedWorkbook:
    package: Package
    sheets: list[SheetRef]
    names: dict[str, str]
    custom: dict[str, str]
    modified: datetime | None
    strings: list[str]
    cells: dict[str, dict[str, RawCell]]           # every sheet, incl. _meta: A1 -> cell
    dates: frozenset[str] = frozenset()            # date-formatted style indexes
    date1904: bool = False
    book: Any = None                               # CalamineWorkbook when value_reader="calamine"
    meta: dict[str, str] = field(default_factory=dict)
    field_table: dict[str, FieldEntry] = field(default_factory=dict)
    has_meta_sheet: bool = False
    _grids: dict[str, list[list[Any]]] = field(default_factory=dict)

    def sheet(self, name: str) -> SheetRef | None:
        for s in self.sheets:
            if s.name == name:
                return s
        return None

    def grid(self, sheet: str) -> list[list[Any]]:
        """The sheet's values from A1 (calamine), cached; [] for a missing sheet."""
        if sheet not in self._grids:
            try:
                self._grids[sheet] = self.book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException:  # noqa: BLE001 - calamine's own errors and pyo3 panics; a missing
                self._grids[sheet] = []  # sheet is reported by the integrity check
        return self._grids[sheet]

    def value(self, sheet: str, ref: str) -> Any:
        """The cell's value, typed as calamine types it; None for an empty or missing cell, an error
        value or a formula without a cached value (calamine's '')."""
        if self.book is None:
            value = cell_value(self.cells.get(sheet, {}).get(ref), self.dates, self.date1904)
        else:
            grid = self.grid(sheet)
            try:
                row, col = split_ref(ref)
            except ValueError:
                return None
            value = grid[row - 1][col - 1] if row - 1 < len(grid) and col - 1 < len(grid[row - 1]) else None
        return None if value == "" else value


def open_workbook(package: Package, data: bytes, value_reader: str = "xml") -> OpenedWorkbook:
    sheets, names = workbook(package)
    strings = shared_strings(package)
    cells = {s.name: sheet_cells(package, s.path, strings, s.name) if s.path else {} for s in sheets}
    wb = OpenedWorkbook(package, sheets, names, custom_properties(package), modified_time(package), strings,
                        cells, date_styles(package), date1904(package))
    if value_reader == "calamine":
        from python_calamine import CalamineWorkbook

        try:
            wb.book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - calamine's errors (and pyo3 panics) are no public hierarchy
            raise Rejected(problem("S011", detail=str(exc)[:160])) from None
        _read_meta_calamine(wb)
    else:
        _read_meta(wb)
    return wb


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _add_map_row(wb: OpenedWorkbook, fid: Any, sheet: Any, cell: Any, ftype: Any, computed: Any) -> None:
    fid = _text(fid)
    if fid:
        wb.field_table[fid] = FieldEntry(_text(sheet), _text(cell).upper(), _text(ftype), _text(computed) == "1")


def _read_meta(wb: OpenedWorkbook) -> None:
    if wb.sheet(META_SHEET) is None:
        return
    wb.has_meta_sheet = True
    rows: dict[int, list[Any]] = {}
    width = MAP_FIRST_COL + 4
    for ref, c in wb.cells.get(META_SHEET, {}).items():
        col = ord(ref[0]) - 64
        if col > width or not ref[1].isdigit():
            continue   # beyond H (only A..H are ours)
        r = int(ref[1:])
        if r > 1:
            row = rows.get(r)
            if row is None:
                row = rows[r] = [None] * (width + 1)
            row[col] = c.value
    for r in sorted(rows):
        row = rows[r]
        if row[1]:
            key = row[1].strip()
            if key:
                wb.meta[key] = (row[2] or "").strip()
        if row[MAP_FIRST_COL]:
            _add_map_row(wb, *row[MAP_FIRST_COL: MAP_FIRST_COL + 5])


def _read_meta_calamine(wb: OpenedWorkbook) -> None:
    if wb.sheet(META_SHEET) is None:
        return
    wb.has_meta_sheet = True
    first = MAP_FIRST_COL - 1
    for row in wb.grid(META_SHEET)[1:]:
        if len(row) >= 2 and _text(row[0]):
            wb.meta[_text(row[0])] = _text(row[1])
        if len(row) >= first + 5:
            _add_map_row(wb, *row[first: first + 5])
