"""`kalk-excel demo --json` reproduces the 2024 report: expected values are read from the
report's tables (shared/referansedata, else the shipped rapport_2024.csv), never from the code."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kalk_excel.cli.main import cli
from kalk_excel.paths import reference_dir

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]
SHARED = (reference_dir(2024) or Path("/nonexistent")) / "tabell1_til_5_resultater.csv"
SHIPPED = Path(__file__).resolve().parents[1] / "src/kalk_excel/demo/data/rapport_2024.csv"

# result name -> (tabell, storrelse) in the report's tables 1-6
WANTED = {
    "utgift_per_person_fem_aar": ("1", "Gjennomsnittlig utgift per person (fem år)"),
    "tilskudd_per_person_fem_aar": ("2", "Beregnet utbetalt tilskudd (fem år)"),
    "adm_utgift_fem_aar": ("1", "Utgifter til integreringstiltak og administrasjon av disse (fem år)"),
    "utgift_per_em_fem_aar": ("3", "EM: Gjennomsnittlig utgift per enslig mindreårig (fem år)"),
    "tilskudd_per_em_fem_aar": ("4", "EM: Beregnet utbetalt tilskudd (integreringstilskudd + særskilt tilskudd)"),
    "utgift_per_undervisningstime": ("6", "Norsk: Gjennomsnittlig utgift per undervisningstime"),
    "dekningsgrad_integreringstilskudd": ("2", "Dekningsgrad integreringstilskudd"),
    "dekningsgrad_em": ("4", "EM: Samlet dekningsgrad"),
    "dekningsgrad_norsk": ("5", "Norsk: Dekningsgrad norsktilskudd"),
}


def published() -> dict[str, float]:
    """The report's values; the per-year adm amount is vedlegg 5's "Sum" row (snitt 2024)."""
    if SHARED.exists():
        with SHARED.open(encoding="utf-8") as fh:
            rows = {(r["tabell"], r["storrelse"]): float(r["verdi_2024"]) for r in csv.DictReader(fh)}
        with SHARED.with_name("vedlegg5_6_utgiftsomrade.csv").open(encoding="utf-8") as fh:
            areas = {r["utgiftsomrade"]: float(r["snitt_2024"]) for r in csv.DictReader(fh)}
        rows[("vedlegg 5", "Sum")] = areas["Sum"]
    else:
        with SHIPPED.open(encoding="utf-8") as fh:
            rows = {(r["tabell"], r["storrelse"]): float(r["verdi"]) for r in csv.DictReader(fh)}
    return {name: rows[key] for name, key in {**WANTED, "adm_utgift_per_person_aar": ("vedlegg 5", "Sum")}.items()}


@pytest.fixture(scope="module")
def demo_json(tmp_path_factory):
    from kalk_excel.engine import libreoffice
    if libreoffice.soffice_path() is None:
        pytest.skip("LibreOffice er ikke installert")
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", "--ut", str(out), "--json"])
    return result, out


def test_demo_reproduces_the_report(soffice, demo_json):
    result, _ = demo_json
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"excel", "modell", "rapport", "verdikt"} <= set(data)
    expected = published()
    for name, value in expected.items():
        got = data["excel"][name]
        if name.startswith("dekningsgrad"):
            assert round(got * 100, 1) == value, (name, got, value)
        else:
            assert abs(got - value) <= 5, (name, got, value)
    assert data["verdikt"]["excel_modell_enige"] is True
    assert data["verdikt"]["rapport_gjenskapt"] is True
    # the real path ran: 24 adm + 23 norsk survey workbooks -> intake -> pull, every one included
    files = data["filer"]
    assert len(files) == 47 and all(f["inkludert"] for f in files), [f for f in files if not f["inkludert"]]
    assert {f["skjema"] for f in files} == {"adm", "norsk"}


def test_demo_excel_and_model_agree(soffice, demo_json):
    result, out = demo_json
    data = json.loads(result.stdout)
    for name, value in data["modell"].items():
        excel = data["excel"].get(name)
        if excel is None:
            continue
        tol = 0.0001 if name.startswith("dekningsgrad") else 1.0
        assert abs(excel - value) <= tol, (name, excel, value)
    assert data["masterstatus"] == "OK"
    assert data["verdikt"]["feilverdier_i_master"] == 0
    assert data["verdikt"]["avvik"] == []
    assert (out / "master_2024.xlsx").exists() and (out / "beregnet" / "master_2024.xlsx").exists()


def test_demo_master_reproduces_vedlegg_2_and_9(soffice, demo_json):
    """Per municipality: average per person (vedlegg 2) and expense per teaching hour (vedlegg 9)
    in the recalculated master against the report's annexes (printed rounded: within 1 kr)."""
    from openpyxl import load_workbook
    if not SHARED.exists():
        pytest.skip("rapportens vedlegg (shared/referansedata) er ikke tilgjengelige")
    result, _ = demo_json
    wb = load_workbook(json.loads(result.stdout)["master_beregnet"], data_only=True)
    ws = wb["Beregning per kommune"]
    header = {c.value: c.column for c in ws[4] if c.value}
    got = {ws.cell(r, header["kommunenummer"]).value: r for r in range(6, ws.max_row + 1)}
    with SHARED.with_name("vedlegg2_adm_per_kommune.csv").open(encoding="utf-8") as fh:
        v2 = [r for r in csv.DictReader(fh) if r["snitt_per_person_2024"]]
    with SHARED.with_name("vedlegg9_10_norsk_timer_deltakere.csv").open(encoding="utf-8") as fh:
        v9 = [r for r in csv.DictReader(fh) if r["utgift_per_time_2024"]]
    assert len(v2) >= 20 and len(v9) >= 20
    for rec in v2:
        row = got[rec["kommunenr"]]
        assert ws.cell(row, header["inkludert"]).value == 1
        assert abs(ws.cell(row, header["snitt"]).value - float(rec["snitt_per_person_2024"])) <= 1, rec["kommune"]
        assert ws.cell(row, header["n"]).value == pytest.approx(float(rec["antall_malgruppe_2024"]))
    for rec in v9:
        row = got[rec["kommunenr"]]
        assert abs(ws.cell(row, header["no_per_time"]).value - float(rec["utgift_per_time_2024"])) <= 1, rec["kommune"]
