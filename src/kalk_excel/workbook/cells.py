"""Small cell-writing helpers shared by every sheet writer (text that is never a formula,
merged wrapped blocks, absolute references for defined names and hyperlinks).
"""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from . import styles


def put_text(ws: Worksheet, row: int, col: int, text: object, *, font: Font | None = None,
             fill: PatternFill | None = None, alignment: Alignment | None = None) -> Cell:
    """Write a literal value; a text starting with '=' stays text (never becomes a formula)."""
    cell = ws.cell(row=row, column=col)
    cell.value = text
    if isinstance(text, str) and text.startswith("="):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    return cell


def put_block(ws: Worksheet, row: int, first_col: int, last_col: int, text: str, width_chars: float, *,
              font: Font | None = None, fill: PatternFill | None = None, min_lines: int = 1) -> Cell:
    """A wrapped text block merged over ``first_col..last_col`` with an estimated row height."""
    cell = put_text(ws, row, first_col, text, font=font, fill=fill, alignment=styles.WRAP)
    if last_col > first_col:
        ws.merge_cells(start_row=row, start_column=first_col, end_row=row, end_column=last_col)
    bold = font is not None and bool(font.b)     # bold text is about a tenth wider
    ws.row_dimensions[row].height = styles.text_height(text, width_chars * (0.88 if bold else 1.0), min_lines)
    return cell


def paragraphs(text: str, width_chars: float) -> list[str]:
    """``text`` split into blocks that each fit one row (Excel's row height stops at 409 points)."""
    blocks: list[str] = []
    for para in (p.strip("\n") for p in text.strip().split("\n\n")):
        if not para.strip():
            continue
        current: list[str] = []
        for line in para.split("\n"):
            candidate = "\n".join(current + [line])
            if current and styles.text_height(candidate, width_chars) > styles.MAX_ROW_HEIGHT:
                blocks.append("\n".join(current))
                current = [line]
            else:
                current.append(line)
        blocks.append("\n".join(current))
    return blocks


def put_paragraphs(ws: Worksheet, row: int, first_col: int, last_col: int, text: str, width_chars: float, *,
                   font: Font | None = None, fill: PatternFill | None = None) -> int:
    """Write ``text`` as one merged, wrapped row per paragraph; returns the next free row.
    A short one-line paragraph without a full stop reads as a heading and is bold."""
    for block in paragraphs(text, width_chars):
        heading = "\n" not in block and len(block) <= 60 and not block.rstrip().endswith((".", ":", ")"))
        put_block(ws, row, first_col, last_col, block, width_chars, fill=fill,
                  font=styles.BOLD if heading and font is None else font)
        row += 1
    return row


def quote_sheet(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def absolute_ref(sheet: str, coord: str) -> str:
    """'Sheet name'!$C$12 for defined names."""
    letters = "".join(ch for ch in coord if ch.isalpha())
    digits = coord[len(letters):]
    return f"{quote_sheet(sheet)}!${letters}${digits}"


def link(cell: Cell, sheet: str, coord: str, tooltip: str | None = None) -> None:
    """Internal hyperlink from ``cell`` to ``sheet!coord``."""
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{quote_sheet(sheet)}!{coord}", tooltip=tooltip)
    cell.font = styles.LINK_FONT


def col(n: int) -> str:
    return get_column_letter(n)
