"""Problems are records, never tracebacks: one shape for every finding about a submitted file
or a run (intake, pull, master, add-in), collected in one pass and reported together.

Codes are stable strings (``V001``), each defined once in its family's catalogue
(``kalk_excel.codes``); messages and fixes are Norwegian bokmål, written for the
municipality's contact person ("Korreksjon:" tells what to do).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["feil", "advarsel", "info"]
SEVERITY_ORDER = {"feil": 0, "advarsel": 1, "info": 2}


@dataclass(frozen=True)
class Problem:
    code: str                     # stable code, e.g. V001 (see kalk_excel.codes)
    severity: Severity            # feil | advarsel | info
    message: str                  # what is wrong (Norwegian)
    fix: str = ""                 # "Korreksjon:" what to do (Norwegian)
    file: str | None = None       # file name as received
    sheet: str | None = None
    cell: str | None = None       # A1 reference on that sheet
    field: str | None = None      # field id
    value: Any = None             # the offending value (as read, made JSON-safe by the reporter)
    part: str | None = None       # printed part number ("3")
    question: str | None = None   # printed question number ("3.4")

    def to_dict(self) -> dict[str, Any]:
        """Keys as in the JSON report (Norwegian): kode, alvorlighet, ark, celle, felt, verdi, ..."""
        d = asdict(self)
        return {"kode": d["code"], "alvorlighet": d["severity"], "fil": d["file"], "ark": d["sheet"],
                "celle": d["cell"], "felt": d["field"], "verdi": d["value"], "melding": d["message"],
                "korreksjon": d["fix"], "del": d["part"], "sporsmal": d["question"]}


def sort_key(p: Problem) -> tuple:
    return (p.file or "", SEVERITY_ORDER[p.severity], p.sheet or "", p.cell or "", p.code)
