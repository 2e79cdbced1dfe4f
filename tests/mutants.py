"""Mutants of a real returned workbook for the hostile-input corpus (issue 8): zip-level, XML-level,
value-level and structural damage, each kind a function ``(data, rng) -> bytes`` of the original
file's bytes. Deterministic for a given seed; nothing is committed, everything is made here."""

from __future__ import annotations

import io
import random
import re
import struct
import warnings
import zipfile
from typing import Callable

Mutant = Callable[[bytes, random.Random], bytes]


def members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i, z.read(i)) for i in z.infolist()]


def build(parts: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED,
          methods: dict[str, int] | None = None) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w") as z:
        warnings.simplefilter("ignore", UserWarning)   # duplicate names are made on purpose
        for name, body in parts:
            info = zipfile.ZipInfo(name, date_time=(2024, 3, 1, 12, 0, 0))
            info.compress_type = (methods or {}).get(name, method)
            z.writestr(info, body)
    return buf.getvalue()


def parts_of(data: bytes) -> list[tuple[str, bytes]]:
    return [(i.filename, b) for i, b in members(data)]


def edit(data: bytes, pick: Callable[[str], bool], change: Callable[[bytes, random.Random], bytes],
         rng: random.Random) -> bytes:
    parts = parts_of(data)
    candidates = [i for i, (n, _) in enumerate(parts) if pick(n)]
    if not candidates:
        return data
    i = rng.choice(candidates)
    parts[i] = (parts[i][0], change(parts[i][1], rng))
    return build(parts)


def is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/sheet") and name.endswith(".xml")


def is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def _cells(body: bytes) -> list[re.Match[bytes]]:
    return list(re.finditer(rb'<c r="([A-Z]+\d+)"([^>]*?)(?:/>|>(.*?)</c>)', body, re.S))


def _replace_cell(body: bytes, rng: random.Random, new: Callable[[re.Match[bytes]], bytes],
                  only_values: bool = False) -> bytes:
    cells = [m for m in _cells(body) if not only_values or (m.group(3) and b"<v>" in m.group(3))]
    if not cells:
        return body
    m = rng.choice(cells)
    return body[: m.start()] + new(m) + body[m.end():]


# ---- zip level ---------------------------------------------------------------------------------

def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def empty_member_name(data: bytes, rng: random.Random) -> bytes:
    parts = parts_of(data)
    parts.insert(rng.randrange(len(parts) + 1), ("", b"<x/>"))
    return build(parts)


def odd_member_name(data: bytes, rng: random.Random) -> bytes:
    name = rng.choice(["/abs.xml", "../ut.xml", "xl/../../ut.xml", "xl/\x01ctl.xml", "xl//dobbel.xml", "C:/x.xml",
                       "xl/worksheets/", " ", "xl/ .xml", "\u202eslx.xml"])
    return build(parts_of(data) + [(name, b"<x/>")])


def normalised_duplicate(data: bytes, rng: random.Random) -> bytes:
    parts = parts_of(data)
    name, body = rng.choice([p for p in parts if is_sheet(p[0]) or p[0] == "xl/workbook.xml"])
    variant = rng.choice([name.replace("/", "\\"), "./" + name, name + " ", "/" + name, name.upper(),
                          name.replace("xl/", "xl/./")])
    parts.append((variant, body.replace(b"</sheetData>", b"</sheetData>")))
    rng.shuffle(parts)
    return build(parts)


def exact_duplicate(data: bytes, rng: random.Random) -> bytes:
    parts = parts_of(data)
    parts.append(rng.choice(parts))
    return build(parts)


def compression_method(data: bytes, rng: random.Random) -> bytes:
    parts = parts_of(data)
    name = rng.choice([n for n, _ in parts])
    method = rng.choice([zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
    return build(parts, methods={name: method})


def raw_method(data: bytes, rng: random.Random) -> bytes:
    """An unknown compression method number written into the headers (e.g. 12, 98, 99)."""
    out = bytearray(data)
    method = rng.choice([1, 6, 9, 12, 14, 98, 99])
    local = [m.start() for m in re.finditer(rb"PK\x03\x04", data)]
    central = [m.start() for m in re.finditer(rb"PK\x01\x02", data)]
    k = rng.randrange(len(central))
    struct.pack_into("<H", out, central[k] + 10, method)
    if k < len(local):
        struct.pack_into("<H", out, local[k] + 8, method)
    return bytes(out)


def drop_member(data: bytes, rng: random.Random) -> bytes:
    parts = parts_of(data)
    parts.pop(rng.randrange(len(parts)))
    return build(parts)


def content_types(data: bytes, rng: random.Random) -> bytes:
    body = rng.choice([b"", b"<Types", b"garbage", b"<?xml version='1.0'?><Types><Default/></Types",
                       b"\xff\xfe<\x00T\x00", b"<Types xmlns='x'><Override PartName='/xl/workbook.xml'/>"])
    return edit(data, lambda n: n == "[Content_Types].xml", lambda b, r: body, rng)


def stored_zip64_comment(data: bytes, rng: random.Random) -> bytes:
    """Trailing junk and a comment after the central directory (readers differ on these)."""
    return data + bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))


# ---- XML level ---------------------------------------------------------------------------------

def truncate_xml(data: bytes, rng: random.Random) -> bytes:
    return edit(data, is_xml, lambda b, r: b[: r.randrange(1, max(len(b), 2))], rng)


def junk_in_xml(data: bytes, rng: random.Random) -> bytes:
    junk = rng.choice([b"<", b"&", b"&bogus;", b"</c>", b"\x00", b"\xff\xfe", b"]]>", b"<!-- x -->",
                       b"<![CDATA[x]]>", b"&#1;", b"&#xD800;", b"<?pi x?>"])

    def put(body: bytes, r: random.Random) -> bytes:
        i = r.randrange(len(body))
        return body[:i] + junk + body[i:]

    return edit(data, is_xml, put, rng)


def two_values(data: bytes, rng: random.Random) -> bytes:
    return edit(data, is_sheet, lambda b, r: _replace_cell(
        b, r, lambda m: m.group(0).replace(b"</v>", b"</v><v>999</v>", 1), only_values=True), rng)


def unknown_type(data: bytes, rng: random.Random) -> bytes:
    t = rng.choice([b"x", b"number", b"S", b"", b"inlinestr", b"date"])
    return edit(data, is_sheet, lambda b, r: _replace_cell(
        b, r, lambda m: b'<c r="' + m.group(1) + b'"' + re.sub(rb'\s+t="[^"]*"', b"", m.group(2))
        + b' t="' + t + b'"' + (b">" + m.group(3) + b"</c>" if m.group(3) is not None else b"/>")), rng)


def unicode_digits(data: bytes, rng: random.Random) -> bytes:
    digits = rng.choice(["\u0661\u0662\u0663", "\uff11\uff12", "\u0967\u0968", "1\u00a0000", "\u2212" + "5",
                         "\U0001d7d9"])
    return edit(data, is_sheet, lambda b, r: _replace_cell(
        b, r, lambda m: re.sub(rb"<v>[^<]*</v>", b"<v>" + digits.encode() + b"</v>", m.group(0), count=1),
        only_values=True), rng)


def xhhhh_escape(data: bytes, rng: random.Random) -> bytes:
    text = rng.choice(["_x0041_", "_x000D_", "_x0000_", "_xD800_", "_x005F_x0041_", "_xFFFF_", "_x00e6_"])
    return edit(data, is_sheet, lambda b, r: _replace_cell(
        b, r, lambda m: b'<c r="' + m.group(1) + b'" t="inlineStr"><is><t>' + text.encode() + b"</t></is></c>"), rng)


def utf16_part(data: bytes, rng: random.Random) -> bytes:
    def conv(body: bytes, r: random.Random) -> bytes:
        text = body.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"').replace(
            "encoding='UTF-8'", "encoding='UTF-16'")
        return text.encode(r.choice(["utf-16", "utf-16-le", "utf-16-be"]))

    return edit(data, is_xml, conv, rng)


def declared_encoding(data: bytes, rng: random.Random) -> bytes:
    enc = rng.choice([b"ISO-8859-1", b"windows-1252", b"UTF-7", b"EBCDIC-US", b"ascii", b"bogus"])

    def conv(body: bytes, r: random.Random) -> bytes:
        if body.startswith(b"<?xml"):
            return re.sub(rb'encoding="[^"]*"', b'encoding="' + enc + b'"', body, count=1)
        return b'<?xml version="1.0" encoding="' + enc + b'"?>' + body

    return edit(data, is_xml, conv, rng)


def drop_r_attribute(data: bytes, rng: random.Random) -> bytes:
    return edit(data, is_sheet, lambda b, r: _replace_cell(b, r, lambda m: m.group(0).replace(
        b' r="' + m.group(1) + b'"', b"", 1)), rng)


def odd_reference(data: bytes, rng: random.Random) -> bytes:
    ref = rng.choice([b"XFE1", b"A0", b"A1048577", b"AAAA1", b"a1", b"A99999999999999999999", b"1A", b""])
    return edit(data, is_sheet, lambda b, r: _replace_cell(b, r, lambda m: m.group(0).replace(
        b'r="' + m.group(1) + b'"', b'r="' + ref + b'"', 1)), rng)


def odd_row(data: bytes, rng: random.Random) -> bytes:
    row = rng.choice([b"0", b"-1", b"x", b"1048577", b"99999999999999999999", b""])
    return edit(data, is_sheet, lambda b, r: re.sub(rb'<row r="\d+"', b'<row r="' + row + b'"', b, count=1), rng)


# ---- value level -------------------------------------------------------------------------------

def _set_value(text: bytes, t: bytes | None = None) -> Mutant:
    def mutate(data: bytes, rng: random.Random) -> bytes:
        def new(m: re.Match[bytes]) -> bytes:
            attrs = re.sub(rb'\s+t="[^"]*"', b"", m.group(2))
            return b'<c r="' + m.group(1) + b'"' + attrs + (b' t="' + t + b'"' if t else b"") + b"><v>" + text + b"</v></c>"

        return edit(data, is_sheet, lambda b, r: _replace_cell(b, r, new), rng)

    return mutate


def date_out_of_range(data: bytes, rng: random.Random) -> bytes:
    """A huge or negative number in a date-formatted cell: every cell gets a date style."""
    value = rng.choice([b"1e20", b"-1", b"-700000", b"2958466", b"3000000", b"1e308", b"-1e308", b"9999999999"])

    def styles(body: bytes, r: random.Random) -> bytes:
        return re.sub(rb'numFmtId="\d+"', b'numFmtId="14"', body)

    parts = parts_of(data)
    parts = [(n, styles(b, rng) if n == "xl/styles.xml" else b) for n, b in parts]
    return _set_value(value)(build(parts), rng)


def odd_numbers(data: bytes, rng: random.Random) -> bytes:
    text = rng.choice([b"NaN", b"inf", b"-inf", b"1e999", b"0x10", b"1_000", b" 12 ", b"1,5", b"", b"--1",
                       b"1e-400", b"12345678901234567890123"])
    return _set_value(text)(data, rng)


def odd_types(data: bytes, rng: random.Random) -> bytes:
    t, text = rng.choice([(b"b", b"2"), (b"b", b"yes"), (b"e", b"#DIV/0!"), (b"e", b"#BOGUS"), (b"d", b"2024-13-45"),
                          (b"d", b"not a date"), (b"d", b"99999-01-01"), (b"s", b"99999"), (b"s", b"-1"),
                          (b"s", b"abc"), (b"str", b""), (b"n", b"true")])
    return _set_value(text, t)(data, rng)


def long_text(data: bytes, rng: random.Random) -> bytes:
    text = rng.choice(["x" * 40000, "æ" * 33000, "=" + "A1+" * 3000 + "1", "\u202e" * 100])
    return edit(data, is_sheet, lambda b, r: _replace_cell(
        b, r, lambda m: b'<c r="' + m.group(1) + b'" t="inlineStr"><is><t>' + text.encode() + b"</t></is></c>"), rng)


def formula_junk(data: bytes, rng: random.Random) -> bytes:
    f = rng.choice([b"", b"(((", b"SUM(", b"'x'!A1", b"[1]!x", b"A1:XFD1048576", b"#REF!", b'"' * 7,
                    b"LAMBDA(x,x)(1)"])
    return edit(data, is_sheet, lambda b, r: _replace_cell(
        b, r, lambda m: b'<c r="' + m.group(1) + b'"><f>' + f + b"</f><v>1</v></c>"), rng)


def shared_strings(data: bytes, rng: random.Random) -> bytes:
    """A sharedStrings part (rich text, phonetic runs, odd counts) and cells that point into it."""
    sst = rng.choice([b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>a</t></si>'
                      b'<si><r><t>b</t></r><r><t>c</t></r><rPh><t>x</t></rPh></si></sst>',
                      b"<sst/>", b"<sst><si/></sst>", b"<sst><si><t>_x0041_</t></si></sst>"])
    parts = parts_of(data) + [("xl/sharedStrings.xml", sst)]
    return _set_value(rng.choice([b"0", b"1", b"5", b"-1", b"x"]), b"s")(build(parts), rng)


def shared_formula(data: bytes, rng: random.Random) -> bytes:
    return edit(data, is_sheet, lambda b, r: _replace_cell(
        b, r, lambda m: b'<c r="' + m.group(1) + b'"><f t="shared" si="' + r.choice([b"0", b"7", b"x", b""])
        + b'"/><v>1</v></c>'), rng)


# ---- structural --------------------------------------------------------------------------------

def workbook_sheets(data: bytes, rng: random.Random) -> bytes:
    def change(body: bytes, r: random.Random) -> bytes:
        sheets = re.findall(rb"<sheet [^>]*/>", body)
        choice = r.randrange(5)
        if choice == 0 and sheets:
            return body.replace(r.choice(sheets), b"", 1)
        if choice == 1 and sheets:
            s = r.choice(sheets)
            return body.replace(s, re.sub(rb'r:id="[^"]*"', b'r:id="rId999"', s), 1)
        if choice == 2 and len(sheets) > 1:
            return body.replace(sheets[0], sheets[1], 1)
        if choice == 3:
            return re.sub(rb"<sheets>.*?</sheets>", b"<sheets/>", body, flags=re.S)
        return re.sub(rb'name="[^"]*"', b'name=""', body, count=1)

    return edit(data, lambda n: n == "xl/workbook.xml", change, rng)


def defined_names(data: bytes, rng: random.Random) -> bytes:
    def change(body: bytes, r: random.Random) -> bytes:
        names = re.findall(rb"<definedName [^>]*>[^<]*</definedName>", body)
        if not names:
            return body
        n = r.choice(names)
        new = r.choice([re.sub(rb">[^<]*<", b">#REF!<", n), re.sub(rb">[^<]*<", b">'x'!$A$1:$B$2<", n),
                        re.sub(rb'name="[^"]*"', b'name=""', n), b"", n + n])
        return body.replace(n, new, 1)

    return edit(data, lambda n: n == "xl/workbook.xml", change, rng)


def rels(data: bytes, rng: random.Random) -> bytes:
    def change(body: bytes, r: random.Random) -> bytes:
        targets = re.findall(rb'Target="[^"]*"', body)
        if not targets:
            return body
        t = r.choice(targets)
        return body.replace(t, r.choice([b'Target="/nowhere.xml"', b'Target="../../../etc/passwd"', b'Target=""',
                                         b'Target="http://example.com/x.xml" TargetMode="External"',
                                         b'Target="worksheets/sheet1.xml"']), 1)

    return edit(data, lambda n: n.endswith(".rels"), change, rng)


def meta_values(data: bytes, rng: random.Random) -> bytes:
    """_meta sheet values: the last sheet holds the metadata; replace some with junk."""
    junk = rng.choice([b"abc", b"99999999999999999999", b"-1", b"", b"1e308", b"0301\x20", b"20 24", b"2024.5"])

    def change(body: bytes, r: random.Random) -> bytes:
        cells = [m for m in _cells(body) if m.group(3)]
        if not cells:
            return body
        m = r.choice(cells)
        return body[: m.start()] + b'<c r="' + m.group(1) + b'" t="inlineStr"><is><t>' + junk + b"</t></is></c>" \
            + body[m.end():]

    parts = parts_of(data)
    sheets = [n for n, _ in parts if is_sheet(n)]
    last = max(sheets, key=lambda n: int(re.search(r"(\d+)", n.rsplit("/", 1)[1]).group(1)))
    return edit(data, lambda n: n == last, change, rng)


def custom_props(data: bytes, rng: random.Random) -> bytes:
    body = rng.choice([b"", b"<Properties/>", b"<Properties><property name='kalk_aar'/></Properties>",
                       b"<Properties><property><vt:lpwstr xmlns:vt='v'>x</vt:lpwstr></property></Properties>"])
    return edit(data, lambda n: n == "docProps/custom.xml", lambda b, r: body, rng)


def styles_junk(data: bytes, rng: random.Random) -> bytes:
    def change(body: bytes, r: random.Random) -> bytes:
        return r.choice([re.sub(rb'numFmtId="\d+"', b'numFmtId="x"', body),
                         re.sub(rb'formatCode="[^"]*"', b'formatCode="[$-F800]dddd"', body),
                         re.sub(rb"<cellXfs.*?</cellXfs>", b"<cellXfs/>", body, flags=re.S), b"<styleSheet/>"])

    return edit(data, lambda n: n == "xl/styles.xml", change, rng)


def many_rows(data: bytes, rng: random.Random) -> bytes:
    """Many empty rows appended to a sheet (refused fast, or read within the limits)."""
    n = rng.choice([1000, 20000, 200000])
    rows = b"".join(b'<row r="%d"/>' % (2000 + i) for i in range(n))
    return edit(data, is_sheet, lambda b, r: b.replace(b"</sheetData>", rows + b"</sheetData>", 1), rng)


def core_props(data: bytes, rng: random.Random) -> bytes:
    stamp = rng.choice([b"not-a-date", b"9999-99-99T99:99:99Z", b"0001-01-01T00:00:00Z", b"", b"2024-02-30T00:00:00"])
    return edit(data, lambda n: n == "docProps/core.xml",
                lambda b, r: re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, b), rng)


KINDS: dict[str, Mutant] = {
    "truncate": truncate, "flip_bytes": flip_bytes, "empty_member_name": empty_member_name,
    "odd_member_name": odd_member_name, "normalised_duplicate": normalised_duplicate,
    "exact_duplicate": exact_duplicate, "compression_method": compression_method, "raw_method": raw_method,
    "drop_member": drop_member, "content_types": content_types, "trailing_junk": stored_zip64_comment,
    "truncate_xml": truncate_xml, "junk_in_xml": junk_in_xml, "two_values": two_values,
    "unknown_type": unknown_type, "unicode_digits": unicode_digits, "xhhhh_escape": xhhhh_escape,
    "utf16_part": utf16_part, "declared_encoding": declared_encoding, "drop_r_attribute": drop_r_attribute,
    "odd_reference": odd_reference, "odd_row": odd_row, "date_out_of_range": date_out_of_range,
    "odd_numbers": odd_numbers, "odd_types": odd_types, "long_text": long_text, "formula_junk": formula_junk,
    "shared_strings": shared_strings, "shared_formula": shared_formula, "workbook_sheets": workbook_sheets,
    "defined_names": defined_names, "rels": rels, "meta_values": meta_values, "custom_props": custom_props,
    "styles_junk": styles_junk, "many_rows": many_rows, "core_props": core_props,
}


# kinds that change the package around the same part contents
PACKAGE_ONLY = frozenset(("compression_method", "raw_method", "trailing_junk", "flip_bytes", "truncate"))


def corpus(data: bytes, per_kind: int, seed: int = 8) -> list[tuple[str, bytes]]:
    """``per_kind`` mutants of every kind, as (kind, bytes); some kinds are layered on another."""
    rng = random.Random(seed)
    out: list[tuple[str, bytes]] = []
    for kind, mutate in KINDS.items():
        made = tries = 0
        while made < per_kind and tries < per_kind * 5:
            tries += 1
            try:
                mutant = mutate(data, rng)
            except (zipfile.BadZipFile, UnicodeDecodeError, ValueError):
                continue     # a mutation that cannot apply to this file (e.g. no such part)
            if mutant == data or (kind not in PACKAGE_ONLY and parts_of_or_none(mutant) == parts_of_or_none(data)):
                continue     # the mutation found nothing to change (e.g. a sheet without numbers)
            out.append((kind, mutant))
            made += 1
    return out


def parts_of_or_none(data: bytes) -> list[tuple[str, bytes]] | None:
    try:
        return parts_of(data)
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError, RuntimeError, Exception):
        return None
