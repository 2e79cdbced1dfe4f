"""The prognosis (chapter 9, tabell 12) against the 2024 report.

Which rows of tabell 12 follow from what chapter 9 states, and are checked here against the
printed numbers (1 kr / 0.1 pp):
- ventestønad and helse 2025-2027: the 2024 amount price adjusted with 4.1 % (deflator 2025) and
  2.6 % / 2.6 % (KPI 2026/2027);
- tilskudd 2026 and 2027: nominal continuation of the 2025 rates, so equal to 2025;
- gjennomsnittlig utgift per person and dekningsgrad in every column: the sum of the five
  component rows, and tilskudd / utgift.
Not reproduced, because chapter 9 does not print what they need: row 1 (integreringstiltak; the
growth «noe mer enn prisveksten» for housing and employment measures has no number), introduksjons-
stønad and sosialhjelp (the per-cohort estimates are drawn in figures 19-21, not printed), and
tilskudd 2025 (the 2025 rates are not in the report; the parameter is the ratio 839 381 / 807 951).
"""

from __future__ import annotations

import pytest

from kalk_excel.model import load_parameters
from kalk_excel.model.prognosis import Base, coverage, expense_total, project

# Tabell 12 (2024 report, chapter 9): 2024 and the prognoses 2025-2027, prognose 1.
T12 = {
    "adm": [450334, 486515, 501810, 517704],
    "intro": [194517, 153202, 141777, 145464],
    "sosialhjelp": [174587, 188813, 195325, 200403],
    "vente": [26639, 27731, 28452, 29192],
    "helse": [42978, 44740, 45904, 47097],
    "utgift": [889055, 901001, 913269, 939860],
    "tilskudd": [807951, 839381, 839381, 839381],
    "dekningsgrad": [90.9, 93.2, 91.9, 89.3],
}
# Vedlegg 5 (2024): sum per person per year 90 067, of which the særskilt tilskudd deduction -22 580.
V5_SUM, V5_SARSKILT = 90067, -22580
# Chapter 9: prognose 2 is 0.5 / 0.9 / 1.0 % above prognose 1 in 2025-2027, prognose 3 0.7 / 1.5 / 1.3 % below.
SCENARIO_DIFF = {2: [0.5, 0.9, 1.0], 3: [-0.7, -1.5, -1.3]}


@pytest.fixture(scope="module")
def params():
    return load_parameters(2024)


@pytest.fixture(scope="module")
def report_base():
    """2024 as tabell 1/2 and vedlegg 5 print it."""
    return Base(tiltak_per_person_aar=V5_SUM - V5_SARSKILT, sarskilt_per_person_aar=-V5_SARSKILT,
                introstonad_fem_aar=T12["intro"][0], sosialhjelp_fem_aar=T12["sosialhjelp"][0],
                ventestonad_per_person=T12["vente"][0], helse_per_person=T12["helse"][0],
                tilskudd_per_person_fem_aar=T12["tilskudd"][0])


@pytest.fixture(scope="module")
def prognosis(report_base, params):
    return project(report_base, params, 2024)


@pytest.mark.parametrize("row", ["vente", "helse"])
def test_price_adjusted_rows_reproduce_tabell_12(prognosis, row):
    assert prognosis.years == [2024, 2025, 2026, 2027]
    for got, printed in zip(prognosis.rows[row], T12[row], strict=True):
        assert got == pytest.approx(printed, abs=1.0), (row, prognosis.rows[row])


def test_grant_nominal_continuation_reproduces_tabell_12(prognosis):
    grant = prognosis.rows["tilskudd"]
    assert grant[2] == grant[1] and grant[3] == grant[1]          # nominal continuation from 2025
    for got, printed in zip(grant, T12["tilskudd"], strict=True):
        assert got == pytest.approx(printed, abs=1.0)


@pytest.mark.parametrize("column", range(4))
def test_sum_and_dekningsgrad_reproduce_tabell_12(column):
    components = {key: T12[key][column] for key in ("adm", "intro", "sosialhjelp", "vente", "helse")}
    total = expense_total(components)
    assert total == pytest.approx(T12["utgift"][column], abs=1.0)
    assert 100 * coverage(T12["tilskudd"][column], total) == pytest.approx(T12["dekningsgrad"][column], abs=0.05)


def test_row_1_by_hand(prognosis, params):
    """Row 1 = (T - S) x 5: T grows with prices (real growth 0 by default), S is cut by 11 % in
    2025 and price adjusted after that."""
    t, s = V5_SUM - V5_SARSKILT, -V5_SARSKILT
    t25, s25 = t * 1.041, s * 0.89
    t26, s26 = t25 * 1.026, s25 * 1.026
    t27, s27 = t26 * 1.026, s26 * 1.026
    expected = [(t - s) * 5, (t25 - s25) * 5, (t26 - s26) * 5, (t27 - s27) * 5]
    assert prognosis.rows["adm"] == pytest.approx(expected, abs=1e-6)
    # The report grew housing and employment measures «noe mer enn prisveksten»: with no real
    # growth our row 1 is below the printed one, by less than 2 %.
    for got, printed in zip(prognosis.rows["adm"][1:], T12["adm"][1:], strict=True):
        assert printed * 0.98 < got < printed


def test_real_growth_raises_row_1_only(report_base, params):
    grown = project(report_base, params.with_values(prognose_realvekst_tiltak_1=0.01), 2024)
    plain = project(report_base, params, 2024)
    t25 = (V5_SUM - V5_SARSKILT) * 1.041
    assert grown.rows["adm"][1] - plain.rows["adm"][1] == pytest.approx(t25 * 0.01 * 5, abs=1e-6)
    assert grown.rows["helse"] == plain.rows["helse"]


def test_scenarios_differ_as_chapter_9_says(prognosis):
    """Prognose 2 and 3 against prognose 1, in percent of the expense per person (the constructed
    per-cohort inputs carry the differences chapter 9 states)."""
    main = prognosis.utgift[0]
    for s, diffs in SCENARIO_DIFF.items():
        for k, diff in enumerate(diffs, start=1):
            got = 100 * (prognosis.utgift[s - 1][k] - main[k]) / main[k]
            assert got == pytest.approx(diff, abs=0.1), (s, k, got)
    assert [row[0] for row in prognosis.utgift] == [prognosis.utgift[0][0]] * 3   # the survey year is data


def test_table12_of_a_scenario(prognosis):
    t = prognosis.table12(2)
    assert list(t) == ["adm", "intro", "sosialhjelp", "vente", "helse", "utgift", "tilskudd", "dekningsgrad"]
    assert t["sosialhjelp"] == prognosis.sosialhjelp[1]
    assert t["utgift"][3] == pytest.approx(sum(t[k][3] for k in ("adm", "intro", "sosialhjelp", "vente", "helse")))
    assert t["dekningsgrad"][3] == pytest.approx(t["tilskudd"][3] / t["utgift"][3])
