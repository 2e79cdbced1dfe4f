"""Every command × every class of bad invocation: one Norwegian line with «Korreksjon:», no
traceback, the exit code the README's table documents (2: nothing was done). --help in Norwegian.

The expected exit code is the README's table, read here (a second source, not the code)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kalk_excel.cli.main import cli

README = Path(__file__).resolve().parents[2] / "README.md"
COMMANDS = ("skjema", "felt", "kontroller", "master", "beregn", "demo", "addin")
NO_ACCESS = Path("/sys/kalk-excel-test")          # creating anything here is refused, even for root
ENGLISH = ("Error:", "Usage:", "Missing option", "Invalid value", "No such", "does not exist", "is a directory",
           "is a file", "Try '", "Traceback")


def documented_exit_codes() -> dict[str, dict[int, str]]:
    """command -> {exit code: meaning} from the README's table «Avslutningskoder»."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Avslutningskoder"):]
    out: dict[str, dict[int, str]] = {}
    for line in section.splitlines()[1:]:
        if line.startswith("#"):
            break
        m = re.match(r"^\|\s*`kalk-excel (\S+)`\s*\|(.*)\|(.*)\|(.*)\|\s*$", line)
        if m:
            out[m.group(1)] = {code: cell.strip() for code, cell in zip((0, 1, 2), m.groups()[1:], strict=False)}
    return out


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("feil")
    folder = base / "mappe"
    folder.mkdir()
    (folder / "skjema.xlsx").write_bytes(b"not a workbook")
    afile = base / "fil.txt"
    afile.write_text("x", encoding="utf-8")
    master = base / "master.xlsx"
    master.write_bytes(b"an existing master")
    return {"dir": folder, "file": afile, "master": master}


def cases(p: dict[str, Path]) -> dict[tuple[str, str], list[str]]:
    d, f, m = str(p["dir"]), str(p["file"]), str(p["master"])
    na = str(NO_ACCESS)
    return {
        # missing option / argument
        ("skjema", "mangler"): ["skjema", "--ut", d],
        ("felt", "mangler"): ["felt"],
        ("kontroller", "mangler"): ["kontroller"],
        ("master", "mangler"): ["master", "--ut", m],
        ("beregn", "mangler"): ["beregn"],
        ("demo", "mangler"): ["demo", "--ut"],
        ("addin", "mangler"): ["addin"],
        # unknown command / option
        **{(c, "ukjent"): [c, "--finnes-ikke"] for c in COMMANDS},
        # bad value
        ("skjema", "verdi"): ["skjema", "--aar", "tjuefire", "--ut", d],
        ("felt", "verdi"): ["felt", "--aar", "2024", "--format", "pdf"],
        ("kontroller", "verdi"): ["kontroller", d, "--aar", "x"],
        ("master", "verdi"): ["master", "--aar", "2024,5", "--ut", m],
        ("beregn", "verdi"): ["beregn", "--master", m, "--aar", "i fjor"],
        ("demo", "verdi"): ["demo", "--json=ja"],
        ("addin", "verdi"): ["addin", "--ut"],
        # a folder where a file is expected
        ("skjema", "mappe-for-fil"): ["skjema", "--aar", "2024", "--ut", str(p["dir"].parent / "ut"), "--kommuner", d],
        ("kontroller", "mappe-for-fil"): ["kontroller", d, "--rapport", d],
        ("master", "mappe-for-fil"): ["master", "--aar", "2024", "--ut", d],
        ("beregn", "mappe-for-fil"): ["beregn", "--master", d, "--innleveringer", d],
        # a file where a folder is expected
        ("skjema", "fil-for-mappe"): ["skjema", "--aar", "2024", "--ut", f],
        ("felt", "fil-for-mappe"): ["felt", "--aar", "2024", "--definisjoner", f],
        ("kontroller", "fil-for-mappe"): ["kontroller", d, "--tilbakemelding", f],
        ("master", "fil-for-mappe"): ["master", "--aar", "2024", "--ut", m + "x.xlsx", "--definisjoner", f],
        ("beregn", "fil-for-mappe"): ["beregn", "--master", m, "--innleveringer", f, "--aar", "2024"],
        ("demo", "fil-for-mappe"): ["demo", "--ut", f],
        ("addin", "fil-for-mappe"): ["addin", "--ut", f],
        # an existing file that must not be overwritten / a wrong kind of file name
        ("master", "finnes"): ["master", "--aar", "2024", "--ut", m],
        ("kontroller", "finnes"): ["kontroller", d, "--rapport", f],
        ("beregn", "finnes"): ["beregn", "--master", f, "--innleveringer", d],
        # no permission
        ("skjema", "tilgang"): ["skjema", "--aar", "2024", "--ut", na + "/ut"],
        ("kontroller", "tilgang"): ["kontroller", d, "--tilbakemelding", na + "/tb"],
        ("master", "tilgang"): ["master", "--aar", "2024", "--ut", na + "/master.xlsx"],
        ("beregn", "tilgang"): ["beregn", "--master", na + "/master.xlsx", "--innleveringer", d, "--aar", "2024"],
        ("demo", "tilgang"): ["demo", "--ut", na + "/ut"],
        ("addin", "tilgang"): ["addin", "--ut", na + "/ut"],
        # a path that is not UTF-8 (as Python receives such bytes from the command line)
        **{(c, "ikke-utf8"): [c, "--ut", d + "/m\udcf8ter.xlsx"] for c in COMMANDS},
    }


CASE_IDS = [(c, k) for c in COMMANDS for k in ("mangler", "ukjent", "verdi", "mappe-for-fil", "fil-for-mappe",
                                                "finnes", "tilgang", "ikke-utf8")]


@pytest.mark.parametrize("command, kind", CASE_IDS, ids=[f"{c}-{k}" for c, k in CASE_IDS])
def test_bad_invocation_is_one_norwegian_line_with_the_documented_exit_code(paths, command: str, kind: str) -> None:
    args = cases(paths).get((command, kind))
    if args is None:
        pytest.skip(f"«{kind}» finnes ikke for {command} (kommandoen har ingen slik sti)")
    if kind == "tilgang" and NO_ACCESS.parent.exists() and not Path("/sys/kernel").is_dir():
        pytest.skip("ingen skrivebeskyttet /sys her")
    before = paths["master"].read_bytes()
    result = CliRunner().invoke(cli, args)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    expected = documented_exit_codes()[command]
    assert result.exit_code == 2 and expected[2], (result.exit_code, result.stderr)
    assert lines and lines[-1].startswith("Feil:") and "Korreksjon:" in lines[-1], result.stderr
    assert not any(word in result.stderr for word in ENGLISH), result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert paths["master"].read_bytes() == before


def test_unknown_command_and_no_command(paths) -> None:
    result = CliRunner().invoke(cli, ["beregne"])
    assert result.exit_code == 2 and "Ukjent kommando" in result.stderr and "Korreksjon:" in result.stderr
    alone = CliRunner().invoke(cli, [])
    assert alone.exit_code == 2 and "Kommandoer:" in alone.stderr


@pytest.mark.parametrize("command", ("",) + COMMANDS)
def test_help_is_norwegian(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"] if command else ["--help"])
    assert result.exit_code == 0
    assert "Bruk: kalk-excel" in result.output and "Valg:" in result.output
    assert "Vis denne hjelpen og avslutt." in result.output
    for english in ("Usage:", "Options:", "Show this message", "[required]", "INTEGER", "PATH", "DIRECTORY"):
        assert english not in result.output, english


def test_every_command_is_in_the_exit_code_table() -> None:
    table = documented_exit_codes()
    assert set(COMMANDS) | {"nytt-aar"} <= set(table)
    assert all(table[c][0] and table[c][2] for c in COMMANDS)


def test_non_utf8_bytes_on_a_real_command_line(tmp_path: Path) -> None:
    """The bytes go through the operating system as a user's shell would pass them."""
    target = bytes(tmp_path) + b"/m\xf8ter.xlsx"           # Latin-1 ø: not UTF-8
    proc = subprocess.run([sys.executable, "-m", "kalk_excel.cli.main", "master", "--aar", "2024", "--ut", target],
                          capture_output=True)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2 and "gyldig UTF-8" in err and "Korreksjon:" in err and "Traceback" not in err
    assert not any(tmp_path.iterdir())


def test_master_refuses_an_existing_file_and_replaces_only_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "master.xlsx"
    target.write_bytes(b"the secretariat's work")
    refused = CliRunner().invoke(cli, ["master", "--aar", "2024", "--ut", str(target)])
    assert refused.exit_code == 2 and "finnes allerede" in refused.stderr and "--erstatt" in refused.stderr
    assert target.read_bytes() == b"the secretariat's work"
    (tmp_path / "~$master.xlsx").write_bytes(b"")
    locked = CliRunner().invoke(cli, ["master", "--aar", "2024", "--ut", str(target), "--erstatt"])
    assert locked.exit_code == 2 and "Lukk masteren i Excel og prøv igjen" in locked.stderr
    assert target.read_bytes() == b"the secretariat's work"
    (tmp_path / "~$master.xlsx").unlink()
    replaced = CliRunner().invoke(cli, ["master", "--aar", "2024", "--ut", str(target), "--erstatt"])
    assert replaced.exit_code == 0, replaced.stderr
    backups = list((tmp_path / "sikkerhetskopi").iterdir())
    assert len(backups) == 1 and backups[0].read_bytes() == b"the secretariat's work"
    assert target.read_bytes()[:2] == b"PK"


def test_addin_without_xlwings_says_how_to_install_it(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "xlwings", None)          # as if the optional part were not installed
    result = CliRunner().invoke(cli, ["addin", "--ut", str(tmp_path)])
    assert result.exit_code == 2 and "xlwings" in result.stderr and "[addin]" in result.stderr
    assert "Korreksjon:" in result.stderr and not any(tmp_path.iterdir())
