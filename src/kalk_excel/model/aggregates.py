"""All-municipality adm results: weighted averages (Σ area / Σ N), medians of area_k / N_k
(vedlegg 5), the expense per person over five years (tabell 1) and the calculated grant (tabell 2)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from .per_kommune import AREAS, carried_amount


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, undefined (NaN) when the denominator is not above 0 or is
    undefined: the master shows such a result blank (docs/beregning.md, "Tomme utvalg")."""
    if not denominator > 0:          # also NaN
        return math.nan
    return numerator / denominator


def per_person(pk: pd.DataFrame) -> pd.DataFrame:
    """area_k / N_k per municipality (and ``total``); undefined (NaN) where N_k <= 0."""
    cols = [*AREAS, "total"]
    return pk[cols].div(pk["N"].where(pk["N"] > 0), axis=0)


def vedlegg5(pk: pd.DataFrame) -> pd.DataFrame:
    """Per area (and ``sum``): weighted ``snitt`` = Σ area / Σ N and ``median`` over municipalities
    with N > 0 (NaN when there are none)."""
    cols = [*AREAS, "total"]
    n_sum = float(pk["N"].sum())
    out = pd.DataFrame({
        "snitt": [ratio(float(pk[c].sum()), n_sum) for c in cols],
        "median": per_person(pk).median(),
    }, index=cols)
    out.loc["total", "median"] = float(out.loc[list(AREAS), "median"].sum(min_count=1))   # NaN if none
    out = out.rename(index={"total": "sum"})
    out.insert(0, "utgiftsomrade", [*AREAS.values(), "Sum"])
    return out


def median_of_totals(pk: pd.DataFrame) -> float:
    """The median over municipalities of total_k / N_k (not in the report; its own row in the master)."""
    return float(per_person(pk)["total"].median())


def helse_per_person(p: Mapping[str, Any], year: int) -> float:
    """Last year's published amount × (1 + this year's deflator), or the fixed amount (kap. 13)."""
    return carried_amount(p, "helse", year)


def grant_per_person(p: Mapping[str, Any]) -> float:
    """Tabell 2: year-1 rate weighted over first settled + years 2-5 + eldretilskudd share."""
    counts = p["imdi_forstegang_familier"] + p["imdi_forstegang_enslige_voksne"] + p["imdi_forstegang_em"]
    ar1 = (p["imdi_forstegang_familier"] * p["tilskudd_ar1_andre"]
           + p["imdi_forstegang_enslige_voksne"] * p["tilskudd_ar1_enslige_voksne"]
           + p["imdi_forstegang_em"] * p["tilskudd_ar1_em"]) / counts
    eldre = p["eldretilskudd"] * p["imdi_forstegang_over_60"] / counts
    return ar1 + p["tilskudd_ar2"] + p["tilskudd_ar3"] + p["tilskudd_ar4"] + p["tilskudd_ar5"] + eldre


def adm_results(pk: pd.DataFrame, p: Mapping[str, Any], year: int) -> dict[str, float]:
    """Result names of docs/beregning.md for the integreringstilskudd part (unrounded floats)."""
    r: dict[str, float] = {}
    r["antall_malgruppe_sum"] = float(pk["N"].sum())
    r["adm_utgifter_sum"] = float(pk["total"].sum())
    r["adm_utgift_per_person_aar"] = ratio(r["adm_utgifter_sum"], r["antall_malgruppe_sum"])
    r["adm_utgift_fem_aar"] = r["adm_utgift_per_person_aar"] * p["aar_i_tilskuddsperioden"]
    r["sosialhjelp_fem_aar"] = float(sum(p[f"sosialhjelp_kull_{i}"] for i in range(1, 6)))
    r["introstonad_fem_aar"] = float(sum(p[f"introstonad_kull_{i}"] for i in range(1, 6)))
    r["ventestonad_per_person"] = ratio(float(pk["ventestonad"].sum()), float(pk["forstegangsbosatt"].sum()))
    r["helse_per_person"] = helse_per_person(p, year)
    r["kultur_per_person"] = carried_amount(p, "kultur", year)
    r["median_sum_per_person"] = median_of_totals(pk)
    r["utgift_per_person_fem_aar"] = (r["adm_utgift_fem_aar"] + r["introstonad_fem_aar"] + r["sosialhjelp_fem_aar"]
                                      + r["ventestonad_per_person"] + r["helse_per_person"])
    r["tilskudd_per_person_fem_aar"] = grant_per_person(p)
    r["dekningsgrad_integreringstilskudd"] = ratio(r["tilskudd_per_person_fem_aar"], r["utgift_per_person_fem_aar"])
    return r
