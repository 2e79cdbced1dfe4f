"""Atomic replacement of the master: the old file survives errors and kills, a backup is kept."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kalk_excel.pipeline.atomic import BACKUP_FOLDER, replace_atomically


def test_replace_keeps_backup(tmp_path: Path) -> None:
    target = tmp_path / "master.xlsx"
    target.write_bytes(b"old")
    backup = replace_atomically(target, lambda p: p.write_bytes(b"new"))
    assert target.read_bytes() == b"new"
    assert backup is not None and backup.parent.name == BACKUP_FOLDER and backup.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_failed_verification_leaves_old_file(tmp_path: Path) -> None:
    target = tmp_path / "master.xlsx"
    target.write_bytes(b"old")

    def verify(p: Path) -> None:
        raise ValueError("ødelagt")

    with pytest.raises(ValueError):
        replace_atomically(target, lambda p: p.write_bytes(b"half"), verify)
    assert target.read_bytes() == b"old"
    assert not (tmp_path / BACKUP_FOLDER).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["master.xlsx"]


def test_kill_during_write_leaves_old_file(tmp_path: Path) -> None:
    target = tmp_path / "master.xlsx"
    target.write_bytes(b"old")
    started = tmp_path / "started"
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from kalk_excel.pipeline.atomic import replace_atomically
        def write(p):
            p.write_bytes(b"partial")
            Path({str(started)!r}).write_text("1")
            time.sleep(60)
        replace_atomically(Path({str(target)!r}), write)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.time() + 30
    while not started.exists() and time.time() < deadline:
        time.sleep(0.05)
    assert started.exists()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert target.read_bytes() == b"old"
