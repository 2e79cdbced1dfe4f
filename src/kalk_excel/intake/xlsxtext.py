"""Writing untrusted text into our own xlsx reports safely: neutralised (see ``neutralise``),
stripped of characters XML cannot hold, and stored explicitly as a string (never a formula).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

from .neutralise import neutralise
from .numbers import fmt_number

MAX_CELL_TEXT = 32000   # Excel's limit is 32 767 characters


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
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", as_text(value))
    if len(text) > MAX_CELL_TEXT:
        text = text[:MAX_CELL_TEXT] + "…"
    return neutralise(text)


def put(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """Write ``value``: ints as numbers, everything else as neutralised text."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, int) and not isinstance(value, bool):
        cell.value = value
    else:
        cell.value = safe_text(value)
        cell.data_type = "s"
    return cell
