"""Integrity of the locked content: the fingerprint (v2, keyed) recomputed from the returned XML equals the
generator's, and every change outside the input cells is named by sheet and cell; deleted,
renamed and added sheets, inserted rows, moved names and metadata edits are found."""

from __future__ import annotations

import os

import openpyxl
from intake_helpers import KOMMUNER, rewrite_zip, set_core_modified, sheet_part

from kalk_excel.intake import check_file, check_folder
from kalk_excel.intake.integrity import (
    fast_fingerprint,
    identity_of,
    input_positions,
    locked_cells,
    locked_raw_cells,
    read_sheets,
)
from kalk_excel.intake.reader import open_workbook
from kalk_excel.intake.safety import Package, open_package
from kalk_excel.intake.settings import Settings
from kalk_excel.intake.xmlparts import sheet_cells
from kalk_excel.workbook import fingerprint, read_meta
from kalk_excel.workbook.fingerprint import content_lines, digest

BY_NUMBER = {k.kommunenummer: k for k in KOMMUNER}


def codes(res):
    return [p.code for p in res.problems]


def test_fingerprint_from_xml_equals_generators(maker, tmp_path):
    path = maker.filled(tmp_path / "a.xlsx", sos_kommentar="=ikke en formel")
    data = path.read_bytes()
    wb = open_workbook(open_package(data, Settings()), data)
    sheets = read_sheets(wb)
    lines = content_lines(locked_cells(sheets, input_positions(wb)))
    meta = read_meta(path)
    assert meta["fingerprint_metode"] == "v2"
    # computed by the generator from openpyxl values and its placement, keyed with the configured key
    assert digest(lines, os.environ["KALK_EXCEL_NOKKEL"], identity_of(wb)) == meta["fingerprint"]
    assert digest(lines, "en annen nøkkel", identity_of(wb)) != meta["fingerprint"]
    mine = fingerprint(locked_cells(sheets, input_positions(wb)))      # v1 over the same content
    assert fast_fingerprint(locked_raw_cells(sheets, input_positions(wb))) == mine   # memoised path, twice
    assert fast_fingerprint(locked_raw_cells(sheets, input_positions(wb))) == mine


def test_changed_label_named(maker, settings, tmp_path):
    path = maker.filled(tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["3 Sosial"]
    target = next(c for row in ws.iter_rows() for c in row
                  if isinstance(c.value, str) and c.value.startswith("Lønn (art 010-099)"))
    old = target.value
    target.value = "Lønn (alt)"
    wb.save(tmp_path / "b.xlsx")
    res = check_file(tmp_path / "b.xlsx", settings, kommuner=BY_NUMBER)
    assert "I003" in codes(res) and res.status == "feil" and "I012" not in codes(res)
    changed = [p for p in res.problems if p.code == "I004"]
    assert [(p.sheet, p.cell) for p in changed] == [("3 Sosial", target.coordinate)]
    assert old in changed[0].message and "Lønn (alt)" in changed[0].message


def test_changed_formula_of_computed_field_named_and_rules_recompute(maker, settings, tmp_path):
    sheet, cell = maker.field_map()["mg_avvik"]
    wb = openpyxl.load_workbook(maker.filled(tmp_path / "a.xlsx", mg_antall_3112=150))
    wb[sheet][cell] = "=0"
    wb.save(tmp_path / "b.xlsx")
    res = check_file(tmp_path / "b.xlsx", settings, kommuner=BY_NUMBER)
    assert [(p.sheet, p.cell) for p in res.problems if p.code == "I004"] == [(sheet, cell)]
    # the check still fires: computed from raw inputs, not from the tampered formula
    assert any(p.code == "R001" and p.field == "mg_avvik" for p in res.problems)


def test_deleted_sheet(maker, settings, tmp_path):
    wb = openpyxl.load_workbook(maker.filled(tmp_path / "a.xlsx"))
    del wb["Veiledning"]
    wb.save(tmp_path / "b.xlsx")
    res = check_file(tmp_path / "b.xlsx", settings, kommuner=BY_NUMBER)
    assert [p.sheet for p in res.problems if p.code == "I001"] == ["Veiledning"]
    assert not [p for p in res.problems if p.code == "I004"]   # a missing sheet is one problem, not one per cell


def test_renamed_sheet(maker, settings, tmp_path):
    wb = openpyxl.load_workbook(maker.filled(tmp_path / "a.xlsx"))
    wb["1 Målgruppen"].title = "Målgruppen"
    wb.save(tmp_path / "b.xlsx")
    res = check_file(tmp_path / "b.xlsx", settings)
    assert ("I001", "1 Målgruppen") in [(p.code, p.sheet) for p in res.problems]
    assert ("I002", "Målgruppen") in [(p.code, p.sheet) for p in res.problems]


def test_added_sheet(maker, settings, tmp_path):
    wb = openpyxl.load_workbook(maker.filled(tmp_path / "a.xlsx"))
    wb.create_sheet("Notater")["A1"] = "våre notater"
    wb.save(tmp_path / "b.xlsx")
    res = check_file(tmp_path / "b.xlsx", settings, kommuner=BY_NUMBER)
    assert [(p.code, p.sheet) for p in res.problems if p.code.startswith("I")] == [("I003", None), ("I002", "Notater")]


def test_inserted_rows(maker, settings, tmp_path):
    wb = openpyxl.load_workbook(maker.filled(tmp_path / "a.xlsx"))
    wb["3 Sosial"].insert_rows(3, amount=2)
    wb.save(tmp_path / "b.xlsx")
    res = check_file(tmp_path / "b.xlsx", settings, kommuner=BY_NUMBER)
    changed = [p for p in res.problems if p.code == "I004"]
    assert "I003" in codes(res) and changed and all(p.sheet == "3 Sosial" for p in changed)


def test_template_rebuilt_exactly_from_meta(maker, settings, tmp_path):
    """The build arguments recorded in _meta (deadline, contact, IMDi count) rebuild the exact
    template, without the kommune list: only the changed cell is named, and no I012."""
    from intake_helpers import PASSWORD, good_values

    from kalk_excel.definition.model import Kommune
    from kalk_excel.workbook import build_workbook, fill_workbook

    kommune = Kommune("4014", "Kragerø", ("adm",), imdi_malgruppe=251.0, kontaktperson="Kari Nordmann",
                      epost="kari@kragero.kommune.no")
    template = build_workbook(maker.form, kommune, tmp_path / "mal.xlsx", password=PASSWORD,
                              deadline="2025-03-15", contact="Sekretariatet, tlf. 24 16 88 00")
    wb = openpyxl.load_workbook(fill_workbook(template, good_values(), tmp_path / "a.xlsx"))
    wb["Veiledning"]["A1"] = "endret"
    wb.save(tmp_path / "b.xlsx")
    res = check_file(tmp_path / "b.xlsx", settings)
    assert "I012" not in codes(res)
    assert [(p.sheet, p.cell) for p in res.problems if p.code == "I004"] == [("Veiledning", "A1")]


def test_changed_cells_listing_is_bounded(maker, settings, tmp_path):
    from dataclasses import replace

    wb = openpyxl.load_workbook(maker.filled(tmp_path / "a.xlsx"))
    wb["1 Målgruppen"].insert_rows(1, amount=3)
    wb.save(tmp_path / "b.xlsx")
    res = check_file(tmp_path / "b.xlsx", replace(settings, max_changed_cells=3))
    assert len([p for p in res.problems if p.code == "I004"]) == 3 and "I006" in codes(res)


def test_moved_name_is_reported_and_value_read_where_the_name_points(maker, settings, tmp_path):
    sheet, cell = maker.field_map()["sos_kommentar"]
    path = maker.filled(tmp_path / "a.xlsx")

    def move(data: bytes) -> bytes:
        return data.replace(f"!${cell[0]}${cell[1:]}</definedName>".encode(), b"!$H$40</definedName>", 1)

    part = sheet_part(path, sheet)

    def write_h40(data: bytes) -> bytes:
        text = data.decode()
        return text.replace("</sheetData>", '<row r="40"><c r="H40" t="inlineStr"><is><t>flyttet</t></is></c></row>'
                                             '</sheetData>').encode()

    rewrite_zip(path, tmp_path / "b.xlsx", {"xl/workbook.xml": move, part: write_h40})
    res = check_file(tmp_path / "b.xlsx", settings)
    p = next(p for p in res.problems if p.code == "I005")
    assert p.field == "sos_kommentar" and (p.sheet, p.cell) == (sheet, "H40")
    assert res.values["sos_kommentar"] == "flyttet"


def test_metadata_inconsistent(maker, settings, tmp_path):
    path = maker.filled(tmp_path / "a.xlsx")
    rewrite_zip(path, tmp_path / "b.xlsx",
                {"docProps/custom.xml": lambda d: d.replace(b">0301<", b">4601<")})
    res = check_file(tmp_path / "b.xlsx", settings)
    p = next(p for p in res.problems if p.code == "A006")
    assert "kommunenummer" in p.message and res.kommunenummer == "0301"


def test_meta_sheet_deleted(maker, settings, tmp_path):
    wb = openpyxl.load_workbook(maker.filled(tmp_path / "a.xlsx"))
    del wb["_meta"]
    wb.save(tmp_path / "b.xlsx")
    res = check_file(tmp_path / "b.xlsx", settings)
    assert codes(res) == ["A005"] and res.status == "avvist"


def test_shared_formulas_expanded():
    xml = b"""<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
    <sheetData><row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">B1*2</f><v>2</v></c></row>
    <row r="2"><c r="A2"><f t="shared" si="0"/><v>4</v></c></row>
    <row r="3"><c r="A3"><f t="shared" si="0"/><v>6</v></c><c t="s"><v>0</v></c></row></sheetData></worksheet>"""
    pkg = Package(names=["s.xml"], xml={"s.xml": xml})
    cells = sheet_cells(pkg, "s.xml", ["tekst"])
    assert [cells[r].formula for r in ("A1", "A2", "A3")] == ["B1*2", "B2*2", "B3*2"]
    assert cells["B3"].value == "tekst"   # a cell without r follows the previous one


def test_duplicate_falls_back_to_file_time(maker, settings, tmp_path):
    folder = tmp_path / "inn"
    folder.mkdir()
    a = set_core_modified(maker.filled(tmp_path / "a.xlsx"), folder / "oslo_a.xlsx", None)
    b = set_core_modified(maker.filled(tmp_path / "b.xlsx"), folder / "oslo_b.xlsx", None)
    os.utime(a, (2_000_000_000, 2_000_000_000))   # a is the newer by file time
    os.utime(b, (1_900_000_000, 1_900_000_000))
    report = check_folder(folder, settings=settings)
    assert report.by_file("oslo_b.xlsx").replaced_by == "oslo_a.xlsx"
    assert "tidsstempel" in next(p for p in report.by_file("oslo_b.xlsx").problems if p.code == "A007").message
