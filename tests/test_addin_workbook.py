"""Which workbook the button works on, and where it is: a master on OneDrive/SharePoint whose
`fullname` goes through xlwings' own URL conversion (`xlwings.utils.fullname_url_to_local_path`,
as `_xlwindows.Book.fullname` and `_xlmac.Book.fullname` call it), another workbook active, two
runs without saving, a second click while a run is going on, and failures after writing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kalk_excel.addin import entry

from test_addin_remote import _book, _writes, update_for, xw  # noqa: F401  (xw is a fixture)

ONEDRIVE_BUSINESS = "https://kommune-my.sharepoint.com/personal/ola_kommune_no/Documents/Kartlegging/master.xlsx"


@pytest.fixture
def cloud_fullname(xw: Any, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """The remote engine's Book.fullname made to do what the desktop engines do with a URL."""
    from xlwings.pro import _xlremote
    from xlwings.utils import fullname_url_to_local_path

    for var in ("OneDrive", "OneDriveCommercial", "OneDriveConsumer"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(_xlremote.Book, "fullname", property(
        lambda self: fullname_url_to_local_path(self.name) if "://" in self.name else self.name))


def _cloud_book(xw: Any, tmp_path: Path, folder: str) -> Any:  # noqa: F811
    book, data = _book(xw, tmp_path, folder=folder)
    book.impl.api["book"]["name"] = ONEDRIVE_BUSINESS
    return book


def test_onedrive_master_with_an_absolute_folder_runs(xw: Any, tmp_path: Path, cloud_fullname: None) -> None:  # noqa: F811
    from xlwings import XlwingsError

    book = _cloud_book(xw, tmp_path, str(tmp_path / "innlevert"))
    with pytest.raises(XlwingsError, match="OneDrive for Business"):
        book.fullname  # noqa: B018 - xlwings itself cannot map this URL here
    calls = []

    def prepare(year: int, folder: Path, master_path: Any = None, **_k: Any) -> Any:
        calls.append((year, folder, master_path))
        return update_for(3)

    outcome = entry.run(book, prepare=prepare)
    assert outcome.ok, outcome.message
    assert calls == [(2024, tmp_path / "innlevert", None)]
    assert len(_writes(book)) == 3


def test_onedrive_master_with_a_relative_folder_is_told_what_to_do(xw: Any, tmp_path: Path,  # noqa: F811
                                                                   cloud_fullname: None) -> None:
    book = _cloud_book(xw, tmp_path, "innlevert")
    outcome = entry.run(book, prepare=lambda *a, **k: pytest.fail("the core must not run"))
    assert not outcome.ok and outcome.problems[0].code == "X012"
    assert "OneDrive" in outcome.message and "fullstendig sti" in outcome.message
    assert _writes(book) == []


def test_onedrive_master_that_xlwings_maps_to_a_local_file(xw: Any, tmp_path: Path, cloud_fullname: None,  # noqa: F811
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    local = tmp_path / "OneDrive - Kommune"
    (local / "Kartlegging" / "innlevert").mkdir(parents=True)
    (local / "Kartlegging" / "master.xlsx").write_bytes(b"")
    monkeypatch.setenv("OneDriveCommercial", str(local))
    book = _cloud_book(xw, tmp_path, "innlevert")
    calls = []
    outcome = entry.run(book, prepare=lambda year, folder, master_path=None, **_k: (
        calls.append((folder, master_path)) or update_for(3)))
    assert outcome.ok, outcome.message
    assert calls == [(local / "Kartlegging" / "innlevert", local / "Kartlegging" / "master.xlsx")]
