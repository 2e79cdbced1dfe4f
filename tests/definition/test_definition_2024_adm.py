"""The 2024 administrasjonsskjema definition and the 2024 list of utvalgskommuner.

Expected numbers come from the shared reference CSVs (2024 report), the 2011 form's worked
example, or arithmetic written out in the test — never from the definition under test.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from kalk_excel.definition import load_form, load_path, template_path
from kalk_excel.definition.evaluate import compute, is_relevant, missing_required, relevant_now, ruled_out, run_checks
from kalk_excel.definition.expr import parse
from kalk_excel.definition.lint import calculation_order

ROOT = Path(__file__).resolve().parents[2]
DEFINITION = ROOT / "workbook_templates" / "2024" / "adm.yaml"
KOMMUNER = ROOT / "workbook_templates" / "2024" / "kommuner.csv"
ARKITEKTUR = ROOT / "docs" / "arkitektur.md"
SHARED = Path("/work/shared/referansedata/2024")

A = "A – faktiske regnskapstall"
B = "B – andel av årsverk"
C = "C – andel av klienter (vektet)"

# Every id of docs/arkitektur.md "Calculation fields (2024 administrasjonsskjema)", with the type
# and role its meaning there implies: (type, "input" | "computed").
MANDATORY = {
    "mg_antall_0101": ("heltall", "input"),
    "mg_antall_3112": ("heltall", "input"),
    "mg_forstegangsbosatt": ("heltall", "input"),
    "mg_innflyttet": ("heltall", "input"),
    "mg_utflyttet": ("heltall", "input"),
    "mg_avvik": ("heltall", "computed"),
    "sos_utgift_mg": ("belop", "computed"),
    "sos_ventestonad_mg": ("belop", "computed"),
    "intro_utgift_mg": ("belop", "computed"),
    "fov_utgift_mg": ("belop", "computed"),
    "kvp_utgift_mg": ("belop", "computed"),
    "kvp_deltakere_mg": ("heltall", "input"),
    "syss_utgift_mg": ("belop", "computed"),
    "bolig_eid_antall_mg": ("heltall", "input"),
    "bolig_eid_markedsverdi_mg": ("belop", "input"),
    "bolig_eid_netto_mg": ("belop", "computed"),
    "bolig_leid_netto_mg": ("belop", "computed"),
    "bolig_adm_utgift_mg": ("belop", "computed"),
    "pleie_utgift_mg": ("belop", "computed"),
    "em_antall": ("heltall", "input"),
    "em_sarskilt_tilskudd": ("belop", "input"),
    "em_vedtak_bosette": ("ja_nei", "input"),
    "em_utgift_sum": ("belop", "computed"),
    "bv_utgift_mg": ("belop", "computed"),
    "skole_utgift_mg": ("belop", "computed"),
    "skole_elever_mg": ("heltall", "input"),
    "bhg_utgift_mg": ("belop", "computed"),
    "bhg_barn_forstegang": ("heltall", "input"),
    "felles_utgift_mg": ("belop", "computed"),
}

# computed area results that are net amounts and may be negative
NET_RESULTS = ["sos_utgift_mg", "intro_utgift_mg", "fov_utgift_mg", "kvp_utgift_mg", "syss_utgift_mg",
               "bolig_eid_netto_mg", "bolig_leid_netto_mg", "bolig_adm_utgift_mg", "pleie_utgift_mg",
               "bv_utgift_mg", "skole_utgift_mg", "bhg_utgift_mg", "felles_utgift_mg"]


@pytest.fixture(scope="module")
def form():
    return load_form(2024, "adm")


def _doc_ids() -> set[str]:
    text = ARKITEKTUR.read_text(encoding="utf-8")
    start = text.index("## Calculation fields (2024 administrasjonsskjema)")
    section = text[start:text.index("\nNorskskjema 2024", start)]
    ids: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            ids.update(re.findall(r"`([a-z0-9_]+)`", first_cell))
    return ids


def _checks(form, values, check_id):
    results = [r for r in run_checks(form, compute(form, values)) if r.check.id == check_id]
    assert len(results) == 1, check_id
    return results[0]


# -- definition as a whole ---------------------------------------------------------------------

def test_loads_without_any_lint_message() -> None:
    form, messages = load_path(DEFINITION)
    assert [str(m) for m in messages] == []
    assert form is not None
    assert template_path(2024, "adm") == DEFINITION
    assert form.period.text == "1.1.2020–31.12.2024"


def test_mandatory_ids_match_the_architecture_document() -> None:
    assert _doc_ids() == set(MANDATORY)


@pytest.mark.parametrize("fid", sorted(MANDATORY))
def test_mandatory_field_type_and_role(form, fid: str) -> None:
    ftype, role = MANDATORY[fid]
    assert fid in form.fields, fid
    f = form.fields[fid]
    assert f.type == ftype
    assert ("input" if f.is_input else "computed") == role


def test_net_results_may_be_negative(form) -> None:
    for fid in NET_RESULTS:
        assert form.fields[fid].min is not None and form.fields[fid].min < 0, fid
        assert form.fields[fid].unit == "kr", fid


def test_ids_sheets_and_choice_lists_fit_excel(form) -> None:
    for fid in form.fields:
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", fid) and len(fid) <= 64, fid
    for part in form.parts:
        assert 1 <= len(part.sheet) <= 31
    for f in form.fields.values():
        if f.type == "valg":
            assert len(",".join(f.choices)) <= 255, f.id
    assert form.fields["sos_metode"].choices == (A, B, C)


def test_every_formula_compiles_to_excel(form) -> None:
    for fid in calculation_order(form):
        formula = parse(form.fields[fid].calculate).to_excel()
        assert formula and "{" not in formula, fid


def test_parts_have_contact_blocks_info_and_comments(form) -> None:
    numbers = [p.number for p in form.parts]
    assert numbers == ["1", "2", "3", "4", "5", "6", "7", "8.1", "8.2", "8.3", "9", "10",
                       "11.1", "11.2", "12", "14", "15", "16"]
    for part in form.parts:
        assert len(part.contact_fields) == 3, part.number
        assert part.info, part.number
    comment_parts = {form.fields[fid].part_id for fid in form.fields if form.fields[fid].role == "kommentar"}
    assert {"del_1", "del_3", "del_4", "del_5", "del_6", "del_7", "del_9", "del_10", "del_12", "del_14",
            "del_16"} <= comment_parts
    assert form.part("del_5").title.startswith("FOV/GRUNNSKOLEOPPLÆRING")
    assert "eksamensrettet" not in form.part("del_5").title.lower()


def test_target_group_text(form) -> None:
    text = form.texts["malgruppe"]
    assert "førstegangsbosatt i perioden 1.1.2020–31.12.2024" in text
    assert "kollektiv beskyttelse" in text and "Ukraina" in text
    assert {"forside", "instruksjon", "malgruppe"} <= set(form.texts)
    # the 2011 form's worked example of framgangsmåte C is in the instruction, in words and numbers
    # (300 × 1.75 = 525; 525 / (5200 - 300 + 525) = 0.0968 -> 9,7 %)
    assert round(300 * 1.75 / (5200 - 300 + 300 * 1.75) * 100, 1) == 9.7
    assert "300 × 1,75 = 525" in form.texts["instruksjon"] and "525 / (4 900 + 525) = 9,7" in form.texts["instruksjon"]


def test_part_13_is_not_asked_and_says_so(form) -> None:
    assert all(not p.number.startswith("13") for p in form.parts)
    assert all(not f.question.startswith("13") for f in form.fields.values())
    assert not [fid for fid in form.fields if fid.startswith("kultur")]
    assert any("Del 13" in d and "ikke" in d for d in form.decisions)
    assert "Kultur- og ungdomstiltak (del 13) kartlegges ikke" in form.texts["forside"]


def test_decisions_are_written_down(form) -> None:
    joined = " ".join(form.decisions)
    for word in ("Pensjonskostnader", "3.6", "framgangsmåte A, B eller C", "art 089", "bhg_barn_forstegang"):
        assert word in joined, word


# -- kommuner.csv ------------------------------------------------------------------------------

def test_kommuner_are_the_24_with_2024_values() -> None:
    with KOMMUNER.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["kommunenummer", "navn", "skjema", "imdi_malgruppe"]
    with (SHARED / "vedlegg2_adm_per_kommune.csv").open(encoding="utf-8") as fh:
        v2 = {r["kommunenr"]: r["kommune"] for r in csv.DictReader(fh) if r["antall_malgruppe_2024"].strip()}
    with (SHARED / "vedlegg8_norsk_utgifter_inntekter.csv").open(encoding="utf-8") as fh:
        v8 = {r["kommunenr"] for r in csv.DictReader(fh)}
    assert len(rows) == 24 == len(v2)
    assert {r["kommunenummer"]: r["navn"] for r in rows} == v2
    assert all(re.fullmatch(r"\d{4}", r["kommunenummer"]) for r in rows)
    norsk = {r["kommunenummer"] for r in rows if r["skjema"] == "adm;norsk"}
    assert len(norsk) == 23 and norsk == v8
    assert [r["kommunenummer"] for r in rows if r["skjema"] == "adm"] == ["3203"]  # Asker: adm only
    assert all(r["imdi_malgruppe"] == "" for r in rows)


# -- area results per framgangsmåte ------------------------------------------------------------

SOS_ACCOUNTS = {
    "sos_lonn_samlet": 2_000_000, "sos_andre_samlet": 500_000, "sos_inntekt_samlet": 300_000,
    "sos_lonn_mg": 400_000, "sos_andre_mg": 100_000, "sos_inntekt_mg": 50_000,
}


def test_sos_framgangsmate_a_uses_the_herav_column(form) -> None:
    v = compute(form, {**SOS_ACCOUNTS, "sos_metode": A, "sos_arsverk_tot": 20, "sos_arsverk_mg": 5})
    assert v["sos_netto_mg"] == pytest.approx(400_000 + 100_000 - 50_000)
    assert v["sos_utgift_mg"] == pytest.approx(450_000)


def test_sos_framgangsmate_b_share_of_arsverk(form) -> None:
    v = compute(form, {**SOS_ACCOUNTS, "sos_metode": B, "sos_arsverk_tot": 20, "sos_arsverk_mg": 5})
    assert v["sos_andel"] == pytest.approx(100 * 5 / 20)                        # 25 %
    assert v["sos_netto_samlet"] == pytest.approx(2_000_000 + 500_000 - 300_000)  # 2 200 000
    assert v["sos_utgift_mg"] == pytest.approx(2_200_000 * 25 / 100)             # 550 000


def test_sos_framgangsmate_c_weighted_clients(form) -> None:
    # the 2011 form's example: 5 200 clients, 300 in the target group, weight 1.75 -> 9.7 %
    v = compute(form, {**SOS_ACCOUNTS, "sos_metode": C, "sos_klienter_tot": 5200, "sos_klienter_mg": 300,
                       "sos_vekt": 1.75})
    share = 300 * 1.75 / (5200 - 300 + 300 * 1.75)
    assert round(v["sos_andel"], 1) == 9.7
    assert v["sos_andel"] == pytest.approx(100 * share)
    assert v["sos_utgift_mg"] == pytest.approx(2_200_000 * share)


def test_share_is_safe_without_denominator(form) -> None:
    v = compute(form, {**SOS_ACCOUNTS, "sos_metode": B})
    assert v["sos_andel"] == 0 and v["sos_utgift_mg"] == 0
    v = compute(form, {**SOS_ACCOUNTS, "sos_metode": C, "sos_vekt": 1.5})
    assert v["sos_andel"] == 0


def test_barnevern_adds_244_251_252_each_with_its_own_method(form) -> None:
    inputs = {
        # 244, method A: herav netto 300 000 - 20 000
        "bv_adm_metode": A, "bv_adm_lonn_samlet": 1_000_000, "bv_adm_andre_samlet": 200_000,
        "bv_adm_inntekt_samlet": 100_000, "bv_adm_lonn_mg": 250_000, "bv_adm_andre_mg": 50_000,
        "bv_adm_inntekt_mg": 20_000,
        # 251, method B: 3 of 12 årsverk -> 25 % of (800 000 + 200 000 - 100 000)
        "bv_251_metode": B, "bv_251_arsverk_tot": 12, "bv_251_arsverk_mg": 3,
        "bv_tiltak_lonn_samlet_251": 800_000, "bv_tiltak_andre_samlet_251": 200_000,
        "bv_tiltak_inntekt_samlet_251": 100_000,
        # 252, method C: 10 of 50 children, weight 1.5 -> 15 / 55 of (4 000 000 - 1 000 000 refund)
        "bv_252_metode": C, "bv_252_klienter_tot": 50, "bv_252_klienter_mg": 10, "bv_252_vekt": 1.5,
        "bv_tiltak_andre_samlet_252": 4_000_000, "bv_tiltak_inntekt_samlet_252": 1_000_000,
        "bv_tiltak_refusjon_samlet_252": 1_000_000,
    }
    v = compute(form, inputs)
    adm = 250_000 + 50_000 - 20_000
    t251 = (800_000 + 200_000 - 100_000) * 3 / 12
    t252 = (4_000_000 - 1_000_000) * (10 * 1.5) / (50 - 10 + 10 * 1.5)
    assert v["bv_adm_utgift_mg"] == pytest.approx(adm)
    assert v["bv_251_utgift_mg"] == pytest.approx(t251)
    assert v["bv_252_utgift_mg"] == pytest.approx(t252)
    assert v["bv_utgift_mg"] == pytest.approx(adm + t251 + t252)


def test_other_capacity_areas_follow_the_same_pattern(form) -> None:
    v = compute(form, {
        "fov_har": "ja", "fov_metode": C, "fov_klienter_tot": 100, "fov_klienter_mg": 40, "fov_vekt": 1,
        "fov_lonn_samlet": 1_000_000,
        "bolig_adm_metode": B, "bolig_adm_arsverk_tot": 4, "bolig_adm_arsverk_mg": 1,
        "bolig_adm_brutto_samlet": 600_000, "bolig_adm_inntekt_samlet": 200_000,
        "bhg_metode": A, "bhg_lonn_samlet": 900_000, "bhg_lonn_mg": 90_000, "bhg_inntekt_mg": 10_000,
    })
    assert v["fov_utgift_mg"] == pytest.approx(1_000_000 * 40 / 100)
    assert v["bolig_adm_utgift_mg"] == pytest.approx((600_000 - 200_000) * 1 / 4)
    assert v["bhg_utgift_mg"] == pytest.approx(90_000 - 10_000)


def test_net_result_can_be_negative(form) -> None:
    v = compute(form, {"sos_metode": A, "sos_lonn_mg": 100, "sos_inntekt_mg": 300})
    assert v["sos_utgift_mg"] == pytest.approx(100 - 300)


def test_area_results_without_capacity_share(form) -> None:
    v = compute(form, {
        # 4.3 net without art 089 (the stønad is asked for comparison only) + 4.4
        "intro_lonn": 3_000_000, "intro_andre": 1_000_000, "intro_inntekt": 500_000, "intro_stonad": 9_999_999,
        "intro_annet_t1_utgift": 200_000, "intro_annet_t2_utgift": 50_000,
        "kvp_har": "ja", "kvp_lonn_mg": 300_000, "kvp_andre_mg": 100_000, "kvp_inntekt_mg": 0, "kvp_stonad_mg": 777_777,
        "syss_har": "ja", "syss_t1_brutto": 1_000_000, "syss_t1_inntekt": 200_000, "syss_t1_brutto_mg": 500_000,
        "syss_t1_inntekt_mg": 100_000, "syss_t2_brutto": 300_000, "syss_t2_brutto_mg": 30_000,
        "bolig_eid_har": "ja", "bolig_drift_vedlikehold": 100_000, "bolig_drift_energi": 50_000,
        "bolig_drift_leie": 120_000,
        "bolig_leid_har": "ja", "bolig_leid_brutto": 400_000, "bolig_leid_inntekt": 350_000,
        "pleie_har": "ja", "pleie_t1_brutto": 80_000, "pleie_t1_inntekt": 60_000, "pleie_t2_brutto": 5_000,
        "skole_har": "ja", "skole_innforing_utgift_tot": 2_000_000, "skole_innforing_utgift_mg": 1_500_000,
        "skole_andre_t1_utgift": 100_000, "skole_andre_t10_utgift": 1_000,
        "felles_r1_mg": 100_000, "felles_r2_samlet": 70_000, "felles_r2_mg": 1_190,
        "felles_pensjon_sentralt": "ja", "felles_pensjon_samlet": 1_000_000, "felles_pensjon_mg": 40_000,
    })
    assert v["intro_utgift_mg"] == pytest.approx(3_000_000 + 1_000_000 - 500_000 + 250_000)
    assert v["kvp_utgift_mg"] == pytest.approx(400_000)
    assert v["syss_t1_kontroll"] == pytest.approx(100 * 400_000 / 800_000)
    assert v["syss_utgift_mg"] == pytest.approx((500_000 - 100_000) + 30_000)
    assert v["bolig_eid_netto_mg"] == pytest.approx(100_000 + 50_000 - 120_000)
    assert v["bolig_leid_netto_mg"] == pytest.approx(50_000)
    assert v["pleie_utgift_mg"] == pytest.approx(20_000 + 5_000)
    assert v["skole_utgift_mg"] == pytest.approx(1_500_000 + 101_000)
    assert v["felles_utgift_mg"] == pytest.approx(100_000 + 1_190 + 40_000)


def test_pension_only_counts_when_booked_centrally(form) -> None:
    v = compute(form, {"felles_r1_mg": 10_000, "felles_pensjon_sentralt": "nei", "felles_pensjon_mg": 40_000})
    assert v["felles_utgift_mg"] == pytest.approx(10_000)


def test_routed_away_data_do_not_count(form) -> None:
    v = compute(form, {"fov_har": "nei", "fov_metode": A, "fov_lonn_mg": 500_000,
                       "syss_har": "nei", "syss_t1_brutto_mg": 1_000, "kvp_har": "nei", "kvp_lonn_mg": 1_000,
                       "pleie_har": "nei", "pleie_t1_brutto": 1_000, "skole_har": "nei", "skole_innforing_utgift_mg": 1,
                       "bolig_eid_har": "nei", "bolig_drift_energi": 1, "bolig_leid_har": "nei", "bolig_leid_brutto": 1})
    for fid in ("fov_utgift_mg", "syss_utgift_mg", "kvp_utgift_mg", "pleie_utgift_mg", "skole_utgift_mg",
                "bolig_eid_netto_mg", "bolig_leid_netto_mg"):
        assert v[fid] == 0, fid


# -- 3.6 ventestønad is its own element ----------------------------------------------------------

def _depends_on(form, fid: str) -> set[str]:
    seen: set[str] = set()
    stack = [fid]
    while stack:
        f = form.fields[stack.pop()]
        if f.calculate:
            for name in parse(f.calculate).names:
                if name not in seen:
                    seen.add(name)
                    stack.append(name)
    return seen


def test_ventestonad_is_not_part_of_sos_utgift(form) -> None:
    assert not [n for n in _depends_on(form, "sos_utgift_mg") if n.startswith("sos_vent")]
    base = {**SOS_ACCOUNTS, "sos_metode": A}
    without = compute(form, base)
    vent = {"sos_vent_har": "ja", "sos_vent_livsopphold_belop": 120_000, "sos_vent_etablering_belop": 80_000,
            "sos_vent_bolig_belop": 30_000, "sos_vent_annet_belop": 5_000}
    with_vent = compute(form, {**base, **vent})
    assert with_vent["sos_utgift_mg"] == without["sos_utgift_mg"] == pytest.approx(450_000)
    assert with_vent["sos_ventestonad_mg"] == pytest.approx(120_000 + 80_000 + 30_000 + 5_000)
    assert without["sos_ventestonad_mg"] == 0
    # answered "nei": amounts left in the table do not count
    assert compute(form, {**base, **vent, "sos_vent_har": "nei"})["sos_ventestonad_mg"] == 0


# -- checks ------------------------------------------------------------------------------------

GOOD_COUNTS = {"mg_antall_0101": 100, "mg_forstegangsbosatt": 20, "mg_innflyttet": 5, "mg_utflyttet": 3,
               "mg_antall_3112": 122}


def test_avvik_check(form) -> None:
    good = _checks(form, GOOD_COUNTS, "mg_avvik_null")
    assert good.relevant and good.passed is True
    bad = _checks(form, {**GOOD_COUNTS, "mg_antall_3112": 121}, "mg_avvik_null")
    assert bad.passed is False and bad.check.severity == "feil"
    assert compute(form, {**GOOD_COUNTS, "mg_antall_3112": 121})["mg_avvik"] == 100 + 20 + 5 - 3 - 121


EM_BO = {"em_antall": 10, "em_bo_fosterhjem": 2, "em_bo_institusjon": 1, "em_bo_bofellesskap": 4,
         "em_bo_hybel": 1, "em_bo_slekt": 2, "em_bo_annet": 0}


def test_em_bo_sum_check(form) -> None:
    assert compute(form, EM_BO)["em_bo_sum"] == 2 + 1 + 4 + 1 + 2 + 0
    assert _checks(form, EM_BO, "em_bo_sum_lik_antall").passed is True
    bad = _checks(form, {**EM_BO, "em_bo_slekt": 3}, "em_bo_sum_lik_antall")
    assert bad.passed is False and bad.check.severity == "feil"
    # no EM: the question is routed away, the check is quiet
    assert _checks(form, {"em_antall": 0}, "em_bo_sum_lik_antall").relevant is False


def test_em_area_amount_above_area_result_warns(form) -> None:
    inputs = {"em_antall": 5, "em_vedtak_bosette": "ja", "bv_adm_metode": A, "bv_adm_lonn_mg": 100_000,
              "em_utgift_barnevern": 100_000}
    ok = _checks(form, inputs, "em_utgift_barnevern_maks")
    assert ok.passed is True and ok.check.severity == "advarsel"
    bad = _checks(form, {**inputs, "em_utgift_barnevern": 100_001}, "em_utgift_barnevern_maks")
    assert bad.passed is False
    v = compute(form, {**inputs, "em_utgift_sosial": 1, "em_utgift_felles": 10})
    assert v["em_utgift_sum"] == pytest.approx(100_000 + 1 + 10)
    ids = {c.id for c in form.checks if c.id.startswith("em_utgift_") and c.id.endswith("_maks")}
    assert len(ids) == 11   # every area of 10.4, kvalifiseringsprogram included


def test_weight_above_175_warns(form) -> None:
    base = {"sos_metode": C, "sos_klienter_tot": 100, "sos_klienter_mg": 10}
    assert _checks(form, {**base, "sos_vekt": 1.75}, "sos_vekt_warn_max").passed is True
    bad = _checks(form, {**base, "sos_vekt": 1.8}, "sos_vekt_warn_max")
    assert bad.passed is False and bad.check.severity == "advarsel"
    assert form.fields["sos_vekt"].max == 10


def test_method_a_needs_the_herav_column(form) -> None:
    assert _checks(form, {"sos_metode": A}, "sos_herav_utfylt").passed is False
    assert _checks(form, {"sos_metode": A, "sos_lonn_mg": 0}, "sos_herav_utfylt").passed is True
    assert _checks(form, {"sos_metode": B}, "sos_herav_utfylt").relevant is False


def test_herav_checks_on_capacity_inputs(form) -> None:
    assert _checks(form, {"sos_metode": B, "sos_arsverk_tot": 2, "sos_arsverk_mg": 3},
                   "sos_arsverk_mg_herav").passed is False
    assert _checks(form, {"bhg_barn_forstegang": 5, "mg_forstegangsbosatt": 4},
                   "bhg_barn_forstegang_herav").passed is False


# -- routing -----------------------------------------------------------------------------------

def test_nei_routes_fields_out_of_missing_required(form) -> None:
    routed = {
        "fov_har": ["fov_elever_tot", "fov_metode", "fov_lonn_samlet"],
        "kvp_har": ["kvp_deltakere_mg", "kvp_lonn_samlet", "kvp_funksjoner"],
        "syss_har": [],
        "bolig_eid_har": ["bolig_eid_antall_mg", "bolig_eid_markedsverdi_mg", "bolig_drift_leie"],
        "bolig_leid_har": ["bolig_leid_antall_mg", "bolig_leid_brutto"],
        "pleie_har": [],
        "skole_har": ["skole_elever_mg"],
        "sos_vent_har": [],
        "felles_pensjon_sentralt": ["felles_pensjon_mg", "felles_pensjon_grunnlag"],
        "org_mottak_har": ["org_mottak_type"],
    }
    answers_nei = {q: "nei" for q in routed}
    answers_ja = {q: "ja" for q in routed}
    missing_nei = set(missing_required(form, compute(form, answers_nei)))
    missing_ja = set(missing_required(form, compute(form, answers_ja)))
    for question, fields in routed.items():
        assert question not in missing_nei
        for fid in fields:
            assert fid in missing_ja, fid
            assert fid not in missing_nei, fid
            assert not is_relevant(form.fields[fid].relevant, answers_nei), fid


def test_method_routes_capacity_inputs(form) -> None:
    b_only = {"sos_arsverk_tot", "sos_arsverk_mg"}
    c_only = {"sos_klienter_tot", "sos_klienter_mg", "sos_vekt"}
    for method, expected, absent in ((A, set(), b_only | c_only | {"sos_grunnlag"}),
                                     (B, b_only | {"sos_grunnlag"}, c_only),
                                     (C, c_only | {"sos_grunnlag"}, b_only)):
        missing = set(missing_required(form, compute(form, {"sos_metode": method})))
        assert expected <= missing, method
        assert not (absent & missing), method
    # the herav column is optional under B/C, the total column always required
    missing_b = set(missing_required(form, compute(form, {"sos_metode": B})))
    assert "sos_lonn_samlet" in missing_b and "sos_lonn_mg" not in missing_b


def test_no_em_routes_em_details_away(form) -> None:
    missing = set(missing_required(form, compute(form, {"em_antall": 0})))
    # særskilt tilskudd is deducted for every municipality, so it is asked of all (0 if none)
    assert {"em_vedtak_bosette", "em_sarskilt_tilskudd"} <= missing
    assert not {"em_bo_fosterhjem", "em_utgift_barnevern", "em_folgeperson"} & missing
    missing = set(missing_required(form, compute(form, {"em_antall": 3})))
    assert "em_sarskilt_tilskudd" in missing
    # where they live (10.2) and the expenses per area (10.4) count as 0 when blank: never "missing"
    assert not {"em_bo_fosterhjem", "em_utgift_barnevern"} & missing


def test_em_expenses_per_area_follow_the_decision_to_settle_em(form) -> None:
    """10.4 is asked only of municipalities with EM that decided to settle EM (10.1b): "nei" greys
    it out, a blank 10.1b leaves it neutral, "ja" makes it apply; it has a kvalifiseringsprogram row."""
    rel = form.fields["em_utgift_kvp"].relevant
    assert relevant_now(form, rel, {"em_antall": 3, "em_vedtak_bosette": "ja"})
    assert ruled_out(form, rel, {"em_antall": 3, "em_vedtak_bosette": "nei"})
    neutral = {"em_antall": 3, "em_vedtak_bosette": None}
    assert not ruled_out(form, rel, neutral) and not relevant_now(form, rel, neutral)
    inputs = {"em_antall": 3, "em_vedtak_bosette": "ja", "kvp_har": "ja", "kvp_lonn_mg": 50_000,
              "em_utgift_kvp": 60_000, "em_utgift_sosial": 1_000}
    assert compute(form, inputs)["em_utgift_sum"] == 60_000 + 1_000
    assert _checks(form, inputs, "em_utgift_kvp_maks").passed is False     # 60 000 > 50 000 for the area
    assert _checks(form, {**inputs, "em_vedtak_bosette": "nei"}, "em_utgift_kvp_maks").relevant is False


@pytest.mark.parametrize("grant, area, inputs", [
    ("pleie_tilskudd_funksjon", "pleie_utgift_mg", {"pleie_har": "ja", "pleie_t1_beskrivelse": "Avlastning",
                                                    "pleie_t1_brutto": 900_000, "pleie_t1_inntekt": 100_000}),
    ("bv_tilskudd_funksjon", "bv_utgift_mg", {"bv_adm_metode": A, "bv_adm_lonn_mg": 300_000,
                                              "bv_251_metode": A, "bv_tiltak_lonn_mg_251": 500_000}),
    ("bhg_tilskudd_funksjon", "bhg_utgift_mg", {"bhg_metode": B, "bhg_arsverk_tot": 10, "bhg_arsverk_mg": 2,
                                                "bhg_lonn_samlet": 1_000_000}),
])
def test_disability_grant_is_deducted_in_the_part_where_it_is_booked(form, grant, area, inputs) -> None:
    """IMDi's grant for persons with disabilities or behavioural problems is its own amount, not
    income in the table: it is deducted whole from the target group's net (never scaled by a B/C share)."""
    before = {"pleie_utgift_mg": 900_000 - 100_000, "bv_utgift_mg": 300_000 + 500_000,
              "bhg_utgift_mg": 1_000_000 * 2 / 10}[area]            # by hand, without the grant
    assert compute(form, inputs)[area] == pytest.approx(before)
    assert compute(form, {**inputs, grant: 196_400})[area] == pytest.approx(before - 196_400)
    f = form.fields[grant]
    assert f.is_input and f.blank_zero and not f.required and f.type == "belop"


def test_routing_no_wins_over_a_stale_method_answer(form) -> None:
    # "nei" in 5.1 routes FOV away even if a method was chosen before the answer changed
    values = compute(form, {"fov_har": "nei", "fov_metode": C, "fov_klienter_mg": 3})
    missing = set(missing_required(form, values))
    assert not {"fov_klienter_tot", "fov_vekt", "fov_grunnlag", "fov_lonn_samlet"} & missing
    assert values["fov_utgift_mg"] == 0
    missing = set(missing_required(form, compute(form, {"fov_har": "ja", "fov_metode": C})))
    assert {"fov_klienter_tot", "fov_klienter_mg", "fov_vekt", "fov_grunnlag", "fov_lonn_samlet"} <= missing


def test_em_without_sarskilt_tilskudd_warns(form) -> None:
    assert _checks(form, {"em_antall": 4, "em_sarskilt_tilskudd": 0}, "em_sarskilt_tilskudd_null").passed is False
    assert _checks(form, {"em_antall": 4, "em_sarskilt_tilskudd": 2_000_000}, "em_sarskilt_tilskudd_null").passed
    assert _checks(form, {"em_antall": 0}, "em_sarskilt_tilskudd_null").relevant is False


def test_owned_dwellings_left_behind_a_nei_is_an_error(form) -> None:
    stale = {"bolig_eid_har": "nei", "bolig_eid_antall_mg": 3, "bolig_eid_markedsverdi_mg": 2_500_000}
    result = _checks(form, stale, "bolig_eid_nei_uten_boliger")
    assert result.passed is False and result.check.severity == "feil"
    assert _checks(form, {**stale, "bolig_eid_har": "ja"}, "bolig_eid_nei_uten_boliger").passed is True
    assert _checks(form, {"bolig_eid_har": "nei"}, "bolig_eid_nei_uten_boliger").passed is True


def test_required_review_blank_counts_as_zero(form) -> None:
    """The committee's review of the required inputs: the first expense line of an accounting table
    stays required, the other lines count as 0 when blank; a number that counts as 0 is no
    unanswered filter (10.2b is ruled out at once when «Annet» in 10.2 is blank)."""
    inputs = form.inputs()
    required = {f.id for f in inputs if f.required}
    zero = {f.id for f in inputs if f.blank_zero}
    assert not required & zero
    assert all(form.fields[fid].is_numeric for fid in zero)
    assert {"sos_lonn_samlet", "intro_lonn", "bv_adm_lonn_samlet", "bhg_lonn_samlet", "bolig_drift_leie",
            "mg_antall_3112", "em_sarskilt_tilskudd", "sos_vekt"} <= required
    assert {"sos_andre_samlet", "sos_inntekt_samlet", "intro_stonad", "em_utgift_sosial", "em_bo_annet",
            "bolig_drift_energi", "bv_barn_em_familien"} <= zero
    missing = set(missing_required(form, compute(form, {"sos_mottakere_tot": 10, "sos_metode": A})))
    assert "sos_lonn_samlet" in missing and not {"sos_andre_samlet", "sos_inntekt_samlet"} & missing
    rel = form.fields["em_bo_annet_spes"].relevant
    assert ruled_out(form, rel, {"em_antall": 3})               # blank «Annet» = 0: nothing to specify
    assert relevant_now(form, rel, {"em_antall": 3, "em_bo_annet": 1})
