"""The open master as the core sees it: the sheets `kalk_excel.pipeline.state` parses, read from
the live workbook (unsaved edits included, no file on disk needed, also when `fullname` is a
cloud URL) and parsed by the core's one parser, `parse_master_state`.

Each sheet is read from A1 to the last cell of its used range in row bands of at most
`writer.CHUNK_CELLS` cells; *Sporbarhet* is not read at all, only how far it is used (the core
clears down to there, so a second run without saving leaves no stale rows). Workbook-scope
names go along as references, so moved tables are found where the names point.
"""

from __future__ import annotations

from typing import Any

from kalk_excel.master.layout import SHEET_INPUT, SHEET_PARAMS, SHEET_SETUP, SHEET_TRACE
from kalk_excel.pipeline.state import EXTRA_STATE_SHEETS, LENGTH_ONLY_SHEETS, MASTER_STATE_SHEETS, MasterState, parse_master_state

from .errors import NOT_A_MASTER, STATE_TOO_LARGE, fail
from .oppsett import NAME_FOLDER, NAME_YEAR
from .session import ExcelSession
from .writer import CHUNK_CELLS

# A state sheet is a few thousand cells; a used range far beyond means formatting or stray
# entries far down or right (Ctrl+End shows it), and reading it all would take minutes.
MAX_STATE_CELLS = 2_000_000

# What makes the active workbook a master of this project (checked before anything else).
MASTER_SHEETS = (SHEET_SETUP, SHEET_PARAMS, SHEET_INPUT["adm"], SHEET_INPUT["norsk"], SHEET_TRACE)
MASTER_NAMES = (NAME_YEAR, NAME_FOLDER)


def check_master(session: ExcelSession) -> None:
    """The active workbook must be a master made by `kalk-excel master` (X013, naming it)."""
    present = {s.casefold() for s in session.sheet_names()}
    missing = [s for s in MASTER_SHEETS if s.casefold() not in present]
    missing += [f"navnet {n}" for n in MASTER_NAMES if not session.has_name(n)]
    if missing:
        raise fail(NOT_A_MASTER, book=session.book_name, missing=", ".join(missing))


def read_grids(session: ExcelSession) -> tuple[dict[str, list[list[Any]]], dict[str, str]]:
    """{sheet: values from A1} for the state sheets present, and {name: reference}."""
    grids: dict[str, list[list[Any]]] = {}
    present = {s.casefold(): s for s in session.sheet_names()}
    for wanted in (*MASTER_STATE_SHEETS, *EXTRA_STATE_SHEETS):
        name = present.get(wanted.casefold())
        if name is None:
            continue
        rows, cols = session.used_extent(name)
        if wanted in LENGTH_ONLY_SHEETS:        # Sporbarhet, Innleveringer: only their length is used
            grids[wanted] = [[None]] * rows
            continue
        if rows * cols > MAX_STATE_CELLS:
            raise fail(STATE_TOO_LARGE, sheet=name, book=session.book_name, rows=rows, cols=cols, cells=rows * cols)
        grid: list[list[Any]] = []
        step = max(1, CHUNK_CELLS // max(cols, 1))
        for first in range(1, rows + 1, step):
            n = min(step, rows - first + 1)
            grid += session.read(session.region(name, first, 1, n, cols))
        grids[wanted] = grid
    return grids, session.name_refs()


def read_state(session: ExcelSession) -> MasterState:
    grids, names = read_grids(session)
    return parse_master_state(grids, names, source=f"«{session.book_name}»")
