"""Package safety and the two sheet readers: checks before parsing (type by content, zip
sanity, bombs, DTDs, encodings) and the fast scanner agreeing with the defusedxml reader."""

from __future__ import annotations

import io
import zipfile

import pytest

from kalk_excel.intake.safety import Package, Rejected, open_package
from kalk_excel.intake.settings import Settings
from kalk_excel.intake.sheetscan import Unsupported, scan_cells
from kalk_excel.intake.xmlparts import sheet_cells, sheet_cells_tree

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def minimal(extra: dict[str, bytes] | None = None) -> dict[str, bytes]:
    return {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": f"<workbook {NS}/>".encode(), **(extra or {})}


def code_of(data: bytes, settings: Settings | None = None) -> str:
    with pytest.raises(Rejected) as info:
        open_package(data, settings or Settings())
    return info.value.problem.code


def test_minimal_package_opens():
    pkg = open_package(zip_bytes(minimal()), Settings())
    assert "xl/workbook.xml" in pkg.xml


@pytest.mark.parametrize("data,code", [
    (b"", "S001"),
    (b"just some text, not a workbook", "S003"),
    (b"PK\x03\x04" + b"\x00" * 50, "S008"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 600, "S004"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 600, "S005"),
])
def test_type_by_content(data, code):
    assert code_of(data) == code


def test_macros_by_content_type():
    types = b'<Types><Override ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>'
    data = zip_bytes(minimal({"[Content_Types].xml": types}))
    assert code_of(data) == "S006"


def test_declared_size_sum_limit():
    data = zip_bytes(minimal({"xl/a.bin": b"a" * 5000, "xl/b.bin": b"b" * 5000}))
    assert code_of(data, Settings(max_uncompressed_bytes=8000)) == "S009"


def test_compression_ratio_limit():
    data = zip_bytes(minimal({"xl/media/zero.bin": b"\x00" * (2 * 1024 * 1024)}))
    assert code_of(data) == "S009"


def test_actual_read_is_bounded_even_if_sizes_lie():
    """A member whose declared size is smaller than what it inflates to is caught while reading."""
    data = bytearray(zip_bytes(minimal({"xl/lie.xml": b"<a>" + b"x" * 100_000 + b"</a>"})))
    # patch the central directory's uncompressed size of the last member to 10 bytes
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24: cd + 28] = (10).to_bytes(4, "little")
    assert code_of(bytes(data)) in ("S008", "S009")


def test_too_many_members():
    data = zip_bytes(minimal({f"xl/m{i}.bin": b"x" for i in range(20)}))
    assert code_of(data, Settings(max_members=10)) == "S013"


def test_duplicate_member_names():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in minimal().items():
            z.writestr(name, data)
        with pytest.warns(UserWarning):
            z.writestr("xl/workbook.xml", b"<workbook/>")
    assert code_of(buf.getvalue()) == "S008"


def test_dtd_in_any_part_refused():
    dtd = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    assert code_of(zip_bytes(minimal({"xl/worksheets/sheet1.xml": dtd}))) == "S010"
    assert code_of(zip_bytes(minimal({"xl/styles.xml": dtd.decode().encode("utf-16")}))) == "S010"


def test_foreign_encoding_refused():
    xml = '<?xml version="1.0" encoding="cp037"?>'.encode() + "<x/>".encode("cp037")
    assert code_of(zip_bytes(minimal({"xl/styles.xml": xml}))) == "S011"


def test_external_links_flagged_not_rejected():
    pkg = open_package(zip_bytes(minimal({"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})), Settings())
    assert [p.code for p in pkg.warnings] == ["S012"]


# --- the two sheet readers ---

def sheet(body: str) -> Package:
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS}><sheetData>{body}</sheetData></worksheet>'
    return Package(names=["s.xml"], xml={"s.xml": xml.encode("utf-8")})


CASES = [
    '<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" s="2"/><c r="C1"><v>1.5E-3</v></c></row>',
    '<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve"> a &amp; b &lt;c&gt; &#229;&#x00F8;</t></is></c></row>',
    '<row r="3"><c r="A3" t="inlineStr"><is><r><rPr><b/></rPr><t>rik</t></r><r><t>tekst</t></r>'
    '<rPh sb="0" eb="1"><t>skjult</t></rPh></is></c></row>',
    '<row r="4"><c r="A4"><f t="shared" ref="A4:A6" si="3">B4*2</f><v>2</v></c></row>'
    '<row r="5"><c r="A5"><f t="shared" si="3"/><v>4</v></c></row><row r="6"><c r="A6"><f t="shared" si="3" /></c></row>',
    '<row r="7"><c r="A7" t="str"><f>IF(A1="x","&lt;","&gt;")</f><v>&gt;</v></c><c r="B7" t="b"><v>1</v></c>'
    '<c r="C7" t="e"><v>#DIV/0!</v></c><c r="D7" s="1" t="n"><f aca="false">SUM(A1:A2)</f><v></v></c></row>',
]


@pytest.mark.parametrize("body", CASES)
def test_scanner_equals_defusedxml_reader(body):
    pkg = sheet(body)
    strings = ["null", "delt tekst"]
    scan_cells(pkg.xml["s.xml"], strings)   # the fast path is taken (no Unsupported)
    assert sheet_cells(pkg, "s.xml", strings) == sheet_cells_tree(pkg, "s.xml", strings)


def test_scanner_values():
    pkg = sheet("".join(CASES))
    cells = sheet_cells(pkg, "s.xml", ["null", "delt tekst"])
    assert cells["A1"].value == "delt tekst" and "B1" not in cells
    assert cells["A2"].value == " a & b <c> åø"
    assert cells["A3"].value == "riktekst"
    assert [cells[r].formula for r in ("A4", "A5", "A6")] == ["B4*2", "B5*2", "B6*2"]
    assert cells["A7"].formula == 'IF(A1="x","<",">")' and cells["C7"].value == "#DIV/0!"


@pytest.mark.parametrize("body", [
    '<row r="1"><c t="s"><v>0</v></c></row>',                       # no r
    '<row r="1"><c s="1" r="A1"><v>0</v></c></row>',                # r not first
    '<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<x>]]></t></is></c></row>',
    '<row r="1"><!-- kommentar --><c r="A1"><v>1</v></c></row>',
])
def test_unusual_sheets_fall_back_to_defusedxml(body):
    pkg = sheet(body)
    with pytest.raises(Unsupported):
        scan_cells(pkg.xml["s.xml"], ["null"])
    assert sheet_cells(pkg, "s.xml", ["null"]) == sheet_cells_tree(pkg, "s.xml", ["null"])
    assert sheet_cells(pkg, "s.xml", ["null"])["A1"]


def test_scanner_equals_reader_on_generated_workbook(maker, tmp_path):
    from kalk_excel.intake.reader import open_workbook

    path = maker.filled(tmp_path / "a.xlsx", sos_kommentar="tekst med <tegn> & \"sitat\"")
    data = path.read_bytes()
    pkg = open_package(data, Settings())
    wb = open_workbook(pkg, data)
    for s in wb.sheets:
        scan_cells(pkg.part(s.path), wb.strings)
        assert sheet_cells(pkg, s.path, wb.strings) == sheet_cells_tree(pkg, s.path, wb.strings)


def test_malformed_sheet_outside_cell_data_is_refused():
    """The scanner reads only <sheetData>; the whole part must still be well-formed XML."""
    xml = f'<worksheet {NS}><sheetViews><sheetView></sheetViews><sheetData/></worksheet>'.encode()
    pkg = Package(names=["s.xml"], xml={"s.xml": xml})
    with pytest.raises(Rejected) as info:
        sheet_cells(pkg, "s.xml", [])
    assert info.value.problem.code == "S011"
