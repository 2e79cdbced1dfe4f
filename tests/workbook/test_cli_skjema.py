"""`kalk-excel skjema`, `build_workbooks.py` and `kalk-excel felt` end to end."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_workbook_common import FIXTURES, NS, XlsxXml, expected_hash

from kalk_excel.cli.main import cli
from kalk_excel.definition.loader import TEMPLATES_DIR
from kalk_excel.workbook import read_meta
from support import TEST_PASSWORD

REPO = Path(__file__).resolve().parents[2]
KOMMUNER = "kommunenummer,navn,skjema,imdi_malgruppe\n301,Oslo,adm;norsk,1234\n1103,Bærum Ås,adm,\n5001,Trondheim,norsk,\n"


@pytest.fixture
def kommuner(tmp_path: Path) -> Path:
    path = tmp_path / "kommuner.csv"
    path.write_text(KOMMUNER, encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_skjema_builds_one_file_per_form_and_kommune(tmp_path: Path, kommuner: Path) -> None:
    out = tmp_path / "ut"
    result = run("skjema", "--aar", "2024", "--kommuner", str(kommuner), "--skjema", "adm", "--ut", str(out),
                 "--definisjoner", str(FIXTURES), "--frist", "2025-03-15")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.glob("*.xlsx"))
    assert names == ["2024_adm_0301_oslo.xlsx", "2024_adm_1103_baerum-as.xlsx"]
    assert "Laget 2 arbeidsbøker for 2024" in result.stderr
    assert not (out / "PASSORD.txt").exists()           # the password came from the environment
    meta = read_meta(out / "2024_adm_1103_baerum-as.xlsx")
    assert (meta["kommunenummer"], meta["kommunenavn"], meta["skjema"]) == ("1103", "Bærum Ås", "adm")
    prot = XlsxXml(out / "2024_adm_0301_oslo.xlsx").workbook.find("m:workbookProtection", NS)
    assert prot.get("workbookHashValue") == expected_hash(TEST_PASSWORD, prot.get("workbookSaltValue"), 100_000)


def test_password_file_and_generated_password(tmp_path: Path, kommuner: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KALK_EXCEL_PASSORD")
    pw = tmp_path / "pw.txt"
    pw.write_text("fra-fil-æøå\n", encoding="utf-8")
    out = tmp_path / "a"
    result = run("skjema", "--aar", "2024", "--kommuner", str(kommuner), "--skjema", "adm", "--ut", str(out),
                 "--definisjoner", str(FIXTURES), "--passord-fil", str(pw))
    assert result.exit_code == 0, result.stderr
    prot = XlsxXml(out / "2024_adm_0301_oslo.xlsx").workbook.find("m:workbookProtection", NS)
    assert prot.get("workbookHashValue") == expected_hash("fra-fil-æøå", prot.get("workbookSaltValue"), 100_000)
    out = tmp_path / "b"
    result = run("skjema", "--aar", "2024", "--kommuner", str(kommuner), "--skjema", "adm", "--ut", str(out),
                 "--definisjoner", str(FIXTURES))
    assert result.exit_code == 0 and "PASSORD.txt" in result.stderr
    generated = (out / "PASSORD.txt").read_text(encoding="utf-8").strip()
    prot = XlsxXml(out / "2024_adm_0301_oslo.xlsx").sheet("Kontroll").find("m:sheetProtection", NS)
    assert prot.get("hashValue") == expected_hash(generated, prot.get("saltValue"), 100_000)


def test_lint_failure_prints_located_messages_and_exits_2(tmp_path: Path, kommuner: Path) -> None:
    maler = tmp_path / "maler"
    (maler / "2024").mkdir(parents=True)
    text = (FIXTURES / "2024" / "adm.yaml").read_text(encoding="utf-8")
    text = text.replace('assert: "mg_avvik == 0"', 'assert: "mg_avvk == 0"')
    (maler / "2024" / "adm.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "ut"
    result = run("skjema", "--aar", "2024", "--kommuner", str(kommuner), "--skjema", "adm", "--ut", str(out),
                 "--definisjoner", str(maler))
    assert result.exit_code == 2
    line = next(i for i, ln in enumerate(text.splitlines(), start=1) if "id: mg_avvik_null" in ln)
    assert f"adm.yaml:{line}: L008" in result.stderr and "mg_avvk" in result.stderr
    assert not list(out.glob("*.xlsx")) if out.exists() else True


def test_bad_inputs_exit_2(tmp_path: Path, kommuner: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("kommunenummer,navn,skjema\n0301,Oslo,adm\nxx,Feil,adm\n", encoding="utf-8")
    result = run("skjema", "--aar", "2024", "--kommuner", str(bad), "--ut", str(tmp_path / "u"),
                 "--definisjoner", str(FIXTURES))
    assert result.exit_code == 2 and "linje 3, kolonne kommunenummer" in result.stderr
    result = run("skjema", "--aar", "2024", "--kommuner", str(kommuner), "--ut", str(tmp_path / "u"),
                 "--definisjoner", str(FIXTURES), "--frist", "15.03.2025")
    assert result.exit_code == 2 and "ÅÅÅÅ-MM-DD" in result.stderr
    # norsk is wanted by the list but the fixture folder has no norsk.yaml
    result = run("skjema", "--aar", "2024", "--kommuner", str(kommuner), "--ut", str(tmp_path / "u"),
                 "--definisjoner", str(FIXTURES))
    assert result.exit_code == 2 and "norsk.yaml: definisjonen finnes ikke" in result.stderr


def test_build_workbooks_script(tmp_path: Path, kommuner: Path) -> None:
    out = tmp_path / "ut"
    proc = subprocess.run([sys.executable, str(REPO / "build_workbooks.py"), "--aar", "2024", "--kommuner",
                           str(kommuner), "--skjema", "adm", "--ut", str(out), "--definisjoner", str(FIXTURES)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.glob("*.xlsx")) == ["2024_adm_0301_oslo.xlsx", "2024_adm_1103_baerum-as.xlsx"]


@pytest.mark.parametrize("year", [2011, 2024])
def test_real_definitions_build(tmp_path: Path, kommuner: Path, year: int) -> None:
    present = [f for f in ("adm", "norsk") if (TEMPLATES_DIR / str(year) / f"{f}.yaml").exists()]
    if not present:
        pytest.skip(f"ingen definisjoner for {year} ennå")
    out = tmp_path / "ut"
    for form_id in present:
        started = time.perf_counter()
        result = run("skjema", "--aar", str(year), "--kommuner", str(kommuner), "--skjema", form_id,
                     "--ut", str(out))
        assert result.exit_code == 0, result.stderr
        n = len(list(out.glob(f"{year}_{form_id}_*.xlsx")))
        assert n == sum(1 for line in KOMMUNER.splitlines()[1:] if form_id in line.split(",")[2])
        print(f"\n{year} {form_id}: {n} arbeidsbøker, {(time.perf_counter() - started) / n:.2f} s per arbeidsbok")


def test_felt_catalogue_csv_and_json() -> None:
    result = run("felt", "--aar", "2024", "--skjema", "adm", "--definisjoner", str(FIXTURES))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == ("felt_id,skjema,del,spørsmål,ark,celle,ledetekst,type,enhet,påkrevd,"
                                             "tomt_er_0,vises_når,formel,kostra,kontroller")
    rows = [{"id": r["felt_id"], "sporsmal": r["spørsmål"], "unit": r["enhet"], "required": r["påkrevd"],
             "relevance": r["vises_når"], "calculate": r["formel"], "checks": r["kontroller"], "del": r["del"],
             "kostra": r["kostra"]} for r in csv.DictReader(io.StringIO(result.stdout))]
    assert [r["id"] for r in rows][:3] == ["mg_antall_0101", "mg_antall_3112", "mg_forstegangsbosatt"]
    assert len(rows) == 26   # 5 + 1 computed + 3 contact in del 1; 1 + 1 + 10 table + 2 + 3 contact in del 3
    by_id = {r["id"]: r for r in rows}
    assert by_id["sos_andel"]["relevance"] == "sos_eksakt == 'nei'" and by_id["sos_andel"]["unit"] == "%"
    assert by_id["sos_andel"]["required"] == "ja" and by_id["sos_andel"]["sporsmal"] == "3.3"
    assert by_id["sos_andel"]["checks"] == "sos_andel_warn_max"
    assert by_id["mg_avvik"]["checks"] == "mg_avvik_null" and by_id["mg_avvik"]["calculate"].startswith("mg_antall_0101")
    assert set(by_id["sos_lonn_mg"]["checks"].split(";")) == {"sos_lonn_mg_herav"}
    assert set(by_id["sos_lonn_samlet"]["checks"].split(";")) == {"sos_lonn_mg_herav"}
    assert by_id["sos_lonn_samlet"]["kostra"] == "art 010-099" and by_id["sos_lonn_samlet"]["del"] == "3"
    result = run("felt", "--aar", "2024", "--skjema", "adm", "--format", "json", "--definisjoner", str(FIXTURES))
    data = json.loads(result.stdout)
    assert [d["id"] for d in data] == [r["id"] for r in rows]
    assert data[0]["required"] is True and data[0]["checks"] == []


def test_felt_exit_2_without_definitions(tmp_path: Path) -> None:
    result = run("felt", "--aar", "2031", "--definisjoner", str(tmp_path))
    assert result.exit_code == 2 and "Fant ingen skjemadefinisjoner" in result.stderr
