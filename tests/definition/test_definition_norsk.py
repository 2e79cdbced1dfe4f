"""The norskskjema definitions for 2011 and 2024 (workbook_templates/<år>/norsk.yaml).

Independent sources: the 2011 report's annex (the printed form, read from the seed text with a
regex), the 2024 report's tables (referansedata/2024, vedlegg 8-10 and tabell 5-6) and hand
calculations written out below.
"""

from __future__ import annotations

import csv
import difflib
import os
import re
from pathlib import Path
from typing import Any

import pytest

from kalk_excel.definition import Form, load_form, load_path, template_path
from kalk_excel.definition.evaluate import compute, is_relevant, missing_required, run_checks, unanswered_parts
from kalk_excel.definition.model import TableBlock

SHARED = Path(os.environ.get("KALK_SHARED", "/work/shared"))
SEED_2011 = SHARED / "seeds" / "002_706ed3955f2cf361.txt"
REF_2024 = SHARED / "referansedata" / "2024"

# printed question headings of the 2011 norsk form: "### 8. Lærerlønn", "**17. Per capita-tilskudd
# i 2011**", "<b>26. Leie</b> Utgifter til ..."
HEADING_RE = re.compile(r"^(?:#{2,4}[ \t]+|\*\*|<b>)(\d{1,2})\.[ \t]+(.+?)(?:\*\*|</b>|$)", re.M)


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


@pytest.fixture(scope="module")
def seed_norsk_2011() -> str:
    """The norsk questionnaire of the 2011 report's annex, from its title to the return address."""
    if not SEED_2011.exists():
        pytest.skip(f"Kildeteksten {SEED_2011} finnes ikke (sett KALK_SHARED)")
    text = SEED_2011.read_text(encoding="utf-8")
    start = text.index("## Kartlegging av kommunens utgifter til opplæring i norsk og samfunnskunnskap")
    return text[start:text.index("Returadresse", start)]


def _printed_questions(section: str) -> list[tuple[int, str]]:
    return [(int(m.group(1)), m.group(2).strip()) for m in HEADING_RE.finditer(section)]


@pytest.fixture(scope="module")
def f2011() -> Form:
    return load_form(2011, "norsk")


@pytest.fixture(scope="module")
def f2024() -> Form:
    return load_form(2024, "norsk")


def _questions(form: Form) -> dict[str, Any]:
    return {q.number: q for p in form.parts for q in p.questions}


def _qnum(field_question: str) -> int | None:
    return int(field_question) if field_question.isdigit() else None


# ------------------------------------------------------------------------------------------------
# loading and structure
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2011, 2024])
def test_definition_loads_without_lint_messages(year: int) -> None:
    form, messages = load_path(template_path(year, "norsk"))
    assert [str(m) for m in messages] == []
    assert form is not None and form.id == "norsk" and form.year == year
    assert form.decisions, "beslutninger der rapporten er taus skal stå i form.decisions"
    assert all(len(p.sheet) <= 31 for p in form.parts)
    assert all(fid.startswith("no_") and len(fid) <= 64 for fid in form.fields)
    # the contact block ("Opplysningene er gitt av") exactly once, on the first part
    contact = [p.id for p in form.parts if p.contact_fields]
    assert contact == [form.parts[0].id]
    assert form.parts[0].contact_fields == ("no_kontakt_navn", "no_kontakt_telefon", "no_kontakt_epost")


def test_seed_headings_are_questions_1_to_35(seed_norsk_2011: str) -> None:
    numbers = [n for n, _ in _printed_questions(seed_norsk_2011)]
    assert numbers == list(range(1, 36)), numbers


def test_every_printed_question_is_in_the_2011_definition(seed_norsk_2011: str, f2011: Form) -> None:
    questions = _questions(f2011)
    printed = _printed_questions(seed_norsk_2011)
    assert printed
    for number, heading in printed:
        assert str(number) in questions, f"spm {number} mangler"
        ratio = difflib.SequenceMatcher(None, _norm(heading), _norm(questions[str(number)].text)).ratio()
        assert ratio > 0.9, (number, heading, questions[str(number)].text)
    # and nothing invented: the definition's questions are exactly the printed ones
    assert sorted(int(n) for n in questions) == [n for n, _ in printed]


def _question_text(section: str, number: int) -> str:
    """The printed text between the heading of question ``number`` and the next heading."""
    heads = list(HEADING_RE.finditer(section))
    i = next(i for i, m in enumerate(heads) if m.group(1) == str(number))
    return section[heads[i].end():heads[i + 1].start() if i + 1 < len(heads) else len(section)]


def _printed_table(section: str, number: int) -> tuple[list[str], list[str]]:
    """Column headers and row labels of the input table printed under question ``number``."""
    lines = _question_text(section, number).splitlines()
    rows = [re.sub(r"<[^>]+>", "", ln.split("\t")[0]).strip() for ln in lines if "<input" in ln]
    header = next(ln for ln in lines if ln.startswith("\t"))
    columns = [c.strip() for c in header.split("\t") if c.strip()]
    return columns, rows


@pytest.mark.parametrize("number", [2, 4, 32])
def test_printed_tables_rows_and_columns_2011(seed_norsk_2011: str, f2011: Form, number: int) -> None:
    columns, rows = _printed_table(seed_norsk_2011, number)
    assert rows and columns
    q = _questions(f2011)[str(number)]
    table = next(b for b in q.blocks if isinstance(b, TableBlock))
    assert [_norm(r.label) for r in table.rows] == [_norm(r) for r in rows]
    # printed dates: "pr. 1.2.2011" -> "pr. 1.2.{aar}" filled with 2011
    assert [_norm(c.label) for c in table.columns] == [_norm(c) for c in columns]


def test_2011_group_table_has_ten_lines_and_totals(seed_norsk_2011: str, f2011: Form) -> None:
    table = next(b for b in _questions(f2011)["7"].blocks if isinstance(b, TableBlock))
    assert [r.key for r in table.rows] == [str(i) for i in range(1, 11)] + ["sum"]
    header = next(ln for ln in _question_text(seed_norsk_2011, 7).splitlines() if ln.startswith("\t"))
    printed = [_norm(c) for c in header.split("\t") if c.strip()]
    assert len(printed) == 4
    assert [_norm(c.label) for c in table.columns][:4] == printed
    assert f2011.fields["no_grp_sum_timer"].calculate and f2011.fields["no_grp_sum_grupper"].calculate


def test_2011_periods_from_placeholders(f2011: Form) -> None:
    assert f2011.fields["no_grupper_0102"].col_label == "pr. 1.2.2011"
    assert f2011.fields["no_andre_sum_0110"].col_label == "pr. 1.10.2011"
    assert "2011" in _questions(f2011)["1"].text
    assert "{" not in " ".join(f.label for f in f2011.fields.values())


def test_2011_info_text_from_the_printed_form(f2011: Form) -> None:
    info = f2011.parts[0].info or ""
    assert "(3 × 200) + (2 × 100) = 800" in info
    for word in ("Målgruppe", "Undervisning", "Undervisningstimer"):
        assert word in info
    malgruppe = f2011.texts["malgruppe"]
    for word in ("Rett og plikt", "Plikt", "Unntak", "EFTA/EØS", "Au pairer".lower()):
        assert word.lower() in malgruppe.lower()


MANDATORY_2024 = {
    "no_undervist": ("ja_nei", True),
    "no_deltakere_sum": ("heltall", False),
    "no_timer": ("heltall", True),
    "no_utgift_sum": ("belop", False),
    "no_inntekt_sum": ("belop", False),
}


@pytest.mark.parametrize("fid", sorted(MANDATORY_2024))
def test_2024_mandatory_ids(f2024: Form, fid: str) -> None:
    ftype, is_input = MANDATORY_2024[fid]
    field = f2024.fields[fid]
    assert field.type == ftype
    assert field.is_input is is_input


def test_2024_question_16_is_gone_and_said_so(f2024: Form) -> None:
    questions = _questions(f2024)
    assert "16" not in questions
    assert {str(n) for n in range(1, 36)} - {"16"} <= set(questions)
    assert any("Spm 16" in d and "4.4" in d for d in f2024.decisions)
    assert "4.4" in f2024.texts["instruksjon"] and "16" in f2024.texts["instruksjon"]
    assert not any(fid.startswith("no_intro") for fid in f2024.fields)
    # the kollektiv category is an input of its own and part of the participant sum
    assert "no_deltakere_kollektiv" in f2024.fields
    assert any("kollektiv beskyttelse" in d for d in f2024.decisions)


# ------------------------------------------------------------------------------------------------
# hand-made inputs and computed sums
# ------------------------------------------------------------------------------------------------

CONTACT = {"no_kontakt_navn": "Kari Nordmann", "no_kontakt_telefon": "12345678",
           "no_kontakt_epost": "kari@kommune.no"}

GOOD_2011: dict[str, Any] = {
    **CONTACT,
    "no_undervist": "ja",
    "no_deltakere_rett_plikt": 300, "no_deltakere_rett": 50, "no_deltakere_plikt": 40,
    "no_deltakere_uten_rett_plikt": 60, "no_deltakere_asylsokere": 50,
    "no_timer": 12_000,
    "no_grupper_0102": 30, "no_grupper_0104": 32, "no_grupper_0110": 28,
    "no_deltakere_0102": 400, "no_deltakere_0104": 420, "no_deltakere_0110": 380,
    "no_gruppestorrelse": 14, "no_aarsverk": 12,
    "no_grp_1_grupper": 20, "no_grp_1_deltakere": 15, "no_grp_1_timer_uke": 15, "no_grp_1_uker": 20,
    "no_grp_2_grupper": 10, "no_grp_2_deltakere": 12, "no_grp_2_timer_uke": 20, "no_grp_2_uker": 30,
    "no_utg_laererlonn": 6_708_000, "no_snittlonn": 430_000, "no_utg_administrasjon": 1_800_000,
    "no_utg_materiell": 400_000, "no_utg_reisestotte": 50_000, "no_utg_per_capita_overfort": 100_000,
    "no_utg_samfunnskunnskap": 80_000, "no_utg_andre": 120_000,
    "no_intro_1_beskrivelse": "Trafikkopplæring", "no_intro_1_utgift": 150_000,
    "no_intro_2_beskrivelse": "Studietid", "no_intro_2_utgift": 90_000,
    "no_innt_per_capita": 9_000_000, "no_innt_resultattilskudd": 300_000, "no_innt_grunntilskudd": 0,
    "no_innt_per_capita_flytting": 200_000, "no_innt_andre_kommuner": 150_000,
    "no_innt_deltakerbetaling": 400_000, "no_innt_asylsokere": 500_000, "no_innt_andre": 50_000,
    "no_kjop_private": "ja", "no_kjop_private_belop": 250_000,
    "no_lok_leie": 1_200_000, "no_lok_internleie": 900_000, "no_lok_andre": 300_000, "no_lok_intro": 160_000,
    "no_andre_kommuner": "ja",
    "no_andre_rett_plikt_0102": 10, "no_andre_rett_plikt_0104": 12, "no_andre_rett_plikt_0110": 9,
    "no_andre_rett_0102": 3, "no_andre_rett_0104": 2, "no_andre_rett_0110": 4,
    "no_andre_deltakere": 20, "no_andre_betaling": 300_000, "no_andre_per_capita": 450_000,
}

GOOD_2024: dict[str, Any] = {
    **CONTACT,
    "no_undervist": "ja",
    "no_deltakere_rett_plikt": 400, "no_deltakere_rett": 60, "no_deltakere_plikt": 50,
    "no_deltakere_uten_rett_plikt": 40, "no_deltakere_asylsokere": 30, "no_deltakere_kollektiv": 220,
    "no_timer": 20_000,
    "no_grupper_0102": 40, "no_grupper_0104": 45, "no_grupper_0110": 42,
    "no_deltakere_0102": 600, "no_deltakere_0104": 650, "no_deltakere_0110": 620,
    "no_gruppestorrelse": 16, "no_aarsverk": 20,
    "no_grp_1_grupper": 30, "no_grp_1_deltakere": 16, "no_grp_1_timer_uke": 15, "no_grp_1_uker": 25,
    "no_grp_2_grupper": 14, "no_grp_2_deltakere": 12, "no_grp_2_timer_uke": 25, "no_grp_2_uker": 25,
    "no_utg_laererlonn": 16_900_000, "no_snittlonn": 650_000, "no_utg_administrasjon": 5_400_000,
    "no_utg_materiell": 800_000, "no_utg_reisestotte": 100_000, "no_utg_per_capita_overfort": 150_000,
    "no_utg_samfunnskunnskap": 120_000, "no_utg_andre": 200_000,
    "no_kjop_private": "ja", "no_kjop_private_belop": 300_000,
    "no_innt_per_capita": 18_000_000, "no_innt_kollektiv": 6_000_000, "no_innt_resultattilskudd": 0,
    "no_innt_grunntilskudd": 0, "no_innt_per_capita_flytting": 300_000, "no_innt_andre_kommuner": 500_000,
    "no_innt_deltakerbetaling": 400_000, "no_innt_asylsokere": 600_000, "no_innt_andre": 100_000,
    "no_lok_leie": 3_000_000, "no_lok_internleie": 2_500_000, "no_lok_andre": 600_000,
    "no_lok_andre_aktiviteter": 500_000,
    "no_andre_kommuner": "ja",
    "no_andre_rett_plikt_0102": 5, "no_andre_rett_plikt_0104": 6, "no_andre_rett_plikt_0110": 4,
    "no_andre_rett_0102": 1, "no_andre_rett_0104": 1, "no_andre_rett_0110": 2,
    "no_andre_kollektiv_0102": 2, "no_andre_kollektiv_0104": 3, "no_andre_kollektiv_0110": 3,
    "no_andre_deltakere": 12, "no_andre_betaling": 200_000, "no_andre_per_capita": 400_000,
}


def test_2011_computed_sums_by_hand(f2011: Form) -> None:
    v = compute(f2011, GOOD_2011)
    assert v["no_deltakere_sum"] == 300 + 50 + 40 + 60 + 50
    assert v["no_grp_1_timer"] == 20 * 15 * 20
    assert v["no_grp_sum_grupper"] == 20 + 10
    assert v["no_grp_sum_timer"] == 20 * 15 * 20 + 10 * 20 * 30 == 12_000
    assert v["no_grp_sum_plasser"] == 20 * 15 + 10 * 12
    assert v["no_grp_snitt_deltakere"] == pytest.approx((20 * 15 + 10 * 12) / 30)
    assert v["no_laererlonn_per_aarsverk"] == pytest.approx(6_708_000 / 12)
    assert v["no_lok_sum"] == 1_200_000 + 900_000 + 300_000
    assert v["no_lok_norsk"] == 2_400_000 - 160_000
    # spm 16: lokalutgifter come from spm 30; the total goes to adm 4.4
    assert v["no_intro_lokaler_utgift"] == 160_000
    assert v["no_intro_sum_utgift"] == 150_000 + 90_000 + 160_000
    assert v["no_utgift_a"] == 6_708_000 + 1_800_000 + 400_000 + 50_000
    assert v["no_utgift_b"] == 8_958_000 + 2_240_000
    assert v["no_utgift_per_time"] == pytest.approx(11_198_000 / 12_000)
    assert v["no_inntekt_sum"] == 9_000_000 + 300_000 + 0 + 200_000 + 150_000 + 400_000 + 500_000 + 50_000
    assert [v[f"no_andre_sum_{d}"] for d in ("0102", "0104", "0110")] == [10 + 3, 12 + 2, 9 + 4]


def test_2024_computed_sums_by_hand(f2024: Form) -> None:
    v = compute(f2024, GOOD_2024)
    assert v["no_deltakere_sum"] == 400 + 60 + 50 + 40 + 30 + 220
    assert v["no_grp_sum_timer"] == 30 * 15 * 25 + 14 * 25 * 25 == 20_000
    assert v["no_lok_sum"] == 3_000_000 + 2_500_000 + 600_000
    assert v["no_lok_netto"] == 6_100_000 - 500_000
    expense = (16_900_000 + 5_400_000 + 800_000 + 100_000 + 150_000 + 120_000 + 200_000  # spm 8, 10-15
               + 300_000                                                               # spm 25
               + 5_600_000)                                                            # spm 29 - 30
    assert v["no_utgift_sum"] == expense == 29_570_000
    assert v["no_inntekt_sum"] == 18_000_000 + 6_000_000 + 0 + 0 + 300_000 + 500_000 + 400_000 + 600_000 + 100_000
    assert v["no_utgift_per_time"] == pytest.approx(29_570_000 / 20_000)
    assert v["no_resultat"] == 29_570_000 - 25_900_000
    # the average salary (spm 9) is a control figure, not an expense
    assert compute(f2024, {**GOOD_2024, "no_snittlonn": 1})["no_utgift_sum"] == 29_570_000
    # spm 25 = nei: a stray amount does not count
    assert compute(f2024, {**GOOD_2024, "no_kjop_private": "nei"})["no_utgift_sum"] == 29_570_000 - 300_000


# ------------------------------------------------------------------------------------------------
# checks: every check fires on a bad input and stays quiet on the good one
# ------------------------------------------------------------------------------------------------

BAD_2011: list[tuple[str, dict[str, Any]]] = [
    ("no_undervist_ja_timer", {"no_timer": 0}),
    ("no_timer_per_deltaker", {"no_timer": 60_000}),           # 120 hours per participant
    ("no_timer_per_deltaker", {"no_timer": 2_000}),            # 4 hours per participant
    ("no_deltakere_dato_maks", {"no_deltakere_0104": 501}),
    ("no_grupper_dato_deltakere", {"no_grupper_0110": 400}),
    ("no_gruppestorrelse_warn_min", {"no_gruppestorrelse": 4}),
    ("no_gruppestorrelse_warn_max", {"no_gruppestorrelse": 31}),
    ("no_timer_mot_grupper", {"no_grp_2_uker": 40}),           # 14 000 vs 12 000 hours
    ("no_timer_mot_grupper", {"no_grp_2_uker": 20}),           # 10 000 vs 12 000 hours
    ("no_snittlonn_warn_min", {"no_snittlonn": 240_000}),
    ("no_snittlonn_warn_max", {"no_snittlonn": 810_000}),
    ("no_laererlonn_mot_aarsverk", {"no_aarsverk": 20}),       # 335 400 per årsverk < 430 000
    ("no_laererlonn_mot_aarsverk", {"no_aarsverk": 8}),        # 838 500 > 1.6 x 430 000
    ("no_utgift_per_time_grense", {"no_lok_leie": 30_000_000}),  # (8 958 000 + 31 040 000) / 12 000
    ("no_utgift_per_time_grense", {"no_timer": 25_000}),         # 11 198 000 / 25 000 = 448
    ("no_laererlonn_andel", {"no_utg_laererlonn": 40_000_000}),     # 40.0 / 44.49 mill.
    ("no_laererlonn_andel", {"no_utg_administrasjon": 10_000_000}),  # 6.708 / 19.398 mill.
    ("no_lok_intro_herav", {"no_lok_intro": 2_400_001}),
    ("no_andre_deltakere_maks", {"no_andre_deltakere": 13}),     # < 14 at 1.4
]

BAD_2024: list[tuple[str, dict[str, Any]]] = [
    ("no_undervist_ja_timer", {"no_timer": 0}),
    ("no_undervist_ja_timer", {k: 0 for k in GOOD_2024 if k.startswith("no_deltakere_")
                               and not k[-4:].isdigit()}),
    ("no_timer_per_deltaker", {"no_timer": 90_000}),           # 112.5 hours per participant
    ("no_timer_per_deltaker", {"no_timer": 3_000}),            # 3.75
    ("no_deltakere_dato_maks", {"no_deltakere_0104": 801}),
    ("no_grupper_dato_deltakere", {"no_grupper_0102": 601}),
    ("no_gruppestorrelse_warn_min", {"no_gruppestorrelse": 4}),
    ("no_gruppestorrelse_warn_max", {"no_gruppestorrelse": 31}),
    ("no_timer_mot_grupper", {"no_grp_2_uker": 35}),           # 11 250 + 12 250 = 23 500 vs 20 000
    ("no_snittlonn_warn_min", {"no_snittlonn": 390_000}),
    ("no_snittlonn_warn_max", {"no_snittlonn": 1_150_000}),
    ("no_laererlonn_mot_aarsverk", {"no_aarsverk": 30}),       # 563 333 < 650 000
    ("no_laererlonn_mot_aarsverk", {"no_aarsverk": 15}),       # 1 126 667 > 1.6 x 650 000
    ("no_lok_andre_aktiviteter_herav", {"no_lok_andre_aktiviteter": 6_100_001}),
    ("no_lok_intro_herav", {"no_lok_intro": 2_000_000}),       # 2 000 000 > 500 000 in spm 30
    ("no_utgift_per_time_grense", {"no_timer": 5_000}),        # 29 570 000 / 5 000 = 5 914
    ("no_utgift_per_time_grense", {"no_timer": 40_000}),       # 739
    ("no_laererlonn_andel", {"no_utg_laererlonn": 60_000_000}),     # 60.0 / 72.67 mill. = 82.6 %
    ("no_laererlonn_andel", {"no_utg_administrasjon": 25_000_000}),  # 16.9 / 49.17 mill. = 34.4 %
    ("no_inntekt_mot_utgift", {"no_innt_per_capita": 30_000_000}),   # 37.9 > 1.2 x 29.57 mill.
    ("no_andre_deltakere_maks", {"no_andre_deltakere": 9}),     # < 10 at 1.4
]

CASES = {2011: (GOOD_2011, BAD_2011), 2024: (GOOD_2024, BAD_2024)}


def _results(form: Form, inputs: dict[str, Any]) -> dict[str, Any]:
    return {r.check.id: r for r in run_checks(form, compute(form, inputs))}


@pytest.mark.parametrize("year", [2011, 2024])
def test_good_inputs_pass_every_check_and_are_complete(year: int) -> None:
    form = load_form(year, "norsk")
    good, _ = CASES[year]
    assert set(good) <= set(form.fields), set(good) - set(form.fields)
    results = _results(form, good)
    assert {cid: r.passed for cid, r in results.items() if r.passed is not True} == {}
    assert missing_required(form, compute(form, good)) == []


@pytest.mark.parametrize("year", [2011, 2024])
def test_every_check_has_a_bad_case(year: int) -> None:
    form = load_form(year, "norsk")
    _, bad = CASES[year]
    assert {c.id for c in form.checks} == {cid for cid, _ in bad}


@pytest.mark.parametrize("year, check_id, overrides",
                         [(y, cid, o) for y, (_, bad) in CASES.items() for cid, o in bad],
                         ids=lambda x: x if isinstance(x, (int, str)) else None)
def test_check_fires_on_bad_input(year: int, check_id: str, overrides: dict[str, Any]) -> None:
    form = load_form(year, "norsk")
    good, _ = CASES[year]
    assert _results(form, good)[check_id].passed is True
    result = _results(form, {**good, **overrides})[check_id]
    assert result.relevant and result.passed is False, (check_id, result)


def test_2024_severities(f2024: Form) -> None:
    severity = {c.id: c.severity for c in f2024.checks}
    assert severity["no_utgift_per_time_grense"] == "advarsel"
    assert severity["no_laererlonn_mot_aarsverk"] == "advarsel"
    assert severity["no_inntekt_mot_utgift"] == "info"
    assert severity["no_lok_andre_aktiviteter_herav"] == "feil"


# ------------------------------------------------------------------------------------------------
# routing
# ------------------------------------------------------------------------------------------------


def _still_asked(form, values) -> set[str]:
    """Required relevant inputs still to fill: missing in answered parts, plus every required
    relevant input of a part nothing is entered in yet (intake reports that part once)."""
    out = set(missing_required(form, values))
    for part_id in unanswered_parts(form, values):
        out |= {f.id for f in form.fields_of(part_id) if f.is_input and f.required and is_relevant(f.relevant, values)}
    return out


@pytest.mark.parametrize("year", [2011, 2024])
def test_routing_spm1_nei_skips_2_to_30(year: int) -> None:
    form = load_form(year, "norsk")
    in_2_30 = {fid for fid, f in form.fields.items()
               if (_qnum(f.question) or 0) in range(2, 31) or f.part_id == "sammendrag"}
    assert "no_timer" in in_2_30 and "no_lok_leie" in in_2_30

    missing_nei = (_still_asked(form, compute(form, {**CONTACT, "no_undervist": "nei"})))
    assert not missing_nei & in_2_30
    assert "no_andre_kommuner" in missing_nei  # 31 is still asked
    both_nei = {**CONTACT, "no_undervist": "nei", "no_andre_kommuner": "nei"}
    assert _still_asked(form, compute(form, both_nei)) == set()
    missing_ja = (_still_asked(form, compute(form, {**CONTACT, "no_undervist": "ja"})))
    assert {"no_timer", "no_deltakere_rett_plikt", "no_utg_laererlonn", "no_lok_leie",
            "no_innt_per_capita", "no_andre_kommuner"} <= missing_ja
    # a blank answer is not "nei" (decision): 2-30 are still asked
    assert "no_timer" in _still_asked(form, compute(form, CONTACT))

    # checks of 2-30 are not relevant after "nei", even with contradicting data left behind
    values = compute(form, {**CASES[year][0], "no_undervist": "nei",
                            "no_timer": 10**6})
    for r in run_checks(form, values):
        field = form.fields[r.check.field]
        if (_qnum(field.question) or 0) in range(1, 31) or field.part_id == "sammendrag":
            assert not r.relevant, r.check.id


@pytest.mark.parametrize("year", [2011, 2024])
def test_routing_spm31_and_spm25_nei(year: int) -> None:
    form = load_form(year, "norsk")
    good = CASES[year][0]
    q32_35 = {fid for fid, f in form.fields.items() if (_qnum(f.question) or 0) in range(32, 36)}
    assert "no_andre_deltakere" in q32_35
    without = {k: v for k, v in good.items() if k not in q32_35}
    assert set(missing_required(form, compute(form, without))) == {
        fid for fid in q32_35 if form.fields[fid].required}
    assert missing_required(form, compute(form, {**without, "no_andre_kommuner": "nei"})) == []

    no_amount = {k: v for k, v in good.items() if k != "no_kjop_private_belop"}
    assert missing_required(form, compute(form, no_amount)) == ["no_kjop_private_belop"]
    assert missing_required(form, compute(form, {**no_amount, "no_kjop_private": "nei"})) == []


# ------------------------------------------------------------------------------------------------
# the 2024 report's own figures (referansedata/2024) through the 2024 definition
# ------------------------------------------------------------------------------------------------

SHARES_2024 = {"no_utg_laererlonn": 0.580, "no_lok_leie": 0.188, "no_utg_administrasjon": 0.187,
               "no_utg_materiell": 0.027}  # the rest (1.8 %) goes to no_utg_andre (chapter 6)


def _read_csv(name: str) -> list[dict[str, str]]:
    path = REF_2024 / name
    if not path.exists():
        pytest.skip(f"Referansedata {path} finnes ikke (sett KALK_SHARED)")
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _inputs_2024(expense: int, income: int, hours: int, participants: int) -> dict[str, Any]:
    """A 2024 form with the report's expense split (58.0/18.8/18.7/2.7/1.8 %)."""
    inputs: dict[str, Any] = {"no_undervist": "ja", "no_timer": hours, "no_deltakere_rett_plikt": participants,
                              "no_kjop_private": "nei", "no_innt_per_capita": income}
    for fid, share in SHARES_2024.items():
        inputs[fid] = round(expense * share)
    inputs["no_utg_andre"] = expense - sum(inputs[f] for f in SHARES_2024)
    return inputs


def test_2024_report_totals_through_the_definition(f2024: Form) -> None:
    """Tabell 5 and 6: 1 056 165 169 kr expenses, 877 400 258 kr incomes, 83.1 %, 2 069 kr per hour."""
    v8 = {r["kommunenr"]: r for r in _read_csv("vedlegg8_norsk_utgifter_inntekter.csv")}
    v9 = {r["kommunenr"]: r for r in _read_csv("vedlegg9_10_norsk_timer_deltakere.csv")}
    assert len(v8) == 23
    sums = {"no_utgift_sum": 0.0, "no_inntekt_sum": 0.0, "no_timer": 0.0, "no_deltakere_sum": 0.0}
    for knr, row in v8.items():
        values = compute(f2024, _inputs_2024(int(row["samlede_utgifter"]), int(row["samlede_inntekter"]),
                                             int(v9[knr]["undervisningstimer_2024"]),
                                             int(v9[knr]["deltakere_2024"])))
        assert values["no_utgift_sum"] == int(row["samlede_utgifter"])
        for key in sums:
            sums[key] += values[key]
    # the report's totals (the CSV rows may differ from them by a krone or so of rounding)
    assert sums["no_utgift_sum"] == pytest.approx(1_056_165_169, abs=25)
    assert sums["no_inntekt_sum"] == pytest.approx(877_400_258, abs=25)
    # tabell 10: 510 583 hours (vedlegg 9's rows add up to one hour less), 23 686 participants
    assert sums["no_timer"] == pytest.approx(510_583, abs=1)
    assert sums["no_deltakere_sum"] == 23_686
    assert round(100 * sums["no_inntekt_sum"] / sums["no_utgift_sum"], 1) == 83.1
    assert round(sums["no_utgift_sum"] / sums["no_timer"]) == 2_069


def test_2024_checks_on_the_report_municipalities(f2024: Form) -> None:
    """The soft checks stay quiet on the 23 municipalities of vedlegg 8-10, except the income info
    for Lillestrøm (incomes 26 % above expenses)."""
    v8 = {r["kommunenr"]: r for r in _read_csv("vedlegg8_norsk_utgifter_inntekter.csv")}
    v9 = {r["kommunenr"]: r for r in _read_csv("vedlegg9_10_norsk_timer_deltakere.csv")}
    watched = {"no_utgift_per_time_grense", "no_timer_per_deltaker", "no_laererlonn_andel",
               "no_inntekt_mot_utgift"}
    fired: dict[str, set[str]] = {}
    for knr, row in v8.items():
        results = _results(f2024, _inputs_2024(int(row["samlede_utgifter"]), int(row["samlede_inntekter"]),
                                               int(v9[knr]["undervisningstimer_2024"]),
                                               int(v9[knr]["deltakere_2024"])))
        for cid in watched:
            if results[cid].passed is False:
                fired.setdefault(cid, set()).add(row["kommune"])
    assert fired == {"no_inntekt_mot_utgift": {"Lillestrøm"}}


def test_2024_per_hour_and_hours_per_participant_quiet_on_vedlegg_9_both_years(f2024: Form) -> None:
    rows = _read_csv("vedlegg9_10_norsk_timer_deltakere.csv")
    n = 0
    totals: dict[str, list[int]] = {"2023": [0, 0], "2024": [0, 0]}
    for row in rows:
        for year in ("2023", "2024"):
            if not row[f"deltakere_{year}"]:
                continue
            hours = int(row[f"undervisningstimer_{year}"])
            expense = int(row[f"utgift_per_time_{year}"]) * hours
            results = _results(f2024, _inputs_2024(expense, expense, hours, int(row[f"deltakere_{year}"])))
            assert results["no_utgift_per_time_grense"].passed, (row["kommune"], year)
            assert results["no_timer_per_deltaker"].passed, (row["kommune"], year)
            totals[year][0] += int(row[f"deltakere_{year}"])
            totals[year][1] += hours
            n += 1
    assert n == 22 + 23  # municipalities in the norsk survey in 2023 and 2024
    # tabell 10 of the 2024 report: participants and hours in 2023 and 2024
    assert totals["2023"] == [20_991, 508_009]
    assert totals["2024"][0] == 23_686 and abs(totals["2024"][1] - 510_583) <= 1
