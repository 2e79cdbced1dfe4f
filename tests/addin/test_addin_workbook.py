"""Which workbook the button works on, and where it is: a master on OneDrive/SharePoint whose
`fullname` goes through xlwings' own URL conversion (`xlwings.utils.fullname_url_to_local_path`,
as `_xlwindows.Book.fullname` and `_xlmac.Book.fullname` call it), another workbook active, two
runs without saving, a second click while a run is going on, and failures after writing."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from test_addin_remote import GRID_ROWS, SHEETS, _book, _writes, apply_actions, master_json, update_for

from kalk_excel.addin import entry

ONEDRIVE_BUSINESS = "https://kommune-my.sharepoint.com/personal/ola_kommune_no/Documents/Kartlegging/master.xlsx"


@pytest.fixture
def cloud_fullname(xw: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The remote engine's Book.fullname made to do what the desktop engines do with a URL."""
    from xlwings.pro import _xlremote
    from xlwings.utils import fullname_url_to_local_path

    for var in ("OneDrive", "OneDriveCommercial", "OneDriveConsumer"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(_xlremote.Book, "fullname", property(
        lambda self: fullname_url_to_local_path(self.name) if "://" in self.name else self.name))


def _cloud_book(xw: Any, tmp_path: Path, folder: str) -> Any:
    book, data = _book(xw, tmp_path, folder=folder)
    book.impl.api["book"]["name"] = ONEDRIVE_BUSINESS
    return book


def test_onedrive_master_with_an_absolute_folder_runs(xw: Any, tmp_path: Path, cloud_fullname: None) -> None:
    from xlwings import XlwingsError

    book = _cloud_book(xw, tmp_path, str(tmp_path / "innlevert"))
    with pytest.raises(XlwingsError, match="OneDrive for Business"):
        book.fullname  # noqa: B018 - xlwings itself cannot map this URL here
    calls = []

    def prepare(year: int, folder: Path, state: Any = None, **_k: Any) -> Any:
        calls.append((year, folder, state.year))
        return update_for(3)

    outcome = entry.run(book, prepare=prepare)
    assert outcome.ok, outcome.message
    assert calls == [(2024, tmp_path / "innlevert", 2024)]  # the state from the open book, no file
    assert len(_writes(book)) == 3


def test_onedrive_master_with_a_relative_folder_is_told_what_to_do(xw: Any, tmp_path: Path,
                                                                   cloud_fullname: None) -> None:
    book = _cloud_book(xw, tmp_path, "innlevert")
    outcome = entry.run(book, prepare=lambda *a, **k: pytest.fail("the core must not run"))
    assert not outcome.ok and outcome.problems[0].code == "X012"
    assert "OneDrive" in outcome.message and "fullstendig sti" in outcome.message
    assert _writes(book) == []


def test_onedrive_master_that_xlwings_maps_to_a_local_file(xw: Any, tmp_path: Path, cloud_fullname: None,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    local = tmp_path / "OneDrive - Kommune"
    (local / "Kartlegging" / "innlevert").mkdir(parents=True)
    (local / "Kartlegging" / "master.xlsx").write_bytes(b"")
    monkeypatch.setenv("OneDriveCommercial", str(local))
    book = _cloud_book(xw, tmp_path, "innlevert")
    calls = []
    outcome = entry.run(book, prepare=lambda year, folder, **_k: calls.append(folder) or update_for(3))
    assert outcome.ok, outcome.message
    assert calls == [local / "Kartlegging" / "innlevert"]   # relative to the synced copy's folder


# --- which workbook ---------------------------------------------------------------------------

def test_another_active_workbook_is_named_and_left_alone(xw: Any, tmp_path: Path) -> None:
    data = master_json(xw.__version__, "Budsjett 2025.xlsx")
    data["sheets"] = [s for s in data["sheets"] if s["name"] not in ("Parametre", "Innrapportert norsk")]
    data["names"] = []
    book = xw.Book(json=data)
    outcome = entry.run(book, prepare=lambda *a, **k: pytest.fail("the core must not run"))
    assert not outcome.ok and outcome.problems[0].code == "X013"
    assert "«Budsjett 2025.xlsx» er ikke en masterarbeidsbok" in outcome.message
    assert "Parametre" in outcome.message and "oppsett_aar" in outcome.message
    assert "Korreksjon: Klikk i masterarbeidsboka" in outcome.message
    assert book.json()["actions"][-1]["func"] == "alert" and _writes(book) == []


def test_the_summary_names_the_workbook_it_updated(xw: Any, tmp_path: Path) -> None:
    book, _ = _book(xw, tmp_path, folder=str(tmp_path / "innlevert"))
    book.impl.api["book"]["name"] = "master_2023.xlsx"      # last year's master, active by mistake
    outcome = entry.run(book, prepare=lambda *a, **k: update_for(3))
    assert outcome.ok and outcome.message.startswith("Masteren «master_2023.xlsx» er oppdatert med innleveringene for 2024")


# --- two runs without saving ------------------------------------------------------------------

def _trace_prepare(n_rows: int, seen: list[int]) -> Any:
    """A core whose Sporbarhet block is built by the core's own `trace.sporbarhet_block`, cleared
    down to the state's `trace_last_row` as `prepare_update` does."""
    from kalk_excel.pipeline import trace

    def prepare(year: int, folder: Path, state: Any = None, **_k: Any) -> Any:
        seen.append(state.trace_last_row)
        rows = [[f"{1101 + i:04d}", f"Kommune {i}", "adm", "godkjent"] for i in range(n_rows)]
        return update_for(3, [trace.sporbarhet_block(rows, [], clear_to_row=state.trace_last_row)])

    return prepare


def test_a_second_run_without_saving_leaves_no_stale_sporbarhet_rows(xw: Any, tmp_path: Path) -> None:
    book, data = _book(xw, tmp_path)
    seen: list[int] = []
    assert entry.run(book, prepare=_trace_prepare(200, seen)).ok
    after_first = copy.deepcopy(data)       # what Excel holds now; nothing saved
    for sheet, grid in zip(after_first["sheets"], apply_actions(data, book.json()["actions"]), strict=False):
        sheet["values"] = grid
    last_first = len(after_first["sheets"][SHEETS.index("Sporbarhet")]["values"])
    assert last_first > 200
    second = xw.Book(json=copy.deepcopy(after_first))
    assert entry.run(second, prepare=_trace_prepare(5, seen)).ok
    assert seen == [GRID_ROWS, last_first]  # the second run saw the first run's rows, unsaved
    final = apply_actions(after_first, second.json()["actions"])[SHEETS.index("Sporbarhet")]
    kommuner = [row[0] for row in final if isinstance(row[0], str) and row[0].startswith("11")]
    assert kommuner == [f"{1101 + i:04d}" for i in range(5)]     # no rows left from the first run


# --- a second click while running ---------------------------------------------------------------

def test_a_second_click_while_running_is_told_so(xw: Any, tmp_path: Path) -> None:
    from kalk_excel.addin.runlog import run_lock

    book, _ = _book(xw, tmp_path)
    with run_lock("master.xlsx"):             # the first click's run, still going
        outcome = entry.run(book, prepare=lambda *a, **k: pytest.fail("the core must not run"))
    assert not outcome.ok and outcome.problems[0].code == "X040"
    assert "Beregningen kjører allerede (startet " in outcome.message and "«master.xlsx»" in outcome.message
    assert _writes(book) == []
    assert entry.run(book, prepare=lambda *a, **k: update_for(3)).ok   # released when it ends


def test_a_lock_held_by_another_process_counts_and_dies_with_it(xw: Any, tmp_path: Path) -> None:
    import subprocess
    import sys

    code = ("import sys, time; from kalk_excel.addin.runlog import run_lock\n"
            "with run_lock('annen.xlsx'):\n    print('låst', flush=True); sys.stdin.readline()\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "låst"
        outcome = entry.run(_book(xw, tmp_path)[0], prepare=lambda *a, **k: update_for(3))
        assert outcome.problems[0].code == "X040" and "«annen.xlsx»" in outcome.message
    finally:
        child.kill()
        child.wait()
    assert entry.run(_book(xw, tmp_path)[0], prepare=lambda *a, **k: update_for(3)).ok


# --- the book changes under a background run (macOS) --------------------------------------------

def test_book_closed_or_renamed_mid_run_stops_and_restores(xw: Any, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    book, data = _book(xw, tmp_path)
    record = book.impl.append_json_action
    n = []

    def save_as_after_first_write(**kwargs: Any) -> None:
        record(**kwargs)
        if kwargs.get("func") == "setValues":
            n.append(1)
            if len(n) == 1:
                book.impl.api["book"]["name"] = "kopi av master.xlsx"   # the user's «Lagre som»

    monkeypatch.setattr(book.impl, "append_json_action", save_as_after_first_write)
    outcome = entry.run(book, prepare=lambda *a, **k: update_for(3))
    assert not outcome.ok and outcome.problems[0].code == "X041" and "Lagre som" not in outcome.message
    assert "ble lukket eller lagret under et annet navn («kopi av master.xlsx»)" in outcome.message
    assert len(_writes(book)) == 2                # the one write, then its restore
    assert apply_actions(data, book.json()["actions"]) == [s["values"] for s in data["sheets"]]


# --- failures after writing, the log, the message box -------------------------------------------

def test_failure_after_writing_says_what_was_written_and_how_to_get_back(xw: Any, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         capfd: pytest.CaptureFixture) -> None:
    from kalk_excel.addin import session as session_mod

    def busy(self: Any) -> None:
        raise RuntimeError("Call was rejected by callee.")

    monkeypatch.setattr(session_mod.ExcelSession, "calculate", busy)
    book, _ = _book(xw, tmp_path)
    outcome = entry.run(book, prepare=lambda *a, **k: update_for(3))
    assert not outcome.ok and outcome.written and outcome.problems[0].code == "X037"
    assert "ikke fullført" not in outcome.message
    assert "Innleveringene er skrevet inn i masteren" in outcome.message and "3 område(r)" in outcome.message
    assert "lukker du den uten å lagre" in outcome.message and "Call was rejected by callee" in outcome.message
    assert f"Logg: {outcome.log_path}" in outcome.message
    log_text = outcome.log_path.read_text(encoding="utf-8")
    assert "Traceback" in log_text and "RuntimeError: Call was rejected by callee." in log_text
    assert capfd.readouterr().err == ""          # nothing for xlwings to show as an extra box
    assert book.json()["actions"][-1]["func"] == "alert" and book.json()["actions"][-1]["args"][3] == "critical"


def test_an_error_message_gives_the_log_file(xw: Any, tmp_path: Path) -> None:
    book, _ = _book(xw, tmp_path, folder="finnes-ikke")
    outcome = entry.run(book, prepare=lambda *a, **k: pytest.fail("the core must not run"))
    assert outcome.log_path is not None and outcome.log_path.is_file()
    assert outcome.message.endswith(f"(feilkode X012)\nLogg: {outcome.log_path}")
    assert "X012" in outcome.log_path.read_text(encoding="utf-8")


def test_a_summary_left_open_past_the_apple_event_timeout_is_still_a_success(xw: Any, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    book, _ = _book(xw, tmp_path)
    shown = []

    def timing_out(_app: Any, prompt: str, title: str | None = None, **_k: Any) -> None:
        shown.append(prompt)
        raise TimeoutError("CommandError -1712: Apple event timed out.")

    monkeypatch.setattr(type(book.app), "alert", timing_out)
    outcome = entry.run(book, prepare=lambda *a, **k: update_for(3))
    assert outcome.ok and len(shown) == 1 and shown[0] == outcome.message   # no second, error box
    assert "Apple event timed out" in outcome.log_path.read_text(encoding="utf-8")


def test_a_sheet_used_far_beyond_its_table_is_refused_before_reading_it(xw: Any, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from kalk_excel.addin import session as session_mod

    reads: list[tuple[int, int]] = []
    real = session_mod.ExcelSession.read
    monkeypatch.setattr(session_mod.ExcelSession, "read", staticmethod(lambda rng: reads.append(rng.shape) or real(rng)))
    book, _ = _book(xw, tmp_path)
    book.impl.api["sheets"][SHEETS.index("Parametre")]["used_range_address"] = "A1:Z100000"  # Ctrl+End: Z100000
    outcome = entry.run(book, prepare=lambda *a, **k: pytest.fail("the core must not run"))
    assert not outcome.ok and outcome.problems[0].code == "X014"
    assert "«Parametre»" in outcome.message and "rad 100000" in outcome.message and "Ctrl+End" in outcome.message
    assert max(r * c for r, c in reads) < 1000 and _writes(book) == []


def test_no_calling_workbook_is_a_norwegian_message_not_a_traceback(xw: Any, capsys: pytest.CaptureFixture,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """xlwings' own Book.caller(), called outside Excel (as when no workbook can be found)."""
    monkeypatch.setattr("sys.argv", ["python"])
    with pytest.raises(SystemExit) as end:
        entry.main()
    assert end.value.code == 1
    err = capsys.readouterr().err
    assert "Fant ikke arbeidsboka knappen ble trykket i" in err and "Korreksjon: Åpne masterarbeidsboka" in err
    assert "(feilkode X042)" in err and "Traceback" not in err
    log_file = Path(err.rsplit("Logg: ", 1)[1].strip())
    assert "Traceback" in log_file.read_text(encoding="utf-8")
