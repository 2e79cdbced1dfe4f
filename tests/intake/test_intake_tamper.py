"""Tamper evidence a municipality cannot forge (issue 8, point 4): the keyed fingerprint (v2) covers
the locked content and the identity (_meta, field map, defined names, kalk_* properties). A
kommune spoof, a field-map swap and a locked-text edit, each with a plain SHA-256 recomputed as a
forger would, are rejected — also when the forger downgrades the method to v1. Untouched and
LibreOffice-re-saved files are approved; without the key intake warns that it cannot verify."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest
from intake_helpers import KOMMUNER

from kalk_excel.engine import libreoffice
from kalk_excel.intake import check_file
from kalk_excel.intake.integrity import fast_lines, input_positions, locked_raw_cells, read_sheets
from kalk_excel.intake.reader import open_workbook
from kalk_excel.intake.safety import open_package
from kalk_excel.intake.settings import Settings
from kalk_excel.workbook import read_meta
from kalk_excel.workbook.fingerprint import digest

BY_NUMBER = {k.kommunenummer: k for k in KOMMUNER}


def codes(res) -> list[str]:  # noqa: ANN001
    return [p.code for p in res.problems]


def forge(path: Path, dst: Path, edit, method: str | None = None) -> Path:  # noqa: ANN001
    """Apply ``edit(workbook)`` with openpyxl, then recompute the plain SHA-256 of the content as a
    forger without the key would, and write it (and, if given, the method) into _meta and the
    custom property, consistently."""
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(dst)
    data = dst.read_bytes()
    opened = open_workbook(open_package(data, Settings()), data)
    plain = digest(fast_lines(locked_raw_cells(read_sheets(opened), input_positions(opened))))
    wb = openpyxl.load_workbook(dst)
    set_meta_values(wb, {"fingerprint": plain, **({"fingerprint_metode": method} if method else {})})
    wb.save(dst)
    return dst


def set_meta_values(wb, values: dict[str, str]) -> None:  # noqa: ANN001
    for row in wb["_meta"].iter_rows(min_row=2, max_col=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    for prop in wb.custom_doc_props.props:
        if prop.name.startswith("kalk_") and prop.name[5:] in values:
            prop.value = values[prop.name[5:]]


def spoof_kommune(wb) -> None:  # noqa: ANN001
    set_meta_values(wb, {"kommunenummer": "4601", "kommunenavn": "Bergen"})


def swap_fields(a: str, b: str):  # noqa: ANN201
    def edit(wb) -> None:  # noqa: ANN001
        ws = wb["_meta"]
        rows = {r[0].value: r for r in ws.iter_rows(min_row=2, min_col=4, max_col=6) if r[0].value in (a, b)}
        (ra, rb) = rows[a], rows[b]
        ra[1].value, rb[1].value = rb[1].value, ra[1].value
        ra[2].value, rb[2].value = rb[2].value, ra[2].value
        na, nb = wb.defined_names[a], wb.defined_names[b]
        na.attr_text, nb.attr_text = nb.attr_text, na.attr_text
    return edit


def edit_label(wb) -> None:  # noqa: ANN001
    ws = wb["3 Sosial"]
    target = next(c for row in ws.iter_rows() for c in row
                  if isinstance(c.value, str) and c.value.startswith("Lønn (art 010-099)"))
    target.value = "Lønn (art 010-099), bare halvparten"


def test_a_generated_file_has_a_keyed_fingerprint_and_is_approved(maker, settings, tmp_path: Path) -> None:  # noqa: ANN001, F811
    path = maker.filled(tmp_path / "a.xlsx")
    assert read_meta(path)["fingerprint_metode"] == "v2"
    res = check_file(path, settings, expected_year=2024, kommuner=BY_NUMBER)
    assert res.status == "godkjent" and res.problems == []


@pytest.mark.parametrize("method", [None, "v1"], ids=["v2-beholdt", "nedgradert-til-v1"])
@pytest.mark.parametrize("name, edit, signs", [
    ("kommune", spoof_kommune, {"I003"}),
    ("feltbytte", swap_fields("sos_lonn_samlet", "sos_andre_samlet"), {"I003", "I015"}),
    ("ledetekst", edit_label, {"I003", "I004"}),
])
def test_forgeries_with_a_recomputed_plain_sha256_are_rejected(maker, settings, tmp_path: Path, method,  # noqa: ANN001, F811
                                                               name: str, edit, signs: set[str]) -> None:
    path = forge(maker.filled(tmp_path / "a.xlsx"), tmp_path / f"{name}.xlsx", edit, method)
    res = check_file(path, settings, expected_year=2024, kommuner=BY_NUMBER)
    if method is None:                       # v2: the recomputed plain hash never verifies
        assert res.status == "feil", codes(res)
        assert signs <= set(codes(res)), codes(res)
        return
    # downgraded to v1 (whose plain hash anyone can recompute): never approved as clean — the
    # downgrade is named (I014), and every cell that differs from the template generated again for
    # the claimed identity is listed as an error (with a key configured the year's forms are v2);
    # a moved field is an error too
    assert res.status == "feil" and "I014" in codes(res), codes(res)
    if name == "feltbytte":
        assert res.status == "feil" and "I015" in codes(res)
    else:
        assert [p for p in res.problems if p.code == "I016"], codes(res)


def test_the_kommune_spoof_names_the_changed_cells_on_the_cover(maker, settings, tmp_path: Path) -> None:  # noqa: ANN001, F811
    path = forge(maker.filled(tmp_path / "a.xlsx"), tmp_path / "b.xlsx", spoof_kommune, "v1")
    res = check_file(path, settings, expected_year=2024, kommuner=BY_NUMBER)
    changed = [p for p in res.problems if p.code == "I016"]       # v1: the cells, as errors
    assert changed and any("Oslo" in (p.message or "") for p in changed)
    assert res.kommunenummer == "4601"       # what the file claims; the problems say it is not so


def test_without_the_key_intake_warns_that_it_cannot_verify(maker, settings, tmp_path: Path,  # noqa: ANN001, F811
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = maker.filled(tmp_path / "a.xlsx")
    monkeypatch.delenv("KALK_EXCEL_NOKKEL")
    res = check_file(path, settings, expected_year=2024, kommuner=BY_NUMBER)
    assert codes(res) == ["I013"] and res.status == "advarsler"
    assert "kan ikke verifiseres" in res.problems[0].message.lower() or "ikke kontrollert" in res.problems[0].message


def test_another_key_does_not_verify(maker, settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001, F811
    path = maker.filled(tmp_path / "a.xlsx")
    monkeypatch.setenv("KALK_EXCEL_NOKKEL", "en annen nøkkel")
    res = check_file(path, settings, expected_year=2024, kommuner=BY_NUMBER)
    assert "I003" in codes(res) and res.status == "feil"


def test_a_key_file_is_read_from_configuration(maker, settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001, F811
    path = maker.filled(tmp_path / "a.xlsx")
    key_file = tmp_path / "NOKKEL.txt"
    key_file.write_text(os.environ["KALK_EXCEL_NOKKEL"] + "\n", encoding="utf-8")
    monkeypatch.delenv("KALK_EXCEL_NOKKEL")
    monkeypatch.setenv("KALK_EXCEL_NOKKEL_FIL", str(key_file))
    assert check_file(path, settings, expected_year=2024, kommuner=BY_NUMBER).status == "godkjent"


def test_a_file_named_for_another_kommune_is_a_problem(maker, settings, tmp_path: Path) -> None:  # noqa: ANN001, F811
    path = maker.filled(tmp_path / "2024_adm_4601_bergen.xlsx")          # made for 0301 Oslo
    res = check_file(path, settings, expected_year=2024, kommuner=BY_NUMBER)
    assert codes(res) == ["A013"] and res.status == "feil"
    assert "4601" in res.problems[0].message and "0301" in res.problems[0].message
    ok = maker.filled(tmp_path / "2024_adm_0301_oslo.xlsx")
    assert check_file(ok, settings, expected_year=2024, kommuner=BY_NUMBER).problems == []


def test_a_v1_file_made_before_the_key_is_still_read(maker, settings, tmp_path: Path,  # noqa: ANN001, F811
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from intake_helpers import PASSWORD, good_values

    from kalk_excel.workbook import build_workbook, fill_workbook

    monkeypatch.delenv("KALK_EXCEL_NOKKEL")                       # made without a key: v1
    template = build_workbook(maker.form, KOMMUNER[0], tmp_path / "mal.xlsx", password=PASSWORD)
    path = fill_workbook(template, good_values(), tmp_path / "v1.xlsx")
    assert read_meta(path)["fingerprint_metode"] == "v1"
    assert check_file(path, settings, expected_year=2024, kommuner=BY_NUMBER).status == "godkjent"
    monkeypatch.setenv("KALK_EXCEL_NOKKEL", "nøkkel")             # checked with a key configured
    res = check_file(path, settings, expected_year=2024, kommuner=BY_NUMBER)
    assert codes(res) == ["I014"] and res.status == "advarsler"


@pytest.mark.libreoffice
def test_a_libreoffice_resaved_untouched_file_is_approved(soffice, maker, settings, tmp_path: Path) -> None:  # noqa: ANN001, F811
    good = maker.filled(tmp_path / "inn" / "god.xlsx")
    resaved = libreoffice.recalculate([good], tmp_path / "ut")[0]
    res = check_file(resaved, settings, expected_year=2024, kommuner=BY_NUMBER)
    assert res.status == "godkjent" and res.problems == []
