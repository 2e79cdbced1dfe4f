"""Write the core's blocks into the master all-or-nothing: validate every block, snapshot every
target region with one read, lift sheet protection, write each block with one 2-D assignment,
and on any failure write the snapshots back (newest first) before protection is put back.

The number of calls into Excel depends on the number of blocks (one per sheet region), never
on the number of municipalities or fields.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from kalk_excel.problems import Problem

from .errors import BLOCK_INVALID, RESTORE_FAILED, WRITE_FAILED, AddinError, fail
from .protection import ProtectionState, Protector
from .session import ExcelSession

log = logging.getLogger(__name__)

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]*)$")
_CLOSE_WITHOUT_SAVING = "Lukk masterarbeidsboka uten å lagre for å være sikker på at den er uendret."


@dataclass
class _Plan:
    block: Any
    sheet: str
    row: int
    col: int
    values: list[list[Any]]
    range: Any = None
    snapshot: list[list[Any]] | None = None

    @property
    def address(self) -> str:
        last = (self.row + len(self.values) - 1, self.col + len(self.values[0]) - 1)
        return f"{column_letters(self.col)}{self.row}:{column_letters(last[1])}{last[0]}"


@dataclass
class WriteResult:
    blocks: int = 0
    cells: int = 0
    problems: list[Problem] = field(default_factory=list)  # e.g. a sheet that could not be re-protected


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


def plan_blocks(blocks: Sequence[Any]) -> list[_Plan]:
    """Check every block before anything is written; empty blocks are dropped. Values pass
    through the core's `cell_value` (what a cell may hold) and then `text_value`."""
    from kalk_excel.pipeline.blocks import cell_value

    plans = []
    for i, block in enumerate(blocks, start=1):
        sheet = getattr(block, "sheet", None)
        try:
            row, col = parse_top_left(getattr(block, "top_left", None))
            values = [[text_value(cell_value(v)) for v in r] for r in block.values]
            if values and (not values[0] or any(len(r) != len(values[0]) for r in values)):
                raise ValueError("radene har ulik lengde")
            if not isinstance(sheet, str) or not sheet:
                raise ValueError("arknavn mangler")
        except (TypeError, ValueError, AttributeError) as exc:
            raise fail(BLOCK_INVALID, f"Blokk {i} fra beregningen kan ikke skrives ({exc}). Ingenting er skrevet.",
                       "Meld fra til den som vedlikeholder kalk-excel.", sheet=sheet if isinstance(sheet, str) else None) from exc
        if values:
            plans.append(_Plan(block, sheet, row, col, values))
    return plans


def write_blocks(session: ExcelSession, blocks: Sequence[Any], protector: Protector,
                 progress: Callable[[str], None] | None = None) -> WriteResult:
    """Write all blocks or none; raises `AddinError` (after restoring) if any write fails."""
    plans = plan_blocks(blocks)
    for p in plans:  # one read per region; nothing is written until every snapshot is taken
        p.range = session.region(p.sheet, p.row, p.col, len(p.values), len(p.values[0]))
        p.snapshot = session.read(p.range)
    result = WriteResult()
    states: dict[str, tuple[Any, ProtectionState]] = {}
    written: list[_Plan] = []
    current: _Plan | None = None
    error: AddinError | None = None
    try:
        for p in plans:
            if p.sheet.casefold() not in states:
                sheet = session.sheet(p.sheet)
                states[p.sheet.casefold()] = (sheet, protector.unprotect(sheet))
        for n, p in enumerate(plans, start=1):
            if progress:
                progress(f"skriver {n} av {len(plans)}: {p.sheet}!{p.address}")
            current = p
            session.write(p.range, p.values)
            written.append(p)
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
            error = fail(error.problem.code, f"{error.problem.message} {extra}", error.problem.fix)
        raise error
    return result


def _restore(session: ExcelSession, written: list[_Plan], current: _Plan | None, cause: Exception) -> AddinError:
    """Write the snapshots back, newest first; the error to raise says whether that worked.

    The region whose write raised is put back too, best effort: a refused assignment (protected
    cells, Excel busy) has changed nothing, so a second refusal there is logged, not reported."""
    if not written and current is None and isinstance(cause, AddinError):
        return cause  # e.g. protection could not be lifted: nothing was written
    if current is not None:
        try:
            session.write(current.range, [[text_value(v) for v in r] for r in current.snapshot])
        except Exception as exc:  # noqa: BLE001
            log.info("området %s!%s kunne ikke skrives tilbake heller: %s", current.sheet, current.address, exc)
    failed = []
    for p in reversed(written):
        try:
            session.write(p.range, [[text_value(v) for v in r] for r in p.snapshot])
        except Exception as exc:  # noqa: BLE001 - keep restoring the other regions
            log.error("klarte ikke å tilbakestille %s!%s: %s", p.sheet, p.address, exc)
            failed.append(f"{p.sheet}!{p.address}")
    failing = current or (written[-1] if written else None)
    where = f"{failing.sheet}!{failing.address}" if failing else "masteren"
    detail = cause.problem.message if isinstance(cause, AddinError) else f"{type(cause).__name__}: {cause}"
    if failed:
        return fail(RESTORE_FAILED, f"Skrivingen til {where} feilet ({detail}), og disse områdene kunne ikke "
                    f"settes tilbake: {', '.join(failed)}.", _CLOSE_WITHOUT_SAVING)
    return fail(WRITE_FAILED, f"Skrivingen til {where} feilet ({detail}). Alt som var skrevet er satt tilbake "
                f"({len(written)} område(r)); masteren er som før.", "Rett feilen og trykk «Beregn dekningsgrad» igjen.")
