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
SHIPPED = Path(__file__).resolve().parents[2] / "src/kalk_excel/demo/data/rapport_2024.csv"

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
def demo_json(tmp_path_factory, soffice):
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


def _resultat_table(ws, title_start: str, width: int) -> list[list]:
    """Data rows under the Resultat table whose title starts with ``title_start`` (to the first empty row)."""
    start = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith(title_start))
    rows, r = [], start + 2
    while ws.cell(r, 1).value not in (None, ""):
        rows.append([ws.cell(r, c).value for c in range(1, width + 1)])
        r += 1
    return rows


def test_demo_master_has_tabell_10_and_vedlegg_6(soffice, demo_json):
    """Tabell 10 and vedlegg 6 on Resultat, with the 2023 values the demo puts on «Fjorår».

    The report (2024, tabell 10, shared/seeds/000_72e43fe48a91cb4c.txt) gives 23 686 participants in
    2024; the demo's participants are vedlegg 10's per-municipality figures, so the 2024 row is
    compared with the sum of ``deltakere_2024`` in vedlegg9_10_norsk_timer_deltakere.csv (23 686 as
    well). Vedlegg 6's change per area is ``snitt_2024 - snitt_2023`` of vedlegg5_6_utgiftsomrade.csv
    within 1 kr (the demo reproduces the printed, rounded averages)."""
    from openpyxl import load_workbook
    if not SHARED.exists():
        pytest.skip("rapportens vedlegg (shared/referansedata) er ikke tilgjengelige")
    result, _ = demo_json
    ws = load_workbook(json.loads(result.stdout)["master_beregnet"], data_only=True)["Resultat"]
    with SHARED.with_name("vedlegg9_10_norsk_timer_deltakere.csv").open(encoding="utf-8") as fh:
        v10 = list(csv.DictReader(fh))
    with SHARED.with_name("vedlegg5_6_utgiftsomrade.csv").open(encoding="utf-8") as fh:
        v6 = list(csv.DictReader(fh))
    participants_2024 = sum(int(r["deltakere_2024"]) for r in v10 if r["deltakere_2024"])
    assert participants_2024 == 23686                      # the report's tabell 10, 2024
    tabell10 = {r[0]: r[1:] for r in _resultat_table(ws, "Tabell 10", 3)}
    assert sorted(tabell10) == [2020, 2021, 2022, 2023, 2024]
    assert tabell10[2024][0] == pytest.approx(participants_2024)
    assert tabell10[2023] == [20991, 508009] and tabell10[2020] == [10246, 258639]   # report, tabell 10
    rows = {r[0]: r for r in _resultat_table(ws, "Vedlegg 6", 5)}
    assert len(v6) == 14 and set(rows) == {r["utgiftsomrade"] for r in v6}
    for rec in v6:
        label, last, now, change, pct = rows[rec["utgiftsomrade"]]
        assert last == float(rec["snitt_2023"]), label
        assert abs(change - (float(rec["snitt_2024"]) - float(rec["snitt_2023"]))) <= 1, (label, change)
        if float(rec["snitt_2023"]) == 0:
            assert pct in (None, ""), label                   # the report prints "-"
    # vedlegg 10: Oslo as printed in the report (2023 -> 2024: 6 474 -> 7 309, change 835)
    v10_rows = {r[0]: r for r in _resultat_table(ws, "Vedlegg 10", 10)}
    oslo = next(r for r in v10 if r["kommunenr"] == "0301")
    assert v10_rows["0301"][2:5] == [float(oslo["deltakere_2023"]), float(oslo["deltakere_2024"]),
                                     float(oslo["deltakere_2024"]) - float(oslo["deltakere_2023"])]
