"""The records the intake returns: one ``FileResult`` per received file, one ``IntakeReport`` per run.

Status per file: ``erstattet`` (superseded by a newer file from the same municipality; see
``intake.selection``), ``avvist`` (cannot be used: unsafe, unreadable, not ours, wrong
year/version), else ``feil`` / ``advarsler`` / ``godkjent`` from the most severe problem.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kalk_excel.problems import SEVERITY_ORDER, Problem

from .codes import rejects

STATUSES = ("godkjent", "advarsler", "feil", "avvist", "erstattet")


def _place_key(p: Problem, order: dict[str, int]) -> tuple:
    """File-level problems first, then in workbook order: sheet, row, column."""
    if p.sheet is None:
        return (0, 0, 0, 0, SEVERITY_ORDER[p.severity], p.code)
    digits = "".join(ch for ch in (p.cell or "") if ch.isdigit())
    letters = "".join(ch for ch in (p.cell or "") if ch.isalpha())
    return (1, order.get(p.sheet, len(order)), int(digits or 0), (len(letters), letters),
            SEVERITY_ORDER[p.severity], p.code)


@dataclass
class FileResult:
    file: str                                   # file name as received
    path: str
    sha256: str | None = None
    status: str = "godkjent"
    form_id: str | None = None
    year: int | None = None
    version: str | None = None
    kommunenummer: str | None = None
    kommunenavn: str | None = None
    problems: list[Problem] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)          # raw inputs, text neutralised
    computed: dict[str, Any] = field(default_factory=dict)        # inputs + recomputed fields
    cells: dict[str, tuple[str, str]] = field(default_factory=dict)  # field id -> (sheet, cell)
    received: datetime | None = None            # file modification time (UTC)
    content_time: datetime | None = None        # docProps/core.xml modified (UTC)
    counts: dict[str, int] = field(default_factory=dict)
    replaced_by: str | None = None
    size: int | None = None
    sheet_order: list[str] = field(default_factory=list)          # sheets as in the workbook
    generated: datetime | None = None           # _meta generert: when the form was generated (UTC)
    deadline: str | None = None                 # _meta frist (build argument), as written
    contact: str | None = None                  # _meta kontakt: the secretariat's contact (build argument)
    save_time_suspect: bool = False             # content_time in the future or before ``generated``

    @property
    def used(self) -> bool:
        """The file's values go on to the master (not rejected, not replaced)."""
        return self.status not in ("avvist", "erstattet") and self.replaced_by is None

    def finish(self) -> None:
        """Sort problems and set counts and status from them."""
        order = {name: i for i, name in enumerate(self.sheet_order)}
        self.problems.sort(key=lambda p: _place_key(p, order))
        sev = Counter(p.severity for p in self.problems)
        self.counts = {"feil": sev.get("feil", 0), "advarsel": sev.get("advarsel", 0), "info": sev.get("info", 0)}
        if self.replaced_by:
            self.status = "erstattet"
        elif any(rejects(p) for p in self.problems):
            self.status = "avvist"
        elif self.counts["feil"]:
            self.status = "feil"
        elif self.counts["advarsel"]:
            self.status = "advarsler"
        else:
            self.status = "godkjent"


@dataclass
class IntakeReport:
    folder: str
    year: int | None
    files: list[FileResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)   # about the run (missing files, bad inputs)
    started: datetime | None = None
    seconds: float = 0.0
    choices: dict[tuple[str, str], Any] = field(default_factory=dict)   # (skjema, nr) -> selection.Choice
    expected: list[Any] | None = None       # the municipality list the run was given (Kommune records)

    def has_errors(self) -> bool:
        """True when a file that is not replaced by a newer one is rejected or has feil."""
        return any(f.status in ("feil", "avvist") and f.replaced_by is None for f in self.files)

    def code_counts(self) -> dict[str, int]:
        c = Counter(p.code for f in self.files for p in f.problems)
        c.update(p.code for p in self.problems)
        return dict(sorted(c.items()))

    def status_counts(self) -> dict[str, int]:
        c = Counter(f.status for f in self.files)
        return {s: c.get(s, 0) for s in STATUSES}

    def by_file(self, name: str) -> FileResult:
        for f in self.files:
            if f.file == name:
                return f
        raise KeyError(name)
