"""Errors of the add-in as records: every failure the user sees is a `Problem` with a Norwegian
message, carried by `AddinError` from where it is found to the one place that shows it."""

from __future__ import annotations

from typing import Any

from kalk_excel.codes import problem
from kalk_excel.problems import Problem

# The codes live in the catalogue (addin/codes.py); re-exported here for the raising modules.
from .codes import (  # noqa: F401
    ADDIN_NAME,
    AFTER_WRITE_FAILED,
    ALREADY_RUNNING,
    BLOCK_INVALID,
    BOOK_CHANGED,
    CORE_FAILED,
    CORE_MISSING,
    FORMULA_IN_TARGET,
    NO_ACTIVE_BOOK,
    NOT_A_MASTER,
    OPPSETT_FOLDER,
    OPPSETT_NAME,
    OPPSETT_YEAR,
    PROTECT_FAILED,
    RESTORE_FAILED,
    SHEET_MISSING,
    STATE_TOO_LARGE,
    TEMPLATE_CHANGED,
    TEMPLATE_MISSING,
    UNEXPECTED,
    UNPROTECT_FAILED,
    WRITE_FAILED,
    XLWINGS_VERSION,
)


class AddinError(Exception):
    """An error that stops the run; `problem` is what the user is told."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def fail(code: str, variant: str = "", **values: Any) -> AddinError:
    """Build an `AddinError` whose problem has the catalogue's words for ``code`` (addin/codes.py;
    ``variant`` picks the wording, ``values`` fill it and may name ``sheet``, ``cell``, ``field``
    and ``value``); raise the result."""
    return AddinError(problem(code, variant, **values))
