"""`kalk-excel beregn` never destroys work: an empty or missing folder, a master open in Excel or
LibreOffice, and a new master that is worse than the old one each leave the old master
byte-identical and exit non-zero with a Norwegian message. A year run with its own 5-kommune list
given only to `master` covers exactly those 5 in the master, the JSON and the terminal summary."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kalk_excel.cli.main import cli
from kalk_excel.definition.model import Kommune
from kalk_excel.master import build_master
from support import write_submissions

# Five municipalities of the 2024 list, with invented IMDi counts and contact addresses.
FIVE = [("0301", "Oslo", 1200, "oslo@example.no"), ("1103", "Stavanger", 450, "post@stavanger.example.no"),
        ("1833", "Rana", 120, "rana@example.no"), ("3103", "Moss", 210, "moss@example.no"),
        ("4601", "Bergen", 800, "bergen@example.no")]
KOMMUNER = [Kommune(nr, navn, ("adm", "norsk")) for nr, navn, _, _ in FIVE]


@pytest.fixture(scope="module")
def master_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_master(2024, tmp_path_factory.mktemp("m") / "master.xlsx", kommuner=KOMMUNER[:2])


def _copy(master_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "master.xlsx"
    shutil.copy2(master_file, target)
    return target


def _beregn(master: Path, folder: Path, *extra: str):
    return CliRunner().invoke(cli, ["beregn", "--master", str(master), "--innleveringer", str(folder),
                                    "--aar", "2024", *extra])


def test_empty_folder_leaves_the_master_byte_identical(master_file: Path, tmp_path: Path) -> None:
    master = _copy(master_file, tmp_path)
    before = master.read_bytes()
    (tmp_path / "tom").mkdir()
    result = _beregn(master, tmp_path / "tom")
    assert result.exit_code == 2 and "er tom" in result.stderr and "Korreksjon:" in result.stderr
    assert master.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["master.xlsx", "tom"]


def test_missing_folder_leaves_the_master_byte_identical(master_file: Path, tmp_path: Path) -> None:
    master = _copy(master_file, tmp_path)
    before = master.read_bytes()
    result = _beregn(master, tmp_path / "finnes_ikke")
    assert result.exit_code == 2 and "Fant ikke mappen" in result.stderr and "Korreksjon:" in result.stderr
    assert master.read_bytes() == before


@pytest.mark.parametrize("lock", ["~$master.xlsx", ".~lock.master.xlsx#"])
def test_open_master_is_detected_before_any_work(master_file: Path, tmp_path: Path, lock: str) -> None:
    master = _copy(master_file, tmp_path)
    before = master.read_bytes()
    (tmp_path / lock).write_bytes(b"")
    folder = tmp_path / "inn"
    folder.mkdir()
    (folder / "2024_adm_0301_oslo.xlsx").write_bytes(b"not even read")
    result = _beregn(master, folder)
    assert result.exit_code == 2 and "Lukk masteren i Excel og prøv igjen" in result.stderr
    assert master.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["master.xlsx", lock, "inn"])


@pytest.mark.libreoffice
@pytest.mark.slow
def test_a_worse_master_does_not_replace_the_old_one(soffice, master_file: Path, tmp_path: Path) -> None:
    """Only an unreadable file: nothing can be included, so the old master stays."""
    master = _copy(master_file, tmp_path)
    before = master.read_bytes()
    folder = tmp_path / "inn"
    folder.mkdir()
    (folder / "2024_adm_0301_oslo.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    result = _beregn(master, folder, "--json")
    assert result.exit_code == 1, result.stderr
    assert master.read_bytes() == before
    data = json.loads(result.stdout)
    assert data["master_erstattet"] is False
    kept = Path(data["ny_master_ikke_tatt_i_bruk"])
    assert kept.parent == tmp_path and kept.name.startswith("master.ikke-tatt-i-bruk-") and kept.is_file()
    assert any("ingen innlevering" in w for w in data["advarsler"])
    assert not (tmp_path / "sikkerhetskopi").exists()


@pytest.mark.libreoffice
@pytest.mark.slow
def test_a_year_with_its_own_five_kommuner(soffice, tmp_path: Path) -> None:
    liste = tmp_path / "kommuner_2024.csv"
    liste.write_text("kommunenummer,navn,skjema,imdi_malgruppe,epost\n"
                     + "".join(f"{nr},{navn},adm;norsk,{imdi},{mail}\n" for nr, navn, imdi, mail in FIVE),
                     encoding="utf-8")
    made = CliRunner().invoke(cli, ["master", "--aar", "2024", "--kommuner", str(liste),
                                    "--ut", str(tmp_path / "master.xlsx")])
    assert made.exit_code == 0, made.stderr
    # submissions from the five and from one municipality not on the list
    write_submissions(tmp_path / "inn", KOMMUNER + [Kommune("3403", "Hamar", ("adm",))], "Pw-2024-æøå")
    first = _beregn(tmp_path / "master.xlsx", tmp_path / "inn", "--json")
    data = json.loads(first.stdout)
    numbers = sorted(nr for nr, *_ in FIVE)
    wb = load_workbook(tmp_path / "master.xlsx", read_only=True)
    rows = [r[0] for r in wb["Innrapportert adm"].iter_rows(min_row=6, max_col=1, values_only=True) if r[0]]
    wb.close()
    assert sorted(rows) == numbers
    wb = load_workbook(tmp_path / "master.xlsx", read_only=True)
    kept = {r[0]: (r[3], r[5]) for r in wb["Kommuner"].iter_rows(min_row=5, max_col=6, values_only=True) if r[0]}
    wb.close()
    assert kept == {nr: (imdi, mail) for nr, _navn, imdi, mail in FIVE}     # IMDi counts and e-mails carried
    assert sorted({f["kommunenummer"] for f in data["filer"] if f["inkludert"]}) == numbers
    assert data["oppsummering"]["inkludert_per_skjema"] == {"adm": 5, "norsk": 5}
    # the one not on the list: a problem in the summary and a warning, never OK with exit 0
    assert first.exit_code == 1
    assert any("3403" in str(p) for p in data["problemer"])
    assert any("ikke er på kommunelisten" in w for w in data["advarsler"])
    # the terminal summary names exactly those five as included
    shutil.rmtree(tmp_path / "inn")
    write_submissions(tmp_path / "inn", KOMMUNER, "Pw-2024-æøå")
    second = _beregn(tmp_path / "master.xlsx", tmp_path / "inn")
    assert second.exit_code == 0, second.stdout + second.stderr
    assert "inkludert 10" in second.stdout and "Masterstatus: OK" in second.stdout
    for _nr, navn, *_ in FIVE:
        assert navn in second.stdout
