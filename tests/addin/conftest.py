"""The add-in's tests: `xw` is xlwings with the remote engine (records every write)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def xw(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """xlwings with the remote engine; the licence key only inside the test; the add-in's logs
    and run lock in a folder of the test's own."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    monkeypatch.setenv("KALK_EXCEL_TILLEGG_MAPPE", str(tmp_path_factory.mktemp("tillegg")))
    import xlwings

    if "remote" not in [e.name for e in xlwings.engines]:
        from xlwings.pro import _xlremote  # imports now that the key is set

        engine = xlwings.Engine(impl=_xlremote.engine)
        monkeypatch.setattr(xlwings.engines, "engines", [*xlwings.engines.engines, engine])
        monkeypatch.setattr(xlwings.engines, "engines_by_name", {**xlwings.engines.engines_by_name, "remote": engine})
    return xlwings
