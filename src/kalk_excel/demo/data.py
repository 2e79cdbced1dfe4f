"""Load the shipped 2024 demo data (data/*.csv, built by construct.py; see docs/demodata.md).

``demo_adm()`` and ``demo_norsk()`` give one row per municipality (index kommunenummer as text,
columns = calculation field ids); ``demo_kommuner()`` the municipalities and which forms they answer;
``demo_registerdata()`` the register figures per municipality (the master's *Registerdata*).
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

TEXT_COLUMNS = {"kommunenummer": str, "kommunenavn": str, "adm": str, "norsk": str,
                "em_vedtak_bosette": str, "no_undervist": str}


def _read(name: str) -> pd.DataFrame:
    with resources.files("kalk_excel.demo").joinpath("data", name).open("r", encoding="utf-8") as fh:
        frame = pd.read_csv(fh, dtype=TEXT_COLUMNS)
    return frame.set_index("kommunenummer")


def demo_kommuner() -> pd.DataFrame:
    return _read("kommuner.csv")


def demo_adm() -> pd.DataFrame:
    return _read("adm.csv")


def demo_norsk() -> pd.DataFrame:
    return _read("norsk.csv")


def demo_registerdata() -> pd.DataFrame:
    """Register figures per municipality (Registerdata: kvalifiseringsstønad, funksjon 281, kilde)."""
    return _read("registerdata.csv")
