"""Replace the master workbook atomically, keeping the previous version as a dated backup.

The new master is written to a temporary file in the same folder, verified (it must open as a
workbook with the expected sheets), flushed to disk, and only then moved over the old one with
``os.replace`` (atomic on one file system). An error or a kill at any point before that leaves
the old master untouched; the temporary file is removed on the way out.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Callable

BACKUP_FOLDER = "sikkerhetskopi"


class ReplaceError(RuntimeError):
    """The new master could not be written or verified; the old one is intact (Norwegian message)."""


def backup_path(target: Path, when: datetime | None = None) -> Path:
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = target.parent / BACKUP_FOLDER
    candidate = folder / f"{target.stem}_{stamp}{target.suffix}"
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{target.stem}_{stamp}_{n}{target.suffix}"
    return candidate


def replace_atomically(target: Path, write: Callable[[Path], None],
                       verify: Callable[[Path], None] | None = None) -> Path | None:
    """Write a new ``target`` via ``write(tmp_path)``; return the backup of the old file (or None)."""
    target = Path(target)
    tmp = target.parent / f".{target.stem}.ny-{os.getpid()}{target.suffix}"
    try:
        write(tmp)
        if not tmp.exists():
            raise ReplaceError(f"Den nye arbeidsboka ble ikke skrevet ({tmp.name}).")
        if verify is not None:
            verify(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        backup = None
        if target.exists():
            backup = backup_path(target)
            backup.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(target, backup)
        os.replace(tmp, target)
        return backup
    finally:
        if tmp.exists():
            tmp.unlink()
