"""Enslige mindreårige (EM): the sub-sample (vedtak = ja, not excluded, em_antall > 0), expense and
særskilt tilskudd per EM per year, and the EM coverage over five years (tabell 3-4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from .aggregates import ratio
from .per_kommune import numeric


def em_frame(adm: pd.DataFrame, p: Mapping[str, Any]) -> pd.DataFrame:
    """Per municipality: vedtak, antall, utgift, særskilt tilskudd, per-EM values and ``i_utvalg``."""
    x = numeric(adm, ("em_antall", "em_utgift_sum", "em_sarskilt_tilskudd"))
    vedtak = adm["em_vedtak_bosette"] if "em_vedtak_bosette" in adm.columns else pd.Series(None, index=adm.index)
    vedtak = vedtak.astype("string").str.strip().str.lower()
    excluded = {str(k) for k in p["em_ekskludert"]}
    frame = pd.DataFrame(index=adm.index)
    frame["em_vedtak_bosette"] = vedtak
    frame["em_antall"] = x["em_antall"]
    frame["em_utgift_sum"] = x["em_utgift_sum"]
    frame["em_sarskilt_tilskudd"] = x["em_sarskilt_tilskudd"]
    frame["ekskludert"] = [str(k) in excluded for k in adm.index]
    frame["i_utvalg"] = (vedtak == "ja").fillna(False).astype(bool) & ~frame["ekskludert"] & (frame["em_antall"] > 0)
    antall = frame["em_antall"].where(frame["em_antall"] > 0)
    frame["utgift_per_em"] = frame["em_utgift_sum"] / antall
    frame["sarskilt_per_em"] = frame["em_sarskilt_tilskudd"] / antall
    return frame


def em_results(em: pd.DataFrame, p: Mapping[str, Any], common: Mapping[str, float]) -> dict[str, float]:
    """``common`` carries ventestonad_per_person and helse_per_person from the adm results."""
    sub = em[em["i_utvalg"]]
    years = p["aar_i_tilskuddsperioden"]
    antall = float(sub["em_antall"].sum())
    r: dict[str, float] = {"antall_em_sum": antall}
    r["adm_utgift_per_em_aar"] = ratio(float(sub["em_utgift_sum"].sum()), antall)
    r["sarskilt_per_em_aar"] = ratio(float(sub["em_sarskilt_tilskudd"].sum()), antall)
    r["utgift_per_em_fem_aar"] = (r["adm_utgift_per_em_aar"] * years + p["em_introstonad_fem_aar"]
                                  + p["em_sosialhjelp_fem_aar"] + common["ventestonad_per_person"]
                                  + common["helse_per_person"])
    integrering = (p["tilskudd_ar1_em"] + p["tilskudd_ar2"] + p["tilskudd_ar3"] + p["tilskudd_ar4"]
                   + p["tilskudd_ar5"])
    r["tilskudd_per_em_fem_aar"] = integrering + r["sarskilt_per_em_aar"] * years
    r["dekningsgrad_em"] = ratio(r["tilskudd_per_em_fem_aar"], r["utgift_per_em_fem_aar"])
    r["dekningsgrad_em_integreringstilskudd"] = ratio(integrering, r["utgift_per_em_fem_aar"])
    r["dekningsgrad_em_sarskilt"] = ratio(r["sarskilt_per_em_aar"] * years, r["utgift_per_em_fem_aar"])
    return r
