"""``build_workbook``: one locked survey workbook for one municipality and one survey, built from
scratch with openpyxl (Forside, Veiledning, Innhold, the part sheets, Kontroll, ``_meta``).

Order matters only at the end: the fingerprint is taken over everything written, then the
metadata (which carries it) is added, then every sheet and the structure are protected.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterator

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.properties import CalcProperties

from ..config import fingerprint_key as configured_key
from ..definition.model import Form, Kommune
from . import conditional, cover, kontroll, metadata, printing, protection, validation
from .cells import absolute_ref
from .errors import WorkbookBuildError
from .fingerprint import METHOD, UNKEYED_METHOD, content_lines, digest
from .layout import PartSheetWriter, Placement, footer_text, sheet_groups

RESERVED_SHEETS = {s.lower() for s in (*cover.FRONT_SHEETS, kontroll.SHEET, metadata.META_SHEET)}
RESERVED_NAMES = {kontroll.STATUS_NAME, kontroll.ERRORS_NAME, kontroll.WARNINGS_NAME}


def build_workbook(form: Form, kommune: Kommune, path: Path | str, *, password: str,
                   deadline: date | str | None = None, contact: str | None = None,
                   key: protection.ProtectionKey | None = None, fingerprint_key: str | None = None) -> Path:
    """Write the survey workbook for ``kommune`` to ``path`` and return the path.

    ``password`` protects every sheet and the workbook structure (SHA-512). ``key`` may carry a
    precomputed ``protection.make_key(password)`` to share one hash between several workbooks.
    ``fingerprint_key`` (default: ``config.fingerprint_key()``, from the environment) signs the
    fingerprint (v2); without any key the unkeyed v1 is written.
    """
    preflight(form)
    wb = Workbook()
    placement = Placement()
    cover.write_forside(wb, form, kommune, deadline, contact)
    cover.write_veiledning(wb, form)
    innhold_index = len(wb.sheetnames)
    for sheet, parts in sheet_groups(form):
        PartSheetWriter(wb.create_sheet(sheet), form, kommune, parts, placement).write()
    status_cells = kontroll.write_kontroll(wb, form, kommune, placement)
    innhold = cover.write_innhold(wb, form, placement, kontroll.SHEET, status_cells)
    wb.move_sheet(innhold, offset=innhold_index - wb.sheetnames.index(innhold.title))

    for fid in form.fields:
        sheet, coord = placement.cells[fid]
        wb.defined_names[fid] = DefinedName(fid, attr_text=absolute_ref(sheet, coord))
    footer = footer_text(form, kommune)
    for ws in wb.worksheets:   # part sheets set up their own pages (breaks between questions)
        if not ws.oddFooter.right.text:
            last = kontroll.LINK_COL if ws.title == kontroll.SHEET else ws.max_column
            printing.setup(ws, last, footer)
    validation.add_validations(wb, form, placement)
    conditional.add_conditional_formats(wb, form, placement)

    inputs = placement.input_cells(form)
    secret = fingerprint_key if fingerprint_key is not None else configured_key()
    values = metadata.meta_values(form, kommune, "", deadline=deadline, contact=contact,
                                  method=METHOD if secret else UNKEYED_METHOD)
    lines = content_lines(locked_cells(wb, inputs))
    if secret:
        fields = {f.id: (*placement.cells[f.id], f.type, not f.is_input) for f in form.fields.values()}
        names = {f.id: placement.cells[f.id] for f in form.fields.values()}
        properties = {p: values[k] for p, k in metadata.PROPERTY_KEYS.items()}
        values["fingerprint"] = digest(lines, secret, metadata.signed_identity(values, properties, fields, names))
    else:
        values["fingerprint"] = digest(lines)
    metadata.write_meta(wb, form, placement, values)
    wb.calculation = CalcProperties(fullCalcOnLoad=True)
    wb.active = 0
    if key is None:
        key = protection.make_key(password)
    protection.protect(wb, key)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def field_cells(form: Form) -> dict[str, tuple[str, str]]:
    """Field id -> (sheet, A1) exactly as ``build_workbook`` places it (the part sheets are laid out
    in a scratch workbook; the placement does not depend on the municipality)."""
    preflight(form)
    wb = Workbook()
    placement = Placement()
    for sheet, parts in sheet_groups(form):
        PartSheetWriter(wb.create_sheet(sheet), form, Kommune("0000", "", (form.id,)), parts, placement).write()
    return dict(placement.cells)


def locked_cells(wb: Workbook, inputs: set[tuple[str, str]]) -> Iterator[tuple[str, str, object]]:
    """(sheet, A1, value) of every non-empty non-input cell outside ``_meta`` — the fingerprint input."""
    for ws in wb.worksheets:
        if ws.title == metadata.META_SHEET:
            continue
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None or (ws.title, cell.coordinate) in inputs:
                    continue
                yield ws.title, cell.coordinate, cell.value


def preflight(form: Form) -> None:
    """Raise ``WorkbookBuildError`` now if ``form`` cannot be laid out (before any file is written)."""
    check_names(form)
    for f in form.inputs():
        validation.rule_of(f)


def check_names(form: Form) -> None:
    problems = []
    for part in form.parts:
        if part.sheet.lower() in RESERVED_SHEETS:
            problems.append(f"Del {part.number} bruker arknavnet «{part.sheet}», som er reservert.")
    for fid in form.fields:
        if fid in RESERVED_NAMES:
            problems.append(f"Felt-id «{fid}» er reservert for kontrollarket.")
    if problems:
        raise WorkbookBuildError(" ".join(problems) + " Korreksjon: gi dem et annet navn i definisjonen.")
