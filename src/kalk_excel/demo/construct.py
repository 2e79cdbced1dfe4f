"""Build the 2024 demo data deterministically from the report's published numbers (report_2024)
and the year's parameters; ``python -m kalk_excel.demo.construct`` rewrites data/*.csv.

What is taken from the report and what is constructed (and how) is documented in docs/demodata.md.
Every pseudo-random choice comes from ``balance.unit`` (a hash of the kommunenummer and a key).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..model.parameters import load_parameters
from ..model.per_kommune import carried_amount
from ..paths import demo_data_dir
from . import report_2024 as rep
from .balance import allocate, ras, round_rows, unit

DATA_DIR = demo_data_dir()
FREE_AREAS = ("sosial", "intro", "fov", "syss", "bolig", "pleie", "barnevern", "skole", "barnehage", "felles")
SPREAD = {"syss": 2.2, "bolig": 0.9, "barnevern": 0.7, "intro": 0.5, "felles": 0.5}  # log-spread of the seed
EM_NEI = {"3118": 6, "4631": 5, "4650": 2, "5028": 3}   # vedtak = nei; EM settled with a following person
EM_OSLO = 170                                             # Oslo: vedtak = ja, but excluded (em_ekskludert)
VALUE_LEVEL = {"0301": 5200, "3201": 6100, "3203": 5600, "1103": 4300, "4601": 4200, "5001": 4300,
               "3205": 4400, "4204": 3700}               # typical market value per dwelling, thousand kr


def _u(k: str, key: str) -> float:
    return unit("demo2024", k, key)


def counts(k: str, n: float, forst: int) -> dict[str, int]:
    """Integers for part 1 giving the printed N_k (movers count half) with Avvik = 0."""
    inn = max(1, round(n * (0.03 + 0.03 * _u(k, "inn"))))
    ut = max(1, round(n * (0.02 + 0.02 * _u(k, "ut"))))
    if (inn - ut) % 2 != round(2 * (n % 1)):
        ut += 1
    n3112 = int(round(n + (inn - ut) / 2))
    n0101 = n3112 - forst - inn + ut
    if n0101 < 0:
        raise ValueError(f"{k}: negativt antall 1.1")
    return {"mg_antall_0101": n0101, "mg_antall_3112": n3112, "mg_forstegangsbosatt": forst,
            "mg_innflyttet": inn, "mg_utflyttet": ut, "mg_avvik": 0}


def size(n: pd.Series | np.ndarray, beta: float) -> np.ndarray:
    """Per-person size profile (N_k / median N)^beta: beta > 0 puts more per person in large municipalities."""
    n = np.asarray(n, dtype=float)
    return (n / np.median(n)) ** beta


def em_fields(kommuner: list[str], n: pd.Series, total_people: float, gamma: float = 0.0) -> pd.DataFrame:
    """em_vedtak_bosette, em_antall, em_sarskilt_tilskudd, em_utgift_sum per municipality.

    ``gamma`` is the size elasticity of EM per person in the sub-sample (fitted to vedlegg 5's median)."""
    sub = [k for k in kommuner if k != "0301" and k not in EM_NEI]
    out = pd.DataFrame(index=kommuner, columns=["em_vedtak_bosette", "em_antall", "em_sarskilt_tilskudd",
                                                  "em_utgift_sum"], dtype=object)
    prof = size(n[sub].to_numpy(), gamma)
    antall = allocate(rep.EM_I_BEREGNINGEN, np.array([n[k] * p * (0.5 + _u(k, "em")) for k, p in zip(sub, prof, strict=False)]))
    sarskilt = allocate(rep.EM_SARSKILT_FEM_AAR // 5 * rep.EM_I_BEREGNINGEN,
                        antall * np.array([0.85 + 0.3 * _u(k, "sarskilt") for k in sub]))
    utgift = allocate(rep.EM_UTGIFT_PER_AAR * rep.EM_I_BEREGNINGEN,
                      antall * np.array([0.8 + 0.4 * _u(k, "em_utgift") for k in sub]))
    for i, k in enumerate(sub):
        out.loc[k] = ["ja", int(antall[i]), int(sarskilt[i]), int(utgift[i])]
    for k, a in EM_NEI.items():
        out.loc[k] = ["nei", a, int(a * round(450_000 * (0.8 + 0.4 * _u(k, "sarskilt")))),
                      int(a * round(350_000 * (0.8 + 0.4 * _u(k, "em_utgift"))))]
    # Oslo takes the rest of særskilt tilskudd so that vedlegg 5's -22 580 per person holds overall
    sarskilt_all = round(-rep.VEDLEGG_5["sarskilt_em"][0] * total_people)
    rest = sarskilt_all - int(out["em_sarskilt_tilskudd"].drop("0301").sum())
    out.loc["0301"] = ["ja", EM_OSLO, rest, EM_OSLO * 820_000]
    return out


def area_matrix(frame: pd.DataFrame, betas: dict[str, float] | None = None, integer: bool = True) -> pd.DataFrame:
    """Split each municipality's expenses over the ten free areas (RAS against both margins).

    ``betas``: size elasticity per area of the seed (fitted so that medians approach vedlegg 5)."""
    betas = betas or {}
    n = frame["N"].to_numpy()
    rows = (frame["total"] - frame["kultur"] + frame["em_sarskilt_tilskudd"]).to_numpy()
    cols = np.array([rep.VEDLEGG_5[a][0] for a in FREE_AREAS], dtype=float) * n.sum()
    cols += (rows.sum() - cols.sum()) * cols / cols.sum()
    seed = np.empty((len(frame), len(FREE_AREAS)))
    for i, k in enumerate(frame.index):
        level = frame.loc[k, "total"] / frame.loc[k, "N"] / 90_067
        for j, a in enumerate(FREE_AREAS):
            spread = SPREAD.get(a, 0.35)
            seed[i, j] = (n[i] * rep.VEDLEGG_5[a][1] * level * np.exp(spread * (2 * _u(k, a) - 1))
                          * size(n, betas.get(a, 0.0))[i])
        em = frame.loc[k, "em_utgift_sum"]
        seed[i, FREE_AREAS.index("barnevern")] += 0.55 * em
        seed[i, FREE_AREAS.index("bolig")] += 0.30 * em
    balanced = ras(seed, rows, cols)
    if not integer:
        return pd.DataFrame(balanced, index=frame.index, columns=list(FREE_AREAS))
    frac = rows - np.floor(rows)                 # 0.5 where N_k (and so kultur) has a half person
    ints = round_rows(balanced, np.floor(rows))
    out = pd.DataFrame(ints.astype(float), index=frame.index, columns=list(FREE_AREAS))
    out["bolig"] += frac
    return out


def _bisect(f: Callable[[float], float], lo: float, hi: float, steps: int = 30) -> float:
    """Root of a decreasing function f on [lo, hi] (the nearer end if there is none)."""
    f_lo, f_hi = f(lo), f(hi)
    if f_lo <= 0:
        return lo
    if f_hi >= 0:
        return hi
    for _ in range(steps):
        mid = (lo + hi) / 2
        if f(mid) > 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def fit_em_gamma(kommuner: list[str], n: pd.Series) -> float:
    """Size elasticity of EM per person so that the median of særskilt tilskudd per person ≈ vedlegg 5."""
    target = -rep.VEDLEGG_5["sarskilt_em"][1]

    def excess(gamma: float) -> float:
        em = em_fields(kommuner, n, n.sum(), gamma)
        return float(np.median(em["em_sarskilt_tilskudd"].astype(float) / n)) - target
    return round(_bisect(excess, -1.0, 2.0), 4)


def fit_betas(frame: pd.DataFrame, rounds: int = 3) -> dict[str, float]:
    """Size elasticity per area so that each area's median per person ≈ vedlegg 5 (coordinate search)."""
    betas = {a: 0.0 for a in FREE_AREAS}
    for _ in range(rounds):
        for a in FREE_AREAS:
            def excess(beta: float, a: str = a) -> float:
                m = area_matrix(frame, {**betas, a: beta}, integer=False)
                return float((m[a] / frame["N"]).median()) - rep.VEDLEGG_5[a][1]
            betas[a] = round(_bisect(excess, -2.0, 2.0), 4)
    return betas


def bolig_fields(k: str, b: float) -> dict[str, int]:
    """Owned dwellings, market value and the three net amounts giving bolig area ``b`` exactly.

    Capital cost = antall x verdi x 0.0685; with verdi in whole thousands its fraction is .5 exactly
    when antall x verdi/1000 is odd — used to carry kultur's half krone (N_k = x.5).
    """
    p = load_parameters(2024)
    rate = p["swaprente_5aar"] + p["risikotillegg"] + p["kapitalslit"]
    rate_2000 = round(rate * 2000)               # 0.0685 = 137 / 2000
    vk = VALUE_LEVEL.get(k, round(2400 + 1400 * _u(k, "verdi")))
    antall = max(1, int(0.45 * b / (vk * 1000 * rate)))
    need_odd = round(2 * (b % 1)) == 1
    if need_odd:
        vk += 1 - vk % 2
        if antall % 2 == 0:
            antall = antall - 1 if antall > 1 else 1
    else:
        vk += vk % 2
    cap2 = antall * vk * rate_2000               # 2 x capital cost, an integer
    adm = round(b * (0.08 + 0.08 * _u(k, "bolig_adm")))
    leid = round(b * (0.2 + 0.2 * _u(k, "bolig_leid")))
    eid2 = round(2 * b) - cap2 - 2 * (adm + leid)
    assert eid2 % 2 == 0
    return {"bolig_eid_antall_mg": antall, "bolig_eid_markedsverdi_mg": vk * 1000,
            "bolig_eid_netto_mg": eid2 // 2, "bolig_leid_netto_mg": leid, "bolig_adm_utgift_mg": adm}


def build_adm() -> pd.DataFrame:
    p = load_parameters(2024)
    kommuner = [r[0] for r in rep.VEDLEGG_2]
    frame = pd.DataFrame([(r[2], r[3]) for r in rep.VEDLEGG_2], index=kommuner, columns=["N", "total"])
    n = frame["N"]
    forst = allocate(rep.FORSTEGANGSBOSATTE_UTVALG, np.array([n[k] * (0.7 + 0.6 * _u(k, "forst")) for k in kommuner]))
    rows = {k: counts(k, n[k], int(forst[i])) for i, k in enumerate(kommuner)}
    em = em_fields(kommuner, n, n.sum(), fit_em_gamma(kommuner, n))
    frame = frame.join(em)
    frame["kultur"] = carried_amount(p, "kultur", 2024) * n
    areas = area_matrix(frame, fit_betas(frame))
    vent = allocate(rep.VENTESTONAD_PER_PERSON * rep.FORSTEGANGSBOSATTE_UTVALG,
                    forst * np.array([0.7 + 0.6 * _u(k, "vent") for k in kommuner]))
    for i, k in enumerate(kommuner):
        r = rows[k]
        a = areas.loc[k]
        kvp_n = max(1, round(n[k] * (0.004 + 0.008 * _u(k, "kvp_n"))))
        elever = round(n[k] * (0.12 + 0.08 * _u(k, "elever")))
        barn = round(r["mg_forstegangsbosatt"] * (0.04 + 0.04 * _u(k, "barn")))
        r.update({
            "sos_utgift_mg": int(a["sosial"]), "sos_ventestonad_mg": int(vent[i]),
            "intro_utgift_mg": int(a["intro"]), "fov_utgift_mg": int(a["fov"]),
            "kvp_utgift_mg": round(kvp_n * p["kvp_rammefinansiering_per_deltaker"] * (0.3 + 0.5 * _u(k, "kvp"))),
            "kvp_deltakere_mg": kvp_n, "syss_utgift_mg": int(a["syss"]),
            **bolig_fields(k, float(a["bolig"])),
            "pleie_utgift_mg": int(a["pleie"]),
            "em_antall": int(em.loc[k, "em_antall"]), "em_sarskilt_tilskudd": int(em.loc[k, "em_sarskilt_tilskudd"]),
            "em_vedtak_bosette": em.loc[k, "em_vedtak_bosette"],
            # 10.4 is asked only with a decision to settle EM (the seed above still uses the constructed sum)
            "em_utgift_sum": int(em.loc[k, "em_utgift_sum"]) if em.loc[k, "em_vedtak_bosette"] == "ja" else 0,
            "bv_utgift_mg": int(a["barnevern"]),
            "skole_utgift_mg": int(a["skole"] + elever * p["skole_rammefinansiering_per_elev"]),
            "skole_elever_mg": elever,
            "bhg_utgift_mg": int(a["barnehage"] + barn * p["barnehagetilskudd"]),
            "bhg_barn_forstegang": barn, "felles_utgift_mg": int(a["felles"]),
        })
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "kommunenummer"
    return out


REGISTER_SOURCE = "konstruert for demoen (docs/demodata.md)"


def build_registerdata(adm: pd.DataFrame) -> pd.DataFrame:
    """Plausible register figures per municipality (not printed in the report; docs/demodata.md).

    Kvalifiseringsstønad: 5-20 % of the participants' framework funding, so that KVP expense +
    stønad stays below the deduction (the demo's KVP expense is at most 80 % of it) and every
    municipality's KVP area stays 0 as vedlegg 5 prints. Funksjon 281: the non-client ventestønad
    and etablering of the target group (part 3.6) plus 10-40 % for other non-client expenses."""
    p = load_parameters(2024)
    rate = p["kvp_rammefinansiering_per_deltaker"]
    rows = {}
    for k, r in adm.iterrows():
        kvp_n = int(r["kvp_deltakere_mg"])
        rows[k] = {"kvalifiseringsstonad": round(kvp_n * rate * (0.05 + 0.15 * _u(k, "kvp_stonad"))),
                   "ikke_klientfort_281": round(int(r["sos_ventestonad_mg"]) * (1.1 + 0.3 * _u(k, "f281"))),
                   "kilde": REGISTER_SOURCE}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "kommunenummer"
    return out


def build_norsk() -> pd.DataFrame:
    rows = {k: {"no_undervist": "ja", "no_deltakere_sum": d, "no_timer": t, "no_utgift_sum": u, "no_inntekt_sum": i}
            for k, u, i, t, d in rep.VEDLEGG_8_10}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "kommunenummer"
    return out


def build_kommuner() -> pd.DataFrame:
    norsk = {r[0] for r in rep.VEDLEGG_8_10}
    out = pd.DataFrame([{"kommunenummer": k, "kommunenavn": navn, "adm": "ja", "norsk": "ja" if k in norsk else "nei"}
                        for k, navn, _, _ in rep.VEDLEGG_2])
    return out.set_index("kommunenummer")


def main() -> None:
    DATA_DIR.mkdir(exist_ok=True)
    build_kommuner().to_csv(DATA_DIR / "kommuner.csv", lineterminator="\n")
    adm = build_adm()
    adm.to_csv(DATA_DIR / "adm.csv", lineterminator="\n")
    build_registerdata(adm).to_csv(DATA_DIR / "registerdata.csv", lineterminator="\n")
    build_norsk().to_csv(DATA_DIR / "norsk.csv", lineterminator="\n")
    print(f"Skrev demodata til {DATA_DIR}")


if __name__ == "__main__":
    main()
