"""What would cover 100 %: the grant rates that make the integreringstilskudd's dekningsgrad
100 % in the survey year, and the dekningsgrad under a rate change the user chooses
(docs/beregning.md, «Hva skal til for 100 % dekning»). The master's *Resultat* block computes the
same with formulas (``kalk_excel.master.sheet_results.coverage_block``).

The grant per person (tabell 2) is G = A1 + R + E: A1 the year-1 rate weighted over the first
settled, R the rates for years 2-5, E the eldretilskudd per first settled. Only the
integreringstilskudd rates are scaled; the eldretilskudd is a rate of its own (decision).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .aggregates import grant_per_person

RATES_AR1 = ("tilskudd_ar1_enslige_voksne", "tilskudd_ar1_em", "tilskudd_ar1_andre")
RATES_LATER = ("tilskudd_ar2", "tilskudd_ar3", "tilskudd_ar4", "tilskudd_ar5")
RATES = RATES_AR1 + RATES_LATER
TEST_ALL, TEST_AR1 = "dekning_test_faktor_alle", "dekning_test_faktor_ar1"
PARAMETER_IDS = (TEST_ALL, TEST_AR1)


@dataclass(frozen=True)
class GrantParts:
    ar1: float        # A1: year-1 rate weighted over the first settled
    later: float      # R: years 2-5
    eldre: float      # E: eldretilskudd per first settled


def grant_parts(p: Mapping[str, Any]) -> GrantParts:
    counts = p["imdi_forstegang_familier"] + p["imdi_forstegang_enslige_voksne"] + p["imdi_forstegang_em"]
    ar1 = (p["imdi_forstegang_familier"] * p["tilskudd_ar1_andre"]
           + p["imdi_forstegang_enslige_voksne"] * p["tilskudd_ar1_enslige_voksne"]
           + p["imdi_forstegang_em"] * p["tilskudd_ar1_em"]) / counts
    later = float(sum(p[r] for r in RATES_LATER))
    return GrantParts(ar1, later, p["eldretilskudd"] * p["imdi_forstegang_over_60"] / counts)


def factor_all_rates(p: Mapping[str, Any], expense: float) -> float:
    """The factor on every integreringstilskudd rate that makes the grant equal ``expense``."""
    g = grant_parts(p)
    return (expense - g.eldre) / (g.ar1 + g.later)


def factor_year1_rates(p: Mapping[str, Any], expense: float) -> float:
    """The factor on the year-1 rates alone that makes the grant equal ``expense``."""
    g = grant_parts(p)
    return (expense - g.later - g.eldre) / g.ar1


def coverage_with_factors(p: Mapping[str, Any], expense: float, all_rates: float, year1: float) -> float:
    """Dekningsgrad when every rate is multiplied by ``all_rates`` and the year-1 rates also by ``year1``."""
    g = grant_parts(p)
    return (g.ar1 * all_rates * year1 + g.later * all_rates + g.eldre) / expense


def results(p: Mapping[str, Any], expense: float) -> dict[str, float]:
    """The block's named values (the same names as the master's *Resultat* block)."""
    f_all, f_ar1 = factor_all_rates(p, expense), factor_year1_rates(p, expense)
    typed = coverage_with_factors(p, expense, p[TEST_ALL], p[TEST_AR1])
    out = {"dekning100_faktor_alle": f_all, "dekning100_faktor_ar1": f_ar1,
           "dekning100_okning_ar1_kr": expense - grant_per_person(p), "dekning_satser_ar2_5": grant_parts(p).later,
           "dekning_test_tilskudd": typed * expense, "dekningsgrad_ved_satsendring": typed}
    for rate in RATES:
        out[f"dekning100_{rate}"] = p[rate] * f_all
    for rate in RATES_AR1:
        out[f"dekning100_ar1_{rate}"] = p[rate] * f_ar1
    return out
