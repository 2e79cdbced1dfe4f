"""LibreOffice as the headless spreadsheet engine: recalculate workbooks and write them back.

``recalculate`` converts xlsx -> xlsx with ``soffice --headless --convert-to``, which computes
every formula that has no cached value (openpyxl writes none) and stores the results; openpyxl
``data_only=True`` or calamine then read them. Each call uses its own throw-away user profile,
so several processes (tests, CI, helpers) can run LibreOffice at the same time. LibreOffice runs
under ``engine.guard`` (POSIX): if this process is killed, even by SIGKILL, LibreOffice is killed
too and its profile folder (which also holds its temporary files) is removed; profile folders of
earlier runs whose process no longer exists are removed by the next call.

Never send a LibreOffice-saved file to a municipality: the round trip drops workbook structure
protection and truncates long validation prompts (docs: TEKNISK.md). Recalculated copies are for
reading results only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROFILE_PREFIX = "kalk-excel-lo-"
_PROFILE = re.compile(re.escape(PROFILE_PREFIX) + r"(\d+)-")


class LibreOfficeError(RuntimeError):
    """LibreOffice is missing or failed; the message is Norwegian."""


def soffice_path() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def available() -> bool:
    return soffice_path() is not None


def recalculate(paths: list[Path] | Path, outdir: Path, timeout: float = 300.0) -> list[Path]:
    """Recalculate ``paths`` with LibreOffice; return the recalculated copies in ``outdir``.

    ``outdir`` must differ from the folders of the inputs (the copies keep their file names).
    """
    if isinstance(paths, Path):
        paths = [paths]
    exe = soffice_path()
    if exe is None:
        raise LibreOfficeError(
            "Fant ikke LibreOffice (soffice). Installer det (Debian/Ubuntu: "
            "apt-get install libreoffice-calc-nogui) eller bruk Excel-tillegget."
        )
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    for p in paths:
        if Path(p).resolve().parent == outdir.resolve():
            raise ValueError("outdir må være en annen mappe enn inndatafilenes")
    if not paths:
        return []
    remove_stale_profiles()
    profile = tempfile.mkdtemp(prefix=f"{PROFILE_PREFIX}{os.getpid()}-")
    try:
        scratch = os.path.join(profile, "tmp")   # LibreOffice's own temporary files, removed with the profile
        os.mkdir(scratch)
        cmd = [
            exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nologo",
            "--nodefault", "--nolockcheck", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
            "--outdir", str(outdir), *[str(p) for p in paths],
        ]
        if os.name == "posix":
            cmd = [sys.executable, "-m", "kalk_excel.engine.guard", str(os.getpid()), profile, "--", *cmd]
        env = dict(os.environ)
        env.setdefault("HOME", profile)
        env["TMPDIR"] = scratch
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                stdin=subprocess.DEVNULL)
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(proc)
            raise LibreOfficeError(f"LibreOffice brukte mer enn {timeout:.0f} s på omregningen.") from None
        except BaseException:
            _stop(proc)        # Ctrl-C or SystemExit: the guard kills LibreOffice and removes the profile
            raise
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    results = [outdir / Path(p).with_suffix(".xlsx").name for p in paths]
    missing = [r for r in results if not r.exists()]
    if proc.returncode != 0 or missing:
        detail = (stderr or stdout or "").strip()[-500:]
        raise LibreOfficeError(
            f"LibreOffice kunne ikke regne om {len(missing) or len(results)} fil(er) "
            f"(returkode {proc.returncode}). {detail}"
        )
    return results


def _stop(proc: subprocess.Popen[str]) -> None:
    """Stop the guard (it kills LibreOffice's process group) and wait for it."""
    proc.terminate()
    try:
        proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()


def remove_stale_profiles(folder: str | Path | None = None) -> list[Path]:
    """Remove LibreOffice profile folders left by runs whose process no longer exists."""
    removed: list[Path] = []
    root = Path(folder or tempfile.gettempdir())
    try:
        entries = list(root.iterdir())
    except OSError:
        return removed
    for entry in entries:
        m = _PROFILE.match(entry.name)
        if m and int(m.group(1)) != os.getpid() and not process_alive(int(m.group(1))) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def process_alive(pid: int) -> bool:
    """Whether a process with ``pid`` exists (used to clear what a killed run left behind)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True
