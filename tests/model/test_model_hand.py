"""The reference model against hand calculations on four made-up municipalities (arithmetic below)."""

from __future__ import annotations

import pandas as pd
import pytest

from kalk_excel.model import compute, load_parameters

# helse = 18 000 × (1 + 0.1) = 19 800 (carried forward); kultur = the fixed 1 000 (its carried-forward
# amount would be 2 000 × 1.1 = 2 200).
SIMPLE = dict(kvp_rammefinansiering_per_deltaker=100_000, skole_rammefinansiering_per_elev=10_000,
              barnehagetilskudd=20_000, kultur_fjorar=2_000, kultur_fastsatt=1_000, helse_fjorar=18_000,
              helse_fastsatt=0, deflator_2024=0.1, skole_trekk_rammetilskudd=1, fradrag_ikke_negativ=1,
              swaprente_5aar=0.03, risikotillegg=0.01,
              kapitalslit=0.01, imdi_forstegang_familier=60, imdi_forstegang_enslige_voksne=30,
              imdi_forstegang_em=10, imdi_forstegang_over_60=5)


def _row(**kw):
    base = dict(mg_antall_3112=0, mg_innflyttet=0, mg_utflyttet=0, mg_forstegangsbosatt=0, sos_utgift_mg=0,
                sos_ventestonad_mg=0, intro_utgift_mg=0, fov_utgift_mg=0, kvp_utgift_mg=0, kvp_deltakere_mg=0,
                syss_utgift_mg=0, bolig_eid_netto_mg=0, bolig_eid_antall_mg=0, bolig_eid_markedsverdi_mg=0,
                bolig_leid_netto_mg=0, bolig_adm_utgift_mg=0, pleie_utgift_mg=0, bv_utgift_mg=0,
                skole_utgift_mg=0, skole_elever_mg=0, bhg_utgift_mg=0, bhg_barn_forstegang=0,
                felles_utgift_mg=0, em_sarskilt_tilskudd=0, em_antall=0, em_utgift_sum=0, em_vedtak_bosette="nei")
    return base | kw


ADM = pd.DataFrame.from_dict({
    # A: Oslo (excluded from EM). N = 100 - 0.5*10 + 0.5*4 = 97
    "0301": _row(mg_antall_3112=100, mg_innflyttet=10, mg_utflyttet=4, mg_forstegangsbosatt=20,
                 sos_utgift_mg=1_000_000, sos_ventestonad_mg=120_000, intro_utgift_mg=500_000, fov_utgift_mg=100_000,
                 kvp_utgift_mg=150_000, kvp_deltakere_mg=1, bolig_eid_netto_mg=-20_000, bolig_eid_antall_mg=2,
                 bolig_eid_markedsverdi_mg=3_000_000, bolig_leid_netto_mg=50_000, bolig_adm_utgift_mg=30_000,
                 pleie_utgift_mg=10_000, bv_utgift_mg=200_000, skole_utgift_mg=80_000, skole_elever_mg=10,
                 bhg_utgift_mg=50_000, bhg_barn_forstegang=2, felles_utgift_mg=40_000, em_sarskilt_tilskudd=300_000,
                 em_antall=2, em_utgift_sum=1_500_000, em_vedtak_bosette="ja"),
    # B: N = 50 - 0.5*1 + 0.5*2 = 50.5; the only municipality in the EM sub-sample
    "1000": _row(mg_antall_3112=50, mg_innflyttet=1, mg_utflyttet=2, mg_forstegangsbosatt=10,
                 sos_utgift_mg=400_000, sos_ventestonad_mg=30_000, intro_utgift_mg=300_000, kvp_utgift_mg=90_000,
                 kvp_deltakere_mg=1, syss_utgift_mg=20_000, bolig_eid_netto_mg=10_000, bolig_eid_antall_mg=1,
                 bolig_eid_markedsverdi_mg=2_000_000, bolig_adm_utgift_mg=5_000, bv_utgift_mg=600_000,
                 skole_utgift_mg=150_000, skole_elever_mg=5, bhg_utgift_mg=10_000, bhg_barn_forstegang=1,
                 felles_utgift_mg=25_000, em_sarskilt_tilskudd=1_000_000, em_antall=2, em_utgift_sum=1_600_000,
                 em_vedtak_bosette="ja"),
    # C: vedtak ja but no EM -> not in the EM sub-sample. N = 20
    "2000": _row(mg_antall_3112=20, mg_forstegangsbosatt=5, sos_utgift_mg=100_000, intro_utgift_mg=100_000,
                 em_vedtak_bosette="ja"),
    # D: vedtak nei -> not in the EM sub-sample although it has EM. N = 10 - 0.5 = 9.5
    "3000": _row(mg_antall_3112=10, mg_innflyttet=1, mg_forstegangsbosatt=5, sos_utgift_mg=50_000,
                 sos_ventestonad_mg=5_000, em_sarskilt_tilskudd=600_000, em_antall=3, em_utgift_sum=900_000),
}, orient="index")

NORSK = pd.DataFrame.from_dict({
    "0301": dict(no_undervist="ja", no_utgift_sum=1_000_000, no_inntekt_sum=800_000, no_timer=500, no_deltakere_sum=40),
    "1000": dict(no_undervist="ja", no_utgift_sum=300_000, no_inntekt_sum=300_000, no_timer=100, no_deltakere_sum=10),
    "2000": dict(no_undervist="nei", no_utgift_sum=50_000, no_inntekt_sum=0, no_timer=10, no_deltakere_sum=1),
}, orient="index")


@pytest.fixture(scope="module")
def result():
    params = load_parameters(2024).with_values(**SIMPLE)
    return compute(ADM, NORSK, params)


def test_corrected_counts_with_movers(result) -> None:
    assert result.per_kommune["N"].to_dict() == {"0301": 97, "1000": 50.5, "2000": 20, "3000": 9.5}


def test_areas_after_deductions_oslo(result) -> None:
    a = result.per_kommune.loc["0301"]
    assert a["kvp"] == 150_000 - 1 * 100_000
    # bolig: -20 000 + 2 x 3 000 000 x (0.03 + 0.01 + 0.01) + 50 000 + 30 000
    assert a["bolig"] == pytest.approx(-20_000 + 300_000 + 50_000 + 30_000)
    assert a["skole"] == 0                      # MAX(0, 80 000 - 10 x 10 000)
    assert a["kultur"] == 1_000 * 97
    assert a["barnehage"] == 50_000 - 2 * 20_000
    assert a["sarskilt_em"] == -300_000
    expected = 1_000_000 + 500_000 + 100_000 + 50_000 + 0 + 360_000 + 10_000 + 200_000 + 0 + 97_000 + 10_000 \
        + 40_000 - 300_000
    assert a["total"] == pytest.approx(expected) and expected == 2_067_000
    assert a["snitt"] == pytest.approx(2_067_000 / 97)


def test_areas_after_deductions_b_and_d(result) -> None:
    b = result.per_kommune.loc["1000"]
    assert b["kvp"] == 0                        # MAX(0, 90 000 - 100 000)
    assert b["skole"] == 150_000 - 5 * 10_000
    assert b["barnehage"] == 0                  # MAX(0, 10 000 - 20 000)
    assert b["bolig"] == pytest.approx(10_000 + 1 * 2_000_000 * 0.05 + 5_000)
    assert b["kultur"] == 50_500
    assert b["total"] == pytest.approx(400_000 + 300_000 + 20_000 + 115_000 + 600_000 + 100_000 + 50_500
                                       + 25_000 - 1_000_000)
    d = result.per_kommune.loc["3000"]
    assert d["total"] == pytest.approx(50_000 + 9_500 - 600_000)


def test_weighted_averages_and_medians(result) -> None:
    v5 = result.vedlegg5
    n_sum = 97 + 50.5 + 20 + 9.5
    assert v5.loc["sosial", "snitt"] == pytest.approx((1_000_000 + 400_000 + 100_000 + 50_000) / n_sum)
    # medians of sosial per person: 10 309.28 (A), 7 920.79 (B), 5 000 (C), 5 263.16 (D) -> mean of middle two
    assert v5.loc["sosial", "median"] == pytest.approx((50_000 / 9.5 + 400_000 / 50.5) / 2)
    assert v5.loc["kvp", "snitt"] == pytest.approx(50_000 / n_sum)
    assert v5.loc["kvp", "median"] == 0
    assert v5.loc["kultur", "snitt"] == pytest.approx(1_000)
    total = 2_067_000 + 610_500 + 220_000 - 540_500
    assert v5.loc["sum", "snitt"] == pytest.approx(total / n_sum)
    assert result["adm_utgifter_sum"] == pytest.approx(2_357_000) and total == 2_357_000
    assert result["antall_malgruppe_sum"] == n_sum


def test_person_results(result) -> None:
    per_year = 2_357_000 / 177
    assert result["adm_utgift_per_person_aar"] == pytest.approx(per_year)
    assert result["adm_utgift_fem_aar"] == pytest.approx(5 * per_year)
    assert result["ventestonad_per_person"] == pytest.approx((120_000 + 30_000 + 0 + 5_000) / (20 + 10 + 5 + 5))
    assert result["helse_per_person"] == pytest.approx(18_000 * 1.1)
    sos = 36_710 + 41_567 + 41_018 + 26_832 + 28_460
    intro = 29_730 + 75_911 + 21_362 + 52_152 + 15_362
    utgift = 5 * per_year + sos + intro + 3_875 + 19_800
    assert result["utgift_per_person_fem_aar"] == pytest.approx(utgift)
    ar1 = (60 * 194_400 + 30 * 241_100 + 10 * 187_000) / 100      # = 207 670
    grant = ar1 + 249_500 + 177_400 + 88_000 + 72_000 + 180_600 * 5 / 100
    assert grant == pytest.approx(803_600)
    assert result["tilskudd_per_person_fem_aar"] == pytest.approx(grant)
    assert result["dekningsgrad_integreringstilskudd"] == pytest.approx(grant / utgift)


def test_em_sub_sample_excludes_oslo_nei_and_zero(result) -> None:
    assert result.em["i_utvalg"].to_dict() == {"0301": False, "1000": True, "2000": False, "3000": False}
    assert result["adm_utgift_per_em_aar"] == pytest.approx(1_600_000 / 2)
    assert result["sarskilt_per_em_aar"] == pytest.approx(1_000_000 / 2)
    utgift = 800_000 * 5 + 16_188 + 73_402 + 3_875 + 19_800
    grant = 187_000 + 249_500 + 177_400 + 88_000 + 72_000 + 500_000 * 5
    assert result["utgift_per_em_fem_aar"] == pytest.approx(utgift)
    assert result["tilskudd_per_em_fem_aar"] == pytest.approx(grant)
    assert result["dekningsgrad_em"] == pytest.approx(grant / utgift)


def test_norsk_ratios_only_where_taught(result) -> None:
    assert result["norsk_utgifter_sum"] == 1_300_000
    assert result["norsk_inntekter_sum"] == 1_100_000
    assert result["dekningsgrad_norsk"] == pytest.approx(1_100_000 / 1_300_000)
    assert result["utgift_per_undervisningstime"] == pytest.approx(1_300_000 / 600)
    assert result.norsk.loc["0301", "utgift_per_time"] == pytest.approx(2_000)
    assert result.norsk.loc["0301", "resultat"] == 200_000


def test_blank_cells_count_as_zero_and_missing_vedtak_is_not_ja() -> None:
    adm = ADM.copy().astype(object)
    adm.loc["2000", "fov_utgift_mg"] = None
    adm.loc["1000", "em_vedtak_bosette"] = None
    res = compute(adm, NORSK, load_parameters(2024).with_values(**SIMPLE))
    assert res.per_kommune.loc["2000", "fov"] == 0
    assert not res.em["i_utvalg"].any()


def test_vedlegg_5_sum_median_is_the_sum_of_the_area_medians(result) -> None:
    """Vedlegg 5 prints 79 848 as the Sum row's median: the sum of the area medians, not the median of
    the municipalities' totals per person. By hand on the four municipalities (N = 97, 50.5, 20, 9.5):"""
    v5 = result.vedlegg5
    # per person (area / N) of A, B, C, D; median of four = mean of the middle two when sorted
    sosial = (50_000 / 9.5 + 400_000 / 50.5) / 2       # 10 309.28, 7 920.79, 5 000, 5 263.16
    intro = (100_000 / 20 + 500_000 / 97) / 2           # 5 154.64, 5 940.59, 5 000, 0
    fov = kvp = syss = pleie = skole = barnehage = 0.0  # one municipality above 0, three at 0
    bolig = (0 + 115_000 / 50.5) / 2                    # 3 711.34, 2 277.23, 0, 0
    barnevern = (0 + 200_000 / 97) / 2                 # 2 061.86, 11 881.19, 0, 0
    kultur = 1_000.0                                    # the same everywhere
    felles = (0 + 40_000 / 97) / 2                      # 412.37, 495.05, 0, 0
    sarskilt = (-1_000_000 / 50.5 - 300_000 / 97) / 2   # -3 092.78, -19 801.98, 0, -63 157.89
    expected = (sosial + intro + fov + kvp + syss + bolig + pleie + barnevern + skole + kultur + barnehage
                + felles + sarskilt)
    assert v5.loc["sum", "median"] == pytest.approx(expected)
    totals = sorted([2_067_000 / 97, 610_500 / 50.5, 220_000 / 20, -540_500 / 9.5])
    assert result["median_sum_per_person"] == pytest.approx((totals[1] + totals[2]) / 2)
    assert result["median_sum_per_person"] != pytest.approx(expected)


def test_kvalifiseringsstonad_enters_kvp_before_the_deduction() -> None:
    """Kap. 13: SSB's kvalifiseringsstønad to the target group is in the KVP area, and the state funding
    per participant is deducted from expense + stønad. A: 150 000 + 80 000 - 1 x 100 000 = 130 000;
    B: 90 000 + 5 000 - 100 000 < 0 -> 0 (floor); C has no register row (0); D is not in ADM's KVP."""
    register = pd.DataFrame({"kvalifiseringsstonad": [80_000, 5_000], "ikke_klientfort_281": [1, 2]},
                            index=["0301", "1000"])
    res = compute(ADM, NORSK, load_parameters(2024).with_values(**SIMPLE), register=register)
    assert res.per_kommune.loc["0301", "kvp"] == 130_000
    assert res.per_kommune.loc["1000", "kvp"] == 0
    assert res["adm_utgifter_sum"] == pytest.approx(2_357_000 + 80_000)
    unfloored = compute(ADM, NORSK, load_parameters(2024).with_values(**{**SIMPLE, "fradrag_ikke_negativ": 0}),
                        register=register)
    assert unfloored.per_kommune.loc["1000", "kvp"] == 90_000 + 5_000 - 100_000
    # without the floor the other deductions may go negative too: B barnehage 10 000 - 20 000, A skole
    # 80 000 - 100 000
    assert unfloored.per_kommune.loc["1000", "barnehage"] == -10_000
    assert unfloored.per_kommune.loc["0301", "skole"] == -20_000


def test_school_switch_both_ways() -> None:
    """skole_trekk_rammetilskudd = 1: B's skole = 150 000 - 5 x 10 000 = 100 000 (A floored at 0);
    = 0: no deduction, A 80 000 and B 150 000 (the report's other passage: no correction)."""
    on = compute(ADM, NORSK, load_parameters(2024).with_values(**SIMPLE))
    off = compute(ADM, NORSK, load_parameters(2024).with_values(**{**SIMPLE, "skole_trekk_rammetilskudd": 0}))
    assert on.per_kommune["skole"].to_dict() == {"0301": 0, "1000": 100_000, "2000": 0, "3000": 0}
    assert off.per_kommune["skole"].to_dict() == {"0301": 80_000, "1000": 150_000, "2000": 0, "3000": 0}
    assert off["adm_utgifter_sum"] - on["adm_utgifter_sum"] == pytest.approx(80_000 + 50_000)


def test_helse_and_kultur_carried_forward_by_hand() -> None:
    """Last year's published amount × (1 + this year's deflator) when no fixed amount is set:
    helse 40 815 × 1.052 = 42 937.38, kultur 1 644 × 1.052 = 1 729.488 (the 2023 figures of tabell 1
    and vedlegg 6 with kap. 13's 5.2 %); with the fixed amounts the report's 42 978 and 1 715."""
    p = load_parameters(2024)
    assert (p["helse_fjorar"], p["kultur_fjorar"], p["deflator_2024"]) == (40_815, 1_644, 0.052)
    chained = compute(ADM, NORSK, p.with_values(helse_fastsatt=0, kultur_fastsatt=0))
    assert chained["helse_per_person"] == pytest.approx(42_937.38)
    assert chained["kultur_per_person"] == pytest.approx(1_729.488)
    assert chained.per_kommune.loc["2000", "kultur"] == pytest.approx(20 * 1_729.488)
    fixed = compute(ADM, NORSK, p)
    assert (fixed["helse_per_person"], fixed["kultur_per_person"]) == (42_978, 1_715)
