"""What would cover 100 % (the model): the factor on the rates, put back into the parameters,
gives dekningsgrad 100 %; the dekningsgrad under a typed rate change by hand."""

from __future__ import annotations

import pytest

from kalk_excel.model import load_parameters
from kalk_excel.model.aggregates import grant_per_person
from kalk_excel.model.coverage import RATES, RATES_AR1, coverage_with_factors, grant_parts, results

# Tabell 1/2 (2024 report): expense per person 889 055, grant 807 951, dekningsgrad 90.9 %.
EXPENSE, GRANT, DEKNINGSGRAD = 889055, 807951, 90.9


@pytest.fixture(scope="module")
def params():
    return load_parameters(2024)


def test_parts_add_up_to_the_grant(params):
    g = grant_parts(params)
    assert g.ar1 + g.later + g.eldre == pytest.approx(grant_per_person(params), abs=1e-6)
    assert grant_per_person(params) == pytest.approx(GRANT, abs=5)   # imdi_forstegang_over_60 is constructed


def test_all_rates_scaled_put_back_give_100_percent(params):
    r = results(params, EXPENSE)
    scaled = params.with_values(**{rate: r[f"dekning100_{rate}"] for rate in RATES})
    assert 100 * grant_per_person(scaled) / EXPENSE == pytest.approx(100, abs=0.01)
    assert r["dekning100_faktor_alle"] > 1            # 2024 covered 90.9 %: the rates must rise


def test_year_1_rates_alone_put_back_give_100_percent(params):
    r = results(params, EXPENSE)
    scaled = params.with_values(**{rate: r[f"dekning100_ar1_{rate}"] for rate in RATES_AR1})
    assert 100 * grant_per_person(scaled) / EXPENSE == pytest.approx(100, abs=0.01)
    assert r["dekning100_okning_ar1_kr"] == pytest.approx(EXPENSE - grant_per_person(params))
    # scaling only year 1 needs a larger factor than scaling every rate
    assert r["dekning100_faktor_ar1"] > r["dekning100_faktor_alle"]


def test_coverage_under_a_typed_change_by_hand(params):
    g = grant_parts(params)
    assert 100 * coverage_with_factors(params, EXPENSE, 1, 1) == pytest.approx(DEKNINGSGRAD, abs=0.05)
    by_hand = ((g.ar1 + g.later) * 1.10 + g.eldre) / EXPENSE       # every rate up 10 %
    assert coverage_with_factors(params, EXPENSE, 1.10, 1) == pytest.approx(by_hand)
    by_hand = (g.ar1 * 1.2 + g.later + g.eldre) / EXPENSE           # year 1 up 20 %
    assert coverage_with_factors(params, EXPENSE, 1, 1.2) == pytest.approx(by_hand)
    changed = params.with_values(dekning_test_faktor_alle=1.1)
    assert results(changed, EXPENSE)["dekningsgrad_ved_satsendring"] == pytest.approx(
        ((g.ar1 + g.later) * 1.10 + g.eldre) / EXPENSE)
