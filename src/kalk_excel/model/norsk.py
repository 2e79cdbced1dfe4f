"""Norskopplæring: per-municipality expense per teaching hour and result (vedlegg 8-9) and the
totals, coverage and expense per hour over submissions with no_undervist = ja (tabell 5-6)."""

from __future__ import annotations

import pandas as pd

from .aggregates import ratio
from .per_kommune import numeric

NORSK_NUMERIC_FIELDS = ("no_timer", "no_utgift_sum", "no_inntekt_sum", "no_deltakere_sum")


def norsk_frame(norsk: pd.DataFrame) -> pd.DataFrame:
    """Per municipality: the numbers, ``undervist``, ``utgift_per_time`` and ``resultat``."""
    x = numeric(norsk, NORSK_NUMERIC_FIELDS)
    undervist = norsk["no_undervist"] if "no_undervist" in norsk.columns else pd.Series(None, index=norsk.index)
    x.insert(0, "undervist", (undervist.astype("string").str.strip().str.lower() == "ja").fillna(False).astype(bool))
    x["utgift_per_time"] = (x["no_utgift_sum"] / x["no_timer"].where(x["no_timer"] > 0)).where(x["undervist"])
    x["resultat"] = x["no_utgift_sum"] - x["no_inntekt_sum"]
    return x


def norsk_results(frame: pd.DataFrame) -> dict[str, float]:
    sub = frame[frame["undervist"]]
    utgift = float(sub["no_utgift_sum"].sum())
    inntekt = float(sub["no_inntekt_sum"].sum())
    timer = float(sub["no_timer"].sum())
    return {
        "norsk_utgifter_sum": utgift,
        "norsk_inntekter_sum": inntekt,
        "norsk_timer_sum": timer,
        "norsk_deltakere_sum": float(sub["no_deltakere_sum"].sum()),
        "dekningsgrad_norsk": ratio(inntekt, utgift),
        "utgift_per_undervisningstime": ratio(utgift, timer),
    }
