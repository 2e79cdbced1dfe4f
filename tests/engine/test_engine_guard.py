"""Clean death (issue 8, point 7): killing the process that runs ``kontroller`` or ``beregn`` — even
with SIGKILL, which no cleanup code survives — leaves no worker processes, no LibreOffice processes
and no LibreOffice profile folders in the temp directory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from kalk_excel.engine.libreoffice import PROFILE_PREFIX, remove_stale_profiles

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="uses /proc and prctl (Linux)")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"    # a zombie has exited
    except (FileNotFoundError, IndexError):
        return False


def _pids_with(text: str) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\x00", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if text in cmdline and _alive(int(entry.name)):
                out.append(int(entry.name))
    return out


def _wait(condition, seconds: float = 20.0) -> bool:  # noqa: ANN001
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_killed_kontroller_leaves_no_workers(tmp_path: Path) -> None:
    folder = tmp_path / "inn"
    folder.mkdir()
    for i in range(10):
        (folder / f"f{i:02d}.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    script = textwrap.dedent(f"""
        import os, sys, time
        import kalk_excel.intake.folder as folder
        from kalk_excel.intake import Settings
        real = folder.check_file
        def slow(path, *args, **kwargs):
            if path.endswith("f00.xlsx"):
                return real(path, *args, **kwargs)      # the first file is checked in this process
            os.write(1, (str(os.getpid()) + chr(10)).encode())   # a worker: report in one write, hang
            time.sleep(120)
        folder.check_file = slow
        folder.check_folder({str(folder)!r}, settings=Settings(workers=2))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    workers = {int(proc.stdout.readline()), int(proc.stdout.readline())}
    assert len(workers) == 2 and all(_alive(p) for p in workers)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert _wait(lambda: not any(_alive(p) for p in workers), 10), "workers outlived kontroller"


@pytest.mark.libreoffice
@pytest.mark.slow
def test_killed_recalculation_leaves_no_libreoffice_and_no_profile(soffice, tmp_path: Path) -> None:
    temp = tmp_path / "temp"                    # the run's temp directory, watched by the test
    temp.mkdir()
    book = tmp_path / "bok.xlsx"
    wb = Workbook()
    wb.active["A1"], wb.active["A2"] = 1, "=A1*2"
    wb.save(book)
    script = textwrap.dedent(f"""
        from pathlib import Path
        from kalk_excel.engine.libreoffice import recalculate
        recalculate([Path({str(book)!r})], Path({str(tmp_path / "ut")!r}))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, "TMPDIR": str(temp)})
    profiles = lambda: [p for p in temp.iterdir() if p.name.startswith(PROFILE_PREFIX)]  # noqa: E731
    assert _wait(lambda: bool(profiles()) and bool(_pids_with(str(profiles()[0]))), 60), "LibreOffice did not start"
    profile = str(profiles()[0])
    assert _wait(lambda: any("soffice.bin" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")
                             for p in _pids_with(profile)), 60)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert _wait(lambda: not _pids_with(profile), 20), "LibreOffice outlived the killed process"
    assert _wait(lambda: not profiles(), 20), [p.name for p in profiles()]
    assert list(temp.iterdir()) == []          # nothing else of LibreOffice's left in the temp directory


def test_stale_profiles_of_dead_processes_are_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"{PROFILE_PREFIX}{dead.pid}-abc"
    (stale / "user").mkdir(parents=True)
    mine = tmp_path / f"{PROFILE_PREFIX}{os.getpid()}-def"
    mine.mkdir()
    other = tmp_path / "noe-annet"
    other.mkdir()
    assert remove_stale_profiles(tmp_path) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, other.name])
