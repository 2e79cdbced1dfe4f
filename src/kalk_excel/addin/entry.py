"""What the ribbon button «Beregn dekningsgrad» runs: `main()` (via `beregningsutvalget.main`).

Read *Oppsett*, let the core (`kalk_excel.pipeline.update.prepare_update`, given the master's
saved file for its municipality list, parameters and Sporbarhet length) check the submissions
and decide what goes where, write its blocks into the master (all or nothing),
recalculate, and tell the user in Norwegian. Every failure ends in a message box, never a
traceback; the master is left as it was.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable

from kalk_excel.problems import Problem

from .errors import CORE_FAILED, CORE_MISSING, UNEXPECTED, AddinError, fail
from .oppsett import read_oppsett
from .protection import password, protector_for
from .session import ExcelSession
from .summary import RESULT_NAME, TITLE, error_text, summary_text
from .writer import write_blocks

log = logging.getLogger(__name__)

Prepare = Callable[..., Any]


@dataclass
class Outcome:
    ok: bool
    message: str
    problems: list[Problem] = field(default_factory=list)


def main() -> None:
    """Entry point of the add-in: runs on the workbook the button was pressed in."""
    import xlwings as xw

    run(xw.Book.caller())


def run(book: Any, prepare: Prepare | None = None) -> Outcome:
    """The whole button press on `book` (an xlwings Book); `prepare` defaults to the core's."""
    session = ExcelSession(book)
    try:
        session.status(f"{TITLE}: leser Oppsett …")
        oppsett = read_oppsett(session)
        session.status(f"{TITLE}: kontrollerer innleverte skjema i {oppsett.submissions_dir} …")
        update = _prepare(prepare, oppsett.year, oppsett.submissions_dir, _saved_master(session),
                          progress=lambda text: session.status(f"{TITLE}: {text} …"))
        with session.quiet():
            result = write_blocks(session, update.blocks, protector_for(book, password()),
                                  progress=lambda text: session.status(f"{TITLE}: {text}"))
        session.status(f"{TITLE}: beregner …")
        session.calculate()
        dekningsgrad = _result(session)
        text = summary_text(oppsett.year, getattr(update, "summary", {}) or {}, getattr(update, "files", []) or [],
                            dekningsgrad, result.blocks, result.cells, result.problems,
                            notes=getattr(update, "problems", None) or [])
        session.status(None)
        session.alert(text, TITLE, critical=bool(result.problems))
        return Outcome(True, text, list(result.problems))
    except AddinError as exc:
        return _report(session, exc.problem)
    except Exception as exc:  # noqa: BLE001 - the boundary: the user gets a record, not a traceback
        log.exception("uventet feil i Beregn dekningsgrad")
        return _report(session, Problem(UNEXPECTED, "feil", f"Uventet feil: {type(exc).__name__}: {exc}",
                                        "Meld fra til den som vedlikeholder kalk-excel, med denne meldingen."))


def _saved_master(session: ExcelSession) -> Any:
    """The master's file as last saved: the core reads its municipality rows, Parametre and how
    far Sporbarhet is filled from it (unsaved edits in Excel are not seen; see the README)."""
    path = session.path()
    return path if path is not None and path.is_file() else None


def _prepare(prepare: Prepare | None, year: int, folder: Any, master_path: Any, progress: Callable[[str], None]) -> Any:
    if prepare is None:
        try:
            from kalk_excel.pipeline.update import prepare_update as prepare
        except ImportError as exc:
            raise fail(CORE_MISSING, f"Beregningsdelen av kalk-excel mangler i denne installasjonen ({exc}).",
                       'Installer kalk-excel på nytt: pip install --upgrade "kalk-excel[addin]"') from exc
    try:
        return prepare(year, folder, kommuner=None, master_path=master_path, progress=progress)
    except AddinError:
        raise
    except Exception as exc:  # noqa: BLE001 - the core's failure, reported before anything is written
        problem = getattr(exc, "problem", None)
        if isinstance(problem, Problem):
            raise AddinError(problem) from exc
        text = str(exc).strip().rstrip(".") or type(exc).__name__
        raise fail(CORE_FAILED, f"Kontrollen av innleveringene stoppet: {text}. Ingenting er skrevet til masteren.",
                   "Rett feilen og trykk «Beregn dekningsgrad» igjen.") from exc


def _result(session: ExcelSession) -> Any:
    if not session.has_name(RESULT_NAME):
        return None
    values = session.read_name(RESULT_NAME)
    return values[0][0] if values and values[0] else None


def _report(session: ExcelSession, problem: Problem) -> Outcome:
    text = error_text(problem)
    session.status(None)
    session.alert(text, TITLE, critical=True)
    return Outcome(False, text, [problem])
