"""Per-municipality part of the adm calculation: corrected count N_k, the 13 expense areas after
the committee's deductions, total_k, snitt_k and ventestønad_k (docs/beregning.md). Register data
(SSB/KOSTRA per municipality, the master's *Registerdata*) enter here: kvalifiseringsstønad goes
into the KVP area before the per-participant deduction (kap. 13)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

# area key -> vedlegg 5 row label, in the annex's order
AREAS: dict[str, str] = {
    "sosial": "Sosial rådgivning og veiledning",
    "intro": "Introduksjonsprogram",
    "fov": "FOV/grunnskoleopplæring for voksne",
    "kvp": "Kvalifiseringsprogram",
    "syss": "Sysselsettingstiltak m.m.",
    "bolig": "Boliger og boligadministrasjon",
    "pleie": "Pleie og omsorg i hjemmet m.m.",
    "barnevern": "Barnevern",
    "skole": "Ekstratiltak i grunnskolen",
    "kultur": "Kultur- og ungdomstiltak",
    "barnehage": "Barnehage",
    "felles": "Felleskostnader",
    "sarskilt_em": "Særskilt tilskudd enslige mindreårige",
}

ADM_NUMERIC_FIELDS = (
    "mg_antall_3112", "mg_innflyttet", "mg_utflyttet", "mg_forstegangsbosatt",
    "sos_utgift_mg", "sos_ventestonad_mg", "intro_utgift_mg", "fov_utgift_mg",
    "kvp_utgift_mg", "kvp_deltakere_mg", "syss_utgift_mg",
    "bolig_eid_netto_mg", "bolig_eid_antall_mg", "bolig_eid_markedsverdi_mg",
    "bolig_leid_netto_mg", "bolig_adm_utgift_mg", "pleie_utgift_mg", "bv_utgift_mg",
    "skole_utgift_mg", "skole_elever_mg", "bhg_utgift_mg", "bhg_barn_forstegang",
    "felles_utgift_mg", "em_sarskilt_tilskudd", "em_antall", "em_utgift_sum",
)


# Register data per municipality (docs/beregning.md, "Register data"): column -> label.
REGISTER_FIELDS: dict[str, str] = {
    "kvalifiseringsstonad": "Utbetalt kvalifiseringsstønad til målgruppen (SSB)",
    "ikke_klientfort_281": "Ikke-klientførte utgifter, funksjon 281 (KOSTRA)",
}


def carried_amount(p: Mapping[str, Any], what: str, year: int) -> float:
    """Helse or kultur per person: the fixed amount ``<what>_fastsatt`` when it is above 0, else last
    year's published amount × (1 + this year's deflator) (docs/beregning.md)."""
    fixed = float(p[f"{what}_fastsatt"])
    if fixed > 0:
        return fixed
    return float(p[f"{what}_fjorar"]) * (1.0 + float(p[f"deflator_{year}"]))


def net_of_deduction(expense: pd.Series, deduction: pd.Series, p: Mapping[str, Any]) -> pd.Series:
    """An area after a deduction of state funding; with ``fradrag_ikke_negativ`` = 1 never below 0."""
    net = expense - deduction
    return net.clip(lower=0.0) if p["fradrag_ikke_negativ"] == 1 else net


def numeric(adm: pd.DataFrame, fields: tuple[str, ...]) -> pd.DataFrame:
    """The numeric calculation fields as floats; a missing column or a blank counts as 0 (as in Excel)."""
    out = pd.DataFrame(index=adm.index)
    for fid in fields:
        col = adm[fid] if fid in adm.columns else pd.Series(0.0, index=adm.index)
        out[fid] = pd.to_numeric(col, errors="coerce").fillna(0.0).astype(float)
    return out


def corrected_count(x: pd.DataFrame, p: Mapping[str, Any]) -> pd.Series:
    share = p["flytter_andel_aar"]
    return x["mg_antall_3112"] - share * x["mg_innflyttet"] + share * x["mg_utflyttet"]


def areas(x: pd.DataFrame, n: pd.Series, p: Mapping[str, Any], year: int) -> pd.DataFrame:
    """One column per area (kroner per year, after deductions), one row per municipality; ``x``
    holds the adm fields and the register fields."""
    kalkylerente = p["swaprente_5aar"] + p["risikotillegg"] + p["kapitalslit"]
    a = pd.DataFrame(index=x.index)
    a["sosial"] = x["sos_utgift_mg"]
    a["intro"] = x["intro_utgift_mg"]
    a["fov"] = x["fov_utgift_mg"]
    a["kvp"] = net_of_deduction(x["kvp_utgift_mg"] + x["kvalifiseringsstonad"],
                                x["kvp_deltakere_mg"] * p["kvp_rammefinansiering_per_deltaker"], p)
    a["syss"] = x["syss_utgift_mg"]
    a["bolig"] = (x["bolig_eid_netto_mg"]
                  + x["bolig_eid_antall_mg"] * x["bolig_eid_markedsverdi_mg"] * kalkylerente
                  + x["bolig_leid_netto_mg"] + x["bolig_adm_utgift_mg"])
    a["pleie"] = x["pleie_utgift_mg"]
    a["barnevern"] = x["bv_utgift_mg"]
    a["skole"] = net_of_deduction(x["skole_utgift_mg"], p["skole_trekk_rammetilskudd"] * x["skole_elever_mg"]
                                  * p["skole_rammefinansiering_per_elev"], p)
    a["kultur"] = carried_amount(p, "kultur", year) * n
    a["barnehage"] = net_of_deduction(x["bhg_utgift_mg"], p["barnehagetilskudd"] * x["bhg_barn_forstegang"], p)
    a["felles"] = x["felles_utgift_mg"]
    a["sarskilt_em"] = -x["em_sarskilt_tilskudd"]
    return a[list(AREAS)]


def register_values(adm: pd.DataFrame, register: pd.DataFrame | None) -> pd.DataFrame:
    """The register fields on the rows of ``adm`` (index kommunenummer); missing = 0 (as in Excel)."""
    reg = register if register is not None else pd.DataFrame(index=pd.Index([], dtype=str))
    reg = reg.copy()
    reg.index = reg.index.astype(str)
    reg = reg[~reg.index.duplicated()].reindex(adm.index)
    return numeric(reg, tuple(REGISTER_FIELDS))


def per_kommune(adm: pd.DataFrame, p: Mapping[str, Any], year: int,
                register: pd.DataFrame | None = None) -> pd.DataFrame:
    """Columns: N, the 13 areas, total, snitt, ventestonad, forstegangsbosatt (index kommunenummer)."""
    x = numeric(adm, ADM_NUMERIC_FIELDS).join(register_values(adm, register))
    n = corrected_count(x, p)
    frame = areas(x, n, p, year)
    frame.insert(0, "N", n)
    frame["total"] = frame[list(AREAS)].sum(axis=1)
    frame["snitt"] = frame["total"] / frame["N"].where(frame["N"] > 0)     # undefined where N <= 0
    frame["ventestonad"] = x["sos_ventestonad_mg"]
    frame["forstegangsbosatt"] = x["mg_forstegangsbosatt"]
    return frame
