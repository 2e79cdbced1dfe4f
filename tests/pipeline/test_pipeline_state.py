"""The master's state as data: one parser over per-sheet value grids (pipeline.state).

The saved-file reader and a grid built by hand (as the add-in reads a live workbook, with no file
on disk) must give the same state; the expected values are what the test itself typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from kalk_excel.definition.model import Kommune
from kalk_excel.master import build_master
from kalk_excel.master.layout import EXCLUSION_FIRST_ROW, SHEET_PARAMS, SHEET_SETUP
from kalk_excel.pipeline.state import (
    MASTER_STATE_SHEETS,
    UpdateError,
    parse_master_state,
    parse_ref,
    read_master_grids,
    read_master_state,
)

KOMMUNER = [Kommune("0301", "Oslo", ("adm", "norsk")), Kommune("1103", "Stavanger", ("adm",))]


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_master(2024, tmp_path_factory.mktemp("m") / "master.xlsx", kommuner=KOMMUNER)
    wb = load_workbook(path)
    wb[SHEET_SETUP].cell(EXCLUSION_FIRST_ROW, 1, "1103")
    wb[SHEET_SETUP].cell(EXCLUSION_FIRST_ROW, 2, "adm")
    wb[SHEET_SETUP].cell(EXCLUSION_FIRST_ROW, 3, "Sen levering")
    ws = wb[SHEET_PARAMS]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "kultur_fastsatt")
    ws.cell(row, 3, 1234.5)
    wb.save(path)
    return path


def test_file_reader_and_parser_read_what_was_typed(master: Path) -> None:
    state = read_master_state(master)
    assert state.year == 2024
    assert [(k.kommunenummer, k.navn, k.skjema) for k in state.kommuner] == [
        ("0301", "Oslo", ("adm", "norsk")), ("1103", "Stavanger", ("adm",))]
    assert state.parameters["kultur_fastsatt"] == 1234.5
    assert state.exclusions[0] == ["1103", "adm", "Sen levering"]
    assert state.exclusion_first_row == EXCLUSION_FIRST_ROW


def test_grids_without_names_or_file_give_the_same_state(master: Path) -> None:
    grids, names = read_master_grids(master)
    assert set(MASTER_STATE_SHEETS) <= set(grids)
    from_file = read_master_state(master)
    # the add-in's case: plain lists, no defined names passed, no path anywhere
    plain = {sheet: [list(r) for r in rows] for sheet, rows in grids.items()}
    from_grids = parse_master_state(plain)
    assert from_grids == from_file
    assert parse_master_state(plain, names) == from_file


def test_grid_that_is_not_a_master_is_a_norwegian_error() -> None:
    with pytest.raises(UpdateError, match="Korreksjon:"):
        parse_master_state({"Ark1": [[1, 2]]})


@pytest.mark.parametrize("ref, expected", [
    ("'Oppsett'!$A$13:$C$42", ("Oppsett", (1, 13, 3, 42))),
    ("=Fjorår!$B$7:$C$20", ("Fjorår", (2, 7, 3, 20))),
    ("'Innrapportert adm'!$F$6", ("Innrapportert adm", (6, 6, 6, 6))),
    ("B4", (None, (2, 4, 2, 4))),
])
def test_parse_ref(ref: str, expected: tuple) -> None:
    assert parse_ref(ref) == expected
