"""A filled workbook saved again by another spreadsheet program (LibreOffice rewrites the whole
package: shared strings, cached values, its own XML) still passes intake: the fingerprint is
recomputed equal, and the cached values of computed fields agree with ours (R005 stays quiet)."""

from __future__ import annotations

import pytest
from intake_helpers import KOMMUNER

from kalk_excel.engine.libreoffice import recalculate
from kalk_excel.intake import check_file

BY_NUMBER = {k.kommunenummer: k for k in KOMMUNER}


@pytest.fixture(scope="module")
def saved_by_libreoffice(maker, tmp_path_factory, soffice):
    """Module scope (one LibreOffice call)."""
    root = tmp_path_factory.mktemp("lo")
    good = maker.filled(root / "inn" / "god.xlsx")
    wrong = maker.filled(root / "inn" / "avvik.xlsx", mg_antall_3112=150)
    return recalculate([good, wrong], root / "ut")


@pytest.mark.libreoffice
def test_libreoffice_saved_file_passes(saved_by_libreoffice, settings):
    good, _ = saved_by_libreoffice
    res = check_file(good, settings, expected_year=2024, kommuner=BY_NUMBER)
    assert res.problems == [] and res.status == "godkjent"
    assert res.values["mg_antall_3112"] == 122 and res.computed["sos_utgift_mg"] == 450_000


@pytest.mark.libreoffice
def test_libreoffice_computes_what_intake_computes(saved_by_libreoffice, settings):
    _, wrong = saved_by_libreoffice
    res = check_file(wrong, settings, expected_year=2024, kommuner=BY_NUMBER)
    assert [p.code for p in res.problems] == ["R001"]          # avvik 100+20+5-3-150 = -28, and no R005
    assert res.computed["mg_avvik"] == -28


@pytest.mark.libreoffice
def test_cached_value_differing_from_recomputed_is_noted(saved_by_libreoffice, maker, settings, tmp_path):
    good, _ = saved_by_libreoffice
    sheet, cell = maker.field_map()["sos_utgift_mg"]
    formula = maker.form.fields["sos_utgift_mg"].calculate
    assert formula
    # keep the formula, change only the cached value: the fingerprint ignores cached values
    import re
    import zipfile

    from intake_helpers import rewrite_zip, sheet_part

    part = sheet_part(good, sheet)
    with zipfile.ZipFile(good) as z:
        xml = z.read(part).decode()
    m = re.search(r'<c r="' + cell + r'"[^>]*>(<f[^>]*>.*?</f>)<v>[^<]*</v></c>', xml, re.S)
    assert m, "LibreOffice wrote the formula cell with a cached value"
    edited = xml[: m.start()] + m.group(0).replace(m.group(0)[m.group(0).index("<v>"):], "<v>1</v></c>") + xml[m.end():]
    rewrite_zip(good, tmp_path / "b.xlsx", {part: edited.encode()})
    res = check_file(tmp_path / "b.xlsx", settings, expected_year=2024, kommuner=BY_NUMBER)
    p, = res.problems
    assert p.code == "R005" and p.severity == "info" and p.field == "sos_utgift_mg" and "450 000" in p.message


def values_by_both_readers(path, form):
    from kalk_excel.intake.reader import open_workbook
    from kalk_excel.intake.safety import open_package
    from kalk_excel.intake.settings import Settings

    data = path.read_bytes()
    xml = open_workbook(open_package(data, Settings()), data, "xml")
    cal = open_workbook(open_package(data, Settings()), data, "calamine")
    assert xml.meta == cal.meta and xml.field_table == cal.field_table
    cells = {fid: (e.sheet, e.cell) for fid, e in xml.field_table.items()}
    return ({fid: xml.value(*c) for fid, c in cells.items()}, {fid: cal.value(*c) for fid, c in cells.items()})


def test_xml_and_calamine_readers_agree_on_generated_file(maker, form, tmp_path):
    from datetime import date

    path = maker.filled(tmp_path / "a.xlsx", mg_antall_0101=date(2024, 3, 1), sos_andel=12.5, sos_eksakt="nei",
                        sos_kommentar="tekst & <tegn>", sos_lonn_samlet=True)
    mine, theirs = values_by_both_readers(path, form)
    assert mine == theirs
    assert mine["mg_antall_0101"] == date(2024, 3, 1) and mine["sos_lonn_samlet"] is True


@pytest.mark.libreoffice
def test_xml_and_calamine_readers_agree_on_libreoffice_file(saved_by_libreoffice, form):
    good, wrong = saved_by_libreoffice
    for path in (good, wrong):
        mine, theirs = values_by_both_readers(path, form)
        assert mine == theirs
    assert values_by_both_readers(good, form)[0]["sos_utgift_mg"] == 450_000   # LibreOffice's cached values
    assert values_by_both_readers(wrong, form)[0]["mg_avvik"] == -28
