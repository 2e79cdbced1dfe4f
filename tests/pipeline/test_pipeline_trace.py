"""Sporbarhet: from any value on Innrapportert to the file, SHA-256, sheet and cell it came from.

The master is built and the update's blocks are written with openpyxl (no LibreOffice needed);
the source files are opened independently and their bytes hashed here."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kalk_excel.definition import load_form
from kalk_excel.definition.model import Kommune
from kalk_excel.demo.inputs import raw_inputs
from kalk_excel.master import build_master
from kalk_excel.master.layout import FIRST_DATA_ROW, HEADER_ID_ROW, STATUS_KEYS
from kalk_excel.pipeline.blocks import BlockError, write_blocks_openpyxl
from kalk_excel.pipeline.trace import SUBMISSION_HEADER, VALUE_HEADER, ensure_sporbarhet_sheet, read_sporbarhet, sporbarhet_block
from kalk_excel.pipeline.update import prepare_update
from kalk_excel.workbook import build_workbook, fill_workbook, workbook_filename

KOMMUNER = [Kommune("0301", "Oslo", ("adm", "norsk")), Kommune("1833", "Rana", ("adm", "norsk"))]


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("spor")
    folder, templates = base / "inn", base / "maler"
    folder.mkdir()
    templates.mkdir()
    forms = {f: load_form(2024, f) for f in ("adm", "norsk")}
    for k in KOMMUNER:
        for form_id, form in forms.items():
            if (k.kommunenummer, form_id) == ("1833", "norsk"):
                continue   # Rana has not sent the norsk form
            name = workbook_filename(2024, form_id, k.kommunenummer, k.navn)
            src = build_workbook(form, k, templates / name, password="Test-passord-æøå-2024")
            fill_workbook(src, raw_inputs(k.kommunenummer, form), folder / name)
    (folder / "skadet.xlsx").write_bytes(b"not a zip at all")
    update = prepare_update(2024, folder, kommuner=KOMMUNER)
    empty = build_master(2024, base / "tom.xlsx", kommuner=KOMMUNER, forms=update.forms,
                         params=update.params)
    path = write_blocks_openpyxl(empty, update.blocks, base / "master.xlsx")
    return path, folder


def filled_input_cells(path: Path) -> dict[tuple[str, str], tuple]:
    """(sheet, cell) -> (value, field id from row 4, kommunenummer, row's sha256) for every filled field cell."""
    wb = load_workbook(path)
    out = {}
    for sheet in ("Innrapportert adm", "Innrapportert norsk"):
        ws = wb[sheet]
        first_field = len(STATUS_KEYS) + 1
        for row in ws.iter_rows(min_row=FIRST_DATA_ROW, min_col=first_field):
            for c in row:
                if c.value is not None:
                    out[(sheet, c.coordinate)] = (c.value, ws.cell(HEADER_ID_ROW, c.column).value,
                                                  ws.cell(c.row, 1).value,
                                                  ws.cell(c.row, STATUS_KEYS.index("sha256") + 1).value)
    return out


def test_every_value_on_innrapportert_has_exactly_one_trace_row(master) -> None:
    path, _ = master
    cells = filled_input_cells(path)
    _, values = read_sporbarhet(path)
    keys = [(r["Ark i masteren"], r["Celle i masteren"]) for r in values]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(cells)
    assert len(cells) > 500


def test_random_values_lead_to_their_source_file_sheet_and_cell(master) -> None:
    path, folder = master
    cells = filled_input_cells(path)
    _, values = read_sporbarhet(path)
    by_cell = {(r["Ark i masteren"], r["Celle i masteren"]): r for r in values}
    sources: dict[str, object] = {}
    rng = random.Random(2024)
    picked = rng.sample(sorted(cells), 60)
    inputs = 0
    for key in picked:
        value, field_id, nr, sha = cells[key]
        row = by_cell[key]
        assert row["Felt-id"] == field_id and row["Kommunenummer"] == nr
        source = folder / row["Kildefil"]
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        assert row["Kilde SHA-256"] == digest == sha
        if row["Kildefil"] not in sources:
            sources[row["Kildefil"]] = load_workbook(source)
        cell = sources[row["Kildefil"]][row["Kildeark"]][row["Kildecelle"]]
        assert row["Verdi"] == value
        if row["Beregnet"] == "nei":
            inputs += 1
            if isinstance(value, (int, float)):
                assert float(cell.value) == pytest.approx(float(value))
            else:
                assert str(cell.value) == str(value)
        else:
            assert isinstance(cell.value, str) and cell.value.startswith("=")   # the form's own formula
    assert inputs >= 10


def test_submission_part_lists_every_file_and_what_is_missing(master) -> None:
    path, _ = master
    submissions, _ = read_sporbarhet(path)
    by_file = {r["Fil"]: r for r in submissions if r["Fil"]}
    assert set(by_file) == {"2024_adm_0301_oslo.xlsx", "2024_norsk_0301_oslo.xlsx", "2024_adm_1833_rana.xlsx",
                            "skadet.xlsx"}
    oslo = by_file["2024_adm_0301_oslo.xlsx"]
    assert oslo["Inkludert"] == "ja" and oslo["Status"] == "godkjent" and oslo["Skjemaversjon"]
    assert len(oslo["SHA-256"]) == 64 and oslo["Mottatt (filtid)"] is not None
    assert by_file["skadet.xlsx"]["Status"] == "avvist" and by_file["skadet.xlsx"]["Inkludert"] == "nei"
    assert by_file["skadet.xlsx"]["Avvist / ikke inkludert fordi"].startswith("Avvist")
    ws = load_workbook(path)["Innrapportert adm"]
    col = {k: i + 1 for i, k in enumerate(STATUS_KEYS)}
    assert ws.cell(FIRST_DATA_ROW, col["fil"]).value == oslo["Fil"]
    assert ws.cell(FIRST_DATA_ROW, col["sha256"]).value == oslo["SHA-256"]
    assert ws.cell(FIRST_DATA_ROW, col["mottatt"]).value == oslo["Mottatt (filtid)"]
    missing = [r for r in submissions if r["Status"] == "ikke mottatt"]
    assert [(r["Kommunenummer"], r["Skjema"]) for r in missing] == [("1833", "norsk")]


def test_block_clears_rows_left_by_a_longer_pull() -> None:
    short = sporbarhet_block([], [], clear_to_row=50)
    assert short.top_left == "A3" and short.origin[0] + short.shape[0] - 1 == 50
    assert short.values[1][:len(SUBMISSION_HEADER)] == SUBMISSION_HEADER
    assert VALUE_HEADER in [r[:len(VALUE_HEADER)] for r in short.values]


def test_ensure_sporbarhet_sheet_creates_it_only_when_missing() -> None:
    wb = Workbook()
    ws = ensure_sporbarhet_sheet(wb)
    assert ws.title == "Sporbarhet" and wb.sheetnames[-1] == "Sporbarhet"
    assert ensure_sporbarhet_sheet(wb) is ws and wb.sheetnames.count("Sporbarhet") == 1


def test_master_without_sporbarhet_gets_one_before_the_blocks_are_written(master, tmp_path: Path) -> None:
    from kalk_excel.pipeline.run import _ensure_trace_sheet
    path, _ = master
    wb = load_workbook(path)
    del wb["Sporbarhet"]
    old = tmp_path / "gammel.xlsx"
    wb.save(old)
    block = sporbarhet_block([], [["adm", "0301", "mg_antall_3112", "nei", "Innrapportert adm", "I6", "f.xlsx",
                                   "ab", "1 Målgruppen", "C12", 5]])
    with pytest.raises(BlockError, match="Sporbarhet"):
        write_blocks_openpyxl(old, [block], tmp_path / "uten.xlsx")
    _ensure_trace_sheet(old)
    write_blocks_openpyxl(old, [block], tmp_path / "med.xlsx")
    _, values = read_sporbarhet(tmp_path / "med.xlsx")
    assert values[0]["Celle i masteren"] == "I6" and values[0]["Verdi"] == 5


def test_part_2_has_the_filter_the_documentation_tells_auditors_to_use(master) -> None:
    """docs/sporbarhet.md: filter part 2 on «Ark i masteren» / «Celle i masteren»: the AutoFilter
    covers exactly part 2 (its header row down to its last row), and protection allows it."""
    path, _ = master
    ws = load_workbook(path)["Sporbarhet"]
    first, last = ws.auto_filter.ref.split(":")
    head_row = int("".join(ch for ch in first if ch.isdigit()))
    assert [ws.cell(head_row, j + 1).value for j in range(len(VALUE_HEADER))] == VALUE_HEADER
    _, values = read_sporbarhet(path)
    assert int("".join(ch for ch in last if ch.isdigit())) == head_row + len(values)
    assert ws.protection.sheet and ws.protection.autoFilter is False and ws.protection.sort is False
