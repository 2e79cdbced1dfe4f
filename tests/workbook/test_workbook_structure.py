"""Every generated survey workbook (fixture definitions and the real ones that exist): SHA-512
sheet and structure protection (hash recomputed here), input cells unlocked, named, validated —
and no other cell unlocked; ``_meta`` veryHidden with the field map equal to the defined names;
fingerprint and document properties consistent; Kontroll rows and links complete.
"""

from __future__ import annotations

import os
import time

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import get_column_letter, range_boundaries
from test_workbook_common import NS, XlsxXml, build, definition_params, expected_hash

from kalk_excel.definition.expr import parse
from kalk_excel.definition.fieldrules import FIELD_RULES
from kalk_excel.workbook import build_workbook, fingerprint, read_field_table, read_meta, template_arguments
from kalk_excel.workbook.fingerprint import content_lines, digest
from kalk_excel.workbook.metadata import signed_identity
from support import TEST_PASSWORD


def cells_of(sqref: str) -> set[str]:
    out = set()
    for token in sqref.split():
        c1, r1, c2, r2 = range_boundaries(token)
        out |= {f"{get_column_letter(c)}{r}" for c in range(c1, c2 + 1) for r in range(r1, r2 + 1)}
    return out


@pytest.fixture(scope="module", params=definition_params())
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    started = time.perf_counter()
    form, path = build(request.param, tmp_path_factory.mktemp("bygget"))
    print(f"\n{path.name}: bygget på {time.perf_counter() - started:.2f} s ({len(form.fields)} felt)")
    return form, path


def test_every_sheet_and_structure_protected_with_sha512(generated) -> None:
    form, path = generated
    xml = XlsxXml(path)
    hashes: dict[tuple[str, int], str] = {}

    def verify(salt: str, spin: int, value: str) -> None:
        if (salt, spin) not in hashes:
            hashes[(salt, spin)] = expected_hash(TEST_PASSWORD, salt, spin)
        assert value == hashes[(salt, spin)]

    assert set(xml.sheets) >= {"Forside", "Veiledning", "Innhold", "Kontroll", "_meta"} | {p.sheet for p in form.parts}
    for name in xml.sheets:
        prot = xml.sheet(name).find("m:sheetProtection", NS)
        assert prot is not None, name
        assert prot.get("sheet") == "1" and prot.get("algorithmName") == "SHA-512", name
        assert prot.get("password") is None, "legacy 16-bit hash must not be written"
        assert int(prot.get("spinCount")) == 100_000
        assert prot.get("selectLockedCells") in (None, "0") and prot.get("selectUnlockedCells") in (None, "0")
        verify(prot.get("saltValue"), int(prot.get("spinCount")), prot.get("hashValue"))
    wbp = xml.workbook.find("m:workbookProtection", NS)
    assert wbp is not None and wbp.get("lockStructure") == "1"
    assert wbp.get("workbookAlgorithmName") == "SHA-512" and wbp.get("workbookPassword") is None
    verify(wbp.get("workbookSaltValue"), int(wbp.get("workbookSpinCount")), wbp.get("workbookHashValue"))
    assert xml.sheets["_meta"][0] == "veryHidden"
    assert all(state == "visible" for name, (state, _) in xml.sheets.items() if name != "_meta")


def test_inputs_unlocked_named_validated_and_nothing_else_unlocked(generated) -> None:
    form, path = generated
    table = read_field_table(path)
    assert list(table) == list(form.fields), "field map in catalogue order"
    xml = XlsxXml(path)
    names = xml.defined_names()
    field_names = {n: t for n, t in names.items() if not n.startswith("kontroll_")}
    expected_names = {fid: "'" + sheet.replace("'", "''") + "'!$" + "".join(ch for ch in cell if ch.isalpha())
                      + "$" + "".join(ch for ch in cell if ch.isdigit())
                      for fid, (sheet, cell, _t, _c) in table.items()}
    assert field_names == expected_names
    for fid, (_sheet, _cell, ftype, computed) in table.items():
        assert computed == (not form.fields[fid].is_input) and ftype == form.fields[fid].type

    inputs = {(sheet, cell) for fid, (sheet, cell, _t, computed) in table.items() if not computed}
    wb = load_workbook(path)
    unlocked = {(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.protection.locked is False}
    # a text input may span the data columns (a merged range): its other cells belong to it
    spans = {(ws.title, c) for ws in wb.worksheets for rng in ws.merged_cells.ranges
             if (ws.title, rng.start_cell.coordinate) in inputs
             for c in (f"{get_column_letter(col)}{row}" for row in range(rng.min_row, rng.max_row + 1)
                       for col in range(rng.min_col, rng.max_col + 1))}
    assert unlocked - (spans - inputs) == inputs
    for ws in wb.worksheets:
        for dim in list(ws.column_dimensions.values()) + list(ws.row_dimensions.values()):
            assert dim.protection is None or dim.protection.locked is not False
    for fid, (sheet, cell, _t, computed) in table.items():
        value = wb[sheet][cell].value
        if computed:
            assert isinstance(value, str) and value.startswith("="), fid
        else:
            assert value is None, fid

    validated: dict[str, list[str]] = {}
    for sheet in {s for s, _ in inputs}:
        dvs = xml.sheet(sheet).findall("m:dataValidations/m:dataValidation", NS)
        for dv in dvs:
            assert dv.get("showErrorMessage") == "1" and dv.get("showInputMessage") == "1"
            assert dv.get("errorStyle") in (None, "stop")
            assert len(dv.get("promptTitle") or "") <= 32 and len(dv.get("errorTitle") or "") <= 32
            assert 0 < len(dv.get("prompt") or "") <= 255 and 0 < len(dv.get("error") or "") <= 255
            f1 = dv.find("m:formula1", NS)
            assert f1 is not None and len(f1.text) <= 255
            for c in cells_of(dv.get("sqref")):
                validated.setdefault(f"{sheet}!{c}", []).append(dv.get("type"))
    for fid, (sheet, cell, ftype, computed) in table.items():
        if computed:
            assert f"{sheet}!{cell}" not in validated
        else:
            kinds = validated.get(f"{sheet}!{cell}")
            expected = {"heltall": "whole", "belop": "decimal", "desimal": "decimal", "prosent": "decimal",
                        "ja_nei": "list", "valg": "list", "tekst": "textLength"}[ftype]
            assert kinds == [expected], (fid, kinds)


def test_validations_are_grouped_not_per_cell(generated) -> None:
    form, path = generated
    xml = XlsxXml(path)
    total = sum(len(xml.sheet(s).findall("m:dataValidations/m:dataValidation", NS)) for s in xml.sheets)
    has_table = any(f.table_id and f.is_input for f in form.fields.values())
    if has_table:
        assert total < len(form.inputs())


def test_metadata_and_fingerprint(generated) -> None:
    form, path = generated
    meta = read_meta(path)
    assert meta["template_id"] == f"kalk-excel/{form.id}/{form.year}/{form.version}"
    assert (meta["skjema"], meta["aar"], meta["versjon"]) == (form.id, str(form.year), form.version)
    assert (meta["kommunenummer"], meta["kommunenavn"]) == ("0301", "Oslo")
    assert meta["fingerprint_metode"] == "v2" and meta["generert"].endswith("Z")
    assert meta["generator"].startswith("kalk-excel ")
    wb = load_workbook(path)
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props == {"kalk_template_id": meta["template_id"], "kalk_skjema": form.id, "kalk_aar": str(form.year),
                     "kalk_versjon": form.version, "kalk_kommunenummer": "0301", "kalk_kommunenavn": "Oslo",
                     "kalk_fingerprint": meta["fingerprint"]}
    # recompute from the saved file, as intake does: every non-empty non-input cell outside _meta
    inputs = {(s, c) for s, c, _t, computed in read_field_table(path).values() if not computed}
    cells = [(ws.title, c.coordinate, c.value) for ws in wb.worksheets if ws.title != "_meta"
             for row in ws.iter_rows() for c in row if c.value is not None and (ws.title, c.coordinate) not in inputs]
    # v2: keyed with the configured key over the content and the identity (_meta, map, names, properties)
    fields = read_field_table(path)
    names = {}
    for fid in fields:
        sheet, ref = next(iter(wb.defined_names[fid].destinations))
        names[fid] = (sheet, ref.replace("$", ""))
    identity = signed_identity(meta, props, fields, names)
    key = os.environ["KALK_EXCEL_NOKKEL"]
    assert digest(content_lines(cells), key, identity) == meta["fingerprint"]
    assert fingerprint(cells) != meta["fingerprint"]                       # not the plain SHA-256 (v1)
    # a changed locked cell, another kommune in _meta, or two swapped fields change it
    changed = [(s, r, (v + " endret") if (s, r) == (cells[0][0], cells[0][1]) else v) for s, r, v in cells]
    assert digest(content_lines(changed), key, identity) != meta["fingerprint"]
    spoofed = signed_identity({**meta, "kommunenummer": "4601"}, props, fields, names)
    assert digest(content_lines(cells), key, spoofed) != meta["fingerprint"]
    a, b = list(fields)[:2]
    swapped = signed_identity(meta, props, {**fields, a: fields[b], b: fields[a]}, names)
    assert digest(content_lines(cells), key, swapped) != meta["fingerprint"]


def test_kontroll_rows_links_and_status_name(generated) -> None:
    """One row per check, per part one row per single-cell rule that applies to its inputs and a
    status row per part; row keys sit in a hidden column, never in a visible one."""
    form, path = generated
    wb = load_workbook(path)
    ws = wb["Kontroll"]
    table = read_field_table(path)
    assert ws.column_dimensions["I"].hidden and ws.column_dimensions["J"].hidden
    ids = {}
    for row in ws.iter_rows(min_row=6):
        if row[8].value:
            ids[row[8].value] = row
    expected = {c.id for c in form.checks} | {f"del_{p.id}" for p in form.parts}
    for part in form.parts:
        for rule in FIELD_RULES:
            if any(rule.applies(f) for f in form.fields_of(part.id)):
                expected.add(f"mangler_obligatoriske_{part.id}" if rule.kind == "mangler" else f"{rule.kind}_{part.id}")
    assert set(ids) == expected
    for check in form.checks:
        row = ids[check.id]
        assert str(row[4].value).startswith("=IFERROR(")
        sheet, cell, _t, _c = table[check.field]
        assert row[6].hyperlink is not None and row[6].hyperlink.location == f"'{sheet}'!{cell}"
        assert row[2].value == check.message
    assert wb.defined_names["kontroll_status"].attr_text == "'Kontroll'!$C$3"
    assert wb.defined_names["kontroll_antall_feil"].attr_text == "'Kontroll'!$C$4"
    assert wb.defined_names["kontroll_antall_advarsler"].attr_text == "'Kontroll'!$C$5"


def test_front_sheets_show_kommune_period_and_imdi(generated) -> None:
    form, path = generated
    wb = load_workbook(path)
    text = "\n".join(str(c.value) for row in wb["Forside"].iter_rows() for c in row if c.value is not None)
    assert "Oslo (0301)" in text and "15. mars 2025" in text
    start = form.period.start
    assert f"{start.day}.{start.month}.{start.year}" in text and f"31.12.{form.year}" in text
    assert "Sekretariatet" in text
    links = [c.hyperlink.location for row in wb["Innhold"].iter_rows() for c in row if c.hyperlink]
    assert {p.sheet for p in form.parts} | {"Kontroll"} == {loc.split("!")[0].strip("'") for loc in links}
    for name in ("mg_antall_3112", "mg_antall_0101"):
        if name in form.fields:
            sheet, cell, _t, _c = read_field_table(path)[name]
            row = wb[sheet][cell].row
            notes = " ".join(str(c.value) for c in wb[sheet][row] if c.value)
            assert "IMDis tall for målgruppen er 1 234" in notes
            break
    veil = "\n".join(str(c.value) for row in wb["Veiledning"].iter_rows() for c in row if c.value is not None)
    for decision in form.decisions:   # the committee's decisions are the secretariat's, not the filler's
        assert decision[:60] not in veil


def test_conditional_formats_grey_out_and_flag(generated) -> None:
    """Every input with a relevance rule is covered by a NOT(...) rule naming the fields it depends
    on (greyed out), and every feil/advarsel check's cell by a rule naming the assertion's fields."""
    form, path = generated
    table = read_field_table(path)
    xml = XlsxXml(path)
    rules: dict[str, list[tuple[set[str], str]]] = {}
    for sheet in xml.sheets:
        for cf in xml.sheet(sheet).findall("m:conditionalFormatting", NS):
            cells = cells_of(cf.get("sqref"))
            for rule in cf.findall("m:cfRule", NS):
                formula = rule.find("m:formula", NS)
                if formula is not None:
                    rules.setdefault(sheet, []).append((cells, formula.text))
    for f in form.fields.values():
        if not f.relevant:
            continue
        sheet, cell, _t, _c = table[f.id]
        names = parse(f.relevant).names
        assert any(cell in cells and text.startswith("NOT(") and all(n in text for n in names)
                   for cells, text in rules.get(sheet, [])), f.id
    for check in form.checks:
        if check.severity == "info":
            continue
        sheet, cell, _t, _c = table[check.field]
        names = parse(check.assert_).names
        assert any(cell in cells and all(n in text for n in names) and "NOT(" in text
                   for cells, text in rules.get(sheet, [])), check.id


def test_template_rebuilt_from_meta_has_the_same_fingerprint(generated, tmp_path_factory) -> None:
    """Intake regenerates the template a file came from: the build arguments stored in _meta must
    reproduce the locked content exactly (a different deadline must not)."""
    form, path = generated
    meta = read_meta(path)
    args = template_arguments(meta)
    assert args["deadline"] == "2025-03-15" and args["contact"] == "Sekretariatet"
    assert args["kommune"].imdi_malgruppe == 1234
    out = tmp_path_factory.mktemp("igjen")
    again = build_workbook(form, path=out / "igjen.xlsx", password="annet-passord", **args)
    # v2 also covers the generation time, so the locked content is compared (its v1 hash)
    assert content_fingerprint(again) == content_fingerprint(path)
    args["deadline"] = "2025-04-01"
    other = build_workbook(form, path=out / "annen.xlsx", password="annet-passord", **args)
    assert content_fingerprint(other) != content_fingerprint(path)


def content_fingerprint(path) -> str:  # noqa: ANN001
    """v1 (plain SHA-256) of every non-empty non-input cell outside _meta, read with openpyxl."""
    inputs = {(s, c) for s, c, _t, computed in read_field_table(path).values() if not computed}
    wb = load_workbook(path)
    return fingerprint((ws.title, c.coordinate, c.value) for ws in wb.worksheets if ws.title != "_meta"
                       for row in ws.iter_rows() for c in row
                       if c.value is not None and (ws.title, c.coordinate) not in inputs)
