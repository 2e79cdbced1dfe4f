"""Where kalk-excel finds its files. One resolver for the year's definitions, one for the
committee's shared material.

The year's files (form definitions ``adm.yaml``/``norsk.yaml``, ``parametre.yaml``,
``kommuner.csv``) ship inside the package as ``kalk_excel.workbook_templates`` (the repository's
top-level ``workbook_templates/`` folder, mapped in by ``setup.py``) and are found with
``importlib.resources``, in an editable install and in an installed wheel alike. A user's own
definitions folder (the option ``--definisjoner`` on every command that reads definitions, or the
environment variable ``KALK_DEFINISJONER`` that ``kalk-excel nytt-aar`` tells the user to set) is
either a folder with one sub-folder per year (``<mappe>/2025/adm.yaml``) or the year's folder
itself; form definitions are read from it only, while ``parametre.yaml`` and ``kommuner.csv`` are
taken from the built-in year when the folder has none.

The demo data ship as ``kalk_excel.demo`` package data (``demo_data_dir()``).

The shared material (the reports and their tables as CSV) lives outside the package: the folder
named by ``KALK_SHARED``, else ``shared/`` in or beside the current folder; ``shared_dir()``
returns None when none exists.
"""

from __future__ import annotations

import importlib.resources
import os
from functools import lru_cache
from pathlib import Path

TEMPLATES_PACKAGE = "kalk_excel.workbook_templates"
DEFINITIONS_ENV = "KALK_DEFINISJONER"      # a folder of further years (made by `kalk-excel nytt-aar`)
YEAR_FILES = ("adm.yaml", "norsk.yaml", "parametre.yaml", "kommuner.csv")


class InstallationError(RuntimeError):
    """The installed package lacks its data (an editable install made before the data became
    package data); the message is Norwegian."""


@lru_cache(maxsize=1)
def builtin_templates() -> Path:
    """The installed ``workbook_templates`` folder (one sub-folder per year)."""
    try:
        root = importlib.resources.files(TEMPLATES_PACKAGE)
    except ModuleNotFoundError:
        raise InstallationError("kalk-excel finner ikke skjemadefinisjonene sine i installasjonen (den er laget fra "
                                "en eldre versjon av prosjektet). Korreksjon: installer på nytt, f.eks. "
                                "«pip install -e .» i prosjektmappen, eller «pip install <kalk_excel-wheel>.whl».") \
            from None
    return Path(str(root))


def demo_data_dir() -> Path:
    """The demo data (``kalk_excel/demo/data``) as installed."""
    return Path(str(importlib.resources.files("kalk_excel.demo"))) / "data"


def definitions_dir(year: int, override: str | Path | None = None) -> Path:
    """The folder with ``year``'s files: the user's folder (``<override>/<year>``, or ``override``
    itself when it holds the year's files directly); else ``$KALK_DEFINISJONER/<year>`` when that
    folder exists (a year set up with ``kalk-excel nytt-aar``); else the built-in one. The one
    place that decides."""
    if override is None:
        extra = os.environ.get(DEFINITIONS_ENV)
        if extra and (Path(extra) / str(year)).is_dir():
            return Path(extra) / str(year)
        return builtin_templates() / str(year)
    base = Path(override)
    if (base / str(year)).is_dir() or not any((base / name).is_file() for name in YEAR_FILES):
        return base / str(year)
    return base


def templates_root(override: str | Path | None = None) -> Path:
    """The folder holding one sub-folder per year (for code that takes a ``templates_dir``)."""
    return Path(override) if override is not None else builtin_templates()


def definition_file(year: int, name: str, override: str | Path | None = None) -> Path:
    """``parametre.yaml`` / ``kommuner.csv`` of ``year``: the folder ``definitions_dir`` chooses
    when it has the file, else the built-in one."""
    own = definitions_dir(year, override) / name
    if own.is_file():
        return own
    return builtin_templates() / str(year) / name


def shared_dir() -> Path | None:
    candidates = []
    if os.environ.get("KALK_SHARED"):
        candidates.append(Path(os.environ["KALK_SHARED"]))
    candidates += [Path.cwd() / "shared", Path.cwd().parent / "shared"]
    for candidate in candidates:
        if (candidate / "referansedata").is_dir() or (candidate / "seeds").is_dir():
            return candidate
    return None


def reference_dir(year: int) -> Path | None:
    """``shared/referansedata/<year>`` if present."""
    base = shared_dir()
    path = base / "referansedata" / str(year) if base else None
    return path if path and path.is_dir() else None
