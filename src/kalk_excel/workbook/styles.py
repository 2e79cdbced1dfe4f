"""Visual vocabulary of the survey workbook: fills, fonts, borders, number formats, widths.

One place decides what an input cell, a computed cell and a greyed-out cell look like, so the
colour legend on the Veiledning sheet and the cells themselves can never disagree.
"""

from __future__ import annotations

import math

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

INPUT_COLOUR = "FFF9C4"      # light yellow: cells the municipality fills in
COMPUTED_COLOUR = "DDEBF7"   # light blue: computed, locked
GREY_COLOUR = "D9D9D9"       # not relevant (greyed out by conditional formatting)
GREY_FONT_COLOUR = "808080"
HEADER_COLOUR = "1F4E78"     # dark blue title bars
SUBHEADER_COLOUR = "D6DCE4"
INFO_COLOUR = "F2F2F2"
ERROR_COLOUR = "FFC7CE"
ERROR_FONT_COLOUR = "9C0006"
WARN_COLOUR = "FFEB9C"
WARN_FONT_COLOUR = "9C5700"
OK_COLOUR = "C6EFCE"
OK_FONT_COLOUR = "006100"
PART_TAB_COLOUR = "FFC000"   # sheets to fill in
KONTROLL_TAB_COLOUR = "C00000"

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

INPUT_FILL = PatternFill("solid", fgColor=INPUT_COLOUR)
COMPUTED_FILL = PatternFill("solid", fgColor=COMPUTED_COLOUR)
GREY_FILL = PatternFill("solid", fgColor=GREY_COLOUR)
HEADER_FILL = PatternFill("solid", fgColor=HEADER_COLOUR)
SUBHEADER_FILL = PatternFill("solid", fgColor=SUBHEADER_COLOUR)
INFO_FILL = PatternFill("solid", fgColor=INFO_COLOUR)

TITLE_FONT = Font(bold=True, size=14, color="FFFFFF")
PART_FONT = Font(bold=True, size=12, color="FFFFFF")
BOLD = Font(bold=True)
NORMAL = Font()
ITALIC = Font(italic=True, color="404040")
LINK_FONT = Font(color="0563C1", underline="single")
SMALL = Font(size=9, color="595959")
REQUIRED_FONT = Font(bold=True, color="C00000")

WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
TOP = Alignment(vertical="top")
RIGHT_TOP = Alignment(vertical="top", horizontal="right")

FORMAT_AMOUNT = "#,##0"
FORMAT_DECIMAL = "#,##0.00"
FORMAT_TEXT = "@"

NUMBER_FORMATS = {
    "heltall": FORMAT_AMOUNT,
    "belop": FORMAT_AMOUNT,
    "desimal": FORMAT_DECIMAL,
    "prosent": FORMAT_DECIMAL,   # a plain number 0-100, never Excel's percent format
    "tekst": FORMAT_TEXT,
}

LINE_HEIGHT = 14.0  # points per wrapped text line (Calibri 11 as LibreOffice and Excel print it)
MAX_ROW_HEIGHT = 409.0  # Excel's limit


def number_format(field_type: str) -> str:
    return NUMBER_FORMATS.get(field_type, "General")


def text_height(text: str | None, width_chars: float, minimum: int = 1) -> float:
    """Row height (points) that shows ``text`` wrapped in a cell ``width_chars`` wide.

    Excel does not grow rows of merged cells by itself, so heights are estimated here.
    """
    if not text:
        return LINE_HEIGHT * minimum
    per_line = max(int(width_chars * 1.2), 10)
    lines = sum(max(1, math.ceil(len(chunk) / per_line)) for chunk in str(text).split("\n"))
    return min(LINE_HEIGHT * max(lines, minimum) + 2, MAX_ROW_HEIGHT)


def a4_fit_to_width(ws) -> None:  # type: ignore[no-untyped-def]
    """Print set-up shared by every sheet: A4 portrait, fitted to the page width, as many pages
    down as needed."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
