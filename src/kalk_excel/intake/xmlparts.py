"""Defensive parsing of the package's XML parts (defusedxml, DTDs forbidden): workbook sheets and
defined names, relationships, document properties, shared strings, and the cells of a sheet
(values and formulas, shared formulas expanded).

Parse errors raise ``Rejected`` with a coded problem; the bytes come from ``safety.Package``,
already bounded in size (``Settings.max_member_bytes``) and scanned for DTDs, so a whole-part
parse (C tree builder, several times faster than iterparse) has bounded memory.
"""

from __future__ import annotations

import posixpath
import re
import xml.parsers.expat as expat
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import NoReturn
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .codes import problem
from .safety import Package, Rejected
from .sheetscan import CellRefused, RawCell, Unsupported, check_cell, decode_escapes, scan_cells, shared_string

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_REL_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships"


@dataclass(frozen=True)
class SheetRef:
    name: str
    path: str        # zip member, e.g. xl/worksheets/sheet1.xml
    state: str       # visible | hidden | veryHidden


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse(package: Package, name: str) -> Element | None:
    data = package.part(name)
    if data is None:
        return None
    return parse_bytes(data, name)


def parse_bytes(data: bytes, name: str) -> Element:
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise Rejected(problem("S010", detail=f"{name}: {type(exc).__name__}")) from None
    except (ParseError, ValueError, UnicodeDecodeError) as exc:
        raise Rejected(problem("S011", detail=f"{name}: {str(exc)[:120]}")) from None


def _rels(package: Package, part: str) -> dict[str, str]:
    folder, base = posixpath.split(part)
    root = parse(package, posixpath.join(folder, "_rels", base + ".rels"))
    out: dict[str, str] = {}
    if root is None:
        return out
    for rel in root:
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External":
            out[rel.get("Id") or ""] = "external:" + target
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id") or ""] = path
    return out


def date1904(package: Package) -> bool:
    """The workbook uses the 1904 date system (Mac Excel of old)."""
    data = package.part("xl/workbook.xml") or b""
    head = data[: data.find(b"<sheets")] if b"<sheets" in data else data[:4000]
    return re.search(rb'date1904="(1|true)"', head) is not None


def workbook(package: Package) -> tuple[list[SheetRef], dict[str, str]]:
    """Sheets in order and workbook-scope defined names (name -> reference text)."""
    root = parse(package, "xl/workbook.xml")
    if root is None:
        raise Rejected(problem("S014", detail="mangler xl/workbook.xml"))
    rels = _rels(package, "xl/workbook.xml")
    sheets: list[SheetRef] = []
    names: dict[str, str] = {}
    for child in root:
        tag = local(child.tag)
        if tag == "sheets":
            for s in child:
                rid = s.get(f"{{{REL_NS}}}id") or s.get(f"{{{STRICT_REL_NS}}}id") or ""
                sheets.append(SheetRef(s.get("name") or "", rels.get(rid, ""), s.get("state") or "visible"))
        elif tag == "definedNames":
            for dn in child:
                if dn.get("localSheetId") is None and dn.get("name"):
                    names[dn.get("name")] = (dn.text or "").strip()  # type: ignore[index]
    return sheets, names


def custom_properties(package: Package) -> dict[str, str]:
    root = parse(package, "docProps/custom.xml")
    out: dict[str, str] = {}
    if root is None:
        return out
    for prop in root:
        name = prop.get("name")
        if name is None:
            continue
        value = next(iter(prop), None)
        out[name] = (value.text or "").strip() if value is not None else ""
    return out


def modified_time(package: Package) -> datetime | None:
    """docProps/core.xml dcterms:modified (UTC), or None."""
    root = parse(package, "docProps/core.xml")
    if root is None:
        return None
    for child in root:
        if local(child.tag) == "modified" and child.text:
            return parse_time(child.text.strip())
    return None


def parse_time(text: str) -> datetime | None:
    try:
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t.replace(tzinfo=timezone.utc) if t.tzinfo is None else t.astimezone(timezone.utc)


def shared_strings(package: Package) -> list[str]:
    """Every shared string (rich text runs joined, phonetic runs left out)."""
    name = _find_part(package, "sharedStrings.xml")
    if name is None:
        return []
    root = parse(package, name)
    out: list[str] = []
    for si in root:  # type: ignore[union-attr]
        out.append(_text_of(si))
    return out


def _text_of(node: Element) -> str:
    """The text of a string item (``<si>``, ``<is>``): runs joined, ``_xHHHH_`` decoded."""
    parts: list[str] = []
    for child in node:
        tag = local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            for t in child:
                if local(t.tag) == "t":
                    parts.append(t.text or "")
    return decode_escapes("".join(parts))


def _find_part(package: Package, base: str) -> str | None:
    for name in package.xml:
        if name.lower() == f"xl/{base.lower()}":
            return name
    return None


_REF = re.compile(r"^([A-Z]+)(\d+)$")


def split_ref(ref: str) -> tuple[int, int]:
    m = _REF.match(ref)
    if not m:
        raise ValueError(ref)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def make_ref(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def sheet_cells(package: Package, path: str, strings: list[str], sheet: str | None = None) -> dict[str, RawCell]:
    """Every non-empty cell of a sheet: A1 ref -> RawCell (values, formulas, shared formulas).

    The fast scanner (``sheetscan``) reads what spreadsheet writers produce; anything it does not
    handle is parsed with defusedxml (``sheet_cells_tree``). A cell programs could read
    differently (``sheetscan.check_cell``) rejects the file with its own code, located."""
    data = package.part(path)
    if data is None:
        return {}
    try:
        check_wellformed(data, path)
        try:
            found, shared, pending = scan_cells(data, strings)
        except Unsupported:
            return sheet_cells_tree(package, path, strings)
        except (ValueError, IndexError, UnicodeDecodeError, OverflowError):
            raise Rejected(problem("S011", detail=f"{path}: ugyldig celle")) from None
    except CellRefused as exc:
        raise Rejected(problem(exc.code, sheet=sheet, cell=exc.ref if _REF.match(exc.ref) else None,
                               detail=f"{sheet or path}, {exc.detail}")) from None
    cells = dict(found)
    _expand_shared(cells, shared, pending)
    return cells


def _refuse(*_args: object) -> NoReturn:
    raise _DtdFound


class _DtdFound(Exception):
    pass


def check_wellformed(data: bytes, name: str) -> None:
    """Well-formedness of a part the scanner reads, by expat in C with no content handlers (fast);
    like defusedxml, any DTD, entity declaration or external entity reference is refused."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    try:
        parser.Parse(data, True)
    except _DtdFound:
        raise Rejected(problem("S010", detail=name)) from None
    except expat.ExpatError as exc:
        raise Rejected(problem("S011", detail=f"{name}: {str(exc)[:120]}")) from None


def sheet_cells_tree(package: Package, path: str, strings: list[str]) -> dict[str, RawCell]:
    """``sheet_cells`` through defusedxml's parser (the reference reader; slower)."""
    data = package.part(path)
    if data is None:
        return {}
    root = parse_bytes(data, path)   # defused, DTDs forbidden; size bounded by safety
    cells: dict[str, RawCell] = {}
    shared: dict[str, tuple[str, str]] = {}   # si -> (master ref, master formula)
    pending: list[tuple[str, str]] = []       # (ref, si) of shared-formula children
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    c_tag, v_tag, f_tag, is_tag = ns + "c", ns + "v", ns + "f", ns + "is"
    sheet_data = root.find(ns + "sheetData")
    if sheet_data is None:
        return cells
    row_no = 0
    try:
        for row in sheet_data:
            r = row.get("r")
            row_no = int(r) if r else row_no + 1
            col = 0
            for c in row:
                if c.tag != c_tag:
                    continue
                ref = c.get("r")
                if ref:
                    row_no, col = split_ref(ref)
                else:
                    col += 1
                    ref = make_ref(row_no, col)
                t = c.get("t") or "n"
                v = formula = None
                values = 0
                for child in c:
                    tag = child.tag
                    if tag == v_tag:
                        v = child.text or ""
                        values += 1
                    elif tag == f_tag:
                        f = child.text
                        if child.get("t") == "shared" and child.get("si") is not None:
                            if f:
                                shared[child.get("si")] = (ref, f)  # type: ignore[index]
                                formula = f
                            else:
                                pending.append((ref, child.get("si")))  # type: ignore[arg-type]
                                formula = ""
                        else:
                            formula = f or ""
                    elif tag == is_tag:
                        v = _text_of(child)
                check_cell(ref, t, v, values)
                if t == "s" and v is not None:
                    v = shared_string(strings, ref, v)
                if v is None and formula is None:
                    continue
                cells[ref] = RawCell(t, v, formula, c.get("s"))
    except (ValueError, IndexError, OverflowError):
        raise Rejected(problem("S011", detail=f"{path}: ugyldig celle")) from None
    _expand_shared(cells, shared, pending)
    return cells


def _expand_shared(cells: dict[str, RawCell], shared: dict[str, tuple[str, str]],
                   pending: list[tuple[str, str]]) -> None:
    for ref, si in pending:
        master = shared.get(si)
        old = cells[ref]
        cells[ref] = RawCell(old.t, old.value, _translate(master[1], master[0], ref) if master else "", old.s)


def _translate(formula: str, origin: str, dest: str) -> str:
    from openpyxl.formula.translate import Translator  # only for shared formulas (rare)

    try:
        return Translator("=" + formula, origin=origin).translate_formula(dest)[1:]
    except Exception:  # noqa: BLE001 - an untranslatable formula is reported as changed, not a crash
        return formula
