"""Where a run of the add-in leaves its traces: the per-user folder, one log file per run (the
path is in every error message), and the run lock (a second click while a run is going on is
told so, instead of writing into the master at the same time).

Folder: `KALK_EXCEL_TILLEGG_MAPPE` if set, else `%LOCALAPPDATA%\\kalk-excel` on Windows and
`~/Library/Logs/kalk-excel` on macOS (`~/.kalk-excel` elsewhere). The lock is an operating-system
file lock (`msvcrt` / `fcntl`): it goes away with the process, so a crashed run never blocks the
next one.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from .errors import ALREADY_RUNNING, fail

FOLDER_ENV = "KALK_EXCEL_TILLEGG_MAPPE"
KEEP_LOGS = 30
LOGGER = "kalk_excel"


def state_folder() -> Path:
    if os.environ.get(FOLDER_ENV):
        return Path(os.environ[FOLDER_ENV])
    if sys.platform.startswith("win") and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "kalk-excel"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Logs" / "kalk-excel"
    return Path.home() / ".kalk-excel"


@contextmanager
def run_log(kind: str = "beregn") -> Iterator[Path | None]:
    """Log everything of `kalk_excel` (tracebacks included) to a new file for this run, and
    nothing to stderr (xlwings shows stderr as an extra English box on macOS). Yields the
    file's path, or None if no file could be made (then nothing is logged)."""
    logger = logging.getLogger(LOGGER)
    folder = state_folder() / "logg"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = folder / f"{kind}-{stamp}-{os.getpid()}.log"
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        path, handler = None, logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    old = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield path
    finally:
        logger.removeHandler(handler)
        handler.close()
        logger.setLevel(old[0])
        logger.propagate = old[1]
        _prune(folder, kind)


def _prune(folder: Path, kind: str) -> None:
    try:
        logs = sorted(folder.glob(f"{kind}-*.log"))
        for old in logs[:-KEEP_LOGS]:
            old.unlink()
    except OSError:
        pass


def _try_lock(handle: IO[bytes]) -> bool:
    handle.seek(0)
    try:
        if sys.platform.startswith("win"):
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(handle: IO[bytes]) -> None:
    handle.seek(0)
    try:
        if sys.platform.startswith("win"):
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    except OSError:
        pass


@contextmanager
def run_lock(book_name: str) -> Iterator[None]:
    """One run at a time per user. A second run while one holds the lock raises X040, naming
    the workbook and the time the first one started."""
    folder = state_folder()
    lock_path, info_path = folder / "beregn.lock", folder / "beregn.lock.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+b")  # noqa: SIM115 - held for the whole run
    except OSError as exc:  # no writable folder: run without the lock rather than not at all
        logging.getLogger(__name__).warning("kjørelåsen %s kunne ikke lages (%s); kjører uten", lock_path, exc)
        yield
        return
    try:
        if not _try_lock(handle):
            try:
                info = json.loads(info_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                info = {}
            started = info.get("startet", "")
            which = info.get("arbeidsbok", "")
            raise fail(ALREADY_RUNNING, ("startet_for" if which else "startet") if started else "", started=started,
                       book=which)
        try:
            info_path.write_text(json.dumps({"startet": dt.datetime.now().strftime("%H:%M:%S"),
                                             "arbeidsbok": book_name, "pid": os.getpid()}), encoding="utf-8")
        except OSError:
            pass
        try:
            yield
        finally:
            _unlock(handle)
    finally:
        handle.close()
