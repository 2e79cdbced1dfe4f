"""LibreOffice as the headless spreadsheet engine: recalculate workbooks and write them back.

``recalculate`` converts xlsx -> xlsx with ``soffice --headless --convert-to``, which computes
every formula that has no cached value (openpyxl writes none) and stores the results; openpyxl
``data_only=True`` or calamine then read them. Each call uses its own throw-away user profile,
so several processes (tests, CI, helpers) can run LibreOffice at the same time.

Never send a LibreOffice-saved file to a municipality: the round trip drops workbook structure
protection and truncates long validation prompts (docs: TEKNISK.md). Recalculated copies are for
reading results only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path


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
    with tempfile.TemporaryDirectory(prefix="kalk-excel-lo-") as profile:
        cmd = [
            exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nologo",
            "--nodefault", "--nolockcheck", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
            "--outdir", str(outdir), *[str(p) for p in paths],
        ]
        env = dict(os.environ)
        env.setdefault("HOME", profile)
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise LibreOfficeError(f"LibreOffice brukte mer enn {timeout:.0f} s på omregningen.") from None
    results = [outdir / Path(p).with_suffix(".xlsx").name for p in paths]
    missing = [r for r in results if not r.exists()]
    if proc.returncode != 0 or missing:
        detail = (proc.stderr or proc.stdout or "").strip()[-500:]
        raise LibreOfficeError(
            f"LibreOffice kunne ikke regne om {len(missing) or len(results)} fil(er) "
            f"(returkode {proc.returncode}). {detail}"
        )
    return results
