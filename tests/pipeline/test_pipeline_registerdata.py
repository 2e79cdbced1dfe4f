"""*Registerdata*: the CSV import (coded problems for a bad file), the values carried from an
existing master into the next one, traced on *Sporbarhet*, and given to the reference model."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from test_pipeline_update import KOMMUNER

from kalk_excel.cli.main import cli
from kalk_excel.demo.data import demo_adm
from kalk_excel.master import build_master
from kalk_excel.model import load_parameters
from kalk_excel.pipeline.registerdata import RegisterError, merged, read_csv, trace_rows
from kalk_excel.pipeline.state import read_master_state
from kalk_excel.pipeline.update import prepare_update


def _csv(tmp_path: Path, text: str, name: str = "register.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_values_sources_and_lines(tmp_path: Path) -> None:
    path = _csv(tmp_path, "kommunenummer;kvalifiseringsstonad;ikke_klientfort_281;kilde\n"
                          "301;1 234 567;;SSB mars 2025\n"
                          "1103;0;98765,5;\n")
    reg = read_csv(path, KOMMUNER)
    assert reg.values["0301"] == {"kvalifiseringsstonad": 1_234_567, "kilde": "register.csv: SSB mars 2025"}
    assert reg.values["1103"] == {"kvalifiseringsstonad": 0, "ikke_klientfort_281": 98_765.5, "kilde": "register.csv"}
    assert reg.origins[("1103", "ikke_klientfort_281")].line == 3
    rows = trace_rows(reg, ["0301", "1103"])
    assert rows[0][:6] == ["register", "0301", "kvalifiseringsstonad", "nei", "Registerdata", "C6"]
    assert rows[0][6] == "register.csv" and rows[0][9] == "linje 2, kolonne kvalifiseringsstonad"
    assert [r[5] for r in rows] == ["C6", "C7", "D7"]


def test_bad_csv_is_every_problem_with_its_code(tmp_path: Path) -> None:
    path = _csv(tmp_path, "kommunenummer,kvalifiseringsstonad,ikke_klientfort_281\n"
                          "9999,1,2\n"
                          "0301,mange,2\n"
                          "0301,1,2\n"
                          "1103,-5,2\n")
    with pytest.raises(RegisterError) as info:
        read_csv(path, KOMMUNER)
    problems = info.value.problems
    assert [(p.code, p.cell) for p in problems] == [("P052", "linje 2"), ("P053", "linje 3"), ("P054", "linje 4"),
                                                    ("P053", "linje 5")]
    assert all(p.severity == "feil" and p.fix for p in problems)
    with pytest.raises(RegisterError) as info:
        read_csv(_csv(tmp_path, "kommunenummer;kvp\n0301;1\n"), KOMMUNER)
    assert [p.code for p in info.value.problems] == ["P051"]
    assert "kvalifiseringsstonad" in info.value.problems[0].message


def test_an_empty_csv_cell_keeps_the_masters_value(tmp_path: Path) -> None:
    old = read_csv(_csv(tmp_path, "kommunenummer,kvalifiseringsstonad,ikke_klientfort_281\n0301,10,20\n", "a.csv"),
                   KOMMUNER)
    new = read_csv(_csv(tmp_path, "kommunenummer,kvalifiseringsstonad,ikke_klientfort_281\n0301,,30\n", "b.csv"),
                   KOMMUNER)
    both = merged(old, new)
    assert both.values["0301"]["kvalifiseringsstonad"] == 10 and both.values["0301"]["ikke_klientfort_281"] == 30
    assert both.origins[("0301", "kvalifiseringsstonad")].file == "a.csv"
    assert both.origins[("0301", "ikke_klientfort_281")].file == "b.csv"


@pytest.mark.slow
def test_carried_from_the_master_traced_and_in_the_model(folder: Path, tmp_path: Path) -> None:
    typed = {"0301": {"kvalifiseringsstonad": 3_000_000, "kilde": "SSB, ført inn for hånd"}}
    master = build_master(2024, tmp_path / "master.xlsx", kommuner=KOMMUNER, registerdata=typed)
    state = read_master_state(master)
    assert state.registerdata == typed
    base = prepare_update(2024, folder, kommuner=KOMMUNER)
    update = prepare_update(2024, folder, master_path=master)
    carried = [b for b in update.carry_over if b.sheet == "Registerdata"]
    assert len(carried) == 1 and carried[0].top_left == "C6"
    assert carried[0].values[0] == [3_000_000, None, "SSB, ført inn for hånd"]
    trace = next(b for b in update.blocks if b.sheet == "Sporbarhet")
    row = next(r for r in trace.values if r[0] == "register")
    assert row[1:6] == ["0301", "kvalifiseringsstonad", "nei", "Registerdata", "C6"]
    assert row[6].startswith("masteren") and (row[8], row[9], row[10]) == ("Registerdata", "C6", 3_000_000)
    # Oslo's KVP area: MAX(0, expense + stønad - participants x rate) (docs/beregning.md), by hand
    oslo, p = demo_adm().loc["0301"], load_parameters(2024)
    expense, deduction = oslo["kvp_utgift_mg"], oslo["kvp_deltakere_mg"] * p["kvp_rammefinansiering_per_deltaker"]
    grown = max(0, expense + 3_000_000 - deduction) - max(0, expense - deduction)
    assert grown > 0
    assert update.model["adm_utgifter_sum"] - base.model["adm_utgifter_sum"] == pytest.approx(grown)
    csv_path = _csv(tmp_path, "kommunenummer,kvalifiseringsstonad,ikke_klientfort_281\n0301,500000,1\n")
    again = prepare_update(2024, folder, master_path=master, registerdata=csv_path)
    block = next(b for b in again.carry_over if b.sheet == "Registerdata")
    assert block.values[0] == [500_000, 1, "register.csv"]


@pytest.mark.slow
def test_beregn_with_a_bad_register_file_stops_with_the_code(folder: Path, tmp_path: Path) -> None:
    bad = _csv(tmp_path, "kommunenummer,kvalifiseringsstonad,ikke_klientfort_281\n0301,ti kroner,1\n")
    master = tmp_path / "master.xlsx"
    result = CliRunner().invoke(cli, ["beregn", "--master", str(master), "--innleveringer", str(folder), "--aar",
                                      "2024", "--registerdata", str(bad)])
    assert result.exit_code == 2, result.output
    assert "P053" in result.output and "linje 2" in result.output
    assert not master.exists()
