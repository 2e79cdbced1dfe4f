"""Errors of the add-in as records: every failure the user sees is a `Problem` with a Norwegian
message, carried by `AddinError` from where it is found to the one place that shows it."""

from __future__ import annotations

from kalk_excel.problems import Problem

# Stable codes for problems found by the add-in and its build (X = Excel add-in).
TEMPLATE_MISSING = "X001"
XLWINGS_VERSION = "X002"
TEMPLATE_CHANGED = "X003"
ADDIN_NAME = "X004"
OPPSETT_NAME = "X010"
OPPSETT_YEAR = "X011"
OPPSETT_FOLDER = "X012"
NOT_A_MASTER = "X013"
STATE_TOO_LARGE = "X014"
CORE_MISSING = "X020"
CORE_FAILED = "X021"
BLOCK_INVALID = "X030"
SHEET_MISSING = "X031"
UNPROTECT_FAILED = "X032"
WRITE_FAILED = "X033"
RESTORE_FAILED = "X034"
PROTECT_FAILED = "X035"
FORMULA_IN_TARGET = "X036"
AFTER_WRITE_FAILED = "X037"
ALREADY_RUNNING = "X040"
BOOK_CHANGED = "X041"
NO_ACTIVE_BOOK = "X042"
UNEXPECTED = "X099"


class AddinError(Exception):
    """An error that stops the run; `problem` is what the user is told."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def fail(code: str, message: str, fix: str = "", **where: object) -> AddinError:
    """Build an `AddinError` with a `feil` problem (raise the result)."""
    return AddinError(Problem(code=code, severity="feil", message=message, fix=fix, **where))
