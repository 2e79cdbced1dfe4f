"""Hostile and damaged names and text (issue 8, points 1 and 2): file and folder names that are not
UTF-8, characters XML cannot hold and text longer than a cell never reach a workbook or a report
unclean, and a new master that does not load fully never replaces the old one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kalk_excel.definition.model import Kommune
from kalk_excel.pipeline.atomic import ReplaceError, replace_atomically, verify_workbook
from kalk_excel.pipeline.blocks import Block, write_blocks_openpyxl
from kalk_excel.text import MAX_CELL_CHARS, cell_text, clean_text, display_name, is_utf8_name
from support import write_submissions

KOMMUNER = [Kommune("1833", "Rana", ("adm", "norsk")), Kommune("3103", "Moss", ("adm", "norsk"))]
LATIN1_GOOD = b"B\xe6rum_2024_adm_1833_rana.xlsx"     # "Bærum…" in Latin-1: not UTF-8
LATIN1_JUNK = b"s\xf8ppel.xlsx"
LATIN1_DIR = b"mappe_\xe5"


def test_clean_text_replaces_surrogates_and_xml_illegal_characters() -> None:
    name = os.fsdecode(LATIN1_GOOD)               # how Python sees the name: a lone surrogate
    assert not is_utf8_name(name) and is_utf8_name("Bærum.xlsx")
    shown = display_name(name)
    assert shown == "B\ufffdrum_2024_adm_1833_rana.xlsx"
    shown.encode("utf-8")                          # never raises
    assert clean_text("a\x00b\x1fc\td\ne\ud800f\uffff") == "a\ufffdb\ufffdc\td\ne\ufffdf\ufffd"
    assert display_name(LATIN1_GOOD) == shown      # bytes give the same text


def test_long_text_is_cut_with_a_visible_note() -> None:
    text = "x" * 40000
    cut = cell_text(text)
    assert len(cut) == MAX_CELL_CHARS
    kept = len(cut) - len(cut.lstrip("x"))
    assert cut.endswith(f"[avkortet: {40000 - kept} tegn er utelatt]")
    assert cell_text("kort") == "kort"


def test_blocks_with_hostile_text_give_a_master_that_loads_fully(tmp_path: Path) -> None:
    src = tmp_path / "inn.xlsx"
    wb = Workbook()
    wb.active.title = "Ark"
    wb.save(src)
    values = [[os.fsdecode(LATIN1_GOOD), "a\x01b", "=1+1", "y" * 40000]]
    out = write_blocks_openpyxl(src, [Block("Ark", "A1", values)], tmp_path / "ut.xlsx")
    verify_workbook(out, ["Ark"])
    ws = load_workbook(out)["Ark"]
    assert ws["A1"].value == "B\ufffdrum_2024_adm_1833_rana.xlsx"
    assert ws["B1"].value == "a\ufffdb" and ws["C1"].value == "'=1+1"
    assert len(ws["D1"].value) == MAX_CELL_CHARS and "utelatt" in ws["D1"].value


def _broken_copy(good: Path, dst: Path) -> Path:
    """A workbook whose first sheet holds a character reference XML does not allow (what openpyxl
    writes for a lone surrogate): LibreOffice opens it, openpyxl and Excel do not."""
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b'<row r="9"><c r="A9" t="inlineStr"><is><t>&#1;</t></is></c>'
                                                     b"</row></sheetData>")
            zout.writestr(info, data)
    return dst


def test_a_new_master_that_does_not_load_never_replaces_the_old(tmp_path: Path) -> None:
    good = tmp_path / "god.xlsx"
    wb = Workbook()
    wb.active["A1"] = "gammel"
    wb.save(good)
    target = tmp_path / "master.xlsx"
    shutil.copy(good, target)
    before = target.read_bytes()
    with pytest.raises(ReplaceError) as err:
        replace_atomically(target, lambda tmp: _broken_copy(good, tmp), lambda tmp: verify_workbook(tmp))
    assert "ugyldig XML" in str(err.value) and "sheet1.xml" in str(err.value)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["god.xlsx", "master.xlsx"]
    with pytest.raises(ReplaceError, match="mangler arkene"):
        verify_workbook(good, ["Oppsett"])
    (tmp_path / "tull.xlsx").write_bytes(b"PK\x03\x04tull")
    with pytest.raises(ReplaceError, match="kan ikke pakkes ut"):
        verify_workbook(tmp_path / "tull.xlsx")


@pytest.fixture(scope="module")
def latin1_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("latin1")
    inn = base / "inn"
    write_submissions(inn, KOMMUNER, "Test-passord-æøå-2024")
    raw = os.fsencode(inn)
    good = inn / "2024_adm_1833_rana.xlsx"
    os.rename(os.fsencode(good), raw + b"/" + LATIN1_GOOD)
    with open(raw + b"/" + LATIN1_JUNK, "wb") as fh:
        fh.write(b"PK\x03\x04" + b"\x00" * 200)
    os.mkdir(raw + b"/" + LATIN1_DIR)
    (base / "kommuner.csv").write_text("kommunenummer,navn,skjema\n1833,Rana,adm;norsk\n3103,Moss,adm;norsk\n",
                                       encoding="utf-8")
    return base


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "kalk_excel.cli.main", *args], capture_output=True, cwd=cwd,
                          timeout=900)


def test_kontroller_reports_and_json_work_with_names_that_are_not_utf8(latin1_folder: Path) -> None:
    out = _cli("kontroller", "inn", "--aar", "2024", "--kommuner", "kommuner.csv", "--rapport", "x.xlsx",
               "--json", "--tilbakemelding", "tilbake", cwd=latin1_folder)
    assert out.returncode in (0, 1), out.stderr.decode("utf-8", "replace")[-2000:]
    assert b"Traceback" not in out.stderr
    data = json.loads(out.stdout.decode("utf-8"))          # strict UTF-8
    files = {f["fil"]: f for f in data["filer"]}
    good, junk = "B\ufffdrum_2024_adm_1833_rana.xlsx", "s\ufffdppel.xlsx"
    assert files[good]["status"] == "advarsler" and [p["kode"] for p in files[good]["problemer"]] == ["S016"]
    assert files[junk]["status"] == "avvist" and {"S016", "S008"} <= {p["kode"] for p in files[junk]["problemer"]}
    run = {(p["kode"], p["fil"]) for p in data["oppsummering"]["problemer"]}
    assert ("S016", "mappe_\ufffd") in run and ("K003", "mappe_\ufffd") in run
    json.loads((latin1_folder / "x.json").read_bytes().decode("utf-8"))
    wb = load_workbook(latin1_folder / "x.xlsx")                # loads fully
    assert good in [c.value for c in wb["Filer"]["A"]]
    written = list((latin1_folder / "tilbake").glob("runde_*/*.xlsx"))
    assert written
    for p in written:
        load_workbook(p)
    (latin1_folder / "tilbake" / "utsendt.csv").read_bytes().decode("utf-8")   # the log is UTF-8 too


@pytest.mark.libreoffice
@pytest.mark.slow
def test_beregn_with_names_that_are_not_utf8_leaves_a_master_that_loads(soffice, latin1_folder: Path,
                                                                        tmp_path: Path) -> None:
    master = tmp_path / "master.xlsx"
    out = _cli("beregn", "--master", str(master), "--innleveringer", str(latin1_folder / "inn"), "--aar", "2024",
               "--kommuner", str(latin1_folder / "kommuner.csv"), "--json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr.decode("utf-8", "replace")[-2000:]
    data = json.loads(out.stdout.decode("utf-8"))
    names = {f["fil"]: f for f in data["filer"]}
    assert names["B\ufffdrum_2024_adm_1833_rana.xlsx"]["inkludert"] is True
    assert names["s\ufffdppel.xlsx"]["inkludert"] is False
    verify_workbook(master)
    trace = load_workbook(master)["Sporbarhet"]
    assert any(c.value == "B\ufffdrum_2024_adm_1833_rana.xlsx" for row in trace.iter_rows() for c in row)


def test_terminal_text_shows_markup_and_control_characters_as_typed() -> None:
    from rich.console import Console

    from kalk_excel.text import terminal_text

    hostile = "[/x] [bold red]B\u009b31m\u202eærum\x1b[2J"
    console = Console(record=True, width=200, color_system=None)
    console.print(terminal_text(hostile))                  # rich would raise MarkupError on the raw text
    shown = console.export_text()
    assert "[/x] [bold red]B" in shown and "ærum" in shown
    assert not any(ch in shown for ch in "\u009b\u202e\x1b")
