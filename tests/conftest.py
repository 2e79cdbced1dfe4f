"""Shared test fixtures: LibreOffice availability, a test password, temporary folders."""

from __future__ import annotations

import os
from typing import Iterator

import pytest

from kalk_excel.engine import libreoffice
from kalk_excel.paths import shared_dir

TEST_PASSWORD = "Test-passord-æøå-2024"


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KALK_EXCEL_PASSORD", TEST_PASSWORD)


@pytest.fixture
def soffice() -> str:
    """Path to soffice; skip locally without LibreOffice, fail in CI where it must exist."""
    path = libreoffice.soffice_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) mangler i CI: .ci/run skal installere libreoffice-calc-nogui")
        pytest.skip("LibreOffice er ikke installert")
    return path


@pytest.fixture
def shared() -> "os.PathLike[str]":
    """The shared material (reports, reference CSVs): skip locally if absent, fail in CI."""
    path = shared_dir()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Fant ikke shared/ (rapportene og referansedataene) ved siden av repoet i CI")
        pytest.skip("shared/ finnes ikke på denne maskinen (sett KALK_SHARED)")
    return path


TEST_FINGERPRINT_KEY = "test-nokkel-for-kontrollsummen"


@pytest.fixture(autouse=True, scope="session")
def _fingerprint_key() -> Iterator[None]:
    """The secretariat's fingerprint key, from configuration as in production (never in code).
    Session-wide: session fixtures generate workbooks before any function-scoped fixture runs."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KALK_EXCEL_NOKKEL", TEST_FINGERPRINT_KEY)
        mp.delenv("KALK_EXCEL_NOKKEL_FIL", raising=False)
        yield
