"""The secretariat's corrections (*Korreksjoner*): one corrected amount changes the result by exactly
Δ / Σ N, shows on Sporbarhet with its reason, survives a second beregn; bad rows are reported by
row and change nothing else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kalk_excel.definition import load_form
from kalk_excel.definition.model import Kommune
from kalk_excel.demo.inputs import raw_inputs
from kalk_excel.master.layout import CORRECTION_FIRST_ROW, SHEET_CORRECTIONS
from kalk_excel.pipeline.corrections import parse_corrections
from kalk_excel.pipeline.run import run_beregn
from kalk_excel.pipeline.trace import read_corrections
from support import write_submissions

KOMMUNER = [Kommune("1833", "Rana", ("adm", "norsk")), Kommune("3103", "Moss", ("adm", "norsk"))]
FIELD = "felles_r1_mg"          # an amount that goes straight into the area «Felleskostnader»
DELTA = 250_000
REASON = "Avtalt med kommunen etter besøk: IKT-utgifter manglet"


@pytest.fixture(scope="module")
def inn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_submissions(tmp_path_factory.mktemp("korr") / "inn", KOMMUNER, "Test-passord-æøå-2024")


def _type_rows(master: Path, rows: list[list]) -> None:
    """What the secretariat does in Excel: type rows into Korreksjoner."""
    wb = load_workbook(master)
    ws = wb[SHEET_CORRECTIONS]
    for i, row in enumerate(rows):
        for j, v in enumerate(row, start=1):
            ws.cell(CORRECTION_FIRST_ROW + i, j, v)
    wb.save(master)


@pytest.mark.libreoffice
@pytest.mark.slow
def test_one_correction_changes_the_result_by_delta_over_sum_n(soffice, inn: Path, tmp_path: Path) -> None:
    master = tmp_path / "master.xlsx"
    first = run_beregn(master, inn, 2024, KOMMUNER)
    before, n_sum = first.excel["adm_utgift_per_person_aar"], first.excel["antall_malgruppe_sum"]
    submitted = raw_inputs("1833", load_form(2024, "adm"))[FIELD]
    today = dt.datetime(2025, 3, 20)
    _type_rows(master, [
        ["1833", "adm", FIELD, submitted + DELTA, REASON, "E-post fra Rana 19.3.2025", today, "KS"],
        ["3103", "adm", "felles_finnes_ikke", 1, "feil felt", "", today, "KS"],          # unknown field
        ["3103", "adm", "felles_utgift_mg", 1, "beregnet felt", "", today, "KS"],        # computed field
        ["9999", "adm", FIELD, 1, "ukjent kommune", "", today, "KS"],                    # unknown kommune
        ["3103", "adm", FIELD, "mye", "ikke et tall", "", today, "KS"],                  # wrong type
    ])
    second = run_beregn(master, None, None)
    # hand calculation: the area «Felleskostnader» of Rana grows by Δ, N is unchanged
    expected = before + DELTA / n_sum
    assert second.excel["antall_malgruppe_sum"] == pytest.approx(n_sum, rel=1e-12)
    assert second.excel["adm_utgift_per_person_aar"] == pytest.approx(expected, rel=1e-9)
    assert second.modell["adm_utgift_per_person_aar"] == pytest.approx(expected, rel=1e-9)
    codes = {(p.code, p.cell) for p in second.update.problems if p.sheet == SHEET_CORRECTIONS}
    r = CORRECTION_FIRST_ROW
    assert {("P082", f"C{r + 1}"), ("P083", f"C{r + 2}"), ("P080", f"A{r + 3}"), ("P085", f"D{r + 4}")} <= codes
    by_cell = {p.cell: p.message for p in second.update.problems if p.sheet == SHEET_CORRECTIONS}
    assert all(f"Korreksjoner, rad {r + i}:" in by_cell[c] for i, c in
               ((1, f"C{r + 1}"), (2, f"C{r + 2}"), (3, f"A{r + 3}"), (4, f"D{r + 4}")))

    # Sporbarhet part 3: submitted value, corrected value, reason, source, who
    rows = read_corrections(master)
    assert len(rows) == 1
    row = rows[0]
    assert (row["Kommunenummer"], row["Felt-id"], row["Innrapportert verdi"], row["Korrigert verdi"]) == \
        ("1833", FIELD, submitted, submitted + DELTA)
    assert row["Begrunnelse"] == REASON and row["Registrert av"] == "KS"
    # the sheet itself shows the submitted value and which rows are used
    wb = load_workbook(master, read_only=True)
    ws = wb[SHEET_CORRECTIONS]
    pulled = [list(x) for x in ws.iter_rows(min_row=r, max_row=r + 4, min_col=9, max_col=10, values_only=True)]
    wb.close()
    assert pulled[0] == [submitted, "ja"]
    assert all(str(p[1]).startswith("nei") for p in pulled[1:])

    # a third run with nothing changed: the table was carried over and the result stays
    third = run_beregn(master, None, None)
    assert third.excel["adm_utgift_per_person_aar"] == pytest.approx(expected, rel=1e-9)
    assert len(read_corrections(master)) == 1


def test_parse_reports_every_bad_row_by_number() -> None:
    form = load_form(2024, "adm")
    rows = [
        ["1833", "adm", FIELD, "1 234,5", "avtalt", "", None, "KS"],      # Norwegian number text: fine
        ["1833", "adm", FIELD, 10, "", "", None, ""],                   # no reason
        ["1833", "norsk", FIELD, 10, "x", "", None, ""],                # unknown skjema (norsk not given)
        [None] * 8,                                                     # empty: ignored
        ["1833", "adm", FIELD, 2, "senere rad", "", None, ""],          # replaces the first row
    ]
    corrections, problems, status = parse_corrections(rows, KOMMUNER, {"adm": form}, first_row=5)
    assert [(c.row, c.value) for c in corrections] == [(9, 2)]
    assert {(p.code, p.cell) for p in problems} == {("P084", "E6"), ("P081", "B7"), ("P086", "A9")}
    assert status[5].startswith("nei: erstattet av rad 9") and status[9] == "ja"
    assert all("Korreksjoner, rad" in p.message and p.fix for p in problems)
    # labels, never only the id, in messages about a known field
    assert "«" in next(p for p in problems if p.code == "P084").message
