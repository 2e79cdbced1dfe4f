"""Read named results back from a recalculated master (openpyxl, cached values): resolve each
workbook-scope defined name to its cell and return the value; find error values anywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from openpyxl import load_workbook

ERROR_PREFIXES = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "Err:")


def read_names(path: str | Path, names: Iterable[str]) -> dict[str, Any]:
    """name -> value of the single cell it refers to (None when the name is missing)."""
    wb = load_workbook(path, data_only=True)
    out: dict[str, Any] = {}
    for name in names:
        dn = wb.defined_names.get(name)
        if dn is None:
            out[name] = None
            continue
        dests = list(dn.destinations)
        sheet, ref = dests[0]
        out[name] = wb[sheet][ref.replace("$", "")].value
    return out


def is_error(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(ERROR_PREFIXES)


def error_cells(path: str | Path) -> list[tuple[str, str, str]]:
    """(sheet, cell, value) of every cell holding an error value in a recalculated workbook."""
    wb = load_workbook(path, data_only=True)
    return [(ws.title, c.coordinate, c.value) for ws in wb.worksheets for row in ws.iter_rows()
            for c in row if is_error(c.value)]
