"""*Prognose*, *Historikk* and the «100 % dekning» block on *Resultat*, recalculated by
LibreOffice, against the reference model (``kalk_excel.model.prognosis`` / ``coverage``), a
second implementation; the 100 % factors put back into the parameters; the charts after the round
trip. The master holds the built-in 2024 demo data."""

from __future__ import annotations

import re
import zipfile

import pytest
from openpyxl import load_workbook
from prognose_helpers import demo_master

from kalk_excel.engine.libreoffice import recalculate
from kalk_excel.master.readback import error_cells, read_names
from kalk_excel.model import load_parameters
from kalk_excel.model.coverage import RATES, RATES_AR1
from kalk_excel.model.coverage import results as coverage_results
from kalk_excel.model.prognosis import SCENARIOS, YEARS, base_from_model, project
from kalk_excel.model.result import ModelResult

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]
COMMON = ("adm", "intro", "vente", "helse", "tilskudd")
PER_SCENARIO = ("sosialhjelp", "utgift", "dekningsgrad")


@pytest.fixture(scope="module")
def masters(tmp_path_factory, soffice):
    """The demo master; the same with the rates scaled by the 100 % factors from a first model
    run (all rates, and the year-1 rates alone); all recalculated in one LibreOffice call."""
    tmp = tmp_path_factory.mktemp("prognose")
    params = load_parameters(2024)
    base_path, model = demo_master(tmp, "demo", params)
    cov = coverage_results(params, model["utgift_per_person_fem_aar"])
    all_rates = params.with_values(**{r: cov[f"dekning100_{r}"] for r in RATES})
    year1 = params.with_values(**{r: cov[f"dekning100_ar1_{r}"] for r in RATES_AR1})
    typed = params.with_values(dekning_test_faktor_alle=1.05, dekning_test_faktor_ar1=1.2,
                               prognose_realvekst_tiltak_2=0.01, prognose_satsfaktor_3=1.02)
    paths, models = [base_path], [model]
    for name, p in (("alle", all_rates), ("ar1", year1), ("endret", typed)):
        path, m = demo_master(tmp, name, p)
        paths.append(path)
        models.append(m)
    out = recalculate(paths, tmp / "out")
    cases = dict(zip(("demo", "alle", "ar1", "endret"), zip(out, models, strict=True), strict=True))
    return {"cases": cases, "params": {"demo": params, "alle": all_rates, "ar1": year1, "endret": typed}}


def _prognosis_names() -> list[str]:
    names = [f"prognose_{key}_{c}" for key in COMMON for c in range(YEARS + 1)]
    names += [f"prognose_p{s}_{key}_{c}" for s in range(1, SCENARIOS + 1) for key in PER_SCENARIO
              for c in range(YEARS + 1)]
    return names


def _model_values(model: ModelResult, params) -> dict[str, float]:
    prog = project(base_from_model(model), params, 2024)
    out = {f"prognose_{key}_{c}": prog.rows[key][c] for key in COMMON for c in range(YEARS + 1)}
    for s in range(1, SCENARIOS + 1):
        table = prog.table12(s)
        out.update({f"prognose_p{s}_{key}_{c}": table[key][c] for key in PER_SCENARIO for c in range(YEARS + 1)})
    out.update(coverage_results(params, model["utgift_per_person_fem_aar"]))
    return out


@pytest.mark.parametrize("case", ["demo", "endret"])
def test_excel_equals_model(soffice, masters, case):
    path, model = masters["cases"][case]
    expected = _model_values(model, masters["params"][case])
    excel = read_names(path, list(expected))
    for name, value in expected.items():
        tol = 0.0001 if "dekningsgrad" in name or "faktor" in name else 1.0
        assert isinstance(excel[name], (int, float)), (name, excel[name])
        assert abs(excel[name] - value) <= tol, (case, name, excel[name], value)


def test_typed_change_moves_the_right_numbers(soffice, masters):
    """The typed factors on Parametre change the dekningsgrad under the change and the prognosis
    rows they belong to, and nothing else."""
    demo = read_names(masters["cases"]["demo"][0], _prognosis_names() + ["dekningsgrad_ved_satsendring",
                                                                        "dekningsgrad_integreringstilskudd"])
    typed = read_names(masters["cases"]["endret"][0], list(demo))
    assert demo["dekningsgrad_ved_satsendring"] == pytest.approx(demo["dekningsgrad_integreringstilskudd"])
    assert typed["dekningsgrad_ved_satsendring"] > demo["dekningsgrad_ved_satsendring"]
    assert typed["prognose_adm_1"] == pytest.approx(demo["prognose_adm_1"])
    assert typed["prognose_adm_2"] > demo["prognose_adm_2"]
    assert typed["prognose_tilskudd_3"] == pytest.approx(demo["prognose_tilskudd_2"] * 1.02)
    assert typed["prognose_helse_3"] == pytest.approx(demo["prognose_helse_3"])


@pytest.mark.parametrize("case", ["alle", "ar1"])
def test_100_percent_rates_put_back_give_100_percent(soffice, masters, case):
    path, model = masters["cases"][case]
    excel = read_names(path, ["dekningsgrad_integreringstilskudd", "dekning100_faktor_alle", "dekning100_faktor_ar1"])
    assert 100 * excel["dekningsgrad_integreringstilskudd"] == pytest.approx(100, abs=0.01)
    assert 100 * model["dekningsgrad_integreringstilskudd"] == pytest.approx(100, abs=0.01)
    assert excel["dekning100_faktor_alle"] == pytest.approx(1, abs=1e-6)   # nothing left to scale
    assert excel["dekning100_faktor_ar1"] == pytest.approx(1, abs=1e-6)


def test_no_error_values(soffice, masters):
    path, _ = masters["cases"]["demo"]
    assert [c for c in error_cells(path) if c[0] in ("Prognose", "Historikk", "Resultat")] == []


def test_history_rows(soffice, masters):
    """Historikk: 2023 from the report's tabell 1/2 (the history file), 2024 from this year's results,
    2025-2027 from Prognose."""
    path, model = masters["cases"]["demo"]
    ws = load_workbook(path, data_only=True)["Historikk"]
    rows = {ws.cell(r, 1).value: [c.value for c in ws[r]] for r in range(6, ws.max_row + 1)
            if isinstance(ws.cell(r, 1).value, int)}
    assert list(rows)[0] == 2010 and list(rows)[-1] == 2027
    assert rows[2023][1:10] == [443690, 243797, 129640, 21121, 40815, 879063, 807020, 0.918, 1968]   # tabell 1, 2, 6
    assert rows[2024][6] == pytest.approx(model["utgift_per_person_fem_aar"], abs=1)
    names = read_names(path, ["prognose_p2_utgift_3", "prognose_adm_1"])
    assert rows[2027][12] == pytest.approx(names["prognose_p2_utgift_3"])
    assert rows[2025][1] == pytest.approx(names["prognose_adm_1"])
    assert rows[2015][1:10] == [None] * 9                 # not printed: empty, not 0


def test_charts_survive_libreoffice_round_trip(soffice, masters):
    path, _ = masters["cases"]["demo"]
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode("utf-8") for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    titles = {t for xml in charts for t in re.findall(r"<a:t>(Figur[^<]*)</a:t>", xml)}
    assert {t.split(".")[0] for t in titles} == {"Figur 19", "Figur 21", "Figur 7"}
    for xml in charts:
        if "Figur" not in xml:
            continue
        refs = re.findall(r"<c:f>([^<]*)</c:f>", xml)
        assert refs and all("Historikk" in r for r in refs), refs
        assert '<c:delete val="1"/>' not in xml           # the axes are shown
    wb = load_workbook(path)
    assert len(wb["Prognose"]._charts) == 2 and len(wb["Historikk"]._charts) == 1
