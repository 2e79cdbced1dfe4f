"""Sheet protection around the add-in's writes: lift it, remember its options, put it back.

Excel refuses writes into a protected sheet on Windows and silently ignores them on macOS, so a
protected sheet is unprotected first (and checked), then protected again with the same options.
xlwings 0.37.8 has no protection API of its own: Windows goes through COM (`sheet.api`), macOS
through appscript (names from xlwings' `mac_dict`: a worksheet's protection object is
`protection_object`; `protection` is a command bar's), and engines without either (the remote
engine) are detected and skipped.

The password is always passed, empty when KALK_EXCEL_PASSORD is not set: `Unprotect()` without
an argument makes Excel prompt for it, and the sheet would then be protected again without
one. With an empty password a password-protected sheet refuses instead (X032).
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Protocol

from .errors import PROTECT_FAILED, UNPROTECT_FAILED, fail

log = logging.getLogger(__name__)

PASSWORD_ENV = "KALK_EXCEL_PASSORD"
# Protection options Excel keeps per sheet (COM names; appscript uses the snake_case form).
ALLOW_OPTIONS = ("AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows",
                 "AllowInsertingColumns", "AllowInsertingRows", "AllowInsertingHyperlinks",
                 "AllowDeletingColumns", "AllowDeletingRows", "AllowSorting", "AllowFiltering",
                 "AllowUsingPivotTables")


@dataclass(frozen=True)
class ProtectionState:
    """How a sheet was protected before the add-in lifted it (`protected=False`: left alone)."""
    protected: bool
    options: dict[str, bool] = field(default_factory=dict)


class Protector(Protocol):
    supported: bool

    def unprotect(self, sheet: Any) -> ProtectionState: ...
    def protect(self, sheet: Any, state: ProtectionState) -> None: ...


def password() -> str | None:
    """The protection password: environment variable KALK_EXCEL_PASSORD, or none."""
    return os.environ.get(PASSWORD_ENV) or None


def protector_for(book: Any, pw: str | None = None) -> Protector:
    """The protection strategy for the engine and platform `book` lives on."""
    engine = book.app.engine.name
    if engine == "excel" and sys.platform.startswith("win"):
        return ComProtector(pw)
    if engine == "excel" and sys.platform.startswith("darwin"):
        return MacProtector(pw)
    return UnsupportedProtector(engine)


def _unprotect_failed(sheet: Any, detail: object, pw: str | None) -> Exception:
    return fail(UNPROTECT_FAILED, "" if pw else "uten_passord", sheet=sheet.name, env=PASSWORD_ENV, error=detail)


def _protect_failed(sheet: Any, detail: object) -> Exception:
    return fail(PROTECT_FAILED, sheet=sheet.name, error=detail)


class ComProtector:
    """Windows: Worksheet.Unprotect / Worksheet.Protect through COM."""
    supported = True

    def __init__(self, pw: str | None) -> None:
        self.password = pw

    def unprotect(self, sheet: Any) -> ProtectionState:
        api = sheet.api
        if not api.ProtectContents:
            return ProtectionState(False)
        options = {"DrawingObjects": bool(api.ProtectDrawingObjects), "Contents": True,
                   "Scenarios": bool(api.ProtectScenarios)}
        options.update({name: bool(getattr(api.Protection, name)) for name in ALLOW_OPTIONS})
        try:  # COM errors (wrong password) have a platform-specific type: turned into a record here
            api.Unprotect(self.password or "")  # never without an argument: Excel would prompt
        except Exception as exc:  # noqa: BLE001
            raise _unprotect_failed(sheet, exc, self.password) from exc
        if api.ProtectContents:
            raise _unprotect_failed(sheet, "arket er fortsatt beskyttet", self.password)
        return ProtectionState(True, options)

    def protect(self, sheet: Any, state: ProtectionState) -> None:
        if not state.protected:
            return
        kwargs: dict[str, bool | str] = dict(state.options)
        if self.password:
            kwargs["Password"] = self.password
        try:
            sheet.api.Protect(**kwargs)
        except Exception as exc:  # noqa: BLE001
            raise _protect_failed(sheet, exc) from exc


class MacProtector:
    """macOS: `unprotect` / `protect worksheet` through appscript (writes into a protected
    sheet would be silently ignored, so the unprotect is verified)."""
    supported = True

    def __init__(self, pw: str | None) -> None:
        self.password = pw

    def unprotect(self, sheet: Any) -> ProtectionState:
        api = sheet.api
        if not api.protect_contents.get():
            return ProtectionState(False)
        options = {"drawing_objects": bool(api.protect_drawing_objects.get()), "worksheet_contents": True,
                   "scenarios": bool(api.protect_scenarios.get())}
        for name in ALLOW_OPTIONS:
            snake = _snake(name)
            options[snake] = bool(getattr(api.protection_object, snake).get())
        try:
            api.unprotect(password=self.password or "")  # never without a password: Excel would prompt
        except Exception as exc:  # noqa: BLE001
            raise _unprotect_failed(sheet, exc, self.password) from exc
        if api.protect_contents.get():
            raise _unprotect_failed(sheet, "arket er fortsatt beskyttet", self.password)
        return ProtectionState(True, options)

    def protect(self, sheet: Any, state: ProtectionState) -> None:
        if not state.protected:
            return
        kwargs: dict[str, bool | str] = dict(state.options)
        if self.password:
            kwargs["password"] = self.password
        try:
            sheet.api.protect_worksheet(**kwargs)
        except Exception as exc:  # noqa: BLE001
            raise _protect_failed(sheet, exc) from exc


class UnsupportedProtector:
    """Engines with no sheet protection (xlwings' remote engine): write without lifting it."""
    supported = False

    def __init__(self, engine: str) -> None:
        self.engine = engine
        self._logged = False

    def unprotect(self, sheet: Any) -> ProtectionState:
        if not self._logged:
            log.info("xlwings-motoren %r har ikke arkbeskyttelse: skriver uten å oppheve den", self.engine)
            self._logged = True
        return ProtectionState(False)

    def protect(self, sheet: Any, state: ProtectionState) -> None:
        return None


def _snake(name: str) -> str:
    out = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
    return out.replace("using_pivot_tables", "using_pivot_table")  # appscript's spelling
