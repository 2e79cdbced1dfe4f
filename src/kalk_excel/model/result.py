"""The reference model's output record ``ModelResult`` and the entry point ``compute``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .aggregates import adm_results, vedlegg5
from .em import em_frame, em_results
from .norsk import norsk_frame, norsk_results
from .per_kommune import per_kommune


@dataclass
class ModelResult:
    """Per-kommune frames (index kommunenummer) and the aggregates under the names of docs/beregning.md."""

    per_kommune: pd.DataFrame     # N, 13 areas, total, snitt, ventestonad, forstegangsbosatt
    em: pd.DataFrame              # EM fields, per-EM values, i_utvalg
    norsk: pd.DataFrame           # norsk fields, utgift_per_time, resultat, undervist
    vedlegg5: pd.DataFrame        # per area: utgiftsomrade, snitt, median (+ row "sum": median = Σ area medians)
    results: dict[str, float] = field(default_factory=dict)

    def __getitem__(self, key: str) -> float:
        return self.results[key]


def compute(adm: pd.DataFrame, norsk: pd.DataFrame, params: Mapping[str, Any], year: int | None = None,
            register: pd.DataFrame | None = None) -> ModelResult:
    """Run the method on the included submissions (one row per municipality, columns = field ids).
    ``register``: register data per municipality (index kommunenummer, columns ``REGISTER_FIELDS``;
    None or a missing municipality = 0)."""
    year = year if year is not None else getattr(params, "year", 2024)
    adm = adm.copy()
    norsk = norsk.copy()
    adm.index = adm.index.astype(str)
    norsk.index = norsk.index.astype(str)
    pk = per_kommune(adm, params, year, register)
    results = adm_results(pk, params, year)
    em = em_frame(adm, params)
    results.update(em_results(em, params, results))
    nf = norsk_frame(norsk)
    results.update(norsk_results(nf))
    return ModelResult(per_kommune=pk, em=em, norsk=nf, vedlegg5=vedlegg5(pk), results=results)
