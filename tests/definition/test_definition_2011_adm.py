"""The 2011 administrasjonsskjema (workbook_templates/2011/adm.yaml) against the printed form.

The printed form is the annex of the 2011 report (shared seed 002_...). Question numbers, part
numbers, table columns and row counts are read from that text with regular expressions, never
typed in here; the expected numbers in the computation tests are hand calculations written in the
test (or the form's own worked examples).
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

from kalk_excel.definition import load_path
from kalk_excel.definition.evaluate import compute, is_relevant, run_checks
from kalk_excel.definition.model import Form, TableBlock

ROOT = Path(__file__).resolve().parents[2]
DEFINITION = ROOT / "workbook_templates" / "2011" / "adm.yaml"
KOMMUNER = ROOT / "workbook_templates" / "2011" / "kommuner.csv"
SEED = Path(os.environ.get("KALK_SEED_DIR", "/work/shared/seeds")) / "002_706ed3955f2cf361.txt"

FORM_START = "## Kartlegging av kommunenes netto utgifter"
NORSK_START = "## Kartlegging av kommunens utgifter til opplæring"
# a question heading at the start of a line: "### 3.4", "#### 8.1.c", "**8.1d**", "14.1a", "**12.1.**"
QUESTION_RE = re.compile(r"^(?:#{1,6}[ \t]*)?(?:\*\*)?(\d{1,2})\.(\d{1,2})(?:\.?([a-e]))?(?=[\s.*:]|$)", re.M)
# a part heading: "# 1. ANTALL ...", "## 7. Sysselsettingstiltak ..."
PART_RE = re.compile(r"^#{1,6}[ \t]*(?:\*\*)?(\d{1,2})\.[ \t]+\S", re.M)


# -- helpers ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def form() -> Form:
    loaded, messages = load_path(DEFINITION)
    assert messages == [], [str(m) for m in messages]
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"Rapporten for 2011 finnes ikke på {SEED} (sett KALK_SEED_DIR)")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def printed_form(seed_text: str) -> str:
    """The administrasjonsskjema as printed: from its title to the title of the norsk form."""
    start = seed_text.index(FORM_START)
    return seed_text[start:seed_text.index(NORSK_START, start)]


def _printed_numbers(printed: str) -> list[str]:
    numbers: list[str] = []
    for m in QUESTION_RE.finditer(printed):
        number = f"{m.group(1)}.{m.group(2)}{m.group(3) or ''}"
        if number not in numbers:
            numbers.append(number)
    return numbers


def _normalise(number: str) -> str:
    """'8.1.c' -> '8.1c', '11.1.a' -> '11.1a', '12.1.' -> '12.1'."""
    number = number.strip().rstrip(".")
    return re.sub(r"^(\d+\.\d+)\.([a-z])$", r"\1\2", number)


def _question_numbers(form: Form) -> list[str]:
    return [_normalise(q.number) for p in form.parts for q in p.questions if q.number]


def _question(form: Form, number: str):
    for part in form.parts:
        for q in part.questions:
            if q.number == number:
                return q
    raise KeyError(number)


def _table(form: Form, number: str) -> TableBlock:
    tables = [b for b in _question(form, number).blocks if isinstance(b, TableBlock)]
    assert len(tables) == 1, number
    return tables[0]


def _section(printed: str, heading_number: str, next_heading_number: str) -> str:
    """Text of the printed form from one question heading to the next."""
    starts = {(_normalise(f"{m.group(1)}.{m.group(2)}{m.group(3) or ''}")): m.start()
              for m in reversed(list(QUESTION_RE.finditer(printed)))}
    return printed[starts[heading_number]:starts[next_heading_number]]


def _printed_header(section: str, marker: str) -> list[str]:
    """The tab-separated column headers of the first table line in ``section`` containing ``marker``."""
    line = next(line for line in section.splitlines() if marker in line)
    return [cell.strip().rstrip(":").strip() for cell in line.split("\t") if cell.strip()]


def _failed(form: Form, values: dict, *check_ids: str) -> dict[str, bool | None]:
    results = {r.check.id: r for r in run_checks(form, values)}
    return {cid: (results[cid].passed if results[cid].relevant else None) for cid in check_ids}


# -- structure against the printed form ------------------------------------------------------
def test_definition_loads_without_lint_messages(form: Form) -> None:
    assert form.id == "adm" and form.year == 2011
    assert form.period.text == "1.1.2007–31.12.2011"


def test_every_printed_part_is_defined(form: Form, printed_form: str) -> None:
    printed_parts = [m.group(1) for m in PART_RE.finditer(printed_form)]
    assert printed_parts == [str(n) for n in range(1, 16)]  # the regex reads the form's 15 parts
    defined = [p.number for p in form.parts]
    for number in printed_parts:
        assert number in defined, f"del {number} mangler"


def test_every_printed_question_number_is_defined(form: Form, printed_form: str) -> None:
    printed = _printed_numbers(printed_form)
    assert len(printed) > 60  # the regex really read the form, not an empty string
    questions = set(_question_numbers(form))
    parts = {p.number for p in form.parts}
    missing = []
    for number in printed:
        if number in questions or number in parts:
            continue
        # a section heading such as "8.1. Kommunalt eide boliger": its questions are 8.1a, 8.1b, ...
        printed_sub = [n for n in printed if re.fullmatch(re.escape(number) + r"[a-e]", n)]
        defined_sub = [n for n in questions if re.fullmatch(re.escape(number) + r"[a-e]", n)]
        if printed_sub and set(printed_sub) <= set(defined_sub):
            continue
        missing.append(number)
    assert missing == []


def test_no_invented_question_numbers(form: Form, printed_form: str) -> None:
    printed = set(_printed_numbers(printed_form))
    invented = [n for n in _question_numbers(form) if n not in printed]
    assert invented == []


def test_every_part_has_info_contact_and_valid_sheet(form: Form) -> None:
    for part in form.parts:
        assert part.info, part.number
        assert len(part.contact_fields) == 3, part.number
        assert 0 < len(part.sheet) <= 31
    for fid in form.fields:
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)+", fid) and len(fid) <= 64, fid


def test_periods_in_texts_are_printed_as_in_2011(form: Form, printed_form: str) -> None:
    phrase = "førstegangsbosatt i perioden 1.1.07 - 31.12.11"
    family = "familiegjenforente med disse i perioden 1.1.09 - 31.12.11"
    assert phrase in printed_form and family in printed_form
    for key in ("forside", "malgruppe"):
        assert phrase in form.texts[key] and family in form.texts[key]
    assert phrase in form.part("del_3").info
    assert "personer bosatt i 2006" in form.texts["malgruppe"]
    assert "Antall pr. 1.1.11" in {f.label for f in form.fields.values()}
    assert "Antall pr. 31.12.11" in {f.label for f in form.fields.values()}
    assert "0,097" in form.texts["instruksjon"] and "Framgangsmåte C" in form.texts["instruksjon"]


def test_3_4_has_the_two_printed_columns(form: Form, printed_form: str) -> None:
    header = _printed_header(_section(printed_form, "3.4", "3.5"), "samlet ført på funksjon 242")
    table = _table(form, "3.4")
    assert [c.label for c in table.columns] == header
    assert len(header) == 2


def test_11_2d_has_four_value_columns_as_printed(form: Form, printed_form: str) -> None:
    header = _printed_header(_section(printed_form, "11.2d", "12.1"), "samlet ført på funksjon 251")
    assert len(header) == 4
    table = _table(form, "11.2d")
    assert len(table.columns) == 4
    for column, printed in zip(table.columns, header, strict=False):
        assert column.label.startswith(printed)
    rows = [r.label for r in table.rows]
    assert "- herav driftsutgifter til enslige mindreårige" in rows
    assert "- herav statlig refusjon for barnevernsutgifter" in rows


def test_7_2_and_7_3_have_the_printed_number_of_measures(form: Form, printed_form: str) -> None:
    section_72 = _section(printed_form, "7.2", "7.3")
    printed_72 = re.findall(r"^Tiltak (\d+)\t", section_72, re.M)
    section_73 = _section(printed_form, "7.3", "8.1")
    printed_73 = sorted(set(re.findall(r"Tiltak (\d+)", section_73)), key=int)
    assert len(printed_72) == 6 and len(printed_73) == 6
    table_72 = _table(form, "7.2")
    assert [r.label for r in table_72.rows] == [f"Tiltak {n}" for n in printed_72]
    assert [c.key for c in table_72.columns] == ["beskrivelse", "funksjon", "prosent"]
    assert form.fields["syss_tiltak1_prosent"].type == "prosent"
    kontroll = [f for f in form.fields.values() if f.question == "7.2" and f.calculate]
    assert len(kontroll) == len(printed_72)
    table_73 = _table(form, "7.3")
    measures = sorted({re.match(r"tiltak(\d+)_", c.key).group(1) for c in table_73.columns
                       if c.key.startswith("tiltak")}, key=int)
    assert measures == printed_73
    assert any(c.label.startswith("SUM ALLE TILTAK") for c in table_73.columns)


def test_12_5_and_15_1_have_the_printed_rows(form: Form, printed_form: str) -> None:
    printed_125 = re.findall(r"^Tiltak (\d+)\t", _section(printed_form, "12.5", "12.6"), re.M)
    rows_125 = [r for r in _table(form, "12.5").rows if not r.calculate]
    assert len(rows_125) == len(printed_125) == 10
    section_151 = _section(printed_form, "15.1", "15.2")
    lines = section_151.splitlines()
    header = next(i for i, line in enumerate(lines) if "Spesifikasjon av administrasjon" in line)
    total = next(i for i, line in enumerate(lines) if "Sum netto felles" in line)
    printed_151 = [line for line in lines[header + 1:total] if line.strip()]
    rows_151 = [r for r in _table(form, "15.1").rows if not r.calculate]
    assert len(rows_151) == len(printed_151) == 14
    assert [c.label for c in _table(form, "15.1").columns] == _printed_header(section_151, "Beregningsfaktor")


def test_percent_fields_are_prosent(form: Form) -> None:
    for fid in ("sos_andel", "bolig_adm_andel", "bv_244_andel", "bv_251_andel", "bv_252_andel", "bhg_andel"):
        assert form.fields[fid].type == "prosent", fid
        assert (form.fields[fid].min, form.fields[fid].max) == (0, 100)


# -- routing ---------------------------------------------------------------------------------
def test_3_3_is_relevant_only_on_nei(form: Form) -> None:
    andel = form.fields["sos_andel"]
    assert not is_relevant(andel.relevant, {"sos_eksakt": "ja"})
    assert is_relevant(andel.relevant, {"sos_eksakt": "nei"})
    assert is_relevant(form.fields["sos_lonn_samlet"].relevant, {"sos_eksakt": "ja"})  # 3.4 in both cases


@pytest.mark.parametrize("number", ["5.1", "6.1", "7.1", "12.1", "13.1"])
def test_nei_goes_to_next_part_and_greys_out_the_rest(form: Form, number: str) -> None:
    question = _question(form, number)
    assert "nei – gå til del" in question.routing
    answer = next(fid for fid, f in form.fields.items() if f.question == number and f.type == "ja_nei")
    part = form.fields[answer].part_id
    rest = [f for f in form.fields.values() if f.part_id == part and f.id != answer
            and f.role not in ("kommentar", "kontakt_navn", "kontakt_telefon", "kontakt_epost")]
    assert rest
    assert all(not is_relevant(f.relevant, {answer: "nei"}) for f in rest)
    assert all(is_relevant(f.relevant, {answer: "ja"}) for f in rest)
    assert is_relevant(form.fields[answer].relevant, {answer: "nei"})


# -- computed fields (hand calculations) -------------------------------------------------------
def test_avvik_and_its_check(form: Form) -> None:
    good = {"mg_antall_0101": 100, "mg_forstegangsbosatt": 20, "mg_innflyttet": 15,
            "mg_utflyttet": 10, "mg_antall_3112": 125}
    values = compute(form, good)
    assert values["mg_avvik"] == 100 + 20 + 15 - 10 - 125 == 0
    assert _failed(form, values, "mg_avvik_null") == {"mg_avvik_null": True}
    bad = compute(form, {**good, "mg_antall_3112": 120})
    assert bad["mg_avvik"] == 5
    assert _failed(form, bad, "mg_avvik_null") == {"mg_avvik_null": False}


def test_accounting_table_3_4(form: Form) -> None:
    values = compute(form, {"sos_lonn_samlet": 1_000_000, "sos_andre_samlet": 400_000, "sos_inntekt_samlet": 200_000,
                            "sos_lonn_mg": 150_000, "sos_andre_mg": 60_000, "sos_inntekt_mg": 30_000})
    assert values["sos_brutto_samlet"] == 1_400_000 and values["sos_netto_samlet"] == 1_200_000
    assert values["sos_brutto_mg"] == 210_000 and values["sos_netto_mg"] == 180_000
    over = compute(form, {"sos_lonn_samlet": 100, "sos_lonn_mg": 101})
    assert _failed(form, over, "sos_lonn_mg_herav") == {"sos_lonn_mg_herav": False}


def test_4_3_gross_excludes_introduksjonsstonad(form: Form) -> None:
    values = compute(form, {"intro_lonn": 500_000, "intro_stonad": 2_000_000, "intro_andre": 300_000,
                            "intro_inntekt": 100_000})
    assert values["intro_brutto"] == 800_000
    assert values["intro_netto"] == 700_000


def test_7_2_kontroll_and_7_3_sum(form: Form) -> None:
    inputs = {"syss_deltok": "ja",
              "syss_brutto_tiltak1_samlet": 200_000, "syss_brutto_tiltak1_mg": 50_000,
              "syss_inntekt_tiltak1_samlet": 40_000, "syss_inntekt_tiltak1_mg": 10_000,
              "syss_brutto_tiltak2_samlet": 100_000, "syss_brutto_tiltak2_mg": 100_000,
              "syss_tiltak1_prosent": 25, "syss_tiltak2_prosent": 80}
    values = compute(form, inputs)
    assert values["syss_netto_tiltak1_samlet"] == 160_000 and values["syss_netto_tiltak1_mg"] == 40_000
    assert values["syss_tiltak1_kontroll"] == pytest.approx(100 * 40_000 / 160_000)  # 25 %
    assert values["syss_tiltak2_kontroll"] == pytest.approx(100.0)
    assert values["syss_tiltak3_kontroll"] == 0  # no accounts: div() gives 0, not #DIV/0!
    assert values["syss_netto_sum_samlet"] == 160_000 + 100_000
    assert values["syss_netto_sum_mg"] == 40_000 + 100_000
    result = _failed(form, values, "syss_tiltak1_prosent_kontroll", "syss_tiltak2_prosent_kontroll",
                     "syss_tiltak3_prosent_kontroll")
    assert result == {"syss_tiltak1_prosent_kontroll": True, "syss_tiltak2_prosent_kontroll": False,
                      "syss_tiltak3_prosent_kontroll": None}


def test_8_1e_owned_dwellings_net(form: Form) -> None:
    values = compute(form, {"bolig_eid_vedlikehold_belop": 100_000, "bolig_eid_energi_belop": 50_000,
                            "bolig_eid_avgifter_belop": 20_000, "bolig_eid_forsikring_belop": 10_000,
                            "bolig_eid_andre_utgifter_belop": 5_000, "bolig_eid_leie_belop": 150_000,
                            "bolig_eid_andre_inntekt1_belop": 3_000, "bolig_eid_andre_inntekt2_belop": 2_000})
    assert values["bolig_eid_sum_utgifter_belop"] == 185_000
    assert values["bolig_eid_andre_inntekter_belop"] == 5_000
    assert values["bolig_eid_sum_inntekter_belop"] == 155_000
    assert values["bolig_eid_netto_belop"] == 30_000


def test_9_1_net_per_row_and_sums(form: Form) -> None:
    values = compute(form, {"pleie_tiltak1_brutto": 50_000, "pleie_tiltak1_inntekt": 5_000,
                            "pleie_tiltak2_brutto": 30_000})
    assert values["pleie_tiltak1_netto"] == 45_000 and values["pleie_tiltak2_netto"] == 30_000
    assert values["pleie_sum_brutto"] == 80_000 and values["pleie_sum_inntekt"] == 5_000
    assert values["pleie_sum_netto"] == 75_000


def test_10_2_sum_must_equal_10_1(form: Form) -> None:
    good = {"em_antall": 12, "em_fosterhjem": 3, "em_institusjon": 2, "em_bokollektiv": 4,
            "em_slekt": 1, "em_annet": 2}
    values = compute(form, good)
    assert values["em_bor_sum"] == 3 + 2 + 4 + 1 + 2 == 12
    assert _failed(form, values, "em_bor_sum_lik_antall") == {"em_bor_sum_lik_antall": True}
    bad = compute(form, {**good, "em_annet": 1})
    assert bad["em_bor_sum"] == 11
    assert _failed(form, bad, "em_bor_sum_lik_antall") == {"em_bor_sum_lik_antall": False}
    too_many = compute(form, {**good, "em_annet": 3})
    assert too_many["em_bor_sum"] == 13
    assert _failed(form, too_many, "em_bor_sum_lik_antall") == {"em_bor_sum_lik_antall": False}
    unsplit = compute(form, {"em_antall": 4})
    assert _failed(form, unsplit, "em_bor_sum_lik_antall") == {"em_bor_sum_lik_antall": False}


def test_11_2d_net_and_row_herav(form: Form) -> None:
    values = compute(form, {"bv_tiltak_lonn_251_samlet": 1_000_000, "bv_tiltak_andre_251_samlet": 3_000_000,
                            "bv_tiltak_inntekt_251_samlet": 1_500_000,
                            "bv_tiltak_inntekt_refusjon_251_samlet": 1_600_000,
                            "bv_tiltak_andre_252_mg": 800_000, "bv_tiltak_inntekt_252_mg": 200_000})
    assert values["bv_tiltak_brutto_251_samlet"] == 4_000_000
    assert values["bv_tiltak_netto_251_samlet"] == 2_500_000
    assert values["bv_tiltak_netto_252_mg"] == 600_000
    assert _failed(form, values, "bv_tiltak_ref_251_samlet_herav", "bv_tiltak_ref_252_mg_herav") == {
        "bv_tiltak_ref_251_samlet_herav": False, "bv_tiltak_ref_252_mg_herav": True}


def test_12_5_13_2_and_15_1_sums(form: Form) -> None:
    values = compute(form, {
        "skole_tiltak1_utgift": 10_000, "skole_tiltak2_utgift": 20_000, "skole_tiltak10_utgift": 5_500,
        "kultur_bibl_lonn_samlet": 300_000, "kultur_bibl_andre_samlet": 100_000, "kultur_bibl_inntekt_samlet": 50_000,
        "kultur_senter_andre_mg": 70_000, "kultur_andre_inntekt_mg": 20_000,
        # the form's worked example for part 15: 100 000 + 1 190 + 17 520 = 118 710
        "felles_rad1_mg": 100_000, "felles_rad2_samlet": 70_000, "felles_rad2_mg": 1_190,
        "felles_rad3_samlet": 1_460_000, "felles_rad3_mg": 17_520,
    })
    assert values["skole_sum_utgift"] == 35_500
    assert values["kultur_bibl_netto_samlet"] == 350_000
    assert values["kultur_sum_samlet"] == 350_000
    assert values["kultur_sum_mg"] == 70_000 - 20_000
    assert values["felles_sum_mg"] == 118_710
    assert values["felles_sum_samlet"] == 1_530_000


def test_capacity_weight_warning_uses_the_forms_example(form: Form) -> None:
    # "Mulige metoder ...": 300 of 5 200 clients, weight 1,75 -> 300*1,75/(5200-300+300*1,75) = 0,097
    base = {"sos_eksakt": "nei", "sos_mottakere_totalt": 5_200, "sos_mottakere_mg": 300}
    assert 100 * 300 * 1.75 / (5_200 - 300 + 300 * 1.75) == pytest.approx(9.677, abs=0.001)
    ok = compute(form, {**base, "sos_andel": 9.6})
    high = compute(form, {**base, "sos_andel": 12})
    assert _failed(form, ok, "sos_andel_vekt") == {"sos_andel_vekt": True}
    assert _failed(form, high, "sos_andel_vekt") == {"sos_andel_vekt": False}
    assert next(c for c in form.checks if c.id == "sos_andel_vekt").severity == "advarsel"
    exact = compute(form, {**base, "sos_eksakt": "ja", "sos_andel": 12})
    assert _failed(form, exact, "sos_andel_vekt") == {"sos_andel_vekt": None}


def test_capacity_weight_warning_for_barnevern_251(form: Form) -> None:
    # 20 of 200 children with measures in the family; weight 1,75: 35 / (200 - 20 + 35) = 16,28 %
    base = {"bv_tiltak_identifisert": "nei", "bv_barn_totalt_familie": 200, "bv_barn_mg_familie": 20}
    assert 100 * 20 * 1.75 / (200 - 20 + 20 * 1.75) == pytest.approx(16.279, abs=0.001)
    ok = compute(form, {**base, "bv_251_andel": 16})
    high = compute(form, {**base, "bv_251_andel": 17})
    assert _failed(form, ok, "bv_251_andel_vekt") == {"bv_251_andel_vekt": True}
    assert _failed(form, high, "bv_251_andel_vekt") == {"bv_251_andel_vekt": False}
    known = compute(form, {**base, "bv_tiltak_identifisert": "ja", "bv_251_andel": 17})
    assert _failed(form, known, "bv_251_andel_vekt") == {"bv_251_andel_vekt": None}


def test_capacity_weight_warning_for_barnevern_counts_em_rows(form: Form) -> None:
    # 20 children of the target group and 10 EM of 200 in the family: (30 × 1,75) / (200 − 30 + 52,5) = 23,6 %
    base = {"bv_tiltak_identifisert": "nei", "bv_barn_totalt_familie": 200, "bv_barn_mg_familie": 20,
            "bv_barn_em_familie": 10}
    assert 100 * 30 * 1.75 / (200 - 30 + 30 * 1.75) == pytest.approx(23.595, abs=0.001)
    ok = compute(form, {**base, "bv_251_andel": 23})       # above the 16,3 % of the target group's children alone
    high = compute(form, {**base, "bv_251_andel": 24})
    assert _failed(form, ok, "bv_251_andel_vekt") == {"bv_251_andel_vekt": True}
    assert _failed(form, high, "bv_251_andel_vekt") == {"bv_251_andel_vekt": False}
    only_em = compute(form, {**base, "bv_barn_mg_familie": 0, "bv_251_andel": 20})   # 10 EM alone: 8,4 %
    assert _failed(form, only_em, "bv_251_andel_vekt") == {"bv_251_andel_vekt": False}


def test_checks_have_norwegian_message_and_fix(form: Form) -> None:
    for check in form.checks:
        assert check.message and check.fix, check.id
        assert check.field in form.fields, check.id


# -- utvalgskommuner 2011 ----------------------------------------------------------------------
def test_kommuner_2011_match_the_report(seed_text: str) -> None:
    start = seed_text.index("**Vedleggstabell 1.")
    table = seed_text[start:seed_text.index("**Vedleggstabell 2.", start)]
    adm = {(nr, name) for nr, name in re.findall(r"^(\d{4}) (.+?)(?: NY!)?\t", table, re.M)}
    line = next(line for line in seed_text.splitlines() if line.startswith("Følgende kommuner er med i undersøkelsen"))
    names = line.split(":", 1)[1].strip().rstrip(".")
    norsk = {n.strip() for n in re.split(r", | og ", names)}
    assert len(adm) == 20 and len(norsk) == 20

    with KOMMUNER.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["kommunenummer", "navn", "skjema", "imdi_malgruppe"]
        rows = list(reader)
    for row in rows:
        assert re.fullmatch(r"\d{4}", row["kommunenummer"])
        assert set(row["skjema"].split(";")) <= {"adm", "norsk"} and row["skjema"]
        assert row["imdi_malgruppe"] == ""
    assert {(r["kommunenummer"], r["navn"]) for r in rows if "adm" in r["skjema"].split(";")} == adm
    assert {r["navn"] for r in rows if "norsk" in r["skjema"].split(";")} == norsk
    assert len({r["kommunenummer"] for r in rows}) == len(rows)
