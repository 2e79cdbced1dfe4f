"""Fast scanner for worksheet XML: cells, values, formulas — a bytes-level regular expression
pass over ``<sheetData>``, about five times faster than building an element tree (the sheet XML
is the bulk of every returned file, and it must all be read for the fingerprint).

Safety: it expands no entities at all (only the five predefined ones and character references are
decoded), and every XML part has already been refused if it has a DTD (``safety``). It handles
what spreadsheet writers produce; anything unusual — a cell without ``r``, CDATA, comments,
namespace prefixes, single-quoted attributes, another encoding — raises ``Unsupported`` and the
caller parses that sheet with defusedxml instead. A test holds both readers equal.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>([^<]*(?:<(?!/c>)[^<]*)*)</c>)')
_CELL_START = re.compile(r"<c[\s/>]")
_ATTR = re.compile(r'\b(r|t|si)="([^"]*)"')
_V = re.compile(r"<v>(.*?)</v>|<v\s*/>", re.S)
_F = re.compile(r"<f\b([^>]*?)(?:/>|>(.*?)</f>)", re.S)
_IS = re.compile(r"<is>(.*?)</is>", re.S)
_RPH = re.compile(r"<rPh\b.*?</rPh>", re.S)
_T = re.compile(r"<t\b[^>]*?>(.*?)</t>|<t\b[^>]*?/>", re.S)
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_UNSUPPORTED = ("<![CDATA[", "<!--", "='", ":c ")


class RawCell(NamedTuple):
    t: str             # OOXML cell type: n, s, str, inlineStr, b, e, d
    value: str | None  # raw text of <v> (shared string index resolved for t="s") or inline text
    formula: str | None  # formula text without '=' (shared formulas expanded), None if no formula
    s: str | None = None  # style index (cellXfs), for telling dates from numbers


# row XML -> its parsed cells: files from the same template repeat most rows byte for byte. Rows
# using shared strings or shared formulas depend on more than their own XML and are not kept.
_ROWS: dict[str, list[tuple[str, RawCell]]] = {}


class Unsupported(Exception):
    """The scanner does not handle this sheet; parse it with the tree parser."""


def _text(text: str) -> str:
    return _ENTITY.sub(_entity, text) if "&" in text else text


def _entity(m: re.Match[str]) -> str:
    name = m.group(1)
    if name[0] == "#":
        return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))
    return _PREDEFINED[name]


def _general(ref: str, inner: str, t: str, shared: dict[str, tuple[str, str]],
             pending: list[tuple[str, str]]) -> tuple[str | None, str | None]:
    value: str | None = None
    formula: str | None = None
    vm = _V.search(inner)
    if vm is not None:
        value = _text(vm.group(1) or "")
    fm = _F.search(inner)
    if fm is not None:
        f_attrs = dict(_ATTR.findall(fm.group(1)))
        text = _text(fm.group(2)) if fm.group(2) else ""
        if f_attrs.get("t") == "shared" and "si" in f_attrs:
            if text:
                shared[f_attrs["si"]] = (ref, text)
            else:
                pending.append((ref, f_attrs["si"]))
        formula = text
    if t == "inlineStr":
        im = _IS.search(inner)
        if im is not None:
            value = "".join(_text(x.group(1) or "") for x in _T.finditer(_RPH.sub("", im.group(1))))
    return value, formula


def _row_cells(found: list[tuple[str, str, str]], strings: list[str], shared: dict[str, tuple[str, str]],
               pending: list[tuple[str, str]]) -> tuple[list[tuple[str, RawCell]], bool]:
    """The cells of one row; reusable is False when they depend on more than the row's own XML
    (shared strings, shared formulas)."""
    out: list[tuple[str, RawCell]] = []
    reusable = True
    for ref, attrs, inner in found:
        if not inner:
            continue
        i = attrs.find(' t="')
        t = attrs[i + 4: attrs.index('"', i + 4)] if i >= 0 else "n"
        i = attrs.find(' s="')
        style = attrs[i + 4: attrs.index('"', i + 4)] if i >= 0 else None
        formula = None
        if inner[:3] == "<v>" and inner.count("<") == 2:           # number / shared-string index
            value: str | None = _text(inner[3:-4])
        elif inner[:7] == "<is><t>" and inner.count("<") == 4:     # plain inline string
            value = _text(inner[7:-9])
        else:
            value, formula = _general(ref, inner, t, shared, pending)
            if 'shared"' in inner:
                reusable = False
        if value is None and formula is None:
            continue
        if t == "s" and value is not None:
            value = strings[int(value)]
            reusable = False
        out.append((ref, RawCell(t, value, formula, style)))
    return out, reusable


def scan_cells(data: bytes, strings: list[str]) -> tuple[list[tuple[str, RawCell]],
                                                         dict[str, tuple[str, str]], list[tuple[str, str]]]:
    """Cells of a sheet as (ref, RawCell), plus shared-formula masters and children."""
    head = data[:200]
    if b"encoding=" in head and not re.search(rb'encoding="(?i:utf-8)"', head):
        raise Unsupported("encoding")
    text = data.decode("utf-8")
    start = text.find("<sheetData")
    if start < 0:
        raise Unsupported("no sheetData")   # e.g. a prefixed namespace
    end = text.find("</sheetData>", start)
    body = text[start:end] if end > 0 else ""
    for marker in _UNSUPPORTED:
        if marker in body:
            raise Unsupported(marker)
    cells: list[tuple[str, RawCell]] = []
    shared: dict[str, tuple[str, str]] = {}
    pending: list[tuple[str, str]] = []
    memo = _ROWS
    for row in body.split("<row")[1:]:
        hit = memo.get(row)
        if hit is not None:              # the same row XML as in an earlier file (template content)
            cells.extend(hit)
            continue
        found = _CELL.findall(row)
        if len(found) != len(_CELL_START.findall(row)):
            raise Unsupported("cell without r first")   # some <c> has no r, or r is not its first attribute
        row_cells, reusable = _row_cells(found, strings, shared, pending)
        if reusable:
            if len(memo) > 100_000:
                memo.clear()
            memo[row] = row_cells
        cells.extend(row_cells)
    return cells, shared, pending
