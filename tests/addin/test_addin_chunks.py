"""Reads and writes in explicit chunks sized for Windows (COM) and macOS (Apple events), counted
on xlwings' remote engine (every write is a recorded action), the guards on block contents
(text length, integer size, inf/NaN, formulas in a target region), and a failure in a later chunk
of a block that restores the earlier chunks."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from test_addin_remote import SHEETS, _book, _writes, apply_actions, update_for

from kalk_excel.addin import entry
from kalk_excel.addin import session as session_mod
from kalk_excel.addin.writer import CHUNK_CELLS, CHUNK_TEXT_BYTES
from kalk_excel.pipeline.blocks import Block


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    shapes: list[tuple[int, int]] = []
    real = session_mod.ExcelSession.read

    def counting(rng: Any) -> list[list[Any]]:
        shapes.append(rng.shape)
        return real(rng)

    monkeypatch.setattr(session_mod.ExcelSession, "read", staticmethod(counting))
    return shapes


def test_a_full_size_sporbarhet_is_written_in_row_bands(xw: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows, cols = 7052, 8                       # a full-size Sporbarhet (the count)
    per_chunk = CHUNK_CELLS // cols            # hand calculation: rows per band
    expected = math.ceil(rows / per_chunk)
    assert expected == 3 and per_chunk == 2500
    reads = _count_reads(monkeypatch)
    block = Block("Sporbarhet", "A3", [[r * 10 + c for c in range(cols)] for r in range(rows)])
    book, data = _book(xw, tmp_path)
    outcome = entry.run(book, prepare=lambda *a, **k: update_for(3, [block]))
    assert outcome.ok, outcome.message
    writes = _writes(book)
    assert [(w["start_row"], w["row_count"], w["column_count"]) for w in writes] == [
        (2, 2500, 8), (2502, 2500, 8), (5002, 2052, 8)]
    assert max(w["row_count"] * w["column_count"] for w in writes) <= CHUNK_CELLS
    snapshot_reads = [s for s in reads if s[1] == cols]
    assert snapshot_reads == [(2500, 8), (2500, 8), (2052, 8)]
    grid = apply_actions(data, book.json()["actions"])[SHEETS.index("Sporbarhet")]
    assert [grid[2 + r][:cols] for r in (0, 2499, 2500, 7051)] == [block.values[r] for r in (0, 2499, 2500, 7051)]


def test_text_heavy_rows_get_smaller_bands(xw: Any, tmp_path: Path) -> None:
    text = "æ" * 5_000                        # 10 000 bytes in UTF-8, sent with Excel's text prefix '
    block = Block("Kontroll", "A2", [[text, text] for _ in range(120)])
    per_chunk = CHUNK_TEXT_BYTES // (2 * (len(text.encode("utf-8")) + 1))   # 49 rows of 20 002 bytes
    book, _ = _book(xw, tmp_path)
    assert entry.run(book, prepare=lambda *a, **k: update_for(3, [block])).ok
    assert [w["row_count"] for w in _writes(book)] == [per_chunk, per_chunk, 120 - 2 * per_chunk]


def test_failure_in_a_later_chunk_restores_the_earlier_chunks(xw: Any, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    block = Block("Sporbarhet", "A3", [[r, "x"] for r in range(CHUNK_CELLS // 2 * 2 + 7)])  # three bands
    book, data = _book(xw, tmp_path)
    record = book.impl.append_json_action
    seen: list[int] = []

    def refuse_third(**kwargs: Any) -> None:
        if kwargs.get("func") == "setValues":
            seen.append(kwargs["start_row"])
            if len(seen) == 3:
                raise RuntimeError("Not enough storage is available to complete this operation.")
        record(**kwargs)

    monkeypatch.setattr(book.impl, "append_json_action", refuse_third)
    outcome = entry.run(book, prepare=lambda *a, **k: update_for(3, [block]))
    assert not outcome.ok and outcome.problems[0].code == "X033"
    grids = apply_actions(data, book.json()["actions"])
    assert len(seen) == 3 + 3                  # three bands written (the third refused), three restored
    for grid, sheet in zip(grids, data["sheets"], strict=False):
        n = len(sheet["values"])
        assert [row[:len(sheet["values"][0])] for row in grid[:n]] == sheet["values"]
        assert all(v is None for row in grid[n:] for v in row)   # below the old cells: empty again


@pytest.mark.parametrize("value, text", [
    ("x" * 32_768, "32768 tegn"),
    (10 ** 15, "flere enn 15 sifre"),
    (-(10 ** 15), "flere enn 15 sifre"),
    (float("inf"), "kan ikke lagres i Excel"),
    (float("nan"), "kan ikke lagres i Excel"),
])
def test_values_excel_cannot_hold_stop_the_run_before_writing(xw: Any, tmp_path: Path, value: Any, text: str) -> None:
    blocks = [Block("Sporbarhet", "A2", [[1, 2]]), Block("Kontroll", "B4", [[1, 2], [3, value]])]
    book, _ = _book(xw, tmp_path)
    outcome = entry.run(book, prepare=lambda *a, **k: update_for(3, blocks))
    assert not outcome.ok and outcome.problems[0].code == "X030"
    assert "Kontroll!C5" in outcome.message and text in outcome.message and "Ingenting er skrevet" in outcome.message
    assert _writes(book) == []


def test_values_at_excels_limits_are_written(xw: Any, tmp_path: Path) -> None:
    blocks = [Block("Kontroll", "B4", [["x" * 32_767, 10 ** 15 - 1, -1.5e300]])]
    book, data = _book(xw, tmp_path)
    assert entry.run(book, prepare=lambda *a, **k: update_for(3, blocks)).ok
    row = apply_actions(data, book.json()["actions"])[SHEETS.index("Kontroll")][3]
    assert row[1:4] == ["x" * 32_767, 10 ** 15 - 1, -1.5e300]


def test_a_formula_in_a_target_region_stops_the_run(xw: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The remote engine cannot read formulas; the stand-in answers as COM's Range.Formula does:
    constants as their text, a formula cell as its formula."""
    from xlwings.pro import _xlremote

    def formula(self: Any) -> Any:
        values = self.raw_value
        r0, c0 = self.arg1
        return [[("=SUMMER(A1:A3)" if (self.sheet.name, r0 + i, c0 + j) == ("Kontroll", 5, 3) else
                  ("" if v is None else str(v))) for j, v in enumerate(row)] for i, row in enumerate(values)]

    monkeypatch.setattr(_xlremote.Range, "formula", property(formula))
    blocks = [Block("Sporbarhet", "A2", [[1, 2]]), Block("Kontroll", "B4", [[1, 2], [3, 4]])]
    book, _ = _book(xw, tmp_path)
    outcome = entry.run(book, prepare=lambda *a, **k: update_for(3, blocks))
    assert not outcome.ok and outcome.problems[0].code == "X036"
    assert "Kontroll!C5 har en formel" in outcome.message and "SUMMER" not in outcome.message
    assert _writes(book) == []
    book, _ = _book(xw, tmp_path)              # the same stand-in, formulas elsewhere: written
    assert entry.run(book, prepare=lambda *a, **k: update_for(3, [blocks[0]])).ok
