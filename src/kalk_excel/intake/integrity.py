"""Is the locked content still as generated? The field map against the form and the defined
names, and the fingerprint recomputed from the returned file: v2 (keyed, HMAC-SHA256 with the
secretariat's key) over the sheet XML (formulas incl. shared formulas, values, shared strings) and
the identity (``_meta``, field map, defined names, ``kalk_*`` properties); v1 files (plain SHA-256
of the content) are still read. On a mismatch the template is generated again for the same
municipality in a temporary folder and every changed cell outside the input cells is named.
"""

from __future__ import annotations

import re
import secrets
import tempfile
from pathlib import Path
from typing import Any, Iterator, Mapping

from kalk_excel.config import ConfigError, fingerprint_key
from kalk_excel.definition.model import Form
from kalk_excel.problems import Problem
from kalk_excel.workbook.fingerprint import METHOD, UNKEYED_METHOD, cell_line, digest, same
from kalk_excel.workbook.metadata import signed_identity

from .cache import ByteCache
from .codes import problem
from .identify import Identity
from .reader import META_SHEET, OpenedWorkbook, open_workbook
from .safety import open_package
from .settings import Settings
from .sheetscan import parse_xml_number
from .xmlparts import RawCell, split_ref

_NAME_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^!']+))!\$?([A-Z]+)\$?(\d+)$")

SheetCells = dict[str, dict[str, RawCell]]   # sheet name -> A1 -> cell


def parse_name_ref(text: str) -> tuple[str, str] | None:
    m = _NAME_REF.match(text.strip())
    if not m:
        return None
    sheet = (m.group(1) or "").replace("''", "'") if m.group(1) is not None else m.group(2)
    return sheet, f"{m.group(3)}{m.group(4)}"


def field_cells(wb: OpenedWorkbook, form: Form, file: str) -> tuple[dict[str, tuple[str, str]], list[Problem]]:
    """Where each field's value is: the ``_meta`` map, checked against the form and the names.

    When a defined name points elsewhere than ``_meta`` says (rows inserted or deleted in Excel),
    the value is read where the name points and the move is reported (I005)."""
    cells: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = []
    for fid, f in form.fields.items():
        entry = wb.field_table.get(fid)
        if entry is None:
            problems.append(problem("I005", file=file, field=fid, detail="feltet mangler i skjemaets feltkart"))
            continue
        if entry.type != f.type or entry.computed != (not f.is_input):
            problems.append(problem("I005", file=file, field=fid, sheet=entry.sheet, cell=entry.cell,
                                    detail=f"feltkartet sier type {entry.type}, definisjonen {f.type}"))
        cells[fid] = (entry.sheet, entry.cell)
        name = wb.names.get(fid)
        target = parse_name_ref(name) if name else None
        if name is None or target is None:
            problems.append(problem("I005", file=file, field=fid, sheet=entry.sheet, cell=entry.cell, value=name,
                                    detail="navnet på cellen mangler eller er ugyldig" if name is None
                                    else f"navnet viser til «{name}»"))
        elif target != (entry.sheet, entry.cell):
            problems.append(problem("I005", file=file, field=fid, sheet=target[0], cell=target[1], value=name,
                                    detail=f"skulle stå i {entry.sheet}!{entry.cell}, står nå i {target[0]}!{target[1]}"))
            if wb.sheet(target[0]) is not None:
                cells[fid] = target
    extra = sorted(set(wb.field_table) - set(form.fields))
    if extra:
        problems.append(problem("A006", file=file, detail="feltkartet har felt som ikke finnes i definisjonen: "
                                + ", ".join(extra[:10])))
    return cells, problems


def read_sheets(wb: OpenedWorkbook) -> SheetCells:
    """Every sheet but ``_meta`` (values and formulas, parsed from XML by ``open_workbook``)."""
    return {name: cells for name, cells in wb.cells.items() if name != META_SHEET}


def raw_value(c: RawCell) -> object:
    """What the generator passed to the fingerprint for this cell."""
    if c.formula is not None:
        return "=" + c.formula
    if c.t == "n" and c.value not in (None, ""):
        number = parse_xml_number(c.value)
        return c.value if number is None else number
    if c.t == "b":
        return c.value == "1"
    return c.value


def locked_cells(sheets: SheetCells, inputs: set[tuple[str, str]]) -> Iterator[tuple[str, str, object]]:
    for sheet, cells in sheets.items():
        for ref, c in cells.items():
            if (sheet, ref) not in inputs:
                yield sheet, ref, raw_value(c)


def locked_raw_cells(sheets: SheetCells, inputs: set[tuple[str, str]]) -> Iterator[tuple[str, str, RawCell]]:
    for sheet, cells in sheets.items():
        for ref, c in cells.items():
            if (sheet, ref) not in inputs:
                yield sheet, ref, c


_LINES = ByteCache()   # (sheet, ref, RawCell) -> fingerprint line, bounded in bytes


def fast_fingerprint(cells: Iterator[tuple[str, str, RawCell]]) -> str:
    """``fingerprint.fingerprint`` (v1) over (sheet, ref, RawCell); see ``fast_lines``."""
    return digest(fast_lines(cells))


def fast_lines(cells: Iterator[tuple[str, str, RawCell]]) -> list[str]:
    """``fingerprint.content_lines`` over (sheet, ref, RawCell) with each cell's line memoised:
    the template's cells repeat in every file. Same lines, same sort (a test holds the two
    equal)."""
    lines = []
    memo = _LINES
    for key in cells:
        line = memo.get(key, "")
        if line == "":
            line = cell_line(key[0], key[1], raw_value(key[2]))
            memo.put(key, line, 200 + 2 * (len(line or "") + len(key[2].value or "") + len(key[2].formula or "")))
        if line is not None:
            lines.append(line)
    lines.sort()
    return lines


def identity_of(wb: OpenedWorkbook) -> list[str]:
    """The identity lines of a v2 fingerprint, as the returned file has them."""
    fields = {fid: (e.sheet, e.cell, e.type, e.computed) for fid, e in wb.field_table.items()}
    names = {fid: parse_name_ref(wb.names[fid]) if fid in wb.names else None for fid in wb.field_table}
    return signed_identity(wb.meta, wb.custom, fields, names)


def secret_key(settings: Settings) -> str | None:
    """The fingerprint key: ``Settings.fingerprint_key``, else the configuration (environment)."""
    if settings.fingerprint_key:
        return settings.fingerprint_key
    try:
        return fingerprint_key()
    except ConfigError:
        return None


def check_fingerprint(wb: OpenedWorkbook, sheets: SheetCells, inputs: set[tuple[str, str]], ident: Identity,
                      form: Form, settings: Settings, file: str) -> list[Problem]:
    """v2: the keyed fingerprint over content and identity. v1 (plain SHA-256, which anyone can
    recompute): the content hash, and with a key configured also a comparison with the template
    generated again for the identity the file claims (so a downgraded forgery still fails)."""
    method = ident.fingerprint_method
    if not ident.fingerprint or method not in (METHOD, UNKEYED_METHOD):
        return [problem("I011", file=file, detail=f"metode «{method or ''}»")]
    key = secret_key(settings)
    lines = fast_lines(locked_raw_cells(sheets, inputs))
    if method == METHOD:
        if key is None:
            return [problem("I013", file=file)]
        if same(digest(lines, key, identity_of(wb)), ident.fingerprint):
            return []
    else:
        matches = same(digest(lines), ident.fingerprint)
        notes = [problem("I014", file=file)] if key else []
        if matches and not (key and settings.regenerate_on_mismatch):
            return notes
    if not settings.regenerate_on_mismatch:
        return [problem("I003", file=file)]
    try:
        template_fp, template, structure = template_cells(form, wb.meta)
    except Exception as exc:  # noqa: BLE001 - the generator failing must not stop the intake
        return [problem("I003", file=file), problem("I012", file=file, detail=str(exc)[:160])]
    changed = _diff(template, sheets, inputs, settings, file)
    moved = structure != _structure(wb)
    if method == METHOD:
        return [problem("I003", file=file)] + changed + ([problem("I015", file=file)] if moved or not changed else [])
    if matches and not changed and not moved:
        return notes
    if matches:
        # The plain hash matches, so the cells differ either because the generator changed since the
        # file was made or because a forger recomputed the hash (a downgrade from v2). With a key
        # configured the year's forms are v2, so a differing v1 file is an error (I016), each cell
        # named; a moved field or name is an error either way (docs/kontroll.md, threat model).
        return (notes + _diff(template, sheets, inputs, settings, file, code="I016")
                + ([problem("I015", file=file)] if moved else []))
    problems = notes + [problem("I003", file=file)]
    if not matches and template_fp != ident.fingerprint:
        problems.append(problem("I012", file=file, detail="skjemaet laget på nytt har en annen kontrollsum enn "
                                "originalen (f.eks. frist eller kontaktperson på forsiden); listen kan ha med "
                                "celler som skyldes det"))
    return problems + changed + ([problem("I015", file=file)] if moved else [])


def _structure(wb: OpenedWorkbook) -> list[str]:
    """The field map and defined-name lines of the identity (what a template fixes by itself)."""
    return [line for line in identity_of(wb) if line[:2] in ("F\t", "N\t")]


def _diff(template: SheetCells, sheets: SheetCells, inputs: set[tuple[str, str]], settings: Settings,
          file: str, code: str = "I004") -> list[Problem]:
    """Missing and extra sheets, and each changed cell outside the inputs as ``code`` (I004, or
    I016 where it cannot be told whether the file or the template changed)."""
    out: list[Problem] = []
    changed: list[Problem] = []
    for sheet in template:
        if sheet not in sheets:
            out.append(problem("I001", file=file, sheet=sheet))
    for sheet in sheets:
        if sheet not in template:
            out.append(problem("I002", file=file, sheet=sheet))
    for sheet in template:
        if sheet not in sheets:
            continue
        old, new = template[sheet], sheets[sheet]
        for ref in sorted(set(old) | set(new), key=_order):
            if (sheet, ref) in inputs:
                continue
            a = _line_text(sheet, ref, old.get(ref))
            b = _line_text(sheet, ref, new.get(ref))
            if a != b:
                changed.append(problem(code, file=file, sheet=sheet, cell=ref, value=b or None,
                                       expected=a or "(tom)", found=b or "(tom)"))
    shown = changed[: settings.max_changed_cells]
    out.extend(shown)
    if len(changed) > len(shown):
        out.append(problem("I006", file=file, count=len(changed) - len(shown), shown=len(shown)))
    return out


def _order(ref: str) -> tuple[int, int]:
    try:
        return split_ref(ref)
    except ValueError:
        return (0, 0)


def _line_text(sheet: str, ref: str, c: RawCell | None) -> str:
    if c is None:
        return ""
    line = cell_line(sheet, ref, raw_value(c))
    if line is None:
        return ""
    kind, text = line.split("\t")[2:4]
    return "=" + text if kind == "F" else text


_TEMPLATES = ByteCache()   # build arguments -> (v1 content hash, cells, structure) of a regenerated template


def template_cells(form: Form, meta: Mapping[str, str]) -> tuple[str, SheetCells, list[str]]:
    """The template generated again from the build arguments recorded in the file's ``_meta``
    (kommune, IMDi count, deadline, contact), cached per process: its v1 content hash, its cells
    and its structure (field map and defined names, ``_structure``)."""
    from kalk_excel.workbook import template_arguments

    arguments = template_arguments(dict(meta))
    key = (form.source, form.version, repr(sorted((k, repr(v)) for k, v in arguments.items())))
    found = _TEMPLATES.get(key)
    if found is None:
        found = _build_template_cells(form, arguments)
        cells = sum(len(c) for c in found[1].values())
        _TEMPLATES.put(key, found, 300 * cells)
    return found


def _build_template_cells(form: Form, arguments: Mapping[str, Any]) -> tuple[str, SheetCells, list[str]]:
    from kalk_excel.workbook import build_workbook

    with tempfile.TemporaryDirectory(prefix="kalk-intake-") as tmp:
        path = Path(tmp) / "mal.xlsx"
        build_workbook(form, path=path, password=secrets.token_hex(16), **arguments)
        data = path.read_bytes()
    wb = open_workbook(open_package(data, Settings()), data)
    return (digest(fast_lines(locked_raw_cells(read_sheets(wb), input_positions(wb)))), read_sheets(wb),
            _structure(wb))


def input_positions(wb: OpenedWorkbook) -> set[tuple[str, str]]:
    return {(e.sheet, e.cell) for e in wb.field_table.values() if not e.computed}
