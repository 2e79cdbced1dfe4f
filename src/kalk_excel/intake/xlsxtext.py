"""Writing untrusted text into our own xlsx reports safely: neutralised (see ``neutralise``),
cleaned by ``kalk_excel.text.cell_text`` (no characters XML cannot hold, cut at 32 767 characters
with a visible note), and stored explicitly as a string (never a formula).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from kalk_excel.text import cell_text

from ..numbertext import fmt_number
from .neutralise import needs_neutralising, neutralise


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SANN" if value else "USANN"
    if isinstance(value, (int, float)):
        return fmt_number(value) if not (isinstance(value, float) and not math.isfinite(value)) else str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(as_text(v) for v in value)
    return str(value)


def safe_text(value: Any) -> str:
    text = neutralise(as_text(value))
    return cell_text(text)


def put(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """Write ``value``: ints as numbers, everything else as neutralised text."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, int) and not isinstance(value, bool):
        cell.value = value
    else:
        cell.value = safe_text(value)
        cell.data_type = "s"
    return cell


def put_shown(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """Write a municipality's value as they typed it: numbers as numbers, text as an explicit
    string without the neutralising apostrophe (``quotePrefix`` marks it as text instead, so it is
    never a formula and no stray ``'`` shows)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        cell.value = value
        return cell
    text = cell_text(as_text(value))
    if text.startswith("'") and needs_neutralising(text[1:]):
        text = text[1:]                      # our own neutralisation (see ``neutralise``)
    cell.value = text
    cell.data_type = "s"
    if needs_neutralising(text) or text.startswith("'"):
        cell.quotePrefix = True
    return cell
