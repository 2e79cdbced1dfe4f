"""The add-in's config sheet `myaddin.conf` (read by the template's VBA `GetConfig`).

The VBA reads keys from A1 down to the first blank row, upper-cases them, and a key that is
present wins even with an empty value (an empty `Use UDF Server` even breaks the VBA's Boolean
conversion). So the sheet holds only keys with a real value; everything else keeps its default
(or can come from the user's `myaddin.conf` file):

- `ADD_WORKBOOK_TO_PYTHONPATH = false`: the code comes from the installed package, so the
  master's folder is not put on Python's path (a stray `beregningsutvalget.py` there cannot
  shadow it).
- `Interpreter_Win` / `Interpreter_Mac`: only when given at build time (full path to python).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

TEMPLATE_SHEET_NAME = "_myaddin.conf"
SHEET_NAME = "myaddin.conf"
SHEET_PART = "xl/worksheets/sheet1.xml"
STRINGS_PART = "xl/sharedStrings.xml"
WORKBOOK_PART = "xl/workbook.xml"
CELL_STYLE = "1"  # the template's style for the config cells


def config_rows(interpreter_win: str | None = None, interpreter_mac: str | None = None) -> list[tuple[str, str]]:
    """Key/value rows of the config sheet, in order from A1."""
    rows = [("ADD_WORKBOOK_TO_PYTHONPATH", "false")]
    for key, value in (("Interpreter_Win", interpreter_win), ("Interpreter_Mac", interpreter_mac)):
        if value is not None and value.strip():
            rows.append((key, value.strip()))
    return rows


def shared_strings_xml(rows: list[tuple[str, str]]) -> bytes:
    """sharedStrings.xml holding every key and value (index = position in `_strings(rows)`)."""
    strings = _strings(rows)
    items = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{2 * len(rows)}" uniqueCount="{len(strings)}">{items}</sst>').encode("utf-8")


def sheet_xml(template_sheet: bytes, rows: list[tuple[str, str]]) -> bytes:
    """The template's config sheet with its cells replaced by `rows` (columns A:B from row 1)."""
    index = {s: i for i, s in enumerate(_strings(rows))}
    cells = "".join(
        f'<row r="{r}" spans="1:2"><c r="A{r}" s="{CELL_STYLE}" t="s"><v>{index[k]}</v></c>'
        f'<c r="B{r}" s="{CELL_STYLE}" t="s"><v>{index[v]}</v></c></row>'
        for r, (k, v) in enumerate(rows, start=1))
    text = template_sheet.decode("utf-8")
    text, n_dim = re.subn(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:B{len(rows)}" />', text)
    text, n_data = re.subn(r"<sheetData>.*</sheetData>", lambda _m: f"<sheetData>{cells}</sheetData>", text,
                           flags=re.S)
    if n_dim != 1 or n_data != 1:
        raise ValueError("the template's config sheet has an unexpected shape")
    return text.encode("utf-8")


def workbook_xml(template_workbook: bytes) -> bytes:
    """workbook.xml with the config sheet renamed from `_myaddin.conf` to `myaddin.conf`."""
    old = f'name="{TEMPLATE_SHEET_NAME}"'.encode()
    if template_workbook.count(old) != 1:
        raise ValueError("the template's workbook.xml does not name exactly one _myaddin.conf sheet")
    return template_workbook.replace(old, f'name="{SHEET_NAME}"'.encode())


def _strings(rows: list[tuple[str, str]]) -> list[str]:
    seen: dict[str, None] = {}
    for key, value in rows:
        seen.setdefault(key)
        seen.setdefault(value)
    return list(seen)
