"""`kalk-excel beregn`: on the demo submissions it gives the same results as `kalk-excel demo`;
`--json` lists every file as `kalk-excel kontroller` reports it (a corrupt file as rejected, also
on Sporbarhet); usage errors exit 2 without touching the master."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kalk_excel.cli.main import cli
from kalk_excel.definition.model import Kommune
from kalk_excel.pipeline.trace import read_sporbarhet
from support import write_submissions

KOMMUNER = [Kommune("1833", "Rana", ("adm", "norsk")), Kommune("3103", "Moss", ("adm", "norsk"))]
CORRUPT = "2024_adm_3103_moss_gammel.xlsx"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("cli")
    write_submissions(base / "inn", KOMMUNER, "Test-passord-æøå-2024")
    (base / "inn" / CORRUPT).write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    (base / "kommuner.csv").write_text("kommunenummer,navn,skjema\n1833,Rana,adm;norsk\n3103,Moss,adm;norsk\n",
                                       encoding="utf-8")
    return base


def test_json_lists_files_as_kontroller_does_and_the_corrupt_one_as_rejected(soffice, small: Path,
                                                                              tmp_path: Path) -> None:
    master = tmp_path / "master.xlsx"
    runner = CliRunner()
    result = runner.invoke(cli, ["beregn", "--master", str(master), "--innleveringer", str(small / "inn"),
                                 "--aar", "2024", "--kommuner", str(small / "kommuner.csv"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"excel", "modell", "filer"} <= set(data)
    files = {f["fil"]: f for f in data["filer"]}
    assert files[CORRUPT]["status"] == "avvist" and files[CORRUPT]["inkludert"] is False
    good = [f for name, f in files.items() if name != CORRUPT]
    assert len(good) == 4 and all(f["inkludert"] and f["status"] in ("godkjent", "advarsler") for f in good)
    kontroller = runner.invoke(cli, ["kontroller", str(small / "inn"), "--aar", "2024", "--kommuner",
                                     str(small / "kommuner.csv"), "--json"])
    for ref in json.loads(kontroller.stdout)["filer"]:
        mine = files[ref["fil"]]
        for key in ("status", "skjema", "kommunenummer", "sha256", "erstattet_av", "antall"):
            assert mine[key] == ref[key], (ref["fil"], key)
        assert [p["kode"] for p in mine["problemer"]] == [p["kode"] for p in ref["problemer"]]
    for name, value in data["modell"].items():
        excel = data["excel"].get(name)
        if isinstance(excel, (int, float)):
            assert abs(excel - value) <= (0.0001 if name.startswith("dekningsgrad") else 1.0), name
    # the master's overview «Innleveringer» is kontroller's status table
    status = json.loads(kontroller.stdout)["status_per_kommune"]
    assert len(status) == 4 and {r["kommunenummer"] for r in status} == {"1833", "3103"}
    wb = load_workbook(master, read_only=True)
    rows = [list(r) for r in wb["Innleveringer"].iter_rows(min_row=4, values_only=True) if any(r)]
    wb.close()
    head, body = rows[0], rows[1:]
    assert head[:5] == ["Kommunenummer", "Kommune", "Skjema", "Status", "Filen som gjelder"]
    assert [(r[0], r[2], r[3], r[4]) for r in body] == [(r["kommunenummer"], r["skjema"], r["status"], r["fil"])
                                                        for r in status]
    submissions, _ = read_sporbarhet(master)
    rejected = next(r for r in submissions if r["Fil"] == CORRUPT)
    assert all(r["Valg av fil (intake.selection)"] == "Eneste fil mottatt." for r in submissions
               if r["Fil"] != CORRUPT and r["Status"] != "ikke mottatt")
    assert rejected["Status"] == "avvist" and rejected["Inkludert"] == "nei"

    again = runner.invoke(cli, ["beregn", "--master", str(master), "--innleveringer", str(small / "inn")])
    assert again.exit_code == 0, again.output
    assert "Verdikt: Excel og modellen er enige" in again.stdout
    assert CORRUPT in again.stdout and "forrige versjon" in again.stdout


def test_usage_errors_exit_2_and_leave_no_master(small: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    master = tmp_path / "master.xlsx"
    missing = runner.invoke(cli, ["beregn", "--master", str(master), "--innleveringer", str(tmp_path / "borte"),
                                  "--aar", "2024"])
    assert missing.exit_code == 2 and "Fant ikke mappen" in missing.stderr
    no_year = runner.invoke(cli, ["beregn", "--master", str(master), "--innleveringer", str(small / "inn")])
    assert no_year.exit_code == 2 and "--aar" in no_year.stderr
    assert not master.exists()


@pytest.mark.slow
def test_beregn_on_the_demo_submissions_gives_the_demo_results(soffice, tmp_path: Path) -> None:
    demo_dir = tmp_path / "demo"
    demo = subprocess.run([sys.executable, "-m", "kalk_excel.cli.main", "demo", "--ut", str(demo_dir), "--json"],
                          capture_output=True, text=True, timeout=900)
    assert demo.returncode == 0, demo.stderr[-2000:]
    expected = json.loads(demo.stdout)
    assert len(expected["filer"]) == 47                     # the demo went through workbooks and intake
    folder = tmp_path / "innleveringer"
    shutil.copytree(demo_dir / "innleveringer", folder)
    run = subprocess.run([sys.executable, "-m", "kalk_excel.cli.main", "beregn", "--master",
                          str(tmp_path / "master.xlsx"), "--innleveringer", str(folder), "--aar", "2024", "--json",
                          "--sammenlign-rapport"],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    got = json.loads(run.stdout)
    compared = 0
    for name, value in expected["excel"].items():
        if isinstance(value, (int, float)) and name in got["excel"]:
            assert got["excel"][name] == pytest.approx(value, rel=1e-9, abs=1e-6), name
            compared += 1
    for name, value in expected["modell"].items():
        assert got["modell"][name] == pytest.approx(value, rel=1e-9, abs=1e-6), name
    assert compared >= 15
    assert got["verdikt"]["excel_modell_enige"] is True
    assert got["verdikt"]["rapport_gjenskapt"] is True
    assert all(f["inkludert"] for f in got["filer"])
