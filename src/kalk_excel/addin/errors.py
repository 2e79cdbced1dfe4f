"""Errors of the add-in as records: every failure the user sees is a `Problem` with a Norwegian
message, carried by `AddinError` from where it is found to the one place that shows it."""

from __future__ import annotations

from typing import Any

from kalk_excel.problems import Problem

# The codes live in the catalogue (addin/codes.py); re-exported here for the raising modules.
from .codes import (  # noqa: F401
    TEMPLATE_MISSING,
    XLWINGS_VERSION,
    TEMPLATE_CHANGED,
    ADDIN_NAME,
    OPPSETT_NAME,
    OPPSETT_YEAR,
    OPPSETT_FOLDER,
    NOT_A_MASTER,
    STATE_TOO_LARGE,
    CORE_MISSING,
    CORE_FAILED,
    BLOCK_INVALID,
    SHEET_MISSING,
    UNPROTECT_FAILED,
    WRITE_FAILED,
    RESTORE_FAILED,
    PROTECT_FAILED,
    FORMULA_IN_TARGET,
    AFTER_WRITE_FAILED,
    ALREADY_RUNNING,
    BOOK_CHANGED,
    NO_ACTIVE_BOOK,
    UNEXPECTED,
)


class AddinError(Exception):
    """An error that stops the run; `problem` is what the user is told."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def fail(code: str, message: str, fix: str = "", **where: Any) -> AddinError:
    """Build an `AddinError` with a `feil` problem (raise the result)."""
    return AddinError(Problem(code=code, severity="feil", message=message, fix=fix, **where))
