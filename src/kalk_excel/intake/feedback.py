"""The feedback workbook for one municipality's file, in Norwegian, and the feedback rounds.

A feedback workbook starts with what to do next: fix the listed cells and send the corrected
workbook to the secretariat's contact by the deadline (both from the submission's build arguments
in ``_meta``), or that nothing is needed. Then the submission (kommune, skjema, file, status,
counts, when it was checked, in local time), and one row per problem with del, spørsmål, the
field's label (never its id), sheet and cell, the value as the municipality typed it, the
message and «Korreksjon:». It prints on A4 landscape, fit to width, header row repeated, with row
heights set for the wrapped text.

``write_round`` writes one round: a dated folder (``runde_<YYYY-MM-DD_HHMM>``, never an existing
one) with a workbook per file, and a line per workbook in ``utsendt.csv`` beside the rounds
(time, kommune, skjema, file, SHA-256 of the submission, feedback file). Superseded files get no
feedback, and a submission whose SHA-256 already has feedback in the log is skipped unless
``all_files``: each round is what is new since the last.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from .report import STATUS_TEXT
from .results import FileResult, IntakeReport
from .xlsxtext import put, put_shown

COLUMNS = ("Alvorlighet", "Del", "Spørsmål", "Felt", "Ark", "Celle", "Verdi", "Melding", "Korreksjon:", "Kode")
WIDTHS = (10, 5, 9, 26, 13, 7, 14, 44, 42, 6)
HEADER_ROW = 11        # the problem table's header row; problems from the next row
ACTION_ROW = 2
SEVERITY_FILL = {"feil": "F8CBAD", "advarsel": "FFE699", "info": "DDEBF7"}
SEVERITY_TEXT = {"feil": "Feil", "advarsel": "Advarsel", "info": "Til informasjon"}
DEFAULT_CONTACT = "sekretariatet for Beregningsutvalget"
LOG_NAME = "utsendt.csv"
LOG_COLUMNS = ("tidspunkt", "kommunenummer", "kommune", "skjema", "fil", "sha256", "status", "tilbakemelding")
LINE_HEIGHT = 13.0     # points per wrapped line at 10 pt
_UNSAFE = re.compile(r"[^A-Za-z0-9ÆØÅæøå_.-]+")


def feedback_name(r: FileResult) -> str:
    stem = Path(r.file).stem or "fil"
    return _UNSAFE.sub("_", stem)[:100] + "_tilbakemelding.xlsx"


def _deadline(text: str | None) -> str | None:
    """The build argument ``frist`` (ISO date as written) as Norwegian date text."""
    if not text:
        return None
    try:
        return date.fromisoformat(str(text).strip()[:10]).strftime("%d.%m.%Y")
    except ValueError:
        return str(text).strip()


def local_text(t: datetime) -> str:
    """A time as the municipality reads it: local time, «dd.mm.åååå kl. tt:mm»."""
    if t.tzinfo is not None:
        t = t.astimezone()
    return t.strftime("%d.%m.%Y kl. %H:%M")


def action_text(r: FileResult) -> str:
    """What to do next, first in the workbook (Norwegian)."""
    contact = r.contact or DEFAULT_CONTACT
    due = _deadline(r.deadline)
    by = f"innen {due}" if due else "så snart som mulig"
    n_err, n_warn = r.counts.get("feil", 0), r.counts.get("advarsel", 0)
    if r.status == "avvist":
        return (f"Filen kan ikke brukes. Gjør det som står under «Korreksjon:» nedenfor, og send arbeidsboken på "
                f"nytt til {contact} {by}.")
    if r.status == "feil":
        also = f" og se over {n_warn} advarsel{'er' if n_warn != 1 else ''}" if n_warn else ""
        return (f"Rett {n_err} feil i cellene som er listet nedenfor{also}, og send den rettede arbeidsboken "
                f"til {contact} {by}.")
    if r.status == "advarsler":
        return (f"Skjemaet kan brukes. Se over {n_warn} advarsel{'er' if n_warn != 1 else ''} nedenfor: rett "
                f"tallet eller forklar det i kommentarfeltet, og send den rettede arbeidsboken til {contact} {by}. "
                "Er tallene riktige, trenger dere ikke gjøre noe.")
    if r.status == "erstattet":
        return f"Ingen handling nødvendig: en nyere fil fra kommunen ({r.replaced_by}) er brukt."
    return "Ingen handling nødvendig. Skjemaet er godkjent – takk!"


@lru_cache(maxsize=16)
def _labels(year: int, form_id: str, templates_dir: str | None) -> dict[str, str]:
    from kalk_excel.definition import load_form

    try:
        form = load_form(year, form_id, Path(templates_dir) if templates_dir else None)
    except Exception:  # noqa: BLE001 - labels only: without the definition the column stays empty
        return {}
    return {fid: f.label for fid, f in form.fields.items()}


def field_labels(r: FileResult, templates_dir: Path | None = None) -> dict[str, str]:
    """Field id -> Norwegian label from the file's form definition ({} when it cannot be loaded)."""
    if not r.form_id or not r.year:
        return {}
    return _labels(r.year, r.form_id, str(templates_dir) if templates_dir else None)


def _lines(text: Any, width: float) -> int:
    """Wrapped lines of ``text`` in a column ``width`` characters wide (word wrap, estimated)."""
    s = "" if text is None else str(text)
    per_line = max(1, int(width))
    lines = 0
    for part in s.split("\n"):
        used, n = 0, 1
        for word in part.split(" "):
            w = len(word)
            if used and used + 1 + w > per_line:
                n, used = n + 1, 0
            used += (1 if used else 0) + w
            while used > per_line:
                n, used = n + 1, used - per_line
        lines += n
    return max(lines, 1)


def write_feedback(r: FileResult, path: Path | str, labels: Mapping[str, str] | None = None,
                   checked: datetime | None = None) -> Path:
    """One feedback workbook for ``r``. ``labels``: field id -> label (default: from the form
    definition); ``checked``: the time shown as «Kontrollert» (default: now)."""
    labels = field_labels(r) if labels is None else labels
    checked = checked or datetime.now(timezone.utc)
    wb = Workbook()
    ws = wb.active
    ws.title = "Tilbakemelding"
    wrap = Alignment(wrap_text=True, vertical="top")
    last_col = get_column_letter(len(COLUMNS))
    title = f"Tilbakemelding på skjemaet «{r.form_id or 'ukjent'}» {r.year or ''}".strip()
    put(ws, 1, 1, title).font = Font(bold=True, size=14)
    put(ws, ACTION_ROW, 1, "Hva dere må gjøre").font = Font(bold=True)
    ws.cell(ACTION_ROW, 1).alignment = wrap
    action = put(ws, ACTION_ROW, 2, action_text(r))
    action.font = Font(bold=True, size=12)
    action.alignment = wrap
    action.fill = PatternFill("solid", fgColor="FFF2CC" if r.status != "godkjent" else "E2EFDA")
    ws.merge_cells(f"B{ACTION_ROW}:{last_col}{ACTION_ROW}")
    ws.row_dimensions[ACTION_ROW].height = max(2, _lines(action.value, sum(WIDTHS[1:]) * 0.85)) * 16.0
    header = (
        ("Kommune", f"{r.kommunenummer or ''} {r.kommunenavn or ''}".strip() or "ukjent"),
        ("Skjema", f"{r.form_id or 'ukjent'} {r.year or ''} (versjon {r.version or 'ukjent'})"),
        ("Fil", r.file),
        ("Status", STATUS_TEXT.get(r.status, r.status)),
        ("Antall", f"{r.counts.get('feil', 0)} feil, {r.counts.get('advarsel', 0)} advarsler, "
                   f"{r.counts.get('info', 0)} til informasjon"),
        ("Kontrollert", local_text(checked)),
    )
    for i, (key, value) in enumerate(header, start=3):
        put(ws, i, 1, key).font = Font(bold=True)
        put(ws, i, 2, value)
        ws.merge_cells(f"B{i}:{last_col}{i}")
    if r.replaced_by:
        put(ws, 9, 1, "Merk").font = Font(bold=True)
        put(ws, 9, 2, f"Denne filen er erstattet av {r.replaced_by} og brukes ikke.")
    for col, h in enumerate(COLUMNS, start=1):
        c = put(ws, HEADER_ROW, col, h)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D9D9D9")
        c.alignment = wrap
    for i, p in enumerate(r.problems, start=HEADER_ROW + 1):
        label = labels.get(p.field, "") if p.field else ""
        values = (SEVERITY_TEXT[p.severity], p.part, p.question, label, p.sheet, p.cell, p.value, p.message,
                  p.fix, p.code)
        for col, v in enumerate(values, start=1):
            cell = put_shown(ws, i, col, v) if col == 7 else put(ws, i, col, v)
            cell.alignment = wrap
            if col == 7 and isinstance(cell.value, (int, float)):
                cell.number_format = "#,##0" if float(cell.value).is_integer() else "#,##0.00"
                cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        ws.cell(row=i, column=1).fill = PatternFill("solid", fgColor=SEVERITY_FILL[p.severity])
        ws.row_dimensions[i].height = LINE_HEIGHT * max(_lines(v, w) for v, w in zip(values, WIDTHS, strict=False)) + 2
    if not r.problems:
        put(ws, HEADER_ROW + 1, 8, "Ingen merknader. Takk for skjemaet!")
    for i, w in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.column_dimensions["A"].width = max(WIDTHS[0], 17)   # «Hva dere må gjøre» and the header keys
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    _page_setup(ws, len(r.problems))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _page_setup(ws: Any, n_problems: int) -> None:
    """A4 landscape, fit to one page wide, header row on every page, page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{get_column_letter(len(COLUMNS))}{HEADER_ROW + max(n_problems, 1)}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = "Side &P av &N"
    ws.oddFooter.right.text = "&F"


def write_all_feedback(report: IntakeReport, folder: Path | str, checked: datetime | None = None,
                       skip: set[str] | None = None, templates_dir: Path | None = None) -> list[Path]:
    """One feedback workbook per file (unique names) in ``folder``; superseded files and files whose
    SHA-256 is in ``skip`` get none."""
    return [path for _r, path in _write_files(report, Path(folder), checked, skip, templates_dir)]


def _write_files(report: IntakeReport, folder: Path, checked: datetime | None, skip: set[str] | None,
                 templates_dir: Path | None) -> list[tuple[FileResult, Path]]:
    used: set[str] = set()
    out = []
    for r in report.files:
        if r.status == "erstattet" or (skip and r.sha256 in skip):
            continue
        name = feedback_name(r)
        base, n = name, 2
        while name.lower() in used:
            name = base.replace("_tilbakemelding.xlsx", f"_{n}_tilbakemelding.xlsx")
            n += 1
        used.add(name.lower())
        out.append((r, write_feedback(r, folder / name, field_labels(r, templates_dir), checked)))
    return out


@dataclass
class FeedbackRound:
    folder: Path                      # the round's dated folder
    written: list[Path]
    log: Path                         # utsendt.csv
    skipped: list[str] = field(default_factory=list)   # files whose submission already had feedback


def sent_hashes(log: Path) -> set[str]:
    """SHA-256 of every submission the log says has had feedback."""
    if not log.is_file():
        return set()
    with log.open(encoding="utf-8-sig", newline="") as fh:
        return {row.get("sha256") or "" for row in csv.DictReader(fh, delimiter=";")} - {""}


def round_folder(base: Path, now: datetime) -> Path:
    """``base/runde_<local date_time>``; a new name when it exists (a round is never overwritten)."""
    stamp = (now.astimezone() if now.tzinfo else now).strftime("%Y-%m-%d_%H%M")
    folder, n = base / f"runde_{stamp}", 2
    while folder.exists():
        folder, n = base / f"runde_{stamp}_{n}", n + 1
    return folder


def write_round(report: IntakeReport, base: Path | str, now: datetime | None = None, all_files: bool = False,
                templates_dir: Path | None = None) -> FeedbackRound:
    """One feedback round in ``base`` (see the module docstring)."""
    base = Path(base)
    now = now or datetime.now(timezone.utc)
    log = base / LOG_NAME
    skip = set() if all_files else sent_hashes(log)
    folder = round_folder(base, now)
    skipped = [r.file for r in report.files if r.status != "erstattet" and r.sha256 in skip]
    folder.mkdir(parents=True)
    written = _write_files(report, folder, now, skip, templates_dir)
    new_log = not log.is_file()
    with log.open("a", encoding="utf-8-sig" if new_log else "utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        if new_log:
            writer.writerow(LOG_COLUMNS)
        for r, path in written:
            writer.writerow([(now.astimezone() if now.tzinfo else now).isoformat(timespec="seconds"),
                             r.kommunenummer or "", r.kommunenavn or "", r.form_id or "", r.file, r.sha256 or "",
                             r.status, str(path.relative_to(base))])
    if not written:
        folder.rmdir()
    return FeedbackRound(folder, [p for _r, p in written], log, skipped)
