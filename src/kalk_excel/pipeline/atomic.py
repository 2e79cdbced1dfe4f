"""Replace the master workbook atomically, keeping the previous version as a dated backup.

The new master is written to a temporary file in the same folder, verified, flushed to disk, and
only then moved over the old one with ``os.replace`` (atomic on one file system). An error or a
kill at any point before that leaves the old master untouched, byte for byte; the temporary file
is removed on the way out.

``verify_workbook`` is the verification every writer of the master uses (``beregn``, and the
add-in before it restores or replaces a snapshot): every XML part of the package parsed as
well-formed XML, then a full openpyxl load (not a read-only sniff, which reads sheets lazily and
so misses a broken sheet), and the expected sheets present. A file that fails never replaces the
master; the ``ReplaceError`` says why in Norwegian.
"""

from __future__ import annotations

import os
import shutil
import xml.parsers.expat as expat
import zipfile
import zlib
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

from ..text import display_name

BACKUP_FOLDER = "sikkerhetskopi"


class ReplaceError(RuntimeError):
    """The new master could not be written or verified; the old one is intact (Norwegian message)."""


_XML_SUFFIXES = (".xml", ".rels", ".vml")


def verify_workbook(path: Path | str, sheets: Iterable[str] = ()) -> None:
    """Raise ``ReplaceError`` unless ``path`` is a workbook every reader can open: each XML part
    well-formed (expat, the parser openpyxl and Excel-compatible readers agree with), a full
    openpyxl load succeeds, and every sheet in ``sheets`` is there."""
    from openpyxl import load_workbook

    path = Path(path)
    name = display_name(path.name)
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.filename.lower().endswith(_XML_SUFFIXES):
                    parser = expat.ParserCreate()
                    try:
                        parser.Parse(zf.read(info), True)
                    except expat.ExpatError as exc:
                        raise ReplaceError(f"Den nye arbeidsboka {name} har ugyldig XML i "
                                           f"{display_name(info.filename)} ({exc}).") from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise ReplaceError(f"Den nye arbeidsboka {name} kan ikke pakkes ut ({type(exc).__name__}).") from None
    try:
        wb = load_workbook(path)
    except Exception as exc:  # noqa: BLE001 - any failure to load means: do not replace
        raise ReplaceError(f"Den nye arbeidsboka {name} kan ikke åpnes ({type(exc).__name__}).") from None
    try:
        missing = [s for s in sheets if s not in wb.sheetnames]
    finally:
        wb.close()
    if missing:
        raise ReplaceError(f"Den nye arbeidsboka {name} mangler arkene " + ", ".join(missing) + ".")


def backup_path(target: Path, when: datetime | None = None) -> Path:
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = target.parent / BACKUP_FOLDER
    candidate = folder / f"{target.stem}_{stamp}{target.suffix}"
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{target.stem}_{stamp}_{n}{target.suffix}"
    return candidate


def replace_atomically(target: Path, write: Callable[[Path], object],
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
