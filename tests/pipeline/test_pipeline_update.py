"""prepare_update: intake -> the submission that counts per kommune and survey -> blocks and model.

Survey workbooks are generated and filled by the tests (generator + demo answers) for three
municipalities; expected numbers come from the filled values by hand, never from the code."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kalk_excel.definition import load_form
from kalk_excel.definition.model import Kommune
from kalk_excel.demo.inputs import raw_inputs
from kalk_excel.master import build_master
from kalk_excel.master.layout import FIRST_DATA_ROW, STATUS_KEYS
from kalk_excel.model import load_parameters
from kalk_excel.pipeline.blocks import Block
from kalk_excel.pipeline.update import UpdateError, prepare_update, read_master_state
from kalk_excel.workbook import fill_workbook
from support import write_submissions

NAMES = {"0301": "Oslo", "1103": "Stavanger", "1833": "Rana"}
KOMMUNER = [Kommune(nr, navn, ("adm", "norsk")) for nr, navn in NAMES.items()]
COL = {k: i for i, k in enumerate(STATUS_KEYS)}


def make_submissions(folder: Path) -> None:
    """One adm and one norsk workbook per municipality, filled with the demo answers."""
    write_submissions(folder, KOMMUNER, "Test-passord-æøå-2024")


def block(update, sheet: str) -> Block:
    return next(b for b in update.blocks if b.sheet == sheet)


def adm_values(_folder: Path, nr: str) -> dict:
    return raw_inputs(nr, load_form(2024, "adm"))


def test_all_good_submissions_are_included(folder: Path) -> None:
    update = prepare_update(2024, folder, kommuner=KOMMUNER)
    assert update.summary["inkludert"] == 6 and update.summary["avvist"] == 0
    assert update.summary["inkludert_per_skjema"] == {"adm": 3, "norsk": 3}
    adm = block(update, "Innrapportert adm")
    assert adm.top_left == f"A{FIRST_DATA_ROW}" and adm.shape[0] == 3
    assert [r[COL["kommunenummer"]] for r in adm.values] == ["0301", "1103", "1833"]
    assert [r[COL["inkludert"]] for r in adm.values] == [1, 1, 1]
    for f in update.files:
        assert {"fil", "status", "kommunenummer", "skjema", "counts"} <= set(f)
        assert f["inkludert"] is True and f["grunn"] is None
    # the model runs on the included values: N = 31.12 - ½ innflyttet + ½ utflyttet, by hand
    n = 0.0
    for nr in NAMES:
        v = adm_values(folder, nr)
        n += v["mg_antall_3112"] - 0.5 * v["mg_innflyttet"] + 0.5 * v["mg_utflyttet"]
    assert update.model["antall_malgruppe_sum"] == pytest.approx(n)
    assert any(b.sheet == "Kontroll" for b in update.blocks)


def test_corrupt_file_is_listed_and_the_good_ones_are_pulled(folder: Path) -> None:
    (folder / "2024_adm_1103_stavanger_kopi.xlsx").write_bytes(b"PK\x03\x04 dette er ikke en arbeidsbok")
    update = prepare_update(2024, folder, kommuner=KOMMUNER)
    bad = next(f for f in update.files if f["fil"] == "2024_adm_1103_stavanger_kopi.xlsx")
    assert bad["status"] == "avvist" and bad["inkludert"] is False
    assert bad["grunn"].startswith("Avvist")
    assert update.summary["avvist"] == 1 and update.summary["inkludert"] == 6
    adm = block(update, "Innrapportert adm")
    assert [r[COL["inkludert"]] for r in adm.values] == [1, 1, 1]
    assert adm.values[1][COL["fil"]] == "2024_adm_1103_stavanger.xlsx"


def test_newer_file_replaces_the_older_and_the_replacement_is_recorded(folder: Path) -> None:
    old = folder / "2024_adm_0301_oslo.xlsx"
    time.sleep(1.1)   # the content time (saved in the file) has one-second resolution
    newer = folder / "2024_adm_0301_oslo_rettet.xlsx"
    fill_workbook(old, {"mg_merknad": "Rettet versjon"}, newer)
    update = prepare_update(2024, folder, kommuner=KOMMUNER)
    files = {f["fil"]: f for f in update.files}
    assert files[old.name]["erstattet_av"] == newer.name and files[old.name]["inkludert"] is False
    assert files[newer.name]["inkludert"] is True
    assert update.summary["erstattet"] == 1
    adm = block(update, "Innrapportert adm")
    assert adm.values[0][COL["fil"]] == newer.name
    assert "Rettet versjon" in adm.values[0]
    trace = block(update, "Sporbarhet").values
    rows = {r[3]: r for r in trace if r[3] in (old.name, newer.name)}
    assert rows[old.name][12] == newer.name          # Erstattet av
    assert rows[newer.name][13] == old.name          # Erstatter
    assert rows[old.name][11] == "nei" and rows[newer.name][11] == "ja"


def test_file_with_errors_is_listed_and_left_out_of_the_model(folder: Path) -> None:
    bad = folder / "2024_adm_1833_rana.xlsx"
    values = adm_values(folder, "1833")
    fill_workbook(bad, {"mg_antall_3112": values["mg_antall_3112"] + 7}, bad)   # 1.3 no longer balances
    update = prepare_update(2024, folder, kommuner=KOMMUNER)
    rana = next(f for f in update.files if f["fil"] == bad.name)
    assert rana["status"] == "feil" and rana["inkludert"] is False and "feil" in rana["grunn"]
    adm = block(update, "Innrapportert adm")
    assert adm.values[2][COL["status"]] == "feil" and adm.values[2][COL["inkludert"]] == 0
    n = 0.0
    for nr in ("0301", "1103"):
        v = adm_values(folder, nr)
        n += v["mg_antall_3112"] - 0.5 * v["mg_innflyttet"] + 0.5 * v["mg_utflyttet"]
    assert update.model["antall_malgruppe_sum"] == pytest.approx(n)


def test_same_folder_twice_gives_identical_input_and_trace_blocks(folder: Path) -> None:
    first = prepare_update(2024, folder, kommuner=KOMMUNER, now=dt.datetime(2025, 1, 1, 8, 0))
    second = prepare_update(2024, folder, kommuner=KOMMUNER, now=dt.datetime(2025, 6, 1, 9, 30))
    for sheet in ("Innrapportert adm", "Innrapportert norsk", "Sporbarhet", "Kontroll"):
        assert block(first, sheet) == block(second, sheet), sheet
    setup = [b for b in first.blocks if b.sheet == "Oppsett"]
    assert any(dt.datetime(2025, 1, 1, 8, 0) in sum(b.values, []) for b in setup)   # pull time only here
    flat = [v for b in first.blocks if b.sheet != "Oppsett" for row in b.values for v in row]
    assert dt.datetime(2025, 1, 1, 8, 0) not in flat


def test_existing_master_gives_parameters_and_municipalities(folder: Path, tmp_path: Path) -> None:
    params = load_parameters(2024).with_values(kultur_fastsatt=2000.0)
    master = build_master(2024, tmp_path / "master.xlsx", kommuner=KOMMUNER[:2], params=params)
    wb = load_workbook(master)
    ws = wb["Sporbarhet"]
    ws.cell(4000, 1, "rest fra en tidligere henting")
    wb.save(master)
    state = read_master_state(master)
    assert state.year == 2024 and [k.kommunenummer for k in state.kommuner] == ["0301", "1103"]
    update = prepare_update(2024, folder, master_path=master)
    assert update.params["kultur_fastsatt"] == 2000.0
    assert block(update, "Innrapportert adm").shape[0] == 2
    assert any(p.code == "P010" for p in update.problems)          # Rana is not in this master
    trace = block(update, "Sporbarhet")
    assert trace.origin[0] + trace.shape[0] - 1 >= 4000             # the old row is cleared
    assert all(v is None for v in trace.values[-1])
    with pytest.raises(UpdateError, match="2024"):
        prepare_update(2025, folder, master_path=master)


def test_missing_folder_is_a_record_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(UpdateError, match="Fant ikke mappen"):
        prepare_update(2024, tmp_path / "finnes_ikke", kommuner=KOMMUNER)
