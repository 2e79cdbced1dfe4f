"""Shared look of the master: status row on every sheet, titles, headers, number formats and
sheet protection (against accidental edits)."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.worksheet import Worksheet

from ..workbook.protection import ProtectionKey, make_key, sheet_protection
from .layout import STATUS_ROW, TITLE_ROW

FMT_KR = "#,##0"
FMT_KR_DEC = "#,##0.00"
FMT_RATIO = "0.0%"
FMT_FRACTION = "0.0000"
FMT_COUNT = "#,##0.0"
FMT_PLAIN = "General"   # a count or rate that may be whole or not: Excel shows 19392 as 19392, never "19 392,"

PRINT_SCALE = 65   # percent: the wide per-municipality sheets print at this zoom, all rows of a page band together

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
OK_FILL = PatternFill("solid", fgColor="C6EFCE")
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
WRAP = Alignment(wrap_text=True, vertical="top")


def status_and_title(ws: Worksheet, title: str) -> None:
    """Row 1: the overall master status (named cell ``master_status``); row 2: the title."""
    cell = ws.cell(STATUS_ROW, 1, '="Masterstatus: "&master_status')
    cell.font = BOLD
    ref = f"A{STATUS_ROW}"
    ws.conditional_formatting.add(ref, FormulaRule(formula=["master_ok=1"], fill=OK_FILL))
    ws.conditional_formatting.add(ref, FormulaRule(formula=["master_ok<>1"], fill=BAD_FILL))
    ws.cell(TITLE_ROW, 1, title).font = TITLE


def header(ws: Worksheet, row: int, values: list[str], start_col: int = 1) -> None:
    for i, v in enumerate(values):
        c = ws.cell(row, start_col + i, v)
        c.font = BOLD
        c.fill = HEADER_FILL
        c.alignment = WRAP


def unlock(cell: Any) -> None:  # an openpyxl cell
    cell.protection = Protection(locked=False)
    cell.fill = INPUT_FILL


def protect(ws: Worksheet) -> None:
    """Protect against accidental edits. With a password in KALK_EXCEL_PASSORD the protection
    uses the survey generator's SHA-512 scheme; without one the sheets are protected without a
    password (the master is the secretariat's own workbook: protection guards against slips)."""
    password = os.environ.get("KALK_EXCEL_PASSORD")
    if password:
        ws.protection = sheet_protection(_key(password))
        ws.protection.formatCells = False
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
    else:
        ws.protection.sheet = True
    if ws.auto_filter.ref:
        allow_filter(ws)


def print_setup(ws: Worksheet, *, landscape: bool = True, fit_width: bool = True, title_rows: str | None = None,
                title_cols: str | None = None, area: str | None = None, scale: int | None = None) -> None:
    """Page set-up for printing: orientation, all columns on one page width (``fit_width``), rows
    (e.g. ``"4:5"``) and columns (``"A:B"``) repeated on every page, an optional print area, and for
    a sheet too wide to fit (``fit_width=False``) an optional zoom in percent."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if fit_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    elif scale:
        ws.page_setup.scale = scale
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols
    if area:
        ws.print_area = area
    ws.oddFooter.center.text = "&A – side &P av &N"


def bulk_sheet(ws: Worksheet, filter_ref: str | None, heading: str = "A1:G3") -> None:
    """A bulk sheet (one row per submitted value or file): the default print area is only its
    heading (the auditor filters on screen; «Fjern utskriftsområde» prints all of it), and an
    AutoFilter over ``filter_ref`` that filtering and sorting may use under sheet protection."""
    print_setup(ws, area=heading)
    if filter_ref:
        ws.auto_filter.ref = filter_ref
    allow_filter(ws)


def allow_filter(ws: Worksheet) -> None:
    """Let the user filter and sort a protected sheet (in OOXML, False = not protected = allowed)."""
    ws.protection.autoFilter = False
    ws.protection.sort = False


@lru_cache(maxsize=4)
def _key(password: str) -> ProtectionKey:
    return make_key(password)
