"""Intake: receipt checks of returned survey workbooks — package safety, identification,
integrity of the locked content, every rule of the form definition re-run from raw inputs,
comparisons with IMDi, last year and the other municipalities, and the reports.

Public API: ``check_folder(folder, year=None, kommuner=None, fjorar=None, settings=None)`` ->
``IntakeReport`` (one ``FileResult`` per file), ``check_file``, ``Settings``, and the writers
``write_json_report``, ``write_xlsx_report``, ``write_feedback``.
"""

from .checkfile import check_file
from .feedback import write_all_feedback, write_feedback
from .folder import IntakeUsageError, check_folder
from .report import report_dict, write_json_report, write_xlsx_report
from .results import FileResult, IntakeReport
from .settings import Settings

__all__ = ["FileResult", "IntakeReport", "IntakeUsageError", "Settings", "check_file", "check_folder",
           "report_dict", "write_all_feedback", "write_feedback", "write_json_report", "write_xlsx_report"]
