"""Excel-side operations on the calling workbook, each a fixed number of calls into Excel.

Engines differ in what they implement (xlwings' remote engine has no status bar and cannot
read the calculation mode unless the client sends it). Such features are detected explicitly:
`NotImplementedError` from that one property is caught, logged once, and the feature skipped.
(`app.properties(...)` is not used: it reads each property first and would fail there.)
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from .errors import BOOK_CHANGED, OPPSETT_NAME, SHEET_MISSING, fail

log = logging.getLogger(__name__)



class ExcelSession:
    """The workbook the button was pressed in, and its Excel application."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.app = book.app
        self.engine = book.app.engine.name
        self.unsupported: set[str] = set()  # features this engine lacks (seen at run time)
        self._sheets: dict[str, Any] | None = None
        self.book_name = str(book.name)     # as the user sees it in the title bar

    # --- optional features -------------------------------------------------------------------
    def _optional(self, feature: str, action: Callable[[], Any]) -> Any:
        """Run `action`; if this engine does not implement `feature`, log once and return None."""
        if feature in self.unsupported:
            return None
        try:
            return action()
        except NotImplementedError as exc:
            self.unsupported.add(feature)
            log.info("xlwings-motoren %r støtter ikke %s: %s", self.engine, feature, exc)
            return None

    def status(self, text: str | None) -> None:
        """Show `text` in Excel's status bar; None gives the status bar back to Excel."""
        self._optional("status_bar", lambda: setattr(self.app, "status_bar", False if text is None else text))

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Screen updating off and calculation manual inside the block; both restored after."""
        previous_calc = self._optional("calculation", lambda: self.app.calculation)
        if previous_calc is not None and previous_calc != "manual":
            self.app.calculation = "manual"
        self._optional("screen_updating", lambda: setattr(self.app, "screen_updating", False))
        screen_off = "screen_updating" not in self.unsupported
        try:
            yield
        finally:
            if screen_off:
                self._optional("screen_updating", lambda: setattr(self.app, "screen_updating", True))
            if previous_calc is not None and previous_calc != "manual":
                self.app.calculation = previous_calc

    def calculate(self) -> None:
        self.app.calculate()

    def alert(self, text: str, title: str, critical: bool = False) -> None:
        """A message box; where the engine has none, the text goes to the status bar instead."""
        self._optional("alert", lambda: self.app.alert(text, title=title, mode="critical" if critical else "info"))
        if "alert" in self.unsupported:
            self.status(text.replace("\n", " "))

    # --- sheets, ranges, names ---------------------------------------------------------------
    def sheet(self, name: str) -> Any:
        if self._sheets is None:
            self._sheets = {s.name.casefold(): s for s in self.book.sheets}
        try:
            return self._sheets[name.casefold()]
        except KeyError:
            raise fail(SHEET_MISSING, sheet=name) from None

    def sheet_names(self) -> list[str]:
        if self._sheets is None:
            self._sheets = {s.name.casefold(): s for s in self.book.sheets}
        return [s.name for s in self._sheets.values()]

    def used_extent(self, sheet_name: str) -> tuple[int, int]:
        """(last row, last column) of the sheet's used range, counted from A1; (0, 0) when empty."""
        sheet = self.sheet(sheet_name)
        last = sheet.used_range.last_cell
        if last.row == 1 and last.column == 1 and sheet.range((1, 1)).value is None:
            return 0, 0
        return int(last.row), int(last.column)

    def name_refs(self) -> dict[str, str]:
        """Workbook-scope names and what they refer to ("=Oppsett!$B$4")."""
        out = {}
        for n in self.book.names:
            name = str(n.name)
            if "!" in name:            # sheet-scope names are not the master's
                continue
            try:
                ref = n.refers_to
            except Exception:  # noqa: BLE001 - a name that is not a range is of no use here
                continue
            if isinstance(ref, str):
                out[name] = ref
        return out

    def still_same_book(self) -> None:
        """Before each write: the book is still open under the name it had when the run started
        (on macOS the run goes on in the background while the user can close or save as)."""
        try:
            name = str(self.book.name)
            open_names = {str(b.name) for b in self.app.books}
        except Exception as exc:  # noqa: BLE001 - a closed workbook's object raises on any access
            raise fail(BOOK_CHANGED, book=self.book_name, error=type(exc).__name__) from exc
        if name != self.book_name or name not in open_names:
            raise fail(BOOK_CHANGED, "nytt_navn", book=self.book_name, name=name)

    def region(self, sheet_name: str, row: int, col: int, nrows: int, ncols: int) -> Any:
        """The range of `nrows` x `ncols` cells with (row, col) (1-based) top left."""
        return self.sheet(sheet_name).range((row, col), (row + nrows - 1, col + ncols - 1))

    @staticmethod
    def read(rng: Any) -> list[list[Any]]:
        """One read of a whole range as a 2-D list."""
        return [list(r) for r in rng.options(ndim=2).value]

    @staticmethod
    def write(rng: Any, values: list[list[Any]]) -> None:
        """One 2-D assignment of the whole range."""
        rng.value = values

    def formulas(self, rng: Any) -> list[list[Any]] | None:
        """The range's formulas as a 2-D list (constants come back as their text), or None where
        the engine cannot read formulas (xlwings' remote engine)."""
        raw = self._optional("formula", lambda: rng.formula)
        if raw is None:
            return None
        if not isinstance(raw, (list, tuple)):
            return [[raw]]
        if raw and not isinstance(raw[0], (list, tuple)):
            return [list(raw)]
        return [list(r) for r in raw]

    def has_name(self, name: str) -> bool:
        return bool(self.book.names.contains(name))

    def read_name(self, name: str) -> list[list[Any]]:
        """The values of the range a workbook-scope name refers to, as a 2-D list."""
        if not self.has_name(name):
            raise fail(OPPSETT_NAME, field=name)
        return self.read(self.book.names[name].refers_to_range)

    def path(self) -> Path | None:
        """The workbook's file on disk, or None when it has none (never saved, or a cloud URL that
        xlwings cannot map to a local file: it raises then, e.g. "Couldn't find your local OneDrive
        for Business file"; that is logged, not fatal)."""
        try:
            fullname = str(self.book.fullname or "")
        except Exception as exc:  # noqa: BLE001 - xlwings' own URL conversion failed
            log.info("fant ikke arbeidsbokas lokale fil (%s: %s)", type(exc).__name__, exc)
            return None
        if "://" in fullname or not (("/" in fullname) or ("\\" in fullname)):
            return None
        return Path(fullname)

    def folder(self) -> Path | None:
        """Folder of the workbook on disk, or None."""
        path = self.path()
        return path.parent if path is not None else None
