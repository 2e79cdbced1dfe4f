"""The add-in's config sheet `myaddin.conf` (read by the template's VBA `GetConfig`).

The VBA reads keys from A1 down to the first blank row, upper-cases them, and a key that is
present wins even with an empty value (an empty `Use UDF Server` even breaks the VBA's Boolean
conversion). So the sheet holds only keys with a real value; everything else keeps its default
(or can come from the user's `myaddin.conf` file):

- `ADD_WORKBOOK_TO_PYTHONPATH = false`: the code comes from the installed package, so the
  master's folder is not put on Python's path (a stray `beregningsutvalget.py` there cannot
  shadow it).
- `Interpreter_Win` / `Interpreter_Mac`, `Conda Path` / `Conda Env`: the Python the button
  starts (see `interpreter.py`; by default the one the build runs under).
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from .interpreter import Interpreter

TEMPLATE_SHEET_NAME = "_myaddin.conf"
SHEET_NAME = "myaddin.conf"
SHEET_PART = "xl/worksheets/sheet1.xml"
STRINGS_PART = "xl/sharedStrings.xml"
WORKBOOK_PART = "xl/workbook.xml"
CELL_STYLE = "1"  # the template's style for the config cells


def config_rows(interpreter: Interpreter | None = None) -> list[tuple[str, str]]:
    """Key/value rows of the config sheet, in order from A1."""
    return [("ADD_WORKBOOK_TO_PYTHONPATH", "false"), *(interpreter.rows() if interpreter else [])]


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


def read_rows(xlam: Path | str) -> list[tuple[str, str]]:
    """The key/value rows of a built add-in's config sheet (for the build's report)."""
    import zipfile

    from defusedxml import ElementTree

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(xlam) as z:
        strings = ["".join(t.text or "" for t in si.iter(f"{ns}t"))
                   for si in ElementTree.fromstring(z.read(STRINGS_PART)).findall(f"{ns}si")]
        sheet = ElementTree.fromstring(z.read(SHEET_PART))
    cells = {c.get("r"): strings[int(c.find(f"{ns}v").text)] for c in sheet.iter(f"{ns}c")
             if c.get("t") == "s" and c.find(f"{ns}v") is not None}
    rows, r = [], 1
    while cells.get(f"A{r}"):
        rows.append((cells[f"A{r}"], cells.get(f"B{r}", "")))
        r += 1
    return rows
