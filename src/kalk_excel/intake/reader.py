"""Reading a returned workbook after the package passed ``safety``: the workbook structure and
properties from our own defused XML parse, cell values with python-calamine, and the ``_meta``
sheet (key/value metadata and the field id -> cell map) through calamine as well.

calamine gives floats for integers, ``''`` for empty cells, error values and formula cells
without a cached value, and date objects for date-formatted numbers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from python_calamine import CalamineWorkbook

from .codes import problem
from .safety import Package, Rejected
from .xmlparts import SheetRef, custom_properties, modified_time, shared_strings, split_ref, workbook

META_SHEET = "_meta"
MAP_FIRST_COL = 4          # D: felt_id | ark | celle | type | beregnet


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
    book: CalamineWorkbook
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
        grid = self.grid(sheet)
        try:
            row, col = split_ref(ref)
        except ValueError:
            return None
        if row - 1 < len(grid) and col - 1 < len(grid[row - 1]):
            return grid[row - 1][col - 1]
        return None


def open_workbook(package: Package, data: bytes) -> OpenedWorkbook:
    sheets, names = workbook(package)
    custom = custom_properties(package)
    modified = modified_time(package)
    strings = shared_strings(package)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - calamine's errors (and pyo3 panics) are no public hierarchy
        raise Rejected(problem("S011", detail=str(exc)[:160])) from None
    wb = OpenedWorkbook(package, sheets, names, custom, modified, strings, book)
    _read_meta(wb)
    return wb


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_meta(wb: OpenedWorkbook) -> None:
    if wb.sheet(META_SHEET) is None:
        return
    wb.has_meta_sheet = True
    grid = wb.grid(META_SHEET)
    for row in grid[1:]:
        if len(row) >= 2 and _text(row[0]):
            wb.meta[_text(row[0])] = _text(row[1])
        if len(row) >= MAP_FIRST_COL + 4:
            fid, sheet, cell, ftype, computed = row[MAP_FIRST_COL - 1: MAP_FIRST_COL + 4]
            if _text(fid):
                wb.field_table[_text(fid)] = FieldEntry(_text(sheet), _text(cell).upper(), _text(ftype),
                                                        _text(computed) == "1")
