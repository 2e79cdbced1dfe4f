"""Demo answers for the 2024 administrasjonsskjema: a complete, plausible form per municipality
whose computed calculation fields (docs/arkitektur.md) equal the demo data (data/adm.csv).

Amounts are put into the definition's accounting tables through their structure (accounts.py):
the cells that raise a computed field are expenses, those that lower it incomes; one cell is solved
exactly. Totals for the whole municipality follow from the definition's herav checks (total =
target-group amount / a constructed share). Methods A/B/C vary by municipality.
"""

from __future__ import annotations

import re
from typing import Any

from ..definition.model import Form
from .accounts import column, fill_net, solve
from .balance import allocate, unit

METHOD_A, METHOD_B, METHOD_C = ("A – faktiske regnskapstall", "B – andel av årsverk",
                                "C – andel av klienter (vektet)")
HERAV_RE = re.compile(r"^\s*([a-z0-9_]+)\s*<=\s*([a-z0-9_]+)\s*$")
# direct inputs in the demo data (set as they are)
DIRECT = ("mg_antall_0101", "mg_antall_3112", "mg_forstegangsbosatt", "mg_innflyttet", "mg_utflyttet",
          "kvp_deltakere_mg", "bolig_eid_antall_mg", "bolig_eid_markedsverdi_mg", "em_antall",
          "em_sarskilt_tilskudd", "em_vedtak_bosette", "skole_elever_mg", "bhg_barn_forstegang")
EM_WEIGHTS = {"barnevern": ("bv_utgift_mg", 0.45), "bolig": ("bolig", 0.2), "sosial": ("sos_utgift_mg", 0.1),
              "intro": ("intro_utgift_mg", 0.08), "skole": ("skole_utgift_mg", 0.08),
              "felles": ("felles_utgift_mg", 0.04), "fov": ("fov_utgift_mg", 0.03),
              "syss": ("syss_utgift_mg", 0.01), "pleie": ("pleie_utgift_mg", 0.01),
              "barnehage": ("bhg_utgift_mg", 0.0)}
TEXTS = {
    "framskaffet": "Regnskapstall fra økonomisystemet; målgruppen er skilt ut med egen prosjektkode.",
    "grunnlag": "Andelen er beregnet ut fra fagsystemets oversikt over brukere og årsverk per 31.12.",
    "kvp_funksjoner": "Funksjon 276, NAV-kontoret.",
    "kvp_grunnlag": "Målgruppens del er hentet fra NAVs fagsystem (deltakere i målgruppen).",
    "org_mottak_type": "Ordinært mottak, privat driftsform.",
    "felles_pensjon_funksjon": "Funksjon 180 (diverse fellesutgifter)",
    "felles_pensjon_grunnlag": "Målgruppens andel av lønnsutgiftene i del 3-14.",
}


def _u(k: str, key: str) -> float:
    return unit("adm2024", k, key)


def _method(k: str, area: str) -> str:
    x = _u(k, "metode_" + area)
    return METHOD_A if x < 0.7 else METHOD_B if x < 0.9 else METHOD_C


def _with_method(form: Form, v: dict[str, Any], k: str, prefix: str, table_id: str, target_field: str,
                 target: float) -> None:
    """An area with framgangsmåte A/B/C and an accounting table with columns samlet/mg."""
    method = _method(k, prefix)
    v[f"{prefix}_metode"] = method
    if method == METHOD_A:
        fill_net(form, v, target_field, target, list(column(form, table_id, "mg").values()))
        v[f"{prefix}_framskaffet"] = TEXTS["framskaffet"]
    else:
        if method == METHOD_B:          # share 1/4: 2.5 of 10 årsverk
            v[f"{prefix}_arsverk_tot"], v[f"{prefix}_arsverk_mg"] = 10.0, 2.5
        else:                           # share 1/4: 20 of 110 clients with weight 1.5
            v[f"{prefix}_klienter_tot"], v[f"{prefix}_klienter_mg"], v[f"{prefix}_vekt"] = 110, 20, 1.5
        fill_net(form, v, target_field, target, list(column(form, table_id, "samlet").values()))
        v[f"{prefix}_grunnlag"] = TEXTS["grunnlag"]


def _counts(v: dict[str, Any], k: str, r: Any) -> None:
    n = r["mg_antall_3112"]
    v["mg_vedtak_bosette"] = round(r["mg_forstegangsbosatt"] * (1.0 + 0.1 * _u(k, "vedtak")))
    v["sos_mottakere_mg"] = round(n * (0.25 + 0.1 * _u(k, "sos_mott")))
    v["intro_deltakere_aar"] = round(n * (0.35 + 0.1 * _u(k, "intro_delt")))
    v["intro_deltakere_kollektiv"] = round(v["intro_deltakere_aar"] * 0.3)
    v["intro_stonad_0101"] = round(v["intro_deltakere_aar"] * 0.7)
    v["intro_stonad_3112"] = round(v["intro_deltakere_aar"] * 0.75)
    v["intro_ventetid"] = round(1 + 1.5 * _u(k, "ventetid"), 1)
    v["fov_elever_mg"] = round(n * (0.05 + 0.05 * _u(k, "fov_elever")))
    v["kvp_per_0101_mg"] = max(0, round(r["kvp_deltakere_mg"] * 0.6))
    v["kvp_per_3112_mg"] = max(0, round(r["kvp_deltakere_mg"] * 0.7))
    v["bolig_eid_antall_0101_mg"] = max(1, round(r["bolig_eid_antall_mg"] * 0.95))
    value = int(r["bolig_eid_markedsverdi_mg"])
    v["bolig_eid_markedsverdi_0101_mg"] = int(round(value * 0.97, -3))
    v["bolig_eid_markedsverdi_tot"] = int(round(value * (0.9 + 0.2 * _u(k, "verdi_tot")), -3))
    v["bolig_eid_markedsverdi_0101_tot"] = int(round(v["bolig_eid_markedsverdi_tot"] * 0.97, -3))
    v["bolig_leid_antall_mg"] = max(1, round(n * 0.04))
    v["skole_innforing_elever_mg"] = round(r["skole_elever_mg"] * 0.3)
    v["bhg_barn_0_5_mg"] = round(n * 0.08)
    v["bhg_plass_mg"] = round(v["bhg_barn_0_5_mg"] * 0.8)
    v["bv_barn_mg_familien"] = max(1, round(n * 0.02))
    v["bv_barn_mg_utenfor"] = max(1, round(n * 0.008)) + round(r["em_antall"] * 0.2)
    v["bv_barn_em_familien"] = 0
    v["bv_barn_em_utenfor"] = round(r["em_antall"] * 0.2)


def _em(form: Form, v: dict[str, Any], k: str, r: Any, areas: dict[str, float]) -> None:
    a = int(r["em_antall"])
    if a <= 0:
        return
    nei = r["em_vedtak_bosette"] == "nei"
    v["em_folgeperson"] = a if nei else round(a * 0.1)
    v["em_alder_0_16"] = round(a * 0.35)
    split = allocate(a, [0.0, 0.0, 0.0, 0.0, 1.0, 0.0] if nei else [0.15, 0.05, 0.45, 0.25, 0.1, 0.0])
    for key, n in zip(("fosterhjem", "institusjon", "bofellesskap", "hybel", "slekt", "annet"), split, strict=False):
        v[f"em_bo_{key}"] = int(n)
    if nei:   # 10.4 is asked only with a decision to settle EM (10.1b); the EM sub-sample needs no more
        return
    # EM expenses per area, each at most 90 % of the area (water-filling of em_utgift_sum)
    rest, caps, out = int(r["em_utgift_sum"]), {}, {}
    for key, (src, _) in EM_WEIGHTS.items():
        caps[key] = max(0, int(0.9 * areas[src]))
        out[key] = 0
    active = [key for key, (_, w) in EM_WEIGHTS.items() if w > 0]
    while rest > 0 and active:
        share = allocate(rest, [EM_WEIGHTS[key][1] for key in active])
        rest = 0
        for key, s in zip(active, share, strict=False):
            take = min(int(s), caps[key] - out[key])
            out[key] += take
            rest += int(s) - take
        active = [key for key in active if out[key] < caps[key]]
    if rest:
        raise ValueError(f"{k}: EM-utgiftene får ikke plass i områdene")
    cells = column(form, "em_utgift")
    for key, amount in out.items():
        v[cells[key]] = amount


def _herav_totals(form: Form, v: dict[str, Any], k: str) -> None:
    """For every 'part <= total' check between two inputs: total = part / share (rounded up)."""
    for check in form.checks:
        m = HERAV_RE.match(check.assert_)
        if not m:
            continue
        part, total = m.groups()
        fp, ft = form.fields.get(part), form.fields.get(total)
        if not (fp and ft and fp.is_input and ft.is_input) or v.get(part) in (None, "") or v.get(total) not in (None, ""):
            continue
        share = 0.2 + 0.5 * _u(k, "andel_" + total.split("_")[0])
        amount = v[part]
        v[total] = amount if amount <= 0 else (int(-(-amount // share)) if isinstance(amount, int) else round(amount / share, 1))


def adm_values(form: Form, k: str, navn: str, r: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(inputs, targets) for municipality ``k`` from its demo row ``r``."""
    v: dict[str, Any] = {fid: (r[fid] if isinstance(r[fid], str) else int(r[fid])) for fid in DIRECT}
    targets = {fid: r[fid] for fid in r.index if fid in form.fields}
    _counts(v, k, r)
    v["org_mottak_har"] = "ja" if _u(k, "mottak") < 0.3 else "nei"
    for key, text in (("sosial", "NAV-kontoret"), ("intro", "Flyktningtjenesten"), ("bolig", "Boligkontoret"),
                      ("barnevern", "Barneverntjenesten"), ("opplaering", "Læringssenteret")):
        v[f"org_{key}_ansvar"] = text

    # 3 sosial rådgivning, 3.6 ventestønad
    _with_method(form, v, k, "sos", "sos_242", "sos_utgift_mg", r["sos_utgift_mg"])
    v["sos_vent_har"] = "ja" if r["sos_ventestonad_mg"] > 0 else "nei"
    if r["sos_ventestonad_mg"] > 0:
        fill_net(form, v, "sos_ventestonad_mg", r["sos_ventestonad_mg"],
                 list(column(form, "sos_vent", "belop").values())[:2], lead=0.75)
        v["sos_vent_livsopphold_funksjon"], v["sos_vent_etablering_funksjon"] = "281", "283"
    # 4 introduksjonsprogram: 4.4 other functions, then 4.3 (function 275) solved
    annet = column(form, "intro_andre_funk", "utgift")
    first = next(iter(annet))
    v[annet[first]] = round(r["intro_utgift_mg"] * (0.04 + 0.04 * _u(k, "intro_annet")))
    v[f"intro_annet_{first}_beskrivelse"] = "Studietid og foreldreveiledning i introduksjonsprogrammet"
    v[f"intro_annet_{first}_funksjon"] = "213"
    fill_net(form, v, "intro_utgift_mg", r["intro_utgift_mg"], list(column(form, "intro_275").values()))
    v["intro_stonad"] = v["intro_deltakere_aar"] * round(150_000 + 60_000 * _u(k, "stonad"))
    # 5 FOV
    v["fov_har"] = "ja" if r["fov_utgift_mg"] else "nei"
    if r["fov_utgift_mg"]:
        _with_method(form, v, k, "fov", "fov_213", "fov_utgift_mg", r["fov_utgift_mg"])
    # 6 KVP
    v["kvp_har"] = "ja" if r["kvp_utgift_mg"] or r["kvp_deltakere_mg"] else "nei"
    if v["kvp_har"] == "ja":
        v["kvp_funksjoner"], v["kvp_grunnlag"] = TEXTS["kvp_funksjoner"], TEXTS["kvp_grunnlag"]
        fill_net(form, v, "kvp_utgift_mg", r["kvp_utgift_mg"], list(column(form, "kvp_276", "mg").values()))
        v["kvp_stonad_mg"] = int(r["kvp_deltakere_mg"]) * round(180_000 + 40_000 * _u(k, "kvp_stonad"))
    # 7 sysselsetting: two measures, each solved on its own net
    v["syss_har"] = "ja" if r["syss_utgift_mg"] else "nei"
    if r["syss_utgift_mg"]:
        parts = allocate(int(r["syss_utgift_mg"]), [0.7, 0.3])
        for i, (amount, text) in enumerate(zip(parts, ("Arbeidstrening i kommunal regi", "Språkpraksis"), strict=False), start=1):
            fill_net(form, v, f"syss_t{i}_netto_mg", int(amount), [f"syss_t{i}_brutto_mg", f"syss_t{i}_inntekt_mg"])
            share = 0.25 + 0.5 * _u(k, f"syss{i}")
            v[f"syss_t{i}_brutto"] = int(-(-v[f"syss_t{i}_brutto_mg"] // share))
            v[f"syss_t{i}_inntekt"] = int(v[f"syss_t{i}_inntekt_mg"] / share)
            v[f"syss_t{i}_andel"] = round(100 * share)
            v[f"syss_t{i}_beskrivelse"], v[f"syss_t{i}_funksjon"] = text, "273"
        solve(form, v, "syss_t2_brutto_mg", "syss_utgift_mg", r["syss_utgift_mg"])
    # 8.1 owned dwellings, 8.2 rented, 8.3 administration
    v["bolig_eid_har"] = "ja" if r["bolig_eid_antall_mg"] else "nei"
    if v["bolig_eid_har"] == "ja":
        rent = int(r["bolig_eid_antall_mg"]) * round(110_000 + 40_000 * _u(k, "husleie"))
        v["bolig_drift_leie"] = rent
        v["bolig_drift_andre_innt"] = 0
        fill_net(form, v, "bolig_eid_netto_mg", r["bolig_eid_netto_mg"],
                 [c for key, c in column(form, "bolig_eid_drift").items()
                  if key not in ("leie", "andre_innt")] if r["bolig_eid_netto_mg"] + rent > 0 else [])
    v["bolig_leid_har"] = "ja" if r["bolig_leid_netto_mg"] else "nei"
    if r["bolig_leid_netto_mg"]:
        fill_net(form, v, "bolig_leid_netto_mg", r["bolig_leid_netto_mg"],
                 list(column(form, "bolig_leid_drift").values()), income_ratio=1.5)
    _with_method(form, v, k, "bolig_adm", "bolig_adm_265", "bolig_adm_utgift_mg", r["bolig_adm_utgift_mg"])
    # 9 pleie og omsorg
    v["pleie_har"] = "ja" if r["pleie_utgift_mg"] else "nei"
    if r["pleie_utgift_mg"]:
        v["pleie_t1_beskrivelse"], v["pleie_t1_funksjon"] = "Støttekontakt og praktisk bistand i hjemmet", "234"
        fill_net(form, v, "pleie_utgift_mg", r["pleie_utgift_mg"], ["pleie_t1_brutto", "pleie_t1_inntekt"])
    # 11 barnevern: 244 administration, 251 and 252 measures
    bv = allocate(int(r["bv_utgift_mg"]), [0.15, 0.25, 0.6])
    _with_method(form, v, k, "bv_adm", "bv_244", "bv_adm_utgift_mg", int(bv[0]))
    for fn, amount in (("251", int(bv[1])), ("252", int(bv[2]))):
        v[f"bv_{fn}_metode"] = METHOD_A
        fill_net(form, v, f"bv_{fn}_utgift_mg", amount,
                 [c for key, c in column(form, "bv_251_252", f"mg_{fn}").items() if key in ("lonn", "andre", "inntekt")],
                 income_ratio=0.3)
        v[f"bv_tiltak_refusjon_mg_{fn}"] = round(v[f"bv_tiltak_inntekt_mg_{fn}"] * 0.6)
    v["bv_tiltak_framskaffet"] = TEXTS["framskaffet"]
    # 12 skole: innføringsklasser + one other measure
    v["skole_har"] = "ja" if r["skole_utgift_mg"] else "nei"
    if r["skole_utgift_mg"]:
        v["skole_andre_t1_beskrivelse"] = "Tospråklig fagopplæring og leksehjelp"
        v["skole_andre_t1_utgift"] = round(r["skole_utgift_mg"] * 0.35)
        solve(form, v, "skole_innforing_utgift_mg", "skole_utgift_mg", r["skole_utgift_mg"])
    # 14 barnehage
    _with_method(form, v, k, "bhg", "bhg_211", "bhg_utgift_mg", r["bhg_utgift_mg"])
    # 15 felleskostnader: two posts, pension booked centrally in some municipalities
    pension = _u(k, "pensjon") < 0.5
    v["felles_pensjon_sentralt"] = "ja" if pension else "nei"
    posts = column(form, "felles_poster", "mg")
    keys = list(posts)[:2]
    for key, text in zip(keys, ("IKT og fellestjenester", "Personal- og økonomiforvaltning"), strict=False):
        v[f"felles_{key}_spesifikasjon"], v[f"felles_{key}_faktor"] = text, "Andel av årsverk"
    v[posts[keys[1]]] = round(r["felles_utgift_mg"] * 0.3)
    totals = column(form, "felles_poster", "samlet")
    if pension:
        v["felles_pensjon_mg"] = round(r["felles_utgift_mg"] * 0.2)
        v["felles_pensjon_funksjon"] = TEXTS["felles_pensjon_funksjon"]
        v["felles_pensjon_grunnlag"] = TEXTS["felles_pensjon_grunnlag"]
    solve(form, v, posts[keys[0]], "felles_utgift_mg", r["felles_utgift_mg"])
    for key in keys:
        v[totals[key]] = round(v[posts[key]] / (0.02 + 0.03 * _u(k, "felles_" + key)))
    # 10 EM (needs the areas above)
    areas = {src: float(r[src]) for src, _ in EM_WEIGHTS.values() if src in r.index}
    areas["bolig"] = float(r["bolig_eid_netto_mg"] + r["bolig_leid_netto_mg"] + r["bolig_adm_utgift_mg"])
    _em(form, v, k, r, areas)
    _herav_totals(form, v, k)
    v["skjema_kommentar"] = f"Skjemaet er koordinert av kontaktpersonen i {navn} kommune."
    return v, targets
