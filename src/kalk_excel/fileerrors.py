"""An ``OSError`` in Norwegian words: what went wrong with which path, and what to do. The one
place that words file-system errors for the user (the command line, ``beregn``)."""

from __future__ import annotations

import errno


def os_error_text(exc: OSError, what: str | None = None) -> tuple[str, str]:
    """(message, fix) in Norwegian for an ``OSError`` on ``exc.filename`` (or ``what``)."""
    target = _printable(exc.filename) if exc.filename else (what or "fila")
    code = exc.errno
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return (f"Ingen tilgang til {target}.", "velg en fil eller mappe du har tilgang til, eller be om tilgang.")
    if code == errno.EROFS:
        return (f"{target} ligger på et område som bare kan leses.", "velg en mappe du kan skrive i.")
    if code == errno.ENOSPC:
        return (f"Disken er full ved skriving til {target}.", "frigjør plass og prøv igjen.")
    if isinstance(exc, IsADirectoryError) or code == errno.EISDIR:
        return (f"{target} er en mappe, men her skal det være en fil.", "oppgi en fil, ikke en mappe.")
    if isinstance(exc, NotADirectoryError) or code == errno.ENOTDIR:
        return (f"{target} er en fil, men her skal det være en mappe.", "oppgi en mappe, ikke en fil.")
    if isinstance(exc, FileNotFoundError) or code == errno.ENOENT:
        return (f"Fant ikke {target}.", "sjekk stien.")
    if isinstance(exc, FileExistsError) or code == errno.EEXIST:
        return (f"{target} finnes fra før.", "velg et annet navn eller flytt den som finnes.")
    return (f"Kunne ikke lese eller skrive {target} (systemfeil {code}).", "sjekk stien og tilgangen, og prøv igjen.")


def _printable(value: object) -> str:
    """A path as text that can always be printed (bytes that are not UTF-8 as \\xNN)."""
    return str(value).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
