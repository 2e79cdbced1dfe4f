"""One returned file, checked from bytes to rules: safety, identification, integrity, values
and rules. Never raises for bad input: everything ends up as coded problems in a ``FileResult``.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping

from kalk_excel.definition.model import Kommune
from kalk_excel.text import display_name, is_utf8_name

from .codes import problem
from .identify import check_file_name, check_version, check_year, form_for, identify
from .integrity import check_fingerprint, field_cells, input_positions, read_sheets
from .reader import open_workbook
from .results import FileResult
from .rules import check_inputs
from .safety import Rejected, check_size, open_package
from .settings import Settings

log = logging.getLogger(__name__)


def check_file(path: str | Path, settings: Settings | None = None, expected_year: int | None = None,
               kommuner: Mapping[str, Kommune] | None = None) -> FileResult:
    """Check one file. ``kommuner`` (kommunenummer -> Kommune) lets a changed template be generated
    again exactly as sent (the cover shows e.g. IMDi's count)."""
    settings = settings or Settings()
    path = Path(path)
    res = FileResult(file=display_name(path.name), path=display_name(path))
    if not is_utf8_name(path.name):
        res.problems.append(problem("S016", name=res.file, value=res.file))
    try:
        _check(path, res, settings, expected_year, kommuner or {})
    except Rejected as rej:
        res.problems.append(rej.problem)
    except MemoryError:
        res.problems.append(problem("S009", detail="for stor til å leses"))
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - bad input must never become a traceback (incl. a
        # Rust panic in calamine, which pyo3 raises as a BaseException)
        log.warning("Uventet feil i %s: %s: %s", path.name, type(exc).__name__, exc)
        res.problems.append(problem("S015", detail=f"uventet feil ({type(exc).__name__})"))
    res.problems = _dedupe([p if p.file else replace(p, file=res.file) for p in res.problems])
    res.finish()
    return res


def _check(path: Path, res: FileResult, settings: Settings, expected_year: int | None,
           kommuner: Mapping[str, Kommune]) -> None:
    try:
        st = path.stat()
    except OSError as exc:
        raise Rejected(problem("S015", detail=exc.strerror or type(exc).__name__)) from None
    res.size = st.st_size
    res.received = datetime.fromtimestamp(st.st_mtime, timezone.utc)
    check_size(st.st_size, settings)
    try:
        with open(path, "rb") as fh:
            data = fh.read(settings.max_file_bytes + 1)
    except OSError as exc:
        raise Rejected(problem("S015", detail=exc.strerror or type(exc).__name__)) from None
    check_size(len(data), settings)   # the file may have grown since stat
    res.sha256 = hashlib.sha256(data).hexdigest()
    package = open_package(data, settings)
    res.problems.extend(package.warnings)
    wb = open_workbook(package, data, settings.value_reader)
    res.content_time = wb.modified
    res.sheet_order = [s.name for s in wb.sheets]
    ident, problems = identify(wb)
    res.problems.extend(problems)
    res.form_id, res.year, res.version = ident.form_id, ident.year, ident.version
    res.kommunenummer, res.kommunenavn = ident.kommunenummer, ident.kommunenavn
    res.problems.extend(check_file_name(ident, res.file))
    res.generated = _iso_time(wb.meta.get("generert"))
    res.deadline = wb.meta.get("frist") or None
    res.contact = wb.meta.get("kontakt") or None
    check_year(ident, expected_year)
    form = form_for(ident, settings.templates_dir)
    check_version(ident, form)
    cells, problems = field_cells(wb, form, res.file)
    res.problems.extend(problems)
    for sheet in sorted({s for s, _ in cells.values()}):
        if wb.sheet(sheet) is None:
            res.problems.append(problem("I001", sheet=sheet))
    sheets = read_sheets(wb)
    res.problems.extend(check_fingerprint(wb, sheets, input_positions(wb), ident, form, settings, res.file))
    raw_values, raw_cells, cached = {}, {}, {}
    for fid, f in form.fields.items():
        if fid not in cells:
            continue
        sheet, cell = cells[fid]
        if f.is_input:
            raw_values[fid] = wb.value(sheet, cell)
            raw_cells[fid] = sheets.get(sheet, {}).get(cell)
        else:
            cached[fid] = wb.value(sheet, cell)
    rules = check_inputs(form, raw_values, raw_cells, cells, res.file, cached)
    res.problems.extend(rules.problems)
    res.values, res.computed, res.cells = rules.values, rules.computed, cells


def _iso_time(text: str | None) -> datetime | None:
    """``_meta``'s ISO 8601 UTC time (``2024-11-01T08:00:00Z``); None when missing or unreadable."""
    if not text:
        return None
    try:
        t = datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def _dedupe(problems: list) -> list:
    seen = set()
    out = []
    for p in problems:
        key = (p.code, p.sheet, p.cell, p.field, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
