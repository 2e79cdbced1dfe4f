"""The feedback workbook for one municipality's file, in Norwegian: a header (kommune, file,
status, counts) and one row per problem with del, spørsmål, ark, celle, felt, verdi, melding,
"Korreksjon:" and alvorlighet. All text is written as neutralised strings.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from .report import STATUS_TEXT
from .results import FileResult, IntakeReport
from .xlsxtext import put

COLUMNS = ("Del", "Spørsmål", "Ark", "Celle", "Felt", "Verdi", "Melding", "Korreksjon:", "Alvorlighet", "Kode")
WIDTHS = (6, 9, 18, 7, 24, 18, 60, 55, 11, 7)
HEADER_ROW = 11        # the problem table's header row; problems from the next row
SEVERITY_FILL = {"feil": "F8CBAD", "advarsel": "FFE699", "info": "DDEBF7"}
_UNSAFE = re.compile(r"[^A-Za-z0-9ÆØÅæøå_.-]+")


def feedback_name(r: FileResult) -> str:
    stem = Path(r.file).stem or "fil"
    return _UNSAFE.sub("_", stem)[:100] + "_tilbakemelding.xlsx"


def write_feedback(r: FileResult, path: Path | str) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Tilbakemelding"
    put(ws, 1, 1, "Tilbakemelding på innsendt skjema").font = Font(bold=True, size=14)
    header = (
        ("Kommune", f"{r.kommunenummer or ''} {r.kommunenavn or ''}".strip() or "ukjent"),
        ("Skjema", f"{r.form_id or 'ukjent'} {r.year or ''} (versjon {r.version or 'ukjent'})"),
        ("Fil", r.file),
        ("Status", STATUS_TEXT.get(r.status, r.status)),
        ("Antall", f"{r.counts.get('feil', 0)} feil, {r.counts.get('advarsel', 0)} advarsler, "
                   f"{r.counts.get('info', 0)} til informasjon"),
        ("Kontrollert", datetime.now(timezone.utc).strftime("%d.%m.%Y %H:%M UTC")),
    )
    for i, (key, value) in enumerate(header, start=3):
        put(ws, i, 1, key).font = Font(bold=True)
        put(ws, i, 2, value)
    if r.replaced_by:
        put(ws, 9, 1, "Merk").font = Font(bold=True)
        put(ws, 9, 2, f"Denne filen er erstattet av {r.replaced_by} og brukes ikke.")
    for col, h in enumerate(COLUMNS, start=1):
        c = put(ws, HEADER_ROW, col, h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D9D9D9")
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, p in enumerate(r.problems, start=HEADER_ROW + 1):
        for col, v in enumerate((p.part, p.question, p.sheet, p.cell, p.field, p.value, p.message, p.fix,
                                 p.severity, p.code), start=1):
            put(ws, i, col, v).alignment = wrap
        ws.cell(row=i, column=9).fill = PatternFill("solid", fgColor=SEVERITY_FILL[p.severity])
    if not r.problems:
        put(ws, HEADER_ROW + 1, 7, "Ingen merknader. Takk for skjemaet!")
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_all_feedback(report: IntakeReport, folder: Path | str) -> list[Path]:
    """One feedback workbook per file (unique names) in ``folder``; superseded files get none."""
    folder = Path(folder)
    used: set[str] = set()
    out = []
    for r in report.files:
        if r.status == "erstattet":
            continue
        name = feedback_name(r)
        base, n = name, 2
        while name.lower() in used:
            name = base.replace("_tilbakemelding.xlsx", f"_{n}_tilbakemelding.xlsx")
            n += 1
        used.add(name.lower())
        out.append(write_feedback(r, folder / name))
    return out
