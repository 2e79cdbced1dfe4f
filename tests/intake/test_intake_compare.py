"""Comparisons: the target-group count against IMDi's, per-person amounts against last year
(ratio limits, Hidiroglou-Berthelot) and against the median of the other municipalities; the
kommune list (unknown numbers, other names, municipalities that sent nothing)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from intake_helpers import good_values

from kalk_excel.definition.model import Kommune
from kalk_excel.intake import IntakeUsageError, check_folder
from kalk_excel.intake.compare import hb_outliers
from kalk_excel.intake.fjorar import load_fjorar

# Oslo's good filling: sos_utgift_mg = (400 000 + 100 000) - 50 000 = 450 000; 122 persons
OSLO_PER_PERSON = 450_000 / 122


@pytest.fixture
def oslo_folder(maker, tmp_path) -> Path:
    folder = tmp_path / "inn"
    folder.mkdir()
    maker.filled(folder / "oslo.xlsx")
    return folder


def codes(report, name="oslo.xlsx", code=None):
    return [p for p in report.by_file(name).problems if code is None or p.code == code]


def test_imdi_count_differs(oslo_folder, settings):
    report = check_folder(oslo_folder, kommuner=[Kommune("0301", "Oslo", ("adm",), imdi_malgruppe=100)],
                          settings=settings)
    p, = codes(report, code="C001")
    assert p.severity == "advarsel" and p.field == "mg_antall_3112" and p.sheet and p.cell and "100" in p.message


def test_imdi_within_tolerance(oslo_folder, settings):
    kommune = [Kommune("0301", "Oslo", ("adm",), imdi_malgruppe=100)]
    # 22 persons off: quiet with a 25 % tolerance
    assert not codes(check_folder(oslo_folder, kommuner=kommune, settings=replace(settings, imdi_tolerance_rel=0.25)),
                     code="C001")
    assert not codes(check_folder(oslo_folder, kommuner=[Kommune("0301", "Oslo", ("adm",), imdi_malgruppe=118)],
                                  settings=settings), code="C001")


def test_kommune_list_unknown_name_and_missing(oslo_folder, settings):
    report = check_folder(oslo_folder, kommuner=[Kommune("0301", "Oslo kommune", ("adm",)),
                                                 Kommune("4601", "Bergen", ("adm",))], settings=settings)
    assert codes(report, code="A010")
    assert [(p.code, "4601" in p.message) for p in report.problems] == [("K002", True)]
    report = check_folder(oslo_folder, kommuner=[Kommune("4601", "Bergen", ("adm",))], settings=settings)
    assert codes(report, code="A009")


def write_fjorar(path: Path, rows: list[tuple[str, str, str]], sep: str = ";") -> Path:
    path.write_text("kommunenummer;felt;verdi_per_person\n".replace(";", sep)
                    + "".join(sep.join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_fjorar_ratio_flags(oslo_folder, settings, tmp_path):
    fj = write_fjorar(tmp_path / "fjor.csv", [("0301", "sos_utgift_mg", "1000"), ("301", "sum_utgift_mg", "1 000,0")])
    report = check_folder(oslo_folder, fjorar=fj, settings=settings)
    found = {p.field: p for p in codes(report, code="C002")}
    assert set(found) == {"sos_utgift_mg", "sum_utgift_mg"}
    assert found["sos_utgift_mg"].value == pytest.approx(OSLO_PER_PERSON, abs=0.01)
    assert "3,69 ganger" in found["sos_utgift_mg"].message


def test_fjorar_quiet_when_close(oslo_folder, settings, tmp_path):
    fj = write_fjorar(tmp_path / "fjor.csv", [("0301", "sos_utgift_mg", "3500,5")], sep=",")
    fj.write_text(fj.read_text().replace("3500,5", '"3500,5"'))
    assert not codes(check_folder(oslo_folder, fjorar=fj, settings=settings), code="C002")


def test_fjorar_bad_rows_and_bad_file(oslo_folder, settings, tmp_path):
    fj = write_fjorar(tmp_path / "fjor.csv", [("0301", "sos_utgift_mg", "mye"), ("abc", "x", "1")])
    values, problems = load_fjorar(fj)
    assert values == {} and [p.code for p in problems] == ["K001", "K001"]
    with pytest.raises(IntakeUsageError):
        check_folder(oslo_folder, fjorar=tmp_path / "finnes_ikke.csv", settings=settings)
    (tmp_path / "feil.csv").write_text("a;b\n1;2\n")
    with pytest.raises(IntakeUsageError):
        check_folder(oslo_folder, fjorar=tmp_path / "feil.csv", settings=settings)


class R:
    def __init__(self, name: str):
        self.file = name


def test_hidiroglou_berthelot_flags_the_odd_change(settings):
    pairs = [(R(f"k{i}"), 1000 + 10 * i, 1000 + 9 * i) for i in range(9)]
    pairs.append((R("odd"), 3000, 1000))
    assert [r.file for r, _, _ in hb_outliers(pairs, settings)] == ["odd"]
    assert hb_outliers(pairs[:-1], settings) == []
    assert hb_outliers(pairs[:3], settings) == []   # too few units


def test_median_of_the_others(maker, settings, tmp_path):
    folder = tmp_path / "inn"
    folder.mkdir()
    for i, knr in enumerate(("9101", "9102", "9103", "9104")):
        scale = 10.0 if knr == "9104" else 1.0 + 0.1 * i
        maker.filled(folder / f"{knr}.xlsx", good_values(scale), knr=knr)
    report = check_folder(folder, settings=settings)
    odd = [p for p in report.by_file("9104.xlsx").problems if p.code == "C004"]
    assert {p.field for p in odd} == {"sos_utgift_mg", "sum_utgift_mg"} and all(p.severity == "advarsel" for p in odd)
    for name in ("9101.xlsx", "9102.xlsx", "9103.xlsx"):
        assert not [p for p in report.by_file(name).problems if p.code == "C004"]


def test_median_needs_enough_others(maker, settings, tmp_path):
    folder = tmp_path / "inn"
    folder.mkdir()
    for knr, scale in (("9101", 1.0), ("9102", 10.0)):
        maker.filled(folder / f"{knr}.xlsx", good_values(scale), knr=knr)
    report = check_folder(folder, settings=settings)
    assert not [p for r in report.files for p in r.problems if p.code == "C004"]


def test_handover_between_the_two_forms_of_a_municipality(tmp_path):
    """The premises of the introduction programme: adm 4.4 and norsk spm 30 name one amount. Equal
    amounts are quiet; different ones are C005 on both files, at each form's own cell."""
    from intake_helpers import PASSWORD

    from kalk_excel.definition import load_form
    from kalk_excel.demo.inputs import raw_inputs
    from kalk_excel.workbook import build_workbook, fill_workbook

    kommune = Kommune("0301", "Oslo", ("adm", "norsk"))
    folder = tmp_path / "inn"
    folder.mkdir()

    def send(adm_amount: int, norsk_amount: int) -> None:
        for form_id, fid, amount in (("adm", "intro_annet_lokaler_utgift", adm_amount),
                                     ("norsk", "no_lok_intro", norsk_amount)):
            form = load_form(2024, form_id)
            template = tmp_path / f"mal_{form_id}.xlsx"
            if not template.exists():
                build_workbook(form, kommune, template, password=PASSWORD)
            values = {**raw_inputs("0301", form), fid: amount}
            if form_id == "norsk":   # spm 30 holds the herav amount
                values["no_lok_andre_aktiviteter"] = max(values.get("no_lok_andre_aktiviteter") or 0, amount)
            fill_workbook(template, values, folder / f"2024_{form_id}_0301_oslo.xlsx")

    send(120_000, 120_000)
    report = check_folder(folder, year=2024, kommuner=[kommune])
    assert not [p for r in report.files for p in r.problems if p.code == "C005"]
    send(120_000, 80_000)
    report = check_folder(folder, year=2024, kommuner=[kommune])
    found = {r.form_id: [p for p in r.problems if p.code == "C005"] for r in report.files}
    assert set(found) == {"adm", "norsk"}
    for form_id, fid in (("adm", "intro_annet_lokaler_utgift"), ("norsk", "no_lok_intro")):
        p, = found[form_id]
        assert p.severity == "advarsel" and p.field == fid and p.sheet and p.cell
        assert "120 000" in p.message and "80 000" in p.message
