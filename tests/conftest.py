"""Shared test fixtures and the marker rules of the suite.

Markers are applied here, not by hand:
- ``libreoffice``: every test that uses the ``soffice`` fixture, directly or through other
  fixtures (pytest's fixture closure). A test that starts LibreOffice WITHOUT the fixture fails
  (``_guard_soffice``), so ``make test-rask`` (``-m "not libreoffice"``) never starts it.
- ``slow``: explicit (``@pytest.mark.slow``), and every ``libreoffice`` test is slow (one
  LibreOffice start costs seconds). The terminal summary lists unmarked tests that took longer
  than ``SLOW_SECONDS`` so the explicit marks stay honest.
"""

from __future__ import annotations

import os
from typing import Iterator

import pytest

from kalk_excel.engine import libreoffice
from kalk_excel.paths import shared_dir
from support import TEST_PASSWORD

SLOW_SECONDS = 5.0

_current: dict[str, pytest.Item | None] = {"item": None}
_unmarked_slow: list[tuple[str, float]] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "soffice" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.libreoffice)
            item.add_marker(pytest.mark.slow)


def pytest_configure(config: pytest.Config) -> None:
    real = libreoffice.soffice_path

    def guarded() -> str | None:
        item = _current["item"]
        if item is not None and item.get_closest_marker("libreoffice") is None:
            pytest.fail(f"{item.nodeid} starter LibreOffice uten soffice-fiksturen; be om «soffice» "
                        "(direkte eller i fiksturen som starter den), så merkes testen libreoffice.")
        return real()

    guarded.__wrapped__ = real  # type: ignore[attr-defined]
    libreoffice.soffice_path = guarded  # type: ignore[assignment]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    _current["item"] = item
    try:
        yield
    finally:
        _current["item"] = None


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.duration > SLOW_SECONDS and "slow" not in report.keywords:
        _unmarked_slow.append((report.nodeid, report.duration))


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 (pytest's TerminalReporter)
    if _unmarked_slow:
        terminalreporter.section(f"tester over {SLOW_SECONDS:.0f} s uten slow-merke")
        for nodeid, seconds in sorted(_unmarked_slow, key=lambda x: -x[1]):
            terminalreporter.write_line(f"{seconds:6.1f} s  {nodeid}")


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KALK_EXCEL_PASSORD", TEST_PASSWORD)


@pytest.fixture(scope="session")
def soffice() -> str:
    """Path to soffice; skip locally without LibreOffice, fail in CI where it must exist.

    Session scope so module-scoped fixtures that start LibreOffice can request it (and so mark
    every test that uses them)."""
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
