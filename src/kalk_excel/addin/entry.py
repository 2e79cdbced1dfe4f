"""What the ribbon button «Beregn dekningsgrad» runs: `main()` (via `beregningsutvalget.main`).

Check that the active workbook is a master, take the run lock, read *Oppsett* and the master's
state from the live workbook (unsaved edits included; `live.read_state`), let the core
(`kalk_excel.pipeline.update.prepare_update`) check the submissions and decide what goes where,
write its blocks into the master (all or nothing), recalculate, and tell the user in Norwegian
which workbook was updated. Every failure ends in a message box, never a traceback: before
writing, the master is as it was; after writing (recalculation, reading the result) the message
says what was written and how to get back. Everything is logged to a file per run whose path
the error message gives (`runlog`).

`run_attached` is the same run for `kalk-excel beregn --aktiv-arbeidsbok` (see `attach`).
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from kalk_excel.problems import Problem

from .errors import AFTER_WRITE_FAILED, CORE_FAILED, CORE_MISSING, NO_ACTIVE_BOOK, UNEXPECTED, AddinError, fail
from .live import check_master, read_state
from .oppsett import read_oppsett
from .protection import password, protector_for
from .runlog import run_lock, run_log
from .session import ExcelSession
from .summary import RESULT_NAME, TITLE, after_write_text, error_text, summary_text
from .writer import WriteResult, write_blocks

log = logging.getLogger(__name__)

Prepare = Callable[..., Any]


@dataclass
class Outcome:
    ok: bool
    message: str
    problems: list[Problem] = field(default_factory=list)
    written: bool = False          # something was written into the master (kept, or not put back)
    log_path: Path | None = None


def main() -> None:
    """Entry point of the add-in: runs on the workbook the button was pressed in. If even that
    workbook cannot be found, there is no Excel message box to show: the Norwegian text goes to
    stderr (xlwings shows it in its error box) and the traceback to the log file."""
    try:
        import xlwings as xw

        book = xw.Book.caller()
    except Exception as exc:  # noqa: BLE001 - the boundary before there is a book
        with run_log() as log_path:
            log.exception("fant ikke arbeidsboka knappen ble trykket i")
        problem = fail(NO_ACTIVE_BOOK, "knappen", error=f"{type(exc).__name__}: {exc}").problem
        sys.stderr.write(error_text(problem, log_path) + "\n")
        raise SystemExit(1) from None
    run(book)


def run(book: Any, prepare: Prepare | None = None, alert: bool = True) -> Outcome:
    """The whole button press on `book` (an xlwings Book); `prepare` defaults to the core's.
    With `alert=False` (the terminal path) nothing is shown in Excel but the status bar."""
    with run_log() as log_path:
        session = ExcelSession(book)
        log.info("Beregn dekningsgrad på «%s» (motor %s)", session.book_name, session.engine)
        outcome = _run(session, prepare, log_path)
        session.status(None)
        if alert:
            _show(session, outcome)
        return outcome


def _run(session: ExcelSession, prepare: Prepare | None, log_path: Path | None) -> Outcome:
    written: WriteResult | None = None
    try:
        check_master(session)
        with run_lock(session.book_name):
            session.status(f"{TITLE}: leser Oppsett og masteren …")
            oppsett = read_oppsett(session)
            state = read_state(session)
            session.status(f"{TITLE}: kontrollerer innleverte skjema i {oppsett.submissions_dir} …")
            update = _prepare(prepare, oppsett.year, oppsett.submissions_dir, state,
                              progress=lambda text: session.status(f"{TITLE}: {text} …"))
            with session.quiet():
                written = write_blocks(session, update.blocks, protector_for(session.book, password()),
                                       progress=lambda text: session.status(f"{TITLE}: {text}"),
                                       before_write=session.still_same_book)
            session.status(f"{TITLE}: beregner …")
            session.calculate()
            dekningsgrad = _result(session)
        text = summary_text(oppsett.year, getattr(update, "summary", {}) or {}, getattr(update, "files", []) or [],
                            dekningsgrad, written.blocks, written.cells, written.problems,
                            notes=getattr(update, "problems", None) or [], book=session.book_name)
        log.info("ferdig: %s område(r), %s celler, %s skrivekall", written.blocks, written.cells, written.calls)
        return Outcome(True, text, list(written.problems), written=True, log_path=log_path)
    except AddinError as exc:
        log.info("stoppet: %s %s", exc.problem.code, exc.problem.message)
        problem = exc.problem
    except Exception as exc:  # noqa: BLE001 - the boundary: the user gets a record, not a traceback
        log.exception("uventet feil i Beregn dekningsgrad")
        problem = fail(UNEXPECTED, error=f"{type(exc).__name__}: {exc}").problem
    if written is not None:  # the blocks are in the master: say so, and how to get back
        after = fail(AFTER_WRITE_FAILED, message=problem.message, fix=problem.fix).problem
        return Outcome(False, after_write_text(after, session.book_name, written.blocks, written.cells, log_path),
                       [after], written=True, log_path=log_path)
    return Outcome(False, error_text(problem, log_path), [problem], log_path=log_path)


def _show(session: ExcelSession, outcome: Outcome) -> None:
    """The message box. On macOS it waits for the user inside an Apple event, which times out
    after two minutes: a box left open must not turn the finished run into an error, so a
    failure to show it is logged and the text goes to the status bar."""
    try:
        session.alert(outcome.message, TITLE, critical=not outcome.ok or bool(outcome.problems))
    except Exception as exc:  # noqa: BLE001
        log.warning("meldingsboksen kunne ikke vises eller ble stående (%s: %s); teksten var:\n%s",
                    type(exc).__name__, exc, outcome.message)
        try:
            session.status(outcome.message.split("\n", 1)[0])
        except Exception:  # noqa: BLE001 - Excel is gone; the log has it
            pass


def _prepare(prepare: Prepare | None, year: int, folder: Any, state: Any, progress: Callable[[str], None]) -> Any:
    if prepare is None:
        try:
            from kalk_excel.pipeline.update import prepare_update
        except ImportError as exc:
            raise fail(CORE_MISSING, error=exc) from exc
        prepare = prepare_update
    try:
        return prepare(year, folder, kommuner=None, state=state, progress=progress)
    except AddinError:
        raise
    except Exception as exc:  # noqa: BLE001 - the core's failure, reported before anything is written
        problem = getattr(exc, "problem", None)
        if isinstance(problem, Problem):
            raise AddinError(problem) from exc
        log.info("kjernen stoppet", exc_info=True)
        text = str(exc).strip().rstrip(".") or type(exc).__name__
        raise fail(CORE_FAILED, error=text) from exc


def _result(session: ExcelSession) -> Any:
    if not session.has_name(RESULT_NAME):
        return None
    values = session.read_name(RESULT_NAME)
    return values[0][0] if values and values[0] else None
