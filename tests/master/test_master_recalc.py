"""The master's formulas, recalculated by LibreOffice, against the reference model (a second,
independent implementation) on randomised inputs and against a hand calculation; no error
values anywhere; the charts survive the LibreOffice round trip."""

from __future__ import annotations

import random
import re
import zipfile
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from kalk_excel.engine.libreoffice import recalculate
from kalk_excel.master import build_master
from kalk_excel.master.fields import CALC_FIELDS
from kalk_excel.master.layout import FIRST_DATA_ROW, MODEL_CHECK
from kalk_excel.master.readback import error_cells, read_names
from kalk_excel.model import compute, load_parameters
from kalk_excel.pipeline.blocks import write_blocks_openpyxl
from kalk_excel.pipeline.pull import model_block, pull
from kalk_excel.pipeline.update import model_frames, run_model

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]
FORMS = {"adm": None, "norsk": None}
SEEDS = (11, 23, 37)
RATIOS = {name for name, _, kind in MODEL_CHECK if kind == "andel"}


def random_case(seed):
    """3-5 municipalities, random calculation fields and inclusion (status) per submission."""
    rnd = random.Random(seed)
    numbers = rnd.sample(["0301", "1103", "3201", "4601", "5001", "5605"], rnd.randint(3, 5))
    kommuner = [(nr, f"Kommune {nr}") for nr in numbers]
    files = []
    for i, nr in enumerate(numbers):
        adm = {fid: rnd.randint(0, 50_000_000) for fid, _ in CALC_FIELDS["adm"]}
        adm.update(mg_antall_3112=rnd.randint(50, 3000), mg_innflyttet=rnd.randint(0, 200),
                   mg_utflyttet=rnd.randint(0, 200), mg_forstegangsbosatt=rnd.randint(10, 800),
                   kvp_deltakere_mg=rnd.randint(0, 200), skole_elever_mg=rnd.randint(0, 900),
                   bhg_barn_forstegang=rnd.randint(0, 300), bolig_eid_antall_mg=rnd.randint(0, 100),
                   bolig_eid_markedsverdi_mg=rnd.randint(1_000_000, 6_000_000),
                   em_antall=rnd.choice([0, rnd.randint(1, 150)]),
                   em_vedtak_bosette=rnd.choice(["ja", "nei"]))
        norsk = {"no_undervist": rnd.choice(["ja", "nei"]), "no_deltakere_sum": rnd.randint(0, 3000),
                 "no_timer": rnd.randint(1000, 100_000), "no_utgift_sum": rnd.randint(1_000_000, 300_000_000),
                 "no_inntekt_sum": rnd.randint(1_000_000, 300_000_000)}
        if i == 0:   # keep every sub-sample non-empty so both sides have something to divide by
            adm.update(em_vedtak_bosette="ja", em_antall=40)
            norsk["no_undervist"] = "ja"
        if i == 0 and nr == "0301":
            adm["em_vedtak_bosette"] = "ja"
        statuses = ["godkjent", "advarsler", "feil"]
        for form, values in (("adm", adm), ("norsk", norsk)):
            status = "godkjent" if i == 0 and nr != "0301" else rnd.choice(statuses)
            files.append(SimpleNamespace(form_id=form, kommunenummer=nr, status=status, values=values,
                                         file=f"{form}_{nr}.xlsx", sha256="0" * 64, received=None, cells={},
                                         replaced_by=None))
    if numbers[0] == "0301":   # Oslo is excluded from EM: make sure another EM municipality is included
        files[2] = SimpleNamespace(**{**files[2].__dict__, "status": "godkjent"})
        files[2].values.update(em_vedtak_bosette="ja", em_antall=25)
    return kommuner, SimpleNamespace(files=files)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory, soffice):
    """One master per seed plus a hand-calculation master, recalculated in one LibreOffice call."""
    tmp = tmp_path_factory.mktemp("recalc")
    params = load_parameters(2024)
    cases, paths, full = {}, [], {}
    columns = {f: [fid for fid, _ in CALC_FIELDS[f]] for f in CALC_FIELDS}
    for seed in SEEDS:
        kommuner, subs = random_case(seed)
        empty = build_master(2024, tmp / f"tom_{seed}.xlsx", kommuner=kommuner, forms=FORMS, params=params)
        pulled = pull(2024, kommuner, FORMS, subs)
        frames = model_frames(pulled.rows, columns)
        model = run_model(pulled.rows, columns, params, 2024)[0]
        paths.append(write_blocks_openpyxl(empty, pulled.blocks + [model_block(model)], tmp / f"master_{seed}.xlsx"))
        cases[seed] = model
        full[seed] = compute(frames["adm"], frames["norsk"], params, year=2024)
    kommuner, subs = hand_case()
    empty = build_master(2024, tmp / "tom_hand.xlsx", kommuner=kommuner, forms=FORMS, params=params)
    paths.append(write_blocks_openpyxl(empty, pull(2024, kommuner, FORMS, subs).blocks, tmp / "master_hand.xlsx"))
    out = recalculate(paths, tmp / "out")
    return {"seeds": dict(zip(SEEDS, out, strict=False)), "models": cases, "full": full, "hand": out[-1], "built": paths}


@pytest.mark.parametrize("seed", SEEDS)
def test_formulas_agree_with_model_on_random_inputs(soffice, recalculated, seed):
    model = recalculated["models"][seed]
    names = [name for name, _, _ in MODEL_CHECK]
    excel = read_names(recalculated["seeds"][seed], names + ["master_status"])
    assert set(names) <= set(model)
    for name in names:
        tol = 0.0001 if name in RATIOS else 1.0
        assert isinstance(excel[name], (int, float)), (name, excel[name])
        assert abs(excel[name] - model[name]) <= tol, (seed, name, excel[name], model[name])
    assert excel["master_status"] == "OK"     # the Kontroll sheet agrees: every check passes


@pytest.mark.parametrize("seed", SEEDS)
def test_no_error_values_after_recalculation(soffice, recalculated, seed):
    assert error_cells(recalculated["seeds"][seed]) == []


@pytest.mark.parametrize("seed", SEEDS)
def test_vedlegg_5_and_per_kommune_agree_with_model(soffice, recalculated, seed):
    """Area averages and medians (vedlegg 5) and each included municipality's N, total and
    average (vedlegg 2) against the model's frames."""
    model = recalculated["full"][seed]
    wb = load_workbook(recalculated["seeds"][seed], data_only=True)
    ws = wb["Beregning"]
    (_, ref), = wb.defined_names["omrade_tabell"].destinations
    first, last = (int(x) for x in re.findall(r"\d+", ref))
    table = [[c.value for c in row] for row in ws.iter_rows(min_row=first, max_row=last, max_col=4)]
    assert [r[0] for r in table] == list(model.vedlegg5["utgiftsomrade"])
    for (label, _, snitt, median), (_, expected) in zip(table, model.vedlegg5.iterrows(), strict=False):
        assert snitt == pytest.approx(expected["snitt"], abs=1), label
        assert median == pytest.approx(expected["median"], abs=1), label
    per = wb["Beregning per kommune"]
    header = {c.value: c.column for c in per[4] if c.value}
    seen = 0
    for row in range(FIRST_DATA_ROW, per.max_row + 1):
        nr = per.cell(row, header["kommunenummer"]).value
        if per.cell(row, header["inkludert"]).value != 1:
            continue
        expected = model.per_kommune.loc[nr]
        for key, mkey in (("n", "N"), ("total", "total"), ("snitt", "snitt"), ("kvp", "kvp"), ("bolig", "bolig")):
            assert per.cell(row, header[key]).value == pytest.approx(expected[mkey], abs=1), (nr, key)
        seen += 1
    assert seen == len(model.per_kommune)


def hand_case():
    """Two municipalities with round numbers; the second is rejected ("feil") and must not count."""
    kommuner = [("1103", "Stavanger"), ("4601", "Bergen")]
    a = {fid: 0 for fid, _ in CALC_FIELDS["adm"]}
    a.update(mg_antall_3112=100, mg_innflyttet=10, mg_utflyttet=4, mg_forstegangsbosatt=20,
             sos_utgift_mg=1_000_000, sos_ventestonad_mg=200_000, kvp_utgift_mg=100, kvp_deltakere_mg=1,
             em_vedtak_bosette="ja", em_antall=2, em_utgift_sum=1_500_000, em_sarskilt_tilskudd=1_000_000)
    b = dict(a, sos_utgift_mg=9_000_000)
    no = {"no_undervist": "ja", "no_timer": 1000, "no_utgift_sum": 2_000_000, "no_inntekt_sum": 1_500_000,
          "no_deltakere_sum": 50}
    files = [SimpleNamespace(form_id=f, kommunenummer=nr, status=st, values=v, file=None, sha256=None,
                             received=None, cells={}, replaced_by=None)
             for f, nr, st, v in (("adm", "1103", "godkjent", a), ("adm", "4601", "feil", b),
                                  ("norsk", "1103", "godkjent", no), ("norsk", "4601", "godkjent", no))]
    return kommuner, SimpleNamespace(files=files)


def test_hand_calculation(soffice, recalculated):
    p = load_parameters(2024)
    v = read_names(recalculated["hand"], ["antall_malgruppe_sum", "adm_utgifter_sum", "ventestonad_per_person",
                                          "adm_utgift_per_em_aar", "sarskilt_per_em_aar", "dekningsgrad_norsk",
                                          "utgift_per_undervisningstime", "sosialhjelp_fem_aar"])
    n = 100 - 0.5 * 10 + 0.5 * 4                        # N = 31.12 - half moved in + half moved out = 97
    kultur = p["kultur_fastsatt"] * n
    kvp = 0                                             # 100 kr minus one participant's framework funding < 0
    assert v["antall_malgruppe_sum"] == pytest.approx(97)
    assert v["adm_utgifter_sum"] == pytest.approx(1_000_000 + kvp + kultur - 1_000_000, abs=0.01)
    assert v["ventestonad_per_person"] == pytest.approx(200_000 / 20)
    assert v["adm_utgift_per_em_aar"] == pytest.approx(1_500_000 / 2)
    assert v["sarskilt_per_em_aar"] == pytest.approx(1_000_000 / 2)
    assert v["dekningsgrad_norsk"] == pytest.approx(3_000_000 / 4_000_000)
    assert v["utgift_per_undervisningstime"] == pytest.approx(4_000_000 / 2000)
    assert v["sosialhjelp_fem_aar"] == pytest.approx(sum(p[f"sosialhjelp_kull_{i}"] for i in range(1, 6)))
    assert p["kvp_rammefinansiering_per_deltaker"] > 100


def test_charts_survive_libreoffice_round_trip(soffice, recalculated):
    path = recalculated["seeds"][SEEDS[0]]
    with zipfile.ZipFile(path) as z:
        charts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        refs_per_chart = [re.findall(r"<c:f>([^<]*)</c:f>", z.read(name).decode("utf-8")) for name in charts]
        # the Resultat charts; those of Prognose/Historikk are tested in test_prognose.py
        on_results = [refs for refs in refs_per_chart if refs and "Historikk" not in refs[0]]
        assert len(on_results) == 3
        for refs in on_results:
            assert all(r.startswith(("Resultat!", "'Resultat'!", "$Resultat")) for r in refs), refs
    wb = load_workbook(path)
    assert len(wb["Resultat"]._charts) == 3
