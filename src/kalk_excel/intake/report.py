"""The overall intake report: one JSON object (also what ``--json`` prints) and an xlsx for the
secretariat with the counts per problem code at the top, one row per file and one per problem.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from .codes import CODES
from .results import FileResult, IntakeReport
from .xlsxtext import put

STATUS_TEXT = {"godkjent": "Godkjent", "advarsler": "Godkjent med advarsler",
               "feil": "Har feil som må rettes", "avvist": "Avvist"}
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def json_safe(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [json_safe(v) for v in value]
    return str(value)


def file_dict(r: FileResult) -> dict[str, Any]:
    return json_safe({
        "fil": r.file, "status": r.status, "skjema": r.form_id, "aar": r.year, "versjon": r.version,
        "kommunenummer": r.kommunenummer, "kommunenavn": r.kommunenavn, "sha256": r.sha256,
        "mottatt": r.received, "lagret": r.content_time, "erstattet_av": r.replaced_by, "antall": r.counts,
        "problemer": [p.to_dict() for p in r.problems],
    })


def report_dict(report: IntakeReport) -> dict[str, Any]:
    files = [file_dict(r) for r in report.files]
    return {
        "oppsummering": json_safe({
            "mappe": report.folder, "aar": report.year, "antall_filer": len(report.files),
            "status": report.status_counts(), "koder": report.code_counts(),
            "har_feil": report.has_errors(), "sekunder": round(report.seconds, 3),
            "problemer": [p.to_dict() for p in report.problems],
        }),
        "filer": files,
    }


def write_json_report(report: IntakeReport, path: Path | str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report_dict(report), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_xlsx_report(report: IntakeReport, path: Path | str) -> Path:
    """Oppsummering (counts per status and per code), Filer, Problemer; and ``<path>.json`` beside it."""
    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "Oppsummering"
    put(ws, 1, 1, "Mottakskontroll – oppsummering").font = Font(bold=True, size=14)
    put(ws, 2, 1, f"Mappe: {report.folder}")
    put(ws, 3, 1, f"År: {report.year or 'ukjent'} · filer: {len(report.files)} · "
                  f"kontrollert: {report.started.strftime('%d.%m.%Y %H:%M') if report.started else ''}")
    row = 5
    for col, h in enumerate(("Kode", "Antall", "Alvorlighet", "Navn"), start=1):
        _head(put(ws, row, col, h))
    for code, n in report.code_counts().items():
        row += 1
        c = CODES.get(code)
        put(ws, row, 1, code)
        put(ws, row, 2, n)
        put(ws, row, 3, c.severity if c else "")
        put(ws, row, 4, c.title if c else "")
    row += 2
    for col, h in enumerate(("Status", "Antall filer"), start=1):
        _head(put(ws, row, col, h))
    for status, n in report.status_counts().items():
        row += 1
        put(ws, row, 1, STATUS_TEXT[status])
        put(ws, row, 2, n)
    if report.problems:
        row += 2
        _head(put(ws, row, 1, "Om kjøringen"))
        for p in report.problems:
            row += 1
            put(ws, row, 1, p.code)
            put(ws, row, 2, p.severity)
            put(ws, row, 3, p.message)
    _widths(ws, (12, 12, 14, 60))

    wf = wb.create_sheet("Filer")
    heads = ("Fil", "Status", "Skjema", "År", "Versjon", "Kommunenr", "Kommune", "Feil", "Advarsler", "Info",
             "Erstattet av", "SHA-256")
    for col, h in enumerate(heads, start=1):
        _head(put(wf, 1, col, h))
    for i, r in enumerate(report.files, start=2):
        for col, v in enumerate((r.file, STATUS_TEXT[r.status], r.form_id, r.year, r.version, r.kommunenummer,
                                 r.kommunenavn, r.counts.get("feil", 0), r.counts.get("advarsel", 0),
                                 r.counts.get("info", 0), r.replaced_by, r.sha256), start=1):
            put(wf, i, col, v)
    wf.freeze_panes = "A2"
    _widths(wf, (34, 22, 8, 6, 9, 11, 18, 6, 10, 6, 30, 20))

    wp = wb.create_sheet("Problemer")
    heads = ("Fil", "Kommunenr", "Kode", "Alvorlighet", "Del", "Spørsmål", "Ark", "Celle", "Felt", "Verdi",
             "Melding", "Korreksjon:")
    for col, h in enumerate(heads, start=1):
        _head(put(wp, 1, col, h))
    row = 1
    for r in report.files:
        for p in r.problems:
            row += 1
            for col, v in enumerate((r.file, r.kommunenummer, p.code, p.severity, p.part, p.question, p.sheet,
                                     p.cell, p.field, p.value, p.message, p.fix), start=1):
                put(wp, row, col, v)
    wp.freeze_panes = "A2"
    if row > 1:
        wp.auto_filter.ref = f"A1:L{row}"
    _widths(wp, (30, 10, 7, 11, 5, 9, 16, 7, 24, 18, 60, 50))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    write_json_report(report, path.with_suffix(".json"))
    return path


def _head(cell):  # type: ignore[no-untyped-def]
    cell.font = BOLD
    cell.fill = HEAD_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _widths(ws, widths) -> None:  # type: ignore[no-untyped-def]
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
