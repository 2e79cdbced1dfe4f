"""`kalk-excel beregn --aktiv-arbeidsbok`: the button's run from a terminal, on the workbook that
is active in the running Excel.

For managed Windows PCs where Defender's rule "Block all Office applications from creating child
processes" stops the button (RunPython starts `cmd.exe`: "Run-time error '70': Permission
denied", xlwings #821/#1420/#2433): here Python is started from a terminal and attaches to
Excel over COM (macOS: Apple events), so Office starts no process. Everything after finding the
book is `entry.run`: the same checks, blocks, writes and texts as the button, printed instead
of shown in a message box.
"""

from __future__ import annotations

import logging
from typing import Any

from .entry import Outcome, Prepare, run
from .errors import NO_ACTIVE_BOOK, AddinError, fail
from .summary import error_text

log = logging.getLogger(__name__)



def active_book() -> Any:
    """The active workbook of the running Excel (xlwings), or X042."""
    try:
        import xlwings as xw
    except ImportError as exc:
        raise fail(NO_ACTIVE_BOOK, "xlwings", error=exc) from exc
    try:
        if not xw.apps.count:
            raise fail(NO_ACTIVE_BOOK, "excel")
        app = xw.apps.active
        if app is None:
            raise fail(NO_ACTIVE_BOOK, "excel")
        book = app.books.active
    except AddinError:
        raise
    except Exception as exc:  # noqa: BLE001 - no Excel on this machine, or Excel refuses (a dialog is open)
        log.info("fant ikke Excel", exc_info=True)
        raise fail(NO_ACTIVE_BOOK, "feil", error=f"{type(exc).__name__}: {exc}") from exc
    if book is None:
        raise fail(NO_ACTIVE_BOOK)
    return book


def run_attached(book: Any = None, prepare: Prepare | None = None) -> Outcome:
    """The button's run on `book` (default: Excel's active workbook), without a message box."""
    try:
        target = book if book is not None else active_book()
    except AddinError as exc:
        return Outcome(False, error_text(exc.problem), [exc.problem])
    return run(target, prepare=prepare, alert=False)


def command_active(master: Any, innleveringer: Any, aar: Any, kommuner: Any, as_json: bool) -> int:
    """`kalk-excel beregn --aktiv-arbeidsbok`: prints the summary (stdout) or the error (stderr);
    exit 0 done, 2 not done. Year, folder and municipalities come from the open master's Oppsett,
    as for the button, so the options that name them elsewhere are refused."""
    import json
    import sys

    given = [name for name, value in (("--master", master), ("--innleveringer", innleveringer), ("--aar", aar),
                                      ("--kommuner", kommuner)) if value is not None]
    if given:
        print(f"Feil: --aktiv-arbeidsbok bruker årstallet, innleveringsmappa og kommunene i den åpne masteren "
              f"(arket Oppsett) og kan ikke kombineres med {', '.join(given)}. Korreksjon: Endre Oppsett i "
              "masteren, eller bruk --master FIL.xlsx uten --aktiv-arbeidsbok.", file=sys.stderr)
        return 2
    print("Kobler til Excel og masteren som er aktiv …", file=sys.stderr)
    outcome = run_attached()
    if as_json:
        print(json.dumps({"ok": outcome.ok, "melding": outcome.message, "skrevet": outcome.written,
                          "logg": str(outcome.log_path) if outcome.log_path else None,
                          "problemer": [{"kode": p.code, "alvorlighet": p.severity, "melding": p.message,
                                         "korreksjon": p.fix} for p in outcome.problems]}, ensure_ascii=False))
    else:
        print(outcome.message, file=sys.stdout if outcome.ok else sys.stderr)
    return 0 if outcome.ok else 2
