"""run_beregn: fresh master, atomic replacement with backup, LibreOffice, results by name.

An interruption (SIGKILL of the whole process group) or an error at any point leaves the old
master byte-identical and readable; pulling the same folder twice gives identical Innrapportert
and Sporbarhet content; the secretariat's parameter edits survive."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kalk_excel.definition.model import Kommune
from kalk_excel.engine.libreoffice import LibreOfficeError
from kalk_excel.master.layout import SHEET_ORDER
from kalk_excel.pipeline.atomic import BACKUP_FOLDER
from kalk_excel.pipeline.run import BeregnError, run_beregn, temp_pattern
from support import write_submissions

KOMMUNER = [Kommune("0301", "Oslo", ("adm", "norsk")), Kommune("1103", "Stavanger", ("adm", "norsk"))]
COMPARED = ("Innrapportert adm", "Innrapportert norsk", "Sporbarhet")


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("beregn")
    write_submissions(base / "inn", KOMMUNER, "Test-passord-æøå-2024")
    (base / "kommuner.csv").write_text("kommunenummer,navn,skjema\n0301,Oslo,adm;norsk\n1103,Stavanger,adm;norsk\n",
                                       encoding="utf-8")
    return base


@pytest.fixture(scope="module")
def first_run(original: Path, tmp_path_factory: pytest.TempPathFactory, soffice: str):
    """One run into a new master (module scope: LibreOffice is the slow part)."""
    work = tmp_path_factory.mktemp("forste")
    shutil.copytree(original / "inn", work / "inn")
    result = run_beregn(work / "master.xlsx", work / "inn", year=2024, kommuner=original / "kommuner.csv")
    snapshot = work / "etter_forste.xlsx"
    shutil.copy2(work / "master.xlsx", snapshot)
    return work, result, snapshot


def sheet_values(path: Path, sheet: str) -> list[tuple]:
    wb = load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


def test_first_run_creates_the_master_and_excel_agrees_with_the_model(soffice, first_run) -> None:
    work, result, _ = first_run
    assert result.backup is None
    assert result.agree, [(r.name, r.excel, r.modell) for r in result.rows if not r.ok]
    assert result.readback.master_status == "OK"
    assert load_workbook(work / "master.xlsx", read_only=True).sheetnames[:len(SHEET_ORDER)] == SHEET_ORDER
    with zipfile.ZipFile(work / "master.xlsx") as z:        # charts are there: the master is built fresh
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())
    assert result.update.summary["inkludert"] == 4


def test_the_master_beregn_delivers_carries_the_computed_values(soffice, first_run) -> None:
    """Point 8 of issue 11: a reader that does not calculate sees the results in the master itself
    (not only in a kept LibreOffice copy): the values read back from LibreOffice's copy."""
    from kalk_excel.master.readback import error_cells, read_names
    work, result, snapshot = first_run
    cached = read_names(snapshot, ["dekningsgrad_integreringstilskudd", "adm_utgifter_sum", "master_status"])
    assert cached["dekningsgrad_integreringstilskudd"] == pytest.approx(result.excel["dekningsgrad_integreringstilskudd"])
    assert cached["adm_utgifter_sum"] == pytest.approx(result.excel["adm_utgifter_sum"])
    assert cached["master_status"] == "OK"
    assert error_cells(snapshot) == []
    assert "verdier" in result.seconds


def test_second_run_is_identical_and_keeps_a_backup(soffice, first_run) -> None:
    work, _, snapshot = first_run
    time.sleep(1.1)
    second = run_beregn(work / "master.xlsx", work / "inn")          # year, folder, kommuner from the master
    assert second.backup is not None and second.backup.parent.name == BACKUP_FOLDER
    assert second.backup.read_bytes() == snapshot.read_bytes()
    for sheet in COMPARED:
        assert sheet_values(work / "master.xlsx", sheet) == sheet_values(snapshot, sheet), sheet
    assert sheet_values(work / "master.xlsx", "Oppsett") != sheet_values(snapshot, "Oppsett")   # pull time
    assert second.agree


def test_parameter_edits_on_the_master_survive(soffice, first_run, tmp_path: Path) -> None:
    """Value and source changed on Parametre: used, kept through two runs, marked as changed from
    the default, and recorded exactly once in Endringslogg."""
    work, first, _ = first_run
    master = tmp_path / "master.xlsx"
    shutil.copy2(work / "master.xlsx", master)
    wb = load_workbook(master)
    ws = wb["Parametre"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "kultur_fastsatt")
    old, old_source = ws.cell(row, 3).value, ws.cell(row, 5).value
    assert ws.cell(row, 3).protection.locked is False and ws.cell(row, 5).protection.locked is False
    ws.cell(row, 3).value = old + 285
    ws.cell(row, 5).value = "Sekretariatets anslag, møte 3"
    wb.save(master)
    result = run_beregn(master, work / "inn")
    assert result.agree
    # kultur = the fixed amount kultur_fastsatt x N per municipality: the sum grows by 285 x ΣN
    n = first.excel["antall_malgruppe_sum"]
    assert result.excel["adm_utgifter_sum"] - first.excel["adm_utgifter_sum"] == pytest.approx(285 * n, abs=1)
    time.sleep(1.1)
    recalculated = tmp_path / "beregnet.xlsx"
    run_beregn(master, work / "inn", keep_recalculated=recalculated)
    ws = load_workbook(recalculated, data_only=True)["Parametre"]
    assert ws.cell(row, 3).value == old + 285
    assert ws.cell(row, 5).value == "Sekretariatets anslag, møte 3"
    assert (ws.cell(row, 7).value, ws.cell(row, 8).value) == (old, old_source)    # the default beside it
    assert ws.cell(row, 9).value == "endret verdi"
    unchanged = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == "eldretilskudd")
    assert ws.cell(unchanged, 9).value in (None, "")
    log = [r for r in load_workbook(master)["Endringslogg"].iter_rows(min_row=5, values_only=True) if any(r)]
    assert len(log) == 1
    assert log[0][1:5] == ("kultur_fastsatt", ws.cell(row, 2).value, old, old + 285)
    assert log[0][5:7] == (old_source, "Sekretariatets anslag, møte 3")


def _start(master: Path, folder: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kalk_excel.cli.main", "beregn", "--master", str(master),
                             "--innleveringer", str(folder), "--json"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _kill(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)     # the whole job: Python and its LibreOffice child
    proc.wait(timeout=30)


def test_kill_mid_run_leaves_the_old_master_unchanged(soffice, first_run, tmp_path: Path) -> None:
    work, _, _ = first_run
    master = tmp_path / "master.xlsx"
    shutil.copy2(work / "master.xlsx", master)
    before = master.read_bytes()
    pattern = temp_pattern(master)

    proc = _start(master, work / "inn")                   # 1: kill while the new master is being written/checked
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if any(pattern.match(p.name) for p in tmp_path.iterdir()):
            break
        time.sleep(0.05)
    assert proc.poll() is None, "kjøringen ble ferdig før den midlertidige filen ble sett"
    _kill(proc)
    assert master.read_bytes() == before
    assert load_workbook(master, read_only=True).sheetnames[:len(SHEET_ORDER)] == SHEET_ORDER
    leftovers = [p for p in tmp_path.iterdir() if pattern.match(p.name)]

    proc = _start(master, work / "inn")                   # 2: kill after a short delay (intake / pull)
    time.sleep(1.5)
    _kill(proc)
    assert master.read_bytes() == before
    assert not (tmp_path / BACKUP_FOLDER).exists()

    result = run_beregn(master, work / "inn")             # the next run cleans up and succeeds
    assert result.agree and result.backup is not None and result.backup.read_bytes() == before
    assert not any(p.exists() for p in leftovers)
    assert not any(p.name.startswith(".master.") for p in tmp_path.iterdir())   # temp files, scratch folders


def test_an_error_leaves_the_old_master_unchanged(original: Path, tmp_path: Path, monkeypatch) -> None:
    master = tmp_path / "master.xlsx"
    from kalk_excel.master import build_master
    build_master(2024, master, kommuner=KOMMUNER)
    before = master.read_bytes()

    def broken(*_args, **_kwargs):
        raise LibreOfficeError("LibreOffice stoppet (simulert).")

    monkeypatch.setattr("kalk_excel.pipeline.run.recalculate", broken)
    with pytest.raises(BeregnError, match="Masteren er ikke endret"):
        run_beregn(master, original / "inn")
    assert master.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["master.xlsx"]     # no temp file, no backup


def test_unreadable_master_is_reported_and_left_alone(original: Path, tmp_path: Path) -> None:
    master = tmp_path / "master.xlsx"
    master.write_bytes(b"dette er ikke en arbeidsbok")
    with pytest.raises(BeregnError, match="kan ikke åpnes"):
        run_beregn(master, original / "inn", year=2024)
    assert master.read_bytes() == b"dette er ikke en arbeidsbok"
