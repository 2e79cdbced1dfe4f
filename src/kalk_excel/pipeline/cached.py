"""The delivered master carries its computed values.

openpyxl writes every formula without a cached value, so previews, Protected View and readers that
do not calculate (openpyxl ``data_only=True``, python-calamine, pandas) see blanks in a master
fresh from ``build_master``. LibreOffice computes them in its recalculated copy, but that copy is
LibreOffice's own re-save (it drops workbook structure protection and truncates validation
prompts, docs/TEKNISK.md), so it is never what the user opens.

``write_cached_values(master, recalculated)`` takes the computed values from the recalculated copy
and writes them into the master *as built*: only the ``<v>`` (and the type ``t``) of each formula
cell in the sheet XML changes; every other part of the package (names, protection, validation,
charts, styles, the formulas themselves) is copied byte for byte. Excel still recalculates on open
(``fullCalcOnLoad``), with the cached values as the starting point.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path, PurePosixPath
from xml.sax.saxutils import escape

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# a formula cell as openpyxl writes it: <c r="B6" s="3"><f>…</f><v></v></c> (or <v/>, or a value)
_FORMULA_CELL = re.compile(
    r'<c r="(?P<ref>[A-Z]+[0-9]+)"(?P<attrs>[^>]*)><f>(?P<f>[^<]*)</f>(?:<v\s*/>|<v>[^<]*</v>)?</c>')
_TYPE_ATTR = re.compile(r'\s+t="[^"]*"')
_TYPE_VALUE = re.compile(r'\st="([^"]*)"')
# a formula cell as LibreOffice writes it (also a shared formula <f t="shared" si="0"/>)
_COMPUTED_CELL = re.compile(
    r'<c r="(?P<ref>[A-Z]+[0-9]+)"(?P<attrs>[^>]*)>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)(?:<v>(?P<v>[^<]*)</v>|<v\s*/>)?</c>')

Value = tuple[str | None, str]        # (cell type t or None for a number, the XML text of <v>)


class CachedValuesError(RuntimeError):
    """The recalculated copy does not fit the master (Norwegian message)."""


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the part path of its XML in the package (``xl/worksheets/sheet1.xml``)."""
    wb = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    out = {}
    for sheet in wb.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out[sheet.get("name", "")] = path
    return out


def computed_values(path: str | Path) -> dict[str, dict[str, Value]]:
    """Sheet name -> cell -> (type, value as XML text) of every formula cell in a (recalculated)
    workbook. A regular-expression scan: the recalculated copy is LibreOffice's own XML, and a
    full XML parse of every cell costs seconds on a large master."""
    out: dict[str, dict[str, Value]] = {}
    with zipfile.ZipFile(path) as zf:
        shared: list[str] | None = None
        for name, part in sheet_parts(zf).items():
            cells: dict[str, Value] = {}
            for m in _COMPUTED_CELL.finditer(zf.read(part).decode("utf-8")):
                t = _TYPE_VALUE.search(m.group("attrs"))
                kind = t.group(1) if t else None
                text = m.group("v") or ""
                if kind == "n":
                    kind = None
                elif kind == "s":        # a shared string as a formula's result: store the text itself
                    shared = _shared_strings(zf) if shared is None else shared
                    kind, text = "str", escape(shared[int(text)])
                cells[m.group("ref")] = (kind, text)
            out[name] = cells
    return out


def write_cached_values(master: str | Path, recalculated: str | Path, out: str | Path | None = None) -> int:
    """Write the values of ``recalculated`` (LibreOffice's copy) as cached values into the formula
    cells of ``master`` (saved as ``out``, default: in place). Return the number of cells given a
    value. Raises ``CachedValuesError`` when a sheet of the master is missing from the copy."""
    master, out = Path(master), Path(out) if out is not None else Path(master)
    values = computed_values(recalculated)
    tmp = out.with_name(out.name + ".verdier.tmp")
    count = 0
    with zipfile.ZipFile(master) as src:
        parts = {part: name for name, part in sheet_parts(src).items()}
        missing = sorted(set(parts.values()) - set(values))
        if missing:
            raise CachedValuesError("Den omregnede kopien mangler arket/arkene " + ", ".join(missing) + ".")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename in parts:
                    data, n = patch_sheet(data, values[parts[info.filename]])
                    count += n
                dst.writestr(info, data, compresslevel=1)   # fast: the package is written once per run
    os.replace(tmp, out)
    return count


def patch_sheet(xml: bytes, values: dict[str, Value]) -> tuple[bytes, int]:
    """One sheet's XML with the cached value of every formula cell found in ``values``."""
    count = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal count
        got = values.get(m.group("ref"))
        if got is None:
            return m.group(0)
        kind, text = got
        attrs = _TYPE_ATTR.sub("", m.group("attrs")) + (f' t="{kind}"' if kind else "")
        count += 1
        return f'<c r="{m.group("ref")}"{attrs}><f>{m.group("f")}</f><v>{text}</v></c>'

    text = _FORMULA_CELL.sub(repl, xml.decode("utf-8"))
    return text.encode("utf-8"), count


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    try:
        root = ET.fromstring(zf.read("xl/sharedStrings.xml"))
    except KeyError:
        return []
    return ["".join(t.text or "" for t in si.iter(f"{_MAIN}t")) for si in root.iter(f"{_MAIN}si")]
