"""The overall intake report: one JSON object (also what ``--json`` prints) and an xlsx for the
secretariat with the counts per problem code at the top, the status per municipality and survey
("who has returned what", ``status_rows``), one row per file and one per problem.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kalk_excel.definition.model import Kommune
from kalk_excel.text import clean_text

from .codes import CODES
from .results import FileResult, IntakeReport
from .xlsxtext import put

STATUS_TEXT = {"godkjent": "Godkjent", "advarsler": "Godkjent med advarsler",
               "feil": "Har feil som må rettes", "avvist": "Avvist", "erstattet": "Erstattet av nyere fil"}
NOT_RECEIVED = "ikke mottatt"
# The status table (report workbook, JSON, the master's overview sheet): (JSON key, Norwegian header).
STATUS_TABLE = [
    ("kommunenummer", "Kommunenummer"), ("kommune", "Kommune"), ("skjema", "Skjema"), ("status", "Status"),
    ("fil", "Filen som gjelder"), ("grunn", "Hvorfor denne filen gjelder"), ("lagret", "Lagret (filens egen tid)"),
    ("mottatt", "Mottatt (filtid)"), ("antall_filer", "Antall filer mottatt"), ("feil", "Feil"),
    ("advarsler", "Advarsler"), ("erstattet", "Erstattede filer"), ("merknad", "Merknad"),
]
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def json_safe(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)   # valid UTF-8 even for names that are not (surrogateescape)
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {clean_text(k): json_safe(v) for k, v in value.items()}
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


def local(t: datetime | None) -> datetime | None:
    """An aware time as local time without zone (what a spreadsheet cell shows)."""
    if isinstance(t, datetime) and t.tzinfo is not None:
        return t.astimezone().replace(tzinfo=None, microsecond=0)
    return t


def expected_kommuner(report: IntakeReport) -> list[Kommune] | None:
    """The municipalities the status table expects: the run's list, else the year's default list
    (None when neither exists: the table then shows what was received)."""
    if report.expected is not None:
        return list(report.expected)
    if report.year is None:
        return None
    from kalk_excel.kommuner import KommunelisteFeil, default_path, load_kommuner

    if not default_path(report.year).is_file():
        return None
    try:
        return load_kommuner(report.year)
    except (KommunelisteFeil, OSError, ValueError):
        return None


def status_rows(report: IntakeReport, kommuner: Iterable[Kommune] | None = None) -> list[dict[str, Any]]:
    """Who has returned what: one row per expected kommune x skjema (``kommuner``; without a list,
    every municipality and survey a file was received for), then received groups not on the list.
    The file that counts and why come from ``report.choices`` (``intake.selection``)."""
    choices = report.choices
    if kommuner is None:
        kommuner = expected_kommuner(report)
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    if kommuner is not None:
        expected = [(form_id, k.kommunenummer, k.navn) for k in kommuner for form_id in k.skjema]
    else:
        expected = sorted((key[0], key[1], c.chosen.kommunenavn if c.chosen else "")
                          for key, c in choices.items())
    expected.sort(key=lambda t: (t[1], t[0]))
    for form_id, nr, navn in expected:
        seen.add((form_id, nr))
        rows.append(_status_row(form_id, nr, navn, choices.get((form_id, nr))))
    for (form_id, nr), c in sorted(choices.items()):
        if (form_id, nr) not in seen:
            row = _status_row(form_id, nr, c.chosen.kommunenavn if c.chosen else "", c)
            row["merknad"] = "Kommunen er ikke i kommunelisten."
            rows.append(row)
    return rows


def _status_row(form_id: str, nr: str, navn: str | None, choice: Any) -> dict[str, Any]:
    row: dict[str, Any] = {key: None for key, _ in STATUS_TABLE}
    row.update(kommunenummer=nr, kommune=navn or "", skjema=form_id, antall_filer=0, feil=0, advarsler=0)
    if choice is None or choice.chosen is None:
        row["status"] = NOT_RECEIVED
        return row
    f = choice.chosen
    others = [r for r in choice.files if r is not f and r not in choice.superseded]
    row.update(status=STATUS_TEXT.get(f.status, f.status), fil=f.file, grunn=choice.reason,
               lagret=local(f.content_time), mottatt=local(f.received), antall_filer=len(choice.files),
               feil=f.counts.get("feil", 0), advarsler=f.counts.get("advarsel", 0),
               erstattet=", ".join(r.file for r in choice.superseded) or None)
    if others:
        row["merknad"] = "Nyere fil avvist: " + ", ".join(r.file for r in others)
    return row


def status_grid(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """The status rows as a value grid in ``STATUS_TABLE`` order (header first)."""
    return [[h for _, h in STATUS_TABLE]] + [[r[key] for key, _ in STATUS_TABLE] for r in rows]


def report_dict(report: IntakeReport, kommuner: Iterable[Kommune] | None = None) -> dict[str, Any]:
    files = [file_dict(r) for r in report.files]
    return {
        "oppsummering": json_safe({
            "mappe": report.folder, "aar": report.year, "antall_filer": len(report.files),
            "status": report.status_counts(), "koder": report.code_counts(),
            "har_feil": report.has_errors(), "sekunder": round(report.seconds, 3),
            "problemer": [p.to_dict() for p in report.problems],
        }),
        "status_per_kommune": json_safe(status_rows(report, kommuner)),
        "filer": files,
    }


def write_json_report(report: IntakeReport, path: Path | str, kommuner: Iterable[Kommune] | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report_dict(report, kommuner), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_xlsx_report(report: IntakeReport, path: Path | str, kommuner: Iterable[Kommune] | None = None) -> Path:
    """Oppsummering (counts per status and per code), Status per kommune, Filer, Problemer; and
    ``<path>.json`` beside it. ``kommuner``: the expected municipalities (for «ikke mottatt»)."""
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

    wk = wb.create_sheet("Status per kommune")
    grid = status_grid(status_rows(report, kommuner))
    for col, h in enumerate(grid[0], start=1):
        _head(put(wk, 1, col, h))
    for i, values in enumerate(grid[1:], start=2):
        for col, v in enumerate(values, start=1):
            put(wk, i, col, v.strftime("%d.%m.%Y %H:%M") if isinstance(v, datetime) else v)
        if values[3] == NOT_RECEIVED:
            wk.cell(i, 4).fill = PatternFill("solid", fgColor="F8CBAD")
    wk.freeze_panes = "D2"
    if len(grid) > 1:
        wk.auto_filter.ref = f"A1:{get_column_letter(len(grid[0]))}{len(grid)}"
    _widths(wk, (11, 18, 7, 22, 34, 50, 17, 17, 9, 6, 10, 34, 34))

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
    write_json_report(report, path.with_suffix(".json"), kommuner)
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
