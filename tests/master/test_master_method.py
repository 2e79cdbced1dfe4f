"""The method as the report states it, in the recalculated master and in the model, against a hand
calculation on three municipalities: kvalifiseringsstønad from *Registerdata* in the KVP area before
the deduction per participant, the school-deduction switch both ways, the floor switch, and
vedlegg 5's Sum median as the sum of the area medians."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest
from openpyxl import load_workbook

from kalk_excel.engine.libreoffice import recalculate
from kalk_excel.master import build_master
from kalk_excel.master.fields import CALC_FIELDS
from kalk_excel.master.layout import MODEL_CHECK
from kalk_excel.master.readback import error_cells, read_names
from kalk_excel.model import compute, load_parameters
from kalk_excel.pipeline.blocks import write_blocks_openpyxl
from kalk_excel.pipeline.pull import model_block, pull
from kalk_excel.pipeline.update import model_frames, run_model

FORMS = {"adm": None, "norsk": None}
KOMMUNER = [("1103", "Stavanger"), ("4601", "Bergen"), ("5001", "Trondheim")]
RATES = dict(kvp_rammefinansiering_per_deltaker=100_000, skole_rammefinansiering_per_elev=20_000)
REGISTER = {"1103": {"kvalifiseringsstonad": 200_000, "ikke_klientfort_281": 50_000, "kilde": "SSB (test)"},
            "4601": {"kvalifiseringsstonad": 100_000, "kilde": "SSB (test)"}}
VARIANTS = {"standard": {}, "uten_skoletrekk": {"skole_trekk_rammetilskudd": 0},
            "uten_gulv": {"fradrag_ikke_negativ": 0}}
RATIOS = {name for name, _, kind in MODEL_CHECK if kind == "andel"}


def _files():
    zero = {fid: 0 for fid, _ in CALC_FIELDS["adm"]}
    adm = {
        # A: N 100; KVP 50 000 + stønad 200 000 - 1 x 100 000; skole 300 000 - 10 x 20 000
        "1103": dict(zero, mg_antall_3112=100, mg_forstegangsbosatt=10, sos_utgift_mg=1_000_000, kvp_utgift_mg=50_000,
                     kvp_deltakere_mg=1, skole_utgift_mg=300_000, skole_elever_mg=10),
        # B: N 50; KVP 0 + 100 000 - 2 x 100 000 < 0; skole 300 000 - 10 x 20 000
        "4601": dict(zero, mg_antall_3112=50, mg_forstegangsbosatt=10, sos_utgift_mg=200_000, kvp_deltakere_mg=2,
                     skole_utgift_mg=300_000, skole_elever_mg=10),
        # C: N 200; no register row; the EM sub-sample (no særskilt tilskudd, so no area changes)
        "5001": dict(zero, mg_antall_3112=200, mg_forstegangsbosatt=10, sos_utgift_mg=1_200_000,
                     em_vedtak_bosette="ja", em_antall=2, em_utgift_sum=1_000_000),
    }
    norsk = {"no_undervist": "ja", "no_timer": 1000, "no_utgift_sum": 2_000_000, "no_inntekt_sum": 1_500_000,
             "no_deltakere_sum": 50}
    return [SimpleNamespace(form_id=f, kommunenummer=nr, status="godkjent", values=v, file=f"{f}_{nr}.xlsx",
                            sha256="0" * 64, received=None, cells={}, replaced_by=None)
            for nr in adm for f, v in (("adm", adm[nr]), ("norsk", norsk))]


@pytest.fixture(scope="module")
def masters(tmp_path_factory, soffice):
    tmp = tmp_path_factory.mktemp("metode")
    columns = {f: [fid for fid, _ in CALC_FIELDS[f]] for f in CALC_FIELDS}
    register = pd.DataFrame.from_dict(REGISTER, orient="index")
    paths, models = [], {}
    for name, switches in VARIANTS.items():
        params = load_parameters(2024).with_values(**RATES, **switches)
        empty = build_master(2024, tmp / f"tom_{name}.xlsx", kommuner=KOMMUNER, forms=FORMS, params=params,
                             registerdata=REGISTER)
        pulled = pull(2024, KOMMUNER, FORMS, _files())
        model = run_model(pulled.rows, columns, params, 2024, register)[0]
        frames = model_frames(pulled.rows, columns)
        models[name] = (model, compute(frames["adm"], frames["norsk"], params, year=2024, register=register))
        paths.append(write_blocks_openpyxl(empty, pulled.blocks + [model_block(model)], tmp / f"{name}.xlsx"))
    out = recalculate(paths, tmp / "ut")
    return dict(zip(VARIANTS, out, strict=True)), models


def _per_kommune(path, key):
    ws = load_workbook(path, data_only=True)["Beregning per kommune"]
    header = {c.value: c.column for c in ws[4] if c.value}
    return {ws.cell(r, 1).value: ws.cell(r, header[key]).value for r in range(6, 9)}


def _vedlegg5(path):
    wb = load_workbook(path, data_only=True)
    (_, ref), = wb.defined_names["omrade_tabell"].destinations
    first, last = (int(x) for x in re.findall(r"\d+", ref))
    return {r[0]: r[3] for r in wb["Beregning"].iter_rows(min_row=first, max_row=last, max_col=4, values_only=True)}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_excel_equals_model_for_every_switch(soffice, masters, variant):
    paths, models = masters
    model = models[variant][0]
    names = [name for name, _, _ in MODEL_CHECK]
    excel = read_names(paths[variant], names)
    for name in names:
        tol = 0.0001 if name in RATIOS else 1.0
        assert abs(excel[name] - model[name]) <= tol, (variant, name, excel[name], model[name])
    assert error_cells(paths[variant]) == []
    for key in ("kvp", "skole"):
        per = _per_kommune(paths[variant], key)
        for nr, value in per.items():
            assert value == pytest.approx(models[variant][1].per_kommune.loc[nr, key], abs=0.5), (variant, key, nr)


def test_kvalifiseringsstonad_and_school_switch_by_hand(soffice, masters):
    paths, _ = masters
    # kultur 1 715 × N (the fixed 2024 amount): 171 500, 85 750, 343 000
    a = 1_000_000 + (50_000 + 200_000 - 100_000) + (300_000 - 200_000) + 171_500      # 1 421 500
    b = 200_000 + 0 + (300_000 - 200_000) + 85_750                                      # KVP floored at 0
    c = 1_200_000 + 343_000
    assert _per_kommune(paths["standard"], "kvp") == {"1103": 150_000, "4601": 0, "5001": 0}
    assert read_names(paths["standard"], ["adm_utgifter_sum"])["adm_utgifter_sum"] == pytest.approx(a + b + c)
    # without the school deduction: + 10 x 20 000 in A and in B
    assert _per_kommune(paths["uten_skoletrekk"], "skole") == {"1103": 300_000, "4601": 300_000, "5001": 0}
    off = read_names(paths["uten_skoletrekk"], ["adm_utgifter_sum"])["adm_utgifter_sum"]
    assert off == pytest.approx(a + b + c + 400_000)
    # without the floor B's KVP is 100 000 - 200 000
    assert _per_kommune(paths["uten_gulv"], "kvp")["4601"] == -100_000


def test_vedlegg_5_sum_median_is_the_sum_of_area_medians_by_hand(soffice, masters):
    paths, _ = masters
    v5 = _vedlegg5(paths["standard"])
    # per person A (N 100), B (50), C (200); median of three = the middle one
    sosial = 6_000                  # 10 000, 4 000, 6 000
    kvp = 0                         # 1 500, 0, 0
    skole = 1_000                   # 1 000, 2 000, 0
    kultur = 1_715
    assert v5["Sosial rådgivning og veiledning"] == pytest.approx(sosial)
    assert v5["Ekstratiltak i grunnskolen"] == pytest.approx(skole)
    assert v5["Sum"] == pytest.approx(sosial + kvp + skole + kultur)              # 8 715
    # the median of the totals per person (14 215, 7 715, 7 715) is its own row, not under "Sum"
    assert read_names(paths["standard"], ["median_sum_per_person"])["median_sum_per_person"] == pytest.approx(7_715)
    assert _vedlegg5(paths["uten_skoletrekk"])["Ekstratiltak i grunnskolen"] == pytest.approx(3_000)   # 3 000, 6 000, 0


def test_registerdata_sheet_holds_the_values_and_imdi_count(soffice, masters):
    paths, _ = masters
    ws = load_workbook(paths["standard"], data_only=True)["Registerdata"]
    header = {c.value: c.column for c in ws[4] if c.value}
    rows = {ws.cell(r, 1).value: r for r in range(6, 9)}
    assert ws.cell(rows["1103"], header["kvalifiseringsstonad"]).value == 200_000
    assert ws.cell(rows["1103"], header["ikke_klientfort_281"]).value == 50_000
    assert ws.cell(rows["5001"], header["kvalifiseringsstonad"]).value is None
    assert ws.cell(rows["4601"], header["kilde"]).value == "SSB (test)"
