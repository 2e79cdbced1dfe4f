"""`kalk-excel nytt-aar`: next year from this year's master — definitions with the period moved on,
parameters rolled forward (hand calculation), Fjorår filled from last year's results, and the new
year's submissions running through kontroller and beregn without any code change."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kalk_excel.cli.main import cli
from kalk_excel.definition import load_form
from kalk_excel.definition.loader import DEFINITIONS_ENV
from kalk_excel.definition.model import Kommune
from kalk_excel.demo.inputs import raw_inputs
from kalk_excel.intake import check_folder
from kalk_excel.master.layout import SHEET_LASTYEAR, lastyear_rows
from kalk_excel.master.perkommune_spec import AREAS
from kalk_excel.model import load_parameters
from kalk_excel.model.per_kommune import carried_amount
from kalk_excel.pipeline.run import run_beregn
from kalk_excel.workbook import build_workbook, fill_workbook, workbook_filename
from support import write_submissions

KOMMUNER = [Kommune("1833", "Rana", ("adm", "norsk")), Kommune("3103", "Moss", ("adm", "norsk"))]
DEFLATOR = 0.041
PASSWORD = "Test-passord-æøå-2025"


@pytest.fixture(scope="module")
def last_year(tmp_path_factory: pytest.TempPathFactory):  # the tests that use it ask for soffice
    base = tmp_path_factory.mktemp("aar")
    inn = write_submissions(base / "inn2024", KOMMUNER, PASSWORD)
    master = base / "master_2024.xlsx"
    result = run_beregn(master, inn, 2024, KOMMUNER)
    return base, master, result


@pytest.fixture(scope="module")
def rolled(last_year):  # noqa: ANN001
    base, master, _ = last_year
    out = base / "2025"
    run = CliRunner().invoke(cli, ["nytt-aar", "--fra", str(master), "--aar", "2025", "--ut", str(out),
                                   "--deflator", str(DEFLATOR)])
    assert run.exit_code == 0, run.output
    return out


def test_roll_parameters_carries_the_published_amounts_by_hand() -> None:
    """Without a master: 2024's helse/kultur as the master used them (here the chain, fixed amounts
    0: 40 815 × 1.052 = 42 937.38 -> 42 937; 1 644 × 1.052 = 1 729.488 -> 1 729) become 2025's
    *_fjorar; deflator_2024 gives way to deflator_2025."""
    from kalk_excel.definition.loader import TEMPLATES_DIR
    from kalk_excel.definition.yamlsource import read_yaml
    from kalk_excel.year.rollover import roll_parameters

    nodes = [dict(n) for n in read_yaml(TEMPLATES_DIR / "2024" / "parametre.yaml")["parameters"]]
    effective = dict(load_parameters(2024).with_values(helse_fastsatt=0, kultur_fastsatt=0))
    rolled, carried, _ = roll_parameters(nodes, effective, 2024, 2025, 0.03)
    by_id = {n["id"]: n for n in rolled}
    assert by_id["helse_fjorar"]["value"] == 42_937 and by_id["kultur_fjorar"]["value"] == 1_729
    assert carried["helse_fjorar"] == (40_815, 42_937)
    assert by_id["helse_fastsatt"]["value"] == 0 and by_id["deflator_2025"]["value"] == 0.03
    assert "deflator_2024" not in by_id and "(2024)" in by_id["helse_fjorar"]["label"]


@pytest.mark.libreoffice
@pytest.mark.slow
def test_parameters_rolled_forward_by_hand(soffice, rolled: Path) -> None:
    old = load_parameters(2024)
    new = load_parameters(2025, rolled / "definisjoner" / "2025" / "parametre.yaml")
    # this year's published helse and kultur become next year's *_fjorar; the fixed amounts go to 0
    assert (old["helse_fastsatt"], old["kultur_fastsatt"]) == (42_978, 1_715)
    assert (new["helse_fjorar"], new["kultur_fjorar"]) == (42_978, 1_715)
    assert (new["helse_fastsatt"], new["kultur_fastsatt"]) == (0, 0)
    assert new["deflator_2025"] == pytest.approx(DEFLATOR) and "deflator_2024" not in new
    # next year's amounts: 42 978 × 1.041 = 44 740.098 (the report's prognosis for 2025: 44 740);
    # 1 715 × 1.041 = 1 785.315
    assert carried_amount(new, "helse", 2025) == pytest.approx(44_740.098)
    assert carried_amount(new, "kultur", 2025) == pytest.approx(1_785.315)
    flagged = new.meta("tilskudd_ar1_em")
    assert flagged.value == old["tilskudd_ar1_em"] and flagged.source.startswith("IKKE OPPDATERT for 2025")
    assert "bosatt 2025 (kull 1)" in new.meta("sosialhjelp_kull_1").label


@pytest.mark.libreoffice
@pytest.mark.slow
def test_new_year_workbooks_show_the_moved_period(soffice, rolled: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv(DEFINITIONS_ENV, str(rolled / "definisjoner"))
    form = load_form(2025, "adm")
    assert form.year == 2025 and form.version == "2025.1"
    old = load_form(2024, "adm")
    assert len(form.decisions) == len(old.decisions) and set(form.fields) == set(old.fields)
    # the definition is last year's with only year and version moved on (decisions kept word for word)
    from kalk_excel.definition.loader import TEMPLATES_DIR
    before = (TEMPLATES_DIR / "2024" / "adm.yaml").read_text(encoding="utf-8").splitlines()
    after = (rolled / "definisjoner" / "2025" / "adm.yaml").read_text(encoding="utf-8").splitlines()
    assert len(before) == len(after)
    assert [(a.strip(), b.strip()) for a, b in zip(before, after, strict=False) if a != b] == [
        ("year: 2024", "year: 2025"), ('version: "2024.1"', 'version: "2025.1"')]
    path = build_workbook(form, KOMMUNER[0], tmp_path / "rana.xlsx", password=PASSWORD)
    texts = [str(c.value) for ws in load_workbook(path).worksheets for row in ws.iter_rows() for c in row
             if c.value is not None]
    assert "1.1.2021–31.12.2025" in texts


@pytest.mark.libreoffice
@pytest.mark.slow
def test_fjorar_holds_last_years_results(soffice, last_year, rolled: Path) -> None:  # noqa: ANN001
    _, master, result = last_year
    wb = load_workbook(rolled / "master_2025.xlsx", read_only=True)
    ws = wb[SHEET_LASTYEAR]
    rows = lastyear_rows(len(AREAS))
    area = {r[0]: r[1] for r in ws.iter_rows(min_row=rows["area_first"], max_row=rows["area_last"], max_col=2,
                                             values_only=True)}
    per_kommune = {r[0]: r[2:4] for r in ws.iter_rows(min_row=rows["kommune_first"],
                                                      max_row=rows["kommune_first"] + len(KOMMUNER) - 1,
                                                      max_col=4, values_only=True)}
    history = {r[0]: r[1:3] for r in ws.iter_rows(min_row=rows["history_first"],
                                                  max_row=rows["history_first"] + 3, max_col=3, values_only=True)}
    wb.close()
    # the 2024 average per person (Excel's own result) is last year's «Sum» on Fjorår
    assert area["Sum"] == pytest.approx(result.excel["adm_utgift_per_person_aar"], abs=0.01)
    assert history[2024][0] == pytest.approx(result.excel["norsk_deltakere_sum"])
    assert history[2024][1] == pytest.approx(result.excel["norsk_timer_sum"])
    norsk = load_form(2024, "norsk")
    for k in KOMMUNER:
        raw = raw_inputs(k.kommunenummer, norsk)
        from kalk_excel.definition.evaluate import compute
        values = compute(norsk, raw)
        assert per_kommune[k.kommunenummer] == (pytest.approx(values["no_deltakere_sum"]),
                                                pytest.approx(values["no_timer"]))


@pytest.mark.libreoffice
@pytest.mark.slow
def test_new_year_submissions_run_through_kontroller_and_beregn(soffice, rolled: Path, tmp_path: Path,
                                                                 monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv(DEFINITIONS_ENV, str(rolled / "definisjoner"))
    inn = tmp_path / "inn2025"
    inn.mkdir()
    for k in KOMMUNER:
        for form_id in k.skjema:
            form = load_form(2025, form_id)
            name = workbook_filename(2025, form_id, k.kommunenummer, k.navn)
            src = build_workbook(form, k, tmp_path / "maler" / name, password=PASSWORD)
            fill_workbook(src, raw_inputs(k.kommunenummer, form), inn / name)
    report = check_folder(inn, year=2025, kommuner=KOMMUNER)
    assert [f.status for f in report.files if f.status not in ("godkjent", "advarsler")] == []
    master = rolled / "master_2025.xlsx"
    result = run_beregn(master, inn, 2025, KOMMUNER, keep_recalculated=tmp_path / "beregnet.xlsx")
    assert result.update.summary["inkludert"] == 4
    assert result.agree, result.verdict()
    # the 25 parameters not yet updated for 2025 make the master's check say so
    wb = load_workbook(tmp_path / "beregnet.xlsx", read_only=True, data_only=True)
    checks = {r[3]: (r[1], r[2]) for r in wb["Kontroll"].iter_rows(min_row=6, max_row=20, max_col=4, values_only=True)}
    wb.close()
    new = load_parameters(2025)
    flagged = [p.id for p in new.rows() if p.source.startswith("IKKE OPPDATERT")]
    assert len(flagged) == 25 and checks["parametre_oppdatert"] == (len(flagged), 0)
    assert result.readback.master_status != "OK"
