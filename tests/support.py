"""Constants and helpers the tests share across areas (importable from every test folder: tests/ is
on sys.path)."""

from __future__ import annotations

import atexit
import dataclasses
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

TEST_PASSWORD = "Test-passord-æøå-2024"

_built: dict[tuple[Any, ...], Path] = {}
_cache_dir: list[Path] = []


def _cache() -> Path:
    if not _cache_dir:
        path = Path(tempfile.mkdtemp(prefix="kalk-excel-test-innleveringer-"))
        atexit.register(shutil.rmtree, path, True)
        _cache_dir.append(path)
    return _cache_dir[0]


def write_submissions(folder: Path, kommuner: list[Any], password: str | None = None) -> Path:
    """``kalk_excel.demo.run.write_submissions`` for the tests: each filled workbook is built once
    per test process and copied into ``folder`` after that (building and filling one costs
    seconds; a dozen modules need the same municipalities). The copy has the bytes the real call
    wrote for that municipality, survey, password, fingerprint key and definitions folder (the
    cache key), and a fresh file time, as if it had just been written."""
    from kalk_excel.demo.run import write_submissions as build

    folder.mkdir(parents=True, exist_ok=True)
    password = password or os.environ.get("KALK_EXCEL_PASSORD")
    for kommune in kommuner:
        for form_id in kommune.skjema:
            one = dataclasses.replace(kommune, skjema=(form_id,))
            key = (repr(one), password, os.environ.get("KALK_EXCEL_NOKKEL"), os.environ.get("KALK_EXCEL_NOKKEL_FIL"),
                   os.environ.get("KALK_DEFINISJONER"))
            if key not in _built:
                out = _cache() / f"{len(_built):04d}"
                build(out, [one], password)
                (_built[key],) = out.iterdir()
            shutil.copyfile(_built[key], folder / _built[key].name)
    return folder
