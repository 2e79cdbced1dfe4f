"""Write the core's blocks into the master all-or-nothing: validate every block, snapshot every
target region, lift sheet protection, write, and on any failure write the snapshots back (newest
first) before protection is put back.

Reads and writes go in explicit chunks of whole rows (`chunk_bands`), the same bands for the
snapshot, the write and the restore: at most `CHUNK_CELLS` cells and, for the text written,
about `CHUNK_TEXT_BYTES` bytes per call. One COM call reading millions of cells can fail with
"Not enough storage" (xlwings #394/#730, 32-bit Excel above all), and on macOS one Apple event
reply is capped in bytes (error -1741, text-heavy ranges fail well below xlwings' own 1.5 M cell
read budget). The number of calls depends on the number of cells, never on how they are split
into municipalities or fields; a small master is one call per block.

Guards before anything is written (X030): text at most 32 767 characters (Excel's cell limit),
integers with at most 15 digits (Excel keeps 15 significant digits), no inf/NaN. And no formula
in a target region (X036): the blocks go where the master has inputs, so a formula there means
the workbook is not the master the core expects, and it would be overwritten.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from kalk_excel.problems import Problem

from .errors import BLOCK_INVALID, FORMULA_IN_TARGET, RESTORE_FAILED, WRITE_FAILED, AddinError, fail
from .protection import ProtectionState, Protector
from .session import ExcelSession

log = logging.getLogger(__name__)

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]*)$")

CHUNK_CELLS = 20_000            # cells per read or write call (Windows COM and macOS Apple events)
CHUNK_TEXT_BYTES = 1_000_000    # bytes of text per write call (the Apple event size cap, with margin)
MAX_TEXT = 32_767               # characters in one cell (Excel's limit)
MAX_EXACT_INTEGER = 10 ** 15 - 1  # Excel keeps 15 significant digits
MAX_NUMBER = 9.99999999999999e307  # Excel's largest number


@dataclass
class _Chunk:
    row: int                     # 1-based sheet row of the band's first row
    values: list[list[Any]]
    range: Any = None
    snapshot: list[list[Any]] | None = None


@dataclass
class _Plan:
    block: Any
    sheet: str
    row: int
    col: int
    values: list[list[Any]]
    chunks: list[_Chunk] = field(default_factory=list)

    @property
    def address(self) -> str:
        return _address(self.row, self.col, len(self.values), len(self.values[0]))


@dataclass
class WriteResult:
    blocks: int = 0
    cells: int = 0
    calls: int = 0               # write calls into Excel
    problems: list[Problem] = field(default_factory=list)  # e.g. a sheet that could not be re-protected


def _address(row: int, col: int, nrows: int, ncols: int) -> str:
    return f"{column_letters(col)}{row}:{column_letters(col + ncols - 1)}{row + nrows - 1}"


def column_letters(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def parse_top_left(top_left: Any) -> tuple[int, int]:
    """(row, col), 1-based, from "B5", "$B$5" or a (row, col) pair."""
    if isinstance(top_left, (tuple, list)) and len(top_left) == 2 and all(isinstance(x, int) and x > 0 for x in top_left):
        return int(top_left[0]), int(top_left[1])
    match = _A1.match(str(top_left).strip())
    if not match:
        raise ValueError(f"ugyldig celle {top_left!r}")
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)), col


def text_value(value: Any) -> Any:
    """Text as assigned through Excel's Value: with Excel's text prefix ('), so the cell holds
    exactly that text, never a formula, number or date ("0301" keeps its zero). The core's
    neutralised "'=1+1" thus shows as "'=1+1", as in the master the CLI writes with openpyxl.
    The empty string is an empty cell."""
    if isinstance(value, str):
        return "'" + value if value else None
    return value


def chunk_bands(values: list[list[Any]], max_cells: int = CHUNK_CELLS,
                max_bytes: int = CHUNK_TEXT_BYTES) -> list[tuple[int, int]]:
    """(first row offset, row count) bands of whole rows: each at most `max_cells` cells and about
    `max_bytes` bytes of text (UTF-8; a single row above it is a band of its own)."""
    bands: list[tuple[int, int]] = []
    width = len(values[0]) if values else 0
    start, cells, size = 0, 0, 0
    for i, row in enumerate(values):
        row_size = sum(len(v.encode("utf-8")) for v in row if isinstance(v, str))
        if i > start and (cells + width > max_cells or size + row_size > max_bytes):
            bands.append((start, i - start))
            start, cells, size = i, 0, 0
        cells += width
        size += row_size
    if values:
        bands.append((start, len(values) - start))
    return bands


def _guard(value: Any) -> str | None:
    """Why Excel cannot hold `value` as it is (Norwegian), or None."""
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return f"teksten har {len(value)} tegn; en celle i Excel kan ha høyst {MAX_TEXT}"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_EXACT_INTEGER:
        return f"heltallet {value} har flere enn 15 sifre, som Excel ikke kan lagre nøyaktig"
    if isinstance(value, float) and (not math.isfinite(value) or abs(value) > MAX_NUMBER):
        return f"tallet {value} kan ikke lagres i Excel"
    return None


def plan_blocks(blocks: Sequence[Any]) -> list[_Plan]:
    """Check every block and every value before anything is written; empty blocks are dropped.
    Values pass through the core's `cell_value` (what a cell may hold), the guards, then
    `text_value`."""
    from kalk_excel.pipeline.blocks import cell_value

    plans = []
    for i, block in enumerate(blocks, start=1):
        sheet = getattr(block, "sheet", None)
        try:
            if not isinstance(sheet, str) or not sheet:
                raise ValueError("arknavn mangler")
            row, col = parse_top_left(getattr(block, "top_left", None))
            cells = [[cell_value(v) for v in r] for r in block.values]
            if cells and (not cells[0] or any(len(r) != len(cells[0]) for r in cells)):
                raise ValueError("radene har ulik lengde")
            for r, line in enumerate(cells):
                for c, v in enumerate(line):
                    why = _guard(v)
                    if why:
                        raise ValueError(f"verdien i {sheet}!{column_letters(col + c)}{row + r}: {why}")
            values = [[text_value(v) for v in r] for r in cells]
        except (TypeError, ValueError, AttributeError) as exc:
            raise fail(BLOCK_INVALID, block=i, error=exc, sheet=sheet if isinstance(sheet, str) else None) from exc
        if values:
            plan = _Plan(block, sheet, row, col, values)
            plan.chunks = [_Chunk(row + start, values[start:start + n]) for start, n in chunk_bands(values)]
            plans.append(plan)
    return plans


def snapshot(session: ExcelSession, plans: list[_Plan]) -> int:
    """Read every chunk's current values (and refuse formulas there); returns the read calls."""
    calls = 0
    for p in plans:
        width = len(p.values[0])
        for ch in p.chunks:
            ch.range = session.region(p.sheet, ch.row, p.col, len(ch.values), width)
            ch.snapshot = session.read(ch.range)
            calls += 1
            formulas = session.formulas(ch.range)
            if formulas is None:
                continue
            calls += 1
            for r, (frow, vrow) in enumerate(zip(formulas, ch.snapshot, strict=False)):
                for c, (f, v) in enumerate(zip(frow, vrow, strict=False)):
                    if isinstance(f, str) and f.startswith("=") and f != v:
                        cell = f"{p.sheet}!{column_letters(p.col + c)}{ch.row + r}"
                        raise fail(FORMULA_IN_TARGET, sheet=p.sheet, cell=cell)
    return calls


def write_blocks(session: ExcelSession, blocks: Sequence[Any], protector: Protector,
                 progress: Callable[[str], None] | None = None,
                 before_write: Callable[[], None] | None = None) -> WriteResult:
    """Write all blocks or none; raises `AddinError` (after restoring) if any write fails.
    `before_write` runs before every write call (e.g. a check that the book is still the same);
    raising there stops the run like a failed write."""
    plans = plan_blocks(blocks)
    snapshot(session, plans)  # nothing is written until every snapshot is taken
    result = WriteResult()
    states: dict[str, tuple[Any, ProtectionState]] = {}
    written: list[tuple[_Plan, _Chunk]] = []
    current: tuple[_Plan, _Chunk] | None = None
    error: AddinError | None = None
    try:
        for p in plans:
            if p.sheet.casefold() not in states:
                sheet = session.sheet(p.sheet)
                states[p.sheet.casefold()] = (sheet, protector.unprotect(sheet))
        for n, p in enumerate(plans, start=1):
            if progress:
                progress(f"skriver {n} av {len(plans)}: {p.sheet}!{p.address}")
            for ch in p.chunks:
                if before_write:
                    before_write()
                current = (p, ch)
                session.write(ch.range, ch.values)
                result.calls += 1
                written.append(current)
                current = None
            result.blocks += 1
            result.cells += len(p.values) * len(p.values[0])
    except Exception as exc:  # noqa: BLE001 - any failure mid-write must end in a restore
        error = _restore(session, written, current, exc)
        error.__cause__ = exc
    finally:
        for sheet, state in states.values():
            try:
                protector.protect(sheet, state)
            except AddinError as err:
                result.problems.append(err.problem)
    if error is not None:
        if result.problems:  # the sheet stays unprotected: say so in the same message
            extra = " ".join(p.message for p in result.problems)
            error = AddinError(dataclasses.replace(error.problem, message=f"{error.problem.message} {extra}"))
        raise error
    return result


def _restore(session: ExcelSession, written: list[tuple[_Plan, _Chunk]], current: tuple[_Plan, _Chunk] | None,
             cause: Exception) -> AddinError:
    """Write the snapshots back, newest first; the error to raise says whether that worked.

    The chunk whose write raised is put back too, best effort: a refused assignment (protected
    cells, Excel busy) has changed nothing, so a second refusal there is logged, not reported."""
    if not written and current is None and isinstance(cause, AddinError):
        return cause  # e.g. protection could not be lifted, or the book changed: nothing was written
    if current is not None:
        p, ch = current
        try:
            session.write(ch.range, [[text_value(v) for v in r] for r in ch.snapshot or []])
        except Exception as exc:  # noqa: BLE001
            log.info("området %s!%s kunne ikke skrives tilbake heller: %s", p.sheet, _chunk_address(p, ch), exc)
    failed = []
    for p, ch in reversed(written):
        try:
            session.write(ch.range, [[text_value(v) for v in r] for r in ch.snapshot or []])
        except Exception as exc:  # noqa: BLE001 - keep restoring the other regions
            log.error("klarte ikke å tilbakestille %s!%s: %s", p.sheet, _chunk_address(p, ch), exc)
            failed.append(f"{p.sheet}!{_chunk_address(p, ch)}")
    failing = current or (written[-1] if written else None)
    where = f"{failing[0].sheet}!{_chunk_address(*failing)}" if failing else "masteren"
    detail = cause.problem.message if isinstance(cause, AddinError) else f"{type(cause).__name__}: {cause}"
    if failed:
        return fail(RESTORE_FAILED, where=where, error=detail, failed=", ".join(failed))
    regions = len({id(p) for p, _ch in written})
    # a stop raised before a write (e.g. the book changed, X041) keeps its code and correction
    restored = fail(WRITE_FAILED, where=where, error=detail, regions=regions)
    if isinstance(cause, AddinError):
        return AddinError(dataclasses.replace(restored.problem, code=cause.problem.code, fix=cause.problem.fix))
    return restored


def _chunk_address(p: _Plan, ch: _Chunk) -> str:
    return _address(ch.row, p.col, len(ch.values), len(p.values[0]))
