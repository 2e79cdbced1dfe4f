"""Configuration read from the environment and files: the protection password of the survey
workbooks (``--passord-fil``, else ``KALK_EXCEL_PASSORD``, else a generated one written to
``<ut>/PASSORD.txt`` with a warning), and the secret key of the fingerprint (``KALK_EXCEL_NOKKEL``,
else the file named by ``KALK_EXCEL_NOKKEL_FIL`` or ``--nokkel-fil``, else — when workbooks are
generated — a new one written to ``<ut>/NOKKEL.txt`` with a warning). No password or key is ever
written in the code.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

PASSWORD_ENV = "KALK_EXCEL_PASSORD"
PASSWORD_FILE_NAME = "PASSORD.txt"
KEY_ENV = "KALK_EXCEL_NOKKEL"
KEY_FILE_ENV = "KALK_EXCEL_NOKKEL_FIL"
KEY_FILE_NAME = "NOKKEL.txt"


class ConfigError(ValueError):
    """Configuration problem (Norwegian message)."""


def protection_password(passord_fil: Path | str | None = None, outdir: Path | str | None = None) -> str:
    """The password that protects sheets and structure of generated survey workbooks: the file
    given explicitly (``--passord-fil``), else the environment variable, else a generated one."""
    value = os.environ.get(PASSWORD_ENV, "").strip()
    if value and passord_fil is None:
        return value
    if passord_fil is not None:
        if value:
            print(f"Merk: både {PASSWORD_ENV} og --passord-fil er gitt; passordet i fila brukes.", file=sys.stderr)
        path = Path(passord_fil)
        try:
            value = path.read_text(encoding="utf-8").strip().splitlines()[0].strip() if path.stat().st_size else ""
        except OSError as exc:
            raise ConfigError(f"Kan ikke lese passordfila {path}: {exc.strerror}.") from None
        if not value:
            raise ConfigError(f"Passordfila {path} er tom. Korreksjon: skriv passordet på første linje.")
        return value
    value = secrets.token_urlsafe(18)
    if outdir is not None:
        target = _write_secret(outdir, PASSWORD_FILE_NAME, value)
        print(f"Advarsel: verken {PASSWORD_ENV} eller --passord-fil er gitt. Et tilfeldig passord er laget og "
              f"skrevet til {target}. Ta vare på det: det trengs for å oppheve arkbeskyttelsen.", file=sys.stderr)
    else:
        print(f"Advarsel: verken {PASSWORD_ENV} eller --passord-fil er gitt; et tilfeldig passord brukes og "
              "lagres ikke.", file=sys.stderr)
    return value


def fingerprint_key(nokkel_fil: Path | str | None = None, outdir: Path | str | None = None, *,
                    generate: bool = False) -> str | None:
    """The secretariat's secret key for the keyed fingerprint (v2), or None when none is configured
    (and ``generate`` is False). With ``generate`` a new key is made and written to
    ``<outdir>/NOKKEL.txt`` (readable by the owner only), with a warning."""
    value = os.environ.get(KEY_ENV, "").strip()
    if value:
        return value
    source = nokkel_fil or os.environ.get(KEY_FILE_ENV, "").strip() or None
    if source is not None:
        path = Path(source)
        try:
            lines = path.read_text(encoding="utf-8").strip().splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"Kan ikke lese nøkkelfila {path}: {getattr(exc, 'strerror', None) or exc}. "
                              "Korreksjon: oppgi fila med nøkkelen som ble brukt da skjemaene ble laget.") from None
        if not lines or not lines[0].strip():
            raise ConfigError(f"Nøkkelfila {path} er tom. Korreksjon: skriv nøkkelen på første linje.")
        return lines[0].strip()
    if not generate:
        return None
    value = secrets.token_urlsafe(32)
    if outdir is not None:
        target = _write_secret(outdir, KEY_FILE_NAME, value)
        print(f"Advarsel: verken {KEY_ENV} eller en nøkkelfil er gitt. En ny nøkkel for kontrollsummen er laget "
              f"og skrevet til {target}. Ta vare på den (mottakskontrollen trenger den), og send den aldri til "
              "kommunene.", file=sys.stderr)
    return value


def _write_secret(outdir: Path | str, name: str, value: str) -> Path:
    """Write a generated password or key to ``<outdir>/<name>``, readable by the owner only."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / name
    target.write_text(value + "\n", encoding="utf-8")
    try:
        target.chmod(0o600)
    except OSError:
        pass
    return target
