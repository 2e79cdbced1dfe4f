"""The workbook checks what intake checks: one planted error of each kind in a complete, valid
2024 adm and norsk workbook (written through the defined names; numbers also as pasted text),
recalculated by LibreOffice. ``kontroll_antall_feil`` must equal the number of planted errors,
and intake must report exactly those errors (same rules, same severity). An empty workbook has no
errors and no control that says OK.

The expected errors are written out by hand below, one per planted value (with the intake code a
person reading the definition expects), not derived from the code under test.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from kalk_excel.definition import load_form
from kalk_excel.definition.fieldrules import FIELD_RULES
from kalk_excel.definition.model import Kommune
from kalk_excel.demo.inputs import raw_inputs
from kalk_excel.engine import libreoffice
from kalk_excel.intake import check_file
from kalk_excel.intake.codes import CODES
from kalk_excel.workbook import build_workbook, fill_workbook
from support import TEST_PASSWORD

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

KOMMUNE = Kommune(kommunenummer="0301", navn="Oslo", skjema=("adm", "norsk"))


def adm_plants(base: dict[str, Any]) -> tuple[dict[str, Any], set[tuple[str, str]]]:
    return {
        "sos_lonn_samlet": "abc",                                    # text in an amount cell
        "sos_andre_samlet": "12345",                                 # a number pasted as text
        "syss_t1_andel": 150,                                        # percent above 100
        "mg_vedtak_bosette": -5,                                     # negative count
        "intro_deltakere_aar": base["intro_deltakere_aar"] + 0.5,    # not a whole number
        "mg_kontakt_telefon": None,                                  # required, in an answered part
        "sos_mottakere_mg": base["sos_mottakere_tot"] + 1,           # herav above its total
        "mg_utflyttet": base["mg_utflyttet"] + 1,                    # 1.3 Avvik no longer 0
    }, {("V001", "sos_lonn_samlet"), ("V002", "sos_andre_samlet"), ("V006", "syss_t1_andel"),
        ("V005", "mg_vedtak_bosette"), ("V004", "intro_deltakere_aar"), ("V010", "mg_kontakt_telefon"),
        ("R002", "sos_mottakere_mg"), ("R001", "mg_avvik")}


def norsk_plants(base: dict[str, Any]) -> tuple[dict[str, Any], set[tuple[str, str]]]:
    lok_sum = base["no_lok_leie"] + base["no_lok_internleie"] + base["no_lok_andre"]   # 30: lokaler i alt
    return {
        "no_utg_materiell": "ca 8 mill",                              # text in an amount cell
        "no_utg_reisestotte": "979760",                               # a number pasted as text
        "no_utg_andre": -5,                                           # negative amount
        "no_grupper_0102": base["no_grupper_0102"] + 0.5,             # not a whole number
        "no_kontakt_telefon": None,                                   # required, in an answered part
        "no_lok_andre_aktiviteter": lok_sum + 1,                      # herav above its total
        "no_timer": 0,                                                # "ja" but no hours: the sum check
    }, {("V001", "no_utg_materiell"), ("V002", "no_utg_reisestotte"), ("V005", "no_utg_andre"),
        ("V004", "no_grupper_0102"), ("V010", "no_kontakt_telefon"), ("R002", "no_lok_andre_aktiviteter"),
        ("R001", "no_undervist")}   # reported on 1, whose "ja" asks for hours


PLANTS = {"adm": adm_plants, "norsk": norsk_plants}


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, set]]:
    if libreoffice.soffice_path() is None:   # as the soffice fixture, for a module-scoped fixture
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) mangler i CI")
        pytest.skip("LibreOffice er ikke installert")
    base_dir = tmp_path_factory.mktemp("live")
    cases: dict[str, tuple[Path, set]] = {}
    for form_id, plants in PLANTS.items():
        form = load_form(2024, form_id)
        blank = build_workbook(form, KOMMUNE, base_dir / f"2024_{form_id}_0301_oslo.xlsx", password=TEST_PASSWORD)
        base = raw_inputs("0301", form)
        changes, expected = plants(base)
        filled = fill_workbook(blank, {**base, **changes}, base_dir / "plantet" / f"{form_id}-plantet.xlsx")
        cases[f"{form_id}-plantet"] = (filled, expected)
        cases[f"{form_id}-tom"] = (blank, set())
    outs = libreoffice.recalculate([p for p, _ in cases.values()], base_dir / "regnet")
    return {name: (path, out, expected) for (name, (path, expected)), out in zip(cases.items(), outs, strict=False)}


def kontroll(path: Path) -> tuple[dict[str, Any], list[Any]]:
    wb = load_workbook(path, data_only=True)
    names = {n: wb[s][c.replace("$", "")].value for n in ("kontroll_status", "kontroll_antall_feil",
             "kontroll_antall_advarsler") for s, c in wb.defined_names[n].destinations}
    statuses = [row[4].value for row in wb["Kontroll"].iter_rows(min_row=9) if row[8].value]
    return names, statuses


@pytest.mark.parametrize("form_id", list(PLANTS))
def test_planted_errors_counted_alike_live_and_on_receipt(recalculated, form_id: str) -> None:
    path, out, expected = recalculated[f"{form_id}-plantet"]
    names, _ = kontroll(out)
    assert names["kontroll_antall_feil"] == len(expected)
    assert names["kontroll_status"] == "FEIL"
    result = check_file(path)
    rules = [p for p in result.problems if p.code[0] in "VR"]   # the form's rules (not the file's integrity)
    errors = {(p.code, p.field) for p in rules if p.severity == "feil"}
    assert errors == expected
    warnings = [p for p in rules if p.severity == "advarsel"]
    assert names["kontroll_antall_advarsler"] == len(warnings), [p.message for p in warnings]


@pytest.mark.parametrize("form_id", list(PLANTS))
def test_empty_workbook_has_no_errors_and_says_ikke_utfylt(recalculated, form_id: str) -> None:
    path, out, _ = recalculated[f"{form_id}-tom"]
    names, statuses = kontroll(out)
    assert names["kontroll_antall_feil"] == 0 and names["kontroll_antall_advarsler"] == 0
    assert names["kontroll_status"] == "ikke utfylt"
    assert "OK" not in statuses and "FEIL" not in statuses
    assert "ikke utfylt" in statuses
    # on receipt the empty form is one problem per part that must be filled, nothing per cell
    codes = {p.code for p in check_file(path).problems if p.severity == "feil" and p.code[0] in "VR"}
    assert codes == {"V017"}


def test_field_rules_have_intake_severity() -> None:
    """The live single-cell rules and the receipt codes they stand for agree on severity."""
    for rule in FIELD_RULES:
        for code in rule.codes:
            assert CODES[code].severity == rule.severity, (rule.kind, code)
