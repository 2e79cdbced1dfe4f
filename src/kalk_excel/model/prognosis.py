"""Chapter 9 of the report: the prognosis of expense per person, grant and dekningsgrad for the
survey year and the next three years (tabell 12), with up to three scenarios for social
assistance (docs/beregning.md, «Prognose»). The master's *Prognose* sheet computes the same with
formulas (``kalk_excel.master.sheet_prognose``); tests compare the two.

Year k (1..3) is k years after the survey year; kull j (1..5) in a year is the cohort settled
j - 1 years before it (kull 1 = settled that year), as the survey year's ``sosialhjelp_kull_j``.

- Integreringstiltak og administrasjon (tabell 1, row 1) is split into the measures themselves
  (T, per person per year, before the særskilt-tilskudd deduction) and the deduction S (per
  person per year, the vedlegg 5 row «Særskilt tilskudd enslige mindreårige» with its sign
  turned). T grows with prices and an optional real growth; S is cut by the budget's reduction and
  then price adjusted when the year says so. Row 1 = (T - S) x years in the grant period.
- Introduksjonsstønad and sosialhjelp: the sum over the five cohorts of the amounts per person
  given per year (sosialhjelp per scenario), as tabell 6/7 sum them for the survey year.
- Ventestønad and helse: last year's amount x (1 + price growth).
- Grant: last year's grant x the year's rate factor (1 = nominal continuation).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

YEARS = 3          # prognosis years after the survey year
SCENARIOS = 3      # prognose 1 (main) and two alternatives for social assistance
KULL = 5           # cohorts in the grant period

SCENARIO_NAMES = ("Prognose 1 (hovedanslag)", "Prognose 2 (mindre optimistisk)", "Prognose 3 (mest optimistisk)")

# Tabell 12's rows: (key, Norwegian label)
TABLE12_ROWS = [
    ("adm", "Utgifter til integreringstiltak og administrasjon av disse"),
    ("intro", "Utbetalt introduksjonsstønad"),
    ("sosialhjelp", "Utbetalt sosialhjelp"),
    ("vente", "Utbetalt ventestønad inkl. etablering"),
    ("helse", "Utgifter til helsetjenester"),
    ("utgift", "Gjennomsnittlig utgift per person"),
    ("tilskudd", "Tilskudd"),
    ("dekningsgrad", "Dekningsgrad"),
]
COMPONENTS = ("adm", "intro", "sosialhjelp", "vente", "helse")


def intro_id(k: int, j: int) -> str:
    return f"prognose_intro_aar{k}_kull{j}"


def sosialhjelp_id(s: int, k: int, j: int) -> str:
    return f"prognose_sosialhjelp_p{s}_aar{k}_kull{j}"


def _per_year(stem: str) -> tuple[str, ...]:
    return tuple(f"{stem}_{k}" for k in range(1, YEARS + 1))


PRICE = _per_year("prognose_prisvekst")
REAL = _per_year("prognose_realvekst_tiltak")
CUT = _per_year("prognose_sarskilt_nedjustering")
CUT_PRICED = _per_year("prognose_sarskilt_prisjustert")
RATE_FACTOR = _per_year("prognose_satsfaktor")

PARAMETER_IDS: tuple[str, ...] = (
    *PRICE, *REAL, *CUT, *CUT_PRICED, *RATE_FACTOR,
    *(intro_id(k, j) for k in range(1, YEARS + 1) for j in range(1, KULL + 1)),
    *(sosialhjelp_id(s, k, j) for k in range(1, YEARS + 1) for s in range(1, SCENARIOS + 1)
      for j in range(1, KULL + 1)),
)


@dataclass(frozen=True)
class Base:
    """The survey year's results the prognosis starts from (kroner per person)."""

    tiltak_per_person_aar: float       # T: integreringstiltak per person per year before the deduction
    sarskilt_per_person_aar: float     # S: the særskilt-tilskudd deduction per person per year (positive)
    introstonad_fem_aar: float
    sosialhjelp_fem_aar: float
    ventestonad_per_person: float
    helse_per_person: float
    tilskudd_per_person_fem_aar: float


@dataclass
class Prognosis:
    """Column 0 = the survey year, columns 1..3 = the prognosis years."""

    years: list[int]
    tiltak: list[float]                 # T per person per year
    sarskilt: list[float]               # S per person per year
    rows: dict[str, list[float]]        # adm, intro, vente, helse, tilskudd (common to the scenarios)
    sosialhjelp: list[list[float]]      # [scenario][column]
    utgift: list[list[float]] = field(default_factory=list)          # [scenario][column]
    dekningsgrad: list[list[float]] = field(default_factory=list)    # [scenario][column]

    def table12(self, scenario: int = 1) -> dict[str, list[float]]:
        """Tabell 12 for one scenario (1-based): row key -> four columns."""
        s = scenario - 1
        out = {key: list(self.rows[key]) for key in ("adm", "intro")}
        out["sosialhjelp"] = list(self.sosialhjelp[s])
        out.update({key: list(self.rows[key]) for key in ("vente", "helse")})
        out["utgift"] = list(self.utgift[s])
        out["tilskudd"] = list(self.rows["tilskudd"])
        out["dekningsgrad"] = list(self.dekningsgrad[s])
        return out


def expense_total(components: Mapping[str, float]) -> float:
    """Gjennomsnittlig utgift per person: the sum of tabell 12's five component rows."""
    return float(sum(components[key] for key in COMPONENTS))


def coverage(grant: float, expense: float) -> float:
    """Dekningsgrad as a share: grant / expense."""
    return grant / expense


def base_from_results(results: Mapping[str, float], sarskilt_per_person_aar: float) -> Base:
    """The base from the model's named results (``ModelResult.results``) and S (positive)."""
    return Base(
        tiltak_per_person_aar=results["adm_utgift_per_person_aar"] + sarskilt_per_person_aar,
        sarskilt_per_person_aar=sarskilt_per_person_aar,
        introstonad_fem_aar=results["introstonad_fem_aar"],
        sosialhjelp_fem_aar=results["sosialhjelp_fem_aar"],
        ventestonad_per_person=results["ventestonad_per_person"],
        helse_per_person=results["helse_per_person"],
        tilskudd_per_person_fem_aar=results["tilskudd_per_person_fem_aar"],
    )


def base_from_model(result: Any) -> Base:
    """The base from a ``ModelResult``: S is the vedlegg 5 row of the særskilt tilskudd, sign turned."""
    sarskilt = -float(result.vedlegg5.loc["sarskilt_em", "snitt"])
    return base_from_results(result.results, sarskilt)


def project(base: Base, p: Mapping[str, Any], year: int) -> Prognosis:
    """The prognosis for ``year`` (the survey year) and the three years after it."""
    n = p["aar_i_tilskuddsperioden"]
    tiltak, sarskilt = [base.tiltak_per_person_aar], [base.sarskilt_per_person_aar]
    vente, helse = [base.ventestonad_per_person], [base.helse_per_person]
    tilskudd = [base.tilskudd_per_person_fem_aar]
    intro = [base.introstonad_fem_aar]
    sos = [[base.sosialhjelp_fem_aar] for _ in range(SCENARIOS)]
    for k in range(1, YEARS + 1):
        price = p[PRICE[k - 1]]
        tiltak.append(tiltak[-1] * (1 + price) * (1 + p[REAL[k - 1]]))
        sarskilt.append(sarskilt[-1] * (1 - p[CUT[k - 1]]) * (1 + price * p[CUT_PRICED[k - 1]]))
        vente.append(vente[-1] * (1 + price))
        helse.append(helse[-1] * (1 + price))
        tilskudd.append(tilskudd[-1] * p[RATE_FACTOR[k - 1]])
        intro.append(float(sum(p[intro_id(k, j)] for j in range(1, KULL + 1))))
        for s in range(1, SCENARIOS + 1):
            sos[s - 1].append(float(sum(p[sosialhjelp_id(s, k, j)] for j in range(1, KULL + 1))))
    adm = [(t - s) * n for t, s in zip(tiltak, sarskilt, strict=True)]
    rows = {"adm": adm, "intro": intro, "vente": vente, "helse": helse, "tilskudd": tilskudd}
    out = Prognosis(years=[year + c for c in range(YEARS + 1)], tiltak=tiltak, sarskilt=sarskilt, rows=rows,
                    sosialhjelp=sos)
    for s in range(SCENARIOS):
        totals = [expense_total({"adm": adm[c], "intro": intro[c], "sosialhjelp": sos[s][c], "vente": vente[c],
                                 "helse": helse[c]}) for c in range(YEARS + 1)]
        out.utgift.append(totals)
        out.dekningsgrad.append([coverage(tilskudd[c], totals[c]) for c in range(YEARS + 1)])
    return out
