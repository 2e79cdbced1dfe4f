"""Configuration read from the environment and files: the protection password of the survey
workbooks (``KALK_EXCEL_PASSORD``, else ``--passord-fil``, else a generated one written to
``<ut>/PASSORD.txt`` with a warning). No password is ever written in the code.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

PASSWORD_ENV = "KALK_EXCEL_PASSORD"
PASSWORD_FILE_NAME = "PASSORD.txt"


class ConfigError(ValueError):
    """Configuration problem (Norwegian message)."""


def protection_password(passord_fil: Path | str | None = None, outdir: Path | str | None = None) -> str:
    """The password that protects sheets and structure of generated survey workbooks."""
    value = os.environ.get(PASSWORD_ENV, "").strip()
    if value:
        return value
    if passord_fil is not None:
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
        out = Path(outdir)
        out.mkdir(parents=True, exist_ok=True)
        target = out / PASSWORD_FILE_NAME
        target.write_text(value + "\n", encoding="utf-8")
        try:
            target.chmod(0o600)
        except OSError:
            pass
        print(f"Advarsel: verken {PASSWORD_ENV} eller --passord-fil er gitt. Et tilfeldig passord er laget og "
              f"skrevet til {target}. Ta vare på det: det trengs for å oppheve arkbeskyttelsen.", file=sys.stderr)
    else:
        print(f"Advarsel: verken {PASSWORD_ENV} eller --passord-fil er gitt; et tilfeldig passord brukes og "
              "lagres ikke.", file=sys.stderr)
    return value
