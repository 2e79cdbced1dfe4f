"""`kalk-excel kontroller`: exit codes (0 no errors, 1 errors, 2 usage), --json on stdout only,
--rapport (xlsx with counts per code at the top, and .json beside it), --tilbakemelding."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from intake_helpers import KOMMUNER, good_values, set_cell_xml

from kalk_excel.cli.main import cli


@pytest.fixture(scope="module")
def good_folder(maker, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "gode"
    folder.mkdir()
    for k in KOMMUNER:
        values = good_values(k.imdi_malgruppe / 122, n0101=int(k.imdi_malgruppe) - 22)
        maker.filled(folder / f"2024_adm_{k.kommunenummer}.xlsx", values, knr=k.kommunenummer)
    return folder


@pytest.fixture(scope="module")
def bad_folder(maker, good_folder, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "blandet"
    folder.mkdir()
    for p in good_folder.iterdir():
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "tilfeldig.xlsx").write_bytes(b"\x00\x01" * 100)
    sheet, cell = maker.field_map("9201")["sos_lonn_samlet"]
    set_cell_xml(maker.filled(folder.parent / "x.xlsx", knr="9201"), folder / "nan.xlsx", sheet, cell, "<v>NaN</v>")
    maker.filled(folder / "tekst.xlsx", knr="9202", sos_kommentar="=cmd|'/C calc'!A0")
    return folder


def run(*args: str):
    return CliRunner().invoke(cli, ["kontroller", *args], catch_exceptions=False)


def test_good_folder_exit_0_and_json(good_folder, defs_dir):
    result = run(str(good_folder), "--aar", "2024", "--definisjoner", str(defs_dir), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [f["status"] for f in data["filer"]] == ["godkjent"] * 3
    assert {f["kommunenummer"] for f in data["filer"]} == {"0301", "4601", "5001"}
    assert data["oppsummering"]["status"]["godkjent"] == 3 and data["oppsummering"]["har_feil"] is False


def test_bad_folder_exit_1_json_is_strict(bad_folder, defs_dir):
    result = run(str(bad_folder), "--definisjoner", str(defs_dir), "--json")
    assert result.exit_code == 1

    def no_constants(name: str):
        raise AssertionError(f"ikke gyldig JSON: {name}")

    data = json.loads(result.stdout, parse_constant=no_constants)
    by_file = {f["fil"]: f for f in data["filer"]}
    assert by_file["tilfeldig.xlsx"]["status"] == "avvist"
    assert by_file["tilfeldig.xlsx"]["problemer"][0]["kode"] == "S003"
    nan = [p for p in by_file["nan.xlsx"]["problemer"] if p["kode"] == "V007"][0]
    assert nan["felt"] == "sos_lonn_samlet" and isinstance(nan["verdi"], str)
    for key in ("kode", "alvorlighet", "ark", "celle", "felt", "verdi", "melding", "korreksjon"):
        assert key in nan
    assert by_file["2024_adm_0301.xlsx"]["status"] == "godkjent"
    assert data["oppsummering"]["koder"]["S003"] == 1


def test_missing_folder_exit_2(tmp_path, defs_dir):
    result = run(str(tmp_path / "finnes_ikke"), "--definisjoner", str(defs_dir))
    assert result.exit_code == 2 and "Fant ikke mappen" in result.stderr


def test_bad_fjorar_file_exit_2(good_folder, tmp_path, defs_dir):
    result = run(str(good_folder), "--definisjoner", str(defs_dir), "--fjorar", str(tmp_path / "nei.csv"))
    assert result.exit_code == 2


def test_bad_threshold_exit_2(good_folder, defs_dir):
    assert run(str(good_folder), "--definisjoner", str(defs_dir), "--fjorar-grense", "0.5").exit_code == 2


def test_report_and_feedback_files(bad_folder, tmp_path, defs_dir):
    rapport = tmp_path / "ut" / "rapport.xlsx"
    fb = tmp_path / "tilbake"
    result = run(str(bad_folder), "--definisjoner", str(defs_dir), "--rapport", str(rapport),
                 "--tilbakemelding", str(fb))
    assert result.exit_code == 1
    assert rapport.exists() and rapport.with_suffix(".json").exists()
    wb = openpyxl.load_workbook(rapport)
    assert wb.sheetnames[0] == "Oppsummering"
    ws = wb["Oppsummering"]
    assert ws["A5"].value == "Kode" and ws["B5"].value == "Antall"
    counts = {}
    row = 6
    while ws.cell(row, 1).value:
        counts[ws.cell(row, 1).value] = ws.cell(row, 2).value
        row += 1
    saved = json.loads(rapport.with_suffix(".json").read_text(encoding="utf-8"))
    assert counts == saved["oppsummering"]["koder"] and counts["S003"] == 1 and counts["V013"] == 1
    rounds = sorted(p for p in fb.iterdir() if p.is_dir())
    assert len(rounds) == 1 and rounds[0].name.startswith("runde_")
    names = sorted(p.name for p in rounds[0].iterdir())
    assert len(names) == len(saved["filer"]) and "tilfeldig_tilbakemelding.xlsx" in names
    with (fb / "utsendt.csv").open(encoding="utf-8-sig", newline="") as fh:
        log = list(csv.DictReader(fh, delimiter=";"))
    assert sorted(Path(r["tilbakemelding"]).name for r in log) == names
    by_sha = {f["sha256"]: f["fil"] for f in saved["filer"] if f["sha256"]}
    assert all(by_sha[r["sha256"]] == r["fil"] for r in log if r["sha256"])
    # a second run is a new round; the unchanged files already had feedback, so none is written
    again = run(str(bad_folder), "--definisjoner", str(defs_dir), "--tilbakemelding", str(fb))
    assert again.exit_code == 1 and "Ingen nye tilbakemeldinger" in again.stderr
    assert [p for p in fb.iterdir() if p.is_dir()] == rounds
    # all of them again on request, into a new round; the first one is untouched
    third = run(str(bad_folder), "--definisjoner", str(defs_dir), "--tilbakemelding", str(fb),
                "--tilbakemelding-alle")
    assert third.exit_code == 1
    assert len([p for p in fb.iterdir() if p.is_dir()]) == 2 and sorted(p.name for p in rounds[0].iterdir()) == names
    with (fb / "utsendt.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.DictReader(fh, delimiter=";"))) == 2 * len(names)
    # the DDE-looking text is kept as neutralised text in every report, never a formula
    values = [c.value for row in wb["Problemer"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=cmd|'/C calc'!A0" in values
    assert not any(v.startswith("=") for v in values)


def test_human_output_lists_files(good_folder, defs_dir):
    result = run(str(good_folder), "--definisjoner", str(defs_dir))
    assert result.exit_code == 0 and "2024_adm_0301.xlsx" in result.stdout and "Godkjent" in result.stdout


def test_docs_list_every_code_as_in_the_catalogue():
    from kalk_excel.intake.codes import catalogue_markdown

    doc = (Path(__file__).resolve().parents[2] / "docs" / "kontroll.md").read_text(encoding="utf-8")
    assert catalogue_markdown() in doc


def test_kommune_list_file(good_folder, tmp_path, defs_dir):
    liste = tmp_path / "kommuner.csv"
    liste.write_text("kommunenummer;navn;skjema;imdi_malgruppe\n0301;Oslo;adm;200\n4601;Bergen;adm;80\n"
                     "5001;Trondheim;adm;61\n1103;Stavanger;adm;50\n", encoding="utf-8")
    result = run(str(good_folder), "--definisjoner", str(defs_dir), "--kommuner", str(liste), "--json")
    assert result.exit_code == 0   # advarsler and info only
    data = json.loads(result.stdout)
    oslo = next(f for f in data["filer"] if f["kommunenummer"] == "0301")
    assert [p["kode"] for p in oslo["problemer"]] == ["C001"] and oslo["status"] == "advarsler"
    assert [p["kode"] for p in data["oppsummering"]["problemer"]] == ["K002"]   # Stavanger sent nothing
    liste.write_text("nummer;navn\n0301;Oslo\n", encoding="utf-8")
    result = run(str(good_folder), "--definisjoner", str(defs_dir), "--kommuner", str(liste))
    assert result.exit_code == 2 and "kommunenummer" in result.stderr
