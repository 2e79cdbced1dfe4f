"""Demo answers for the 2024 norskskjema: a complete, plausible form per municipality whose
computed no_deltakere_sum, no_utgift_sum and no_inntekt_sum equal the demo (= vedlegg 8-10).

Expense shares follow chapter 6 of the 2024 report (teacher pay 58.0 %, premises 18.8 %,
administration 18.7 %, materials 2.7 %, other 1.8 %); the rest is constructed (docs/demodata.md).
"""

from __future__ import annotations

from typing import Any

from .balance import unit
from .fill import split

PARTICIPANT_SHARES = {"no_deltakere_rett_plikt": 0.52, "no_deltakere_rett": 0.12, "no_deltakere_plikt": 0.06,
                      "no_deltakere_uten_rett_plikt": 0.05, "no_deltakere_asylsokere": 0.03,
                      "no_deltakere_kollektiv": 0.22}
EXPENSE_SHARES = {"no_utg_laererlonn": 58.0, "no_utg_administrasjon": 18.7, "no_utg_materiell": 2.7,
                  "no_utg_reisestotte": 0.3, "no_utg_samfunnskunnskap": 0.9, "no_utg_andre": 0.6,
                  "premises": 18.8}
INCOME_SHARES = {"no_innt_per_capita": 62.0, "no_innt_kollektiv": 24.0, "no_innt_resultattilskudd": 1.5,
                 "no_innt_per_capita_flytting": 2.0, "no_innt_andre_kommuner": 1.0,
                 "no_innt_deltakerbetaling": 2.5, "no_innt_asylsokere": 2.0, "no_innt_andre": 1.0}
GRUNNTILSKUDD = 694_600          # tabell 16: grunntilskudd 4-150 deltakere (2024)


def norsk_values(k: str, row: Any) -> dict[str, Any]:
    """Answers for municipality ``k`` from its demo row (no_timer, no_utgift_sum, no_inntekt_sum, ...)."""
    def u(key: str) -> float:
        return unit("norsk2024", k, key)

    v: dict[str, Any] = {"no_undervist": "ja", "no_kjop_private": "nei", "no_andre_kommuner": "nei"}
    deltakere = int(row["no_deltakere_sum"])
    timer = int(row["no_timer"])
    v.update(split(deltakere, PARTICIPANT_SHARES))
    v["no_timer"] = timer
    groups = max(1, round(timer / (560 * (0.9 + 0.2 * u("grupper")))))   # about 14 h/week x 40 weeks
    for date, share in (("0102", 0.55), ("0104", 0.6), ("0110", 0.58)):
        v[f"no_deltakere_{date}"] = max(1, round(deltakere * (share + 0.1 * u(date))))
        v[f"no_grupper_{date}"] = max(1, min(v[f"no_deltakere_{date}"], round(groups * (0.95 + 0.1 * u("g" + date)))))
    v["no_gruppestorrelse"] = round(v["no_deltakere_0104"] / v["no_grupper_0104"], 1)
    # group table (spm 7): two kinds of groups whose hours add up to spm 3 within 10 %
    g1 = max(1, round(groups * 0.6))
    g2 = max(1, groups - g1)
    for i, (g, share, per_week) in enumerate(((g1, 0.65, 15), (g2, 0.35, 12)), start=1):
        v[f"no_grp_{i}_grupper"] = g
        v[f"no_grp_{i}_deltakere"] = round(v["no_gruppestorrelse"] * (1.1 if i == 1 else 0.8), 1)
        v[f"no_grp_{i}_timer_uke"] = per_week
        v[f"no_grp_{i}_uker"] = round(timer * share / (g * per_week), 1)

    utgift = int(row["no_utgift_sum"])
    parts = split(utgift, EXPENSE_SHARES)
    premises = parts.pop("premises")
    v.update(parts)
    v["no_utg_per_capita_overfort"] = 0
    other_use = round(premises * (0.08 + 0.1 * u("lok_andre")))
    gross = premises + other_use
    v["no_lok_internleie"] = round(gross * (0.3 + 0.4 * u("internleie")))
    v["no_lok_andre"] = round(gross * 0.05)
    v["no_lok_leie"] = gross - v["no_lok_internleie"] - v["no_lok_andre"]
    v["no_lok_andre_aktiviteter"] = other_use
    v["no_lok_internleie_beskrivelse"] = "Internhusleie for Læringssenteret etter kommunens husleiemodell."
    v["no_lok_andre_aktiviteter_beskrivelse"] = "Andel av lokalene brukt av introduksjonsprogram og FOV."
    v["no_snittlonn"] = 1000 * round(640 + 80 * u("snittlonn"))
    v["no_aarsverk"] = round(v["no_utg_laererlonn"] / (v["no_snittlonn"] * (1.25 + 0.1 * u("aarsverk"))), 1)

    inntekt = int(row["no_inntekt_sum"])
    v["no_innt_grunntilskudd"] = GRUNNTILSKUDD if inntekt > 10 * GRUNNTILSKUDD else 233_000
    v.update(split(inntekt - v["no_innt_grunntilskudd"], INCOME_SHARES))
    v["no_utg_kommentar"] = "Lærerlønn inkluderer sosiale utgifter og vikarer."
    return v
