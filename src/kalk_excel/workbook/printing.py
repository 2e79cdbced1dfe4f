"""Print set-up of every survey-workbook sheet: A4, portrait unless the sheet is too wide to print
its text at about 8 pt or more (then landscape), fitted to the page width, narrow margins, the
title rows repeated, a footer "kommune – skjema år" and "Side x av y" on every page, and page
breaks placed between questions (never inside a question's table; a contact block stays with
the question before it).

Page breaks are computed from the row heights the generator set (it sets every text row's
height), at the scale the page width gives; a block taller than a page is left to break inside.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

A4_SHORT, A4_LONG = 595.0, 842.0        # points
SIDE_MARGIN, TOP_MARGIN, BOTTOM_MARGIN = 0.3, 0.45, 0.6   # inches
HEADER_MARGIN, FOOTER_MARGIN = 0.2, 0.3
MIN_SCALE = 0.75                         # 11 pt text printed at >= ~8.3 pt
DEFAULT_ROW_HEIGHT = 15.0
ONE_PAGE_STRETCH = 1.25                 # shrink to one page when at most this much longer (11 pt -> >= 8.8 pt)
SLACK = 1.0                             # row heights are estimates: leave some room per page


def column_points(width_chars: float) -> float:
    """Excel column width (characters of the default font) in points."""
    return (width_chars * 7 + 5) * 0.75


def sheet_width(ws: Worksheet, last_col: int) -> float:
    total = 0.0
    for i in range(1, last_col + 1):
        dim = ws.column_dimensions[get_column_letter(i)]
        if dim.hidden:
            continue
        total += column_points(dim.width or 8.43)
    return total


def setup(ws: Worksheet, last_col: int, footer: str, blocks: list[tuple[int, int]] | None = None,
          title_rows: tuple[int, int] | None = None) -> None:
    """Page set-up for ``ws`` printed over columns 1..``last_col``; ``blocks`` (first row, last
    row) are kept on one page where they fit; ``title_rows`` repeat on every page."""
    width = sheet_width(ws, last_col)
    portrait_avail = A4_SHORT - 2 * SIDE_MARGIN * 72
    landscape = width * MIN_SCALE > portrait_avail
    avail_w = (A4_LONG if landscape else A4_SHORT) - 2 * SIDE_MARGIN * 72
    scale = min(1.0, avail_w / width) if width else 1.0
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=SIDE_MARGIN, right=SIDE_MARGIN, top=TOP_MARGIN, bottom=BOTTOM_MARGIN,
                                  header=HEADER_MARGIN, footer=FOOTER_MARGIN)
    ws.print_options.horizontalCentered = False
    ws.oddFooter.left.text = footer.replace("&", "&&")
    ws.oddFooter.left.size = 9
    ws.oddFooter.right.text = "Side &P av &N"
    ws.oddFooter.right.size = 9
    if title_rows:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    if not blocks and not title_rows:
        # a front sheet a little longer than a page is shrunk onto one rather than spilling a few lines
        avail_h = (A4_SHORT if landscape else A4_LONG) - (TOP_MARGIN + BOTTOM_MARGIN) * 72
        total = sum(height(ws, r) for r in range(1, ws.max_row + 1))
        if avail_h / scale < total <= avail_h / scale * ONE_PAGE_STRETCH:
            ws.page_setup.fitToHeight = 1
    if blocks:
        avail_h = (A4_SHORT if landscape else A4_LONG) - (TOP_MARGIN + BOTTOM_MARGIN) * 72
        page_h = avail_h / scale * SLACK
        if title_rows:
            page_h -= sum(height(ws, r) for r in range(title_rows[0], title_rows[1] + 1))
        for row in breaks(ws, blocks, page_h, title_rows[1] if title_rows else 0):
            ws.row_breaks.append(Break(id=row))


def height(ws: Worksheet, row: int) -> float:
    return ws.row_dimensions[row].height or DEFAULT_ROW_HEIGHT


def breaks(ws: Worksheet, blocks: list[tuple[int, int]], page_h: float, after_titles: int = 0) -> list[int]:
    """Rows after which a new page starts, so that no block is split when it fits on a page
    (``page_h``: the room below the repeated title rows, which end at row ``after_titles``)."""
    out: list[int] = []
    used = sum(height(ws, r) for r in range(after_titles + 1, blocks[0][0])) if blocks else 0.0
    for first, last in blocks:
        block_h = sum(height(ws, r) for r in range(first, last + 1))
        if used + block_h > page_h and used > 0 and block_h <= page_h:
            out.append(first - 1)
            used = 0.0
        used += block_h
        while used > page_h:          # a block taller than a page: it breaks inside by itself
            used -= page_h
    return out
