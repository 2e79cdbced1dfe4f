"""Blocks: rectangular regions of the master written in one operation each (openpyxl here, one
xlwings range assignment in the add-in), so the number of writes does not grow with the number
of municipalities or fields. Text is written as text and neutralised, never as a formula, and
cleaned (``text.clean_text``: no characters XML cannot hold; the openpyxl writer also cuts at
32 767 characters with a note), so a hostile file or folder name cannot make the master unreadable."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter

from ..intake.neutralise import neutralise
from ..text import cell_text, clean_text


class BlockError(ValueError):
    """A block does not fit the master (missing sheet); the message is Norwegian."""


@dataclass(frozen=True)
class Block:
    sheet: str
    top_left: str                 # A1 reference, e.g. "A6"
    values: list[list[Any]]       # rectangular: rows of equal length
    filter_rows: tuple[int, int] | None = None   # (header, last) row index in values: an AutoFilter there

    def __post_init__(self) -> None:
        widths = {len(r) for r in self.values}
        if len(widths) > 1:
            raise ValueError(f"Blokken på {self.sheet}!{self.top_left} er ikke rektangulær")

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.values), (len(self.values[0]) if self.values else 0)

    @property
    def origin(self) -> tuple[int, int]:
        """(row, column), 1-based."""
        letters, row = coordinate_from_string(self.top_left)
        return row, column_index_from_string(letters)


def cell_value(value: Any) -> Any:
    """A value as it goes into a cell: numbers and dates as such, text neutralised and cleaned of
    characters XML cannot hold (``text.clean_text``), bool as 1/0. Length is left to the writer:
    ``write_blocks_openpyxl`` cuts at 32 767 characters with a note (``text.cell_text``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, dt.datetime, dt.date)):
        return value
    return clean_text(neutralise(str(value)))


def write_blocks_openpyxl(path_in: str | Path, blocks: list[Block], path_out: str | Path) -> Path:
    """Write ``blocks`` into a copy of the workbook ``path_in`` saved as ``path_out``."""
    wb = load_workbook(path_in)
    missing = sorted({b.sheet for b in blocks} - set(wb.sheetnames))
    if missing:
        raise BlockError(f"{Path(path_in).name} har ikke arket/arkene {', '.join(missing)}: er det en "
                         "masterarbeidsbok laget med «kalk-excel master» for dette året?")
    for block in blocks:
        ws = wb[block.sheet]
        row0, col0 = block.origin
        for i, row in enumerate(block.values):
            for j, value in enumerate(row):
                cell = ws.cell(row0 + i, col0 + j)
                v = cell_value(value)
                if isinstance(v, str):
                    cell.value = cell_text(v)
                    cell.data_type = "s"   # explicit text, even if it looks like a formula
                else:
                    cell.value = v
        if block.filter_rows is not None:
            head, last = block.filter_rows
            ws.auto_filter.ref = (f"{get_column_letter(col0)}{row0 + head}:"
                                  f"{get_column_letter(col0 + block.shape[1] - 1)}{row0 + last}")
    path_out = Path(path_out)
    path_out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path_out)
    return path_out
