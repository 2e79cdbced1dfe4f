"""Every rule kind fires on a generated, filled workbook when broken and stays quiet when not:
types, bounds, choices, text length, required-when-relevant, data in a routed-away part,
written checks of each severity (feil, advarsel, info), herav and grense."""

from __future__ import annotations

from datetime import date

import pytest
from intake_helpers import set_cell_xml

from kalk_excel.intake import check_file


@pytest.fixture
def run(maker, settings, tmp_path):
    counter = iter(range(1000))

    def _run(**changes):
        path = maker.filled(tmp_path / f"f{next(counter)}.xlsx", **changes)
        return check_file(path, settings, expected_year=2024)
    return _run


def found(res, code, field=None):
    return [p for p in res.problems if p.code == code and (field is None or p.field == field)]


def test_good_file_has_no_problems(run, maker):
    res = run()
    assert res.problems == [] and res.status == "godkjent"
    # values are the raw inputs, and computed fields are recomputed (hand calculation):
    # netto mg = (400 000 + 100 000) - 50 000 = 450 000
    assert res.values["sos_lonn_mg"] == 400_000 and res.computed["sos_utgift_mg"] == 450_000
    assert res.cells == maker.field_map()


# --- types ---

def test_text_in_number_cell(run):
    p, = found(run(sos_lonn_samlet="ukjent"), "V001", "sos_lonn_samlet")
    assert p.severity == "feil" and p.value == "ukjent" and "ukjent" in p.message


def test_number_typed_as_text_suggests_the_number(run, maker):
    res = run(sos_lonn_samlet="1 234,50")
    p, = found(res, "V002", "sos_lonn_samlet")
    assert p.severity == "feil" and "1234,5" in p.fix and (p.sheet, p.cell) == maker.field_map()["sos_lonn_samlet"]
    assert not found(res, "R002")   # the herav check on an unusable total is not reported twice


def test_date_in_number_cell(run):
    p, = found(run(mg_antall_0101=date(2024, 1, 1)), "V003", "mg_antall_0101")
    assert "01.01.2024" in p.message


def test_non_integer_in_integer_field(run):
    assert found(run(mg_antall_0101=99.5, mg_antall_3112=121.5), "V004", "mg_antall_0101")
    assert not found(run(), "V004")


def test_formula_typed_into_input_cell(maker, settings, tmp_path):
    sheet, cell = maker.field_map()["mg_antall_0101"]
    path = set_cell_xml(maker.filled(tmp_path / "a.xlsx"), tmp_path / "b.xlsx", sheet, cell, "<f>SUM(50,50)</f><v>100</v>")
    res = check_file(path, settings)
    p, = found(res, "I007", "mg_antall_0101")
    assert p.value == "=SUM(50,50)" and "100" in p.fix and (p.sheet, p.cell) == (sheet, cell)
    assert not found(res, "V010", "mg_antall_0101")   # not also "missing"


def test_infinite_number(maker, settings, tmp_path):
    sheet, cell = maker.field_map()["sos_andre_samlet"]
    path = set_cell_xml(maker.filled(tmp_path / "a.xlsx"), tmp_path / "b.xlsx", sheet, cell, "<v>1e400</v>")
    assert found(check_file(path, settings), "V007", "sos_andre_samlet")


# --- bounds ---

def test_negative_amount_not_allowed(run):
    p, = found(run(sos_lonn_samlet=-1), "V005", "sos_lonn_samlet")
    assert "-1" in p.message


def test_huge_amount(run):
    assert found(run(sos_lonn_samlet=1e300), "V006", "sos_lonn_samlet")


def test_percent_over_100(run):
    assert found(run(sos_eksakt="nei", sos_andel=150), "V006", "sos_andel")


def test_bounds_quiet_at_limits(run):
    res = run(sos_eksakt="nei", sos_andel=0, sos_lonn_mg=0, sos_andre_mg=0, sos_inntekt_mg=0)
    assert not found(res, "V005") and not found(res, "V006")


# --- choices ---

def test_invalid_choice(run):
    p, = found(run(sos_eksakt="kanskje"), "V008", "sos_eksakt")
    assert "ja, nei" in p.message


def test_choice_case_insensitive_is_quiet(run):
    res = run(sos_eksakt="Ja")
    assert not found(res, "V008") and res.values["sos_eksakt"] == "ja"


# --- text ---

def test_text_too_long(run, form):
    limit = form.fields["sos_kommentar"].max_length
    p, = found(run(sos_kommentar="x" * (limit + 1)), "V009", "sos_kommentar")
    assert str(limit) in p.message
    assert not found(run(sos_kommentar="x" * limit), "V009")


def test_formula_like_text_is_neutralised(run):
    res = run(sos_kommentar="=1+1 og @SUM")
    p, = found(res, "V013", "sos_kommentar")
    assert p.severity == "info" and p.value == "=1+1 og @SUM"
    assert res.values["sos_kommentar"] == "'=1+1 og @SUM"


# --- required when relevant ---

def test_required_missing(run):
    p, = found(run(mg_antall_3112=None), "V010", "mg_antall_3112")
    assert p.severity == "feil" and p.question == "1.1" and p.part == "1"


def test_required_only_when_relevant(run):
    assert found(run(sos_eksakt="nei", sos_andel=None), "V010", "sos_andel")
    assert not found(run(sos_eksakt="ja", sos_andel=None), "V010", "sos_andel")


# --- routed away ---

def test_data_in_routed_away_part(run):
    p, = found(run(sos_eksakt="ja", sos_andel=50), "V011", "sos_andel")
    assert p.severity == "advarsel" and "3.3" in p.message


def test_routed_in_part_is_quiet(run):
    res = run(sos_eksakt="nei", sos_andel=50)
    assert not found(res, "V011")
    # share method: 1 300 000 net total x 50 % = 650 000
    assert res.computed["sos_utgift_mg"] == pytest.approx(650_000)


# --- written checks, each severity ---

def test_check_feil(run):
    p, = found(run(mg_antall_3112=150), "R001", "mg_avvik")
    assert p.severity == "feil" and p.message == "Avviket er ikke null." and p.fix == "Sjekk tallene i 1.1-1.3."
    assert p.value == 100 + 20 + 5 - 3 - 150


def test_check_advarsel(run):
    p, = found(run(sos_inntekt_mg=600_000, sos_inntekt_samlet=700_000), "R001", "sos_inntekt_mg")
    assert p.severity == "advarsel"


def test_check_info(run):
    res = run(sos_lonn_samlet=3_000_000, sos_lonn_mg=2_000_000, sos_kommentar=None)
    p, = found(res, "R001", "sos_kommentar")
    assert p.severity == "info" and res.status == "godkjent"


def test_written_checks_quiet(run):
    assert not found(run(sos_lonn_samlet=3_000_000, sos_lonn_mg=2_000_000), "R001")


# --- generated checks: herav and grense ---

def test_herav(run):
    p, = found(run(sos_lonn_mg=1_000_001), "R002", "sos_lonn_mg")
    assert p.severity == "feil"
    assert not found(run(sos_lonn_mg=1_000_000), "R002")


def test_grense(run):
    p, = found(run(sos_eksakt="nei", sos_andel=95), "R003", "sos_andel")
    assert p.severity == "advarsel"
    assert not found(run(sos_eksakt="nei", sos_andel=90), "R003")


def test_every_problem_names_sheet_cell_and_field(run, maker):
    res = run(sos_lonn_samlet="abc", mg_antall_3112=None, sos_eksakt="ja", sos_andel=95, sos_lonn_mg=2e6)
    fmap = maker.field_map()
    assert res.problems
    for p in res.problems:
        assert p.field and (p.sheet, p.cell) == fmap[p.field]


def test_share_typed_in_percent_field(run):
    p, = found(run(sos_eksakt="nei", sos_andel=0.5), "V015", "sos_andel")
    assert p.severity == "advarsel" and "50" in p.fix
    assert not found(run(sos_eksakt="nei", sos_andel=50), "V015")
