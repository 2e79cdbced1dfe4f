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
        return
    ws.protection.sheet = True


@lru_cache(maxsize=4)
def _key(password: str) -> ProtectionKey:
    return make_key(password)
