"""*Historikk* without LibreOffice: the 2024 history file as the report prints it, the sheet's
input rows, and next year's history (``kalk-excel nytt-aar``): the rows carried, this year's
results appended."""

from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook

from kalk_excel.master import build_master
from kalk_excel.master.sheet_historikk import (
    FIRST_ROW,
    build,
    column_of,
    load_history,
    next_year_history,
    parse_history,
    write_history,
)

# Tabell 1, 2 and 6 of the 2024 report, column 2023.
PRINTED_2023 = {"adm": 443690, "intro": 243797, "sosialhjelp": 129640, "vente": 21121, "helse": 40815,
                "utgift": 879063, "tilskudd": 807020, "dekningsgrad": 0.918, "utgift_per_time": 1968}


def test_history_file_2024_holds_the_printed_years():
    history = load_history(2024)
    assert sorted(history) == [2010, 2011, 2023]
    assert {k: history[2023][k] for k in PRINTED_2023} == PRINTED_2023
    assert history[2010]["utgift_per_time"] == 1260 and history[2011]["utgift_per_time"] == 1380   # 2011 report
    assert history[2010]["utgift"] is None                                   # not printed: empty
    assert all(rec["kilde"] for rec in history.values())


def test_sum_row_of_2023_is_the_sum_of_its_components():
    rec = load_history(2024)[2023]
    assert rec["adm"] + rec["intro"] + rec["sosialhjelp"] + rec["vente"] + rec["helse"] == pytest.approx(
        rec["utgift"], abs=1)
    assert rec["tilskudd"] / rec["utgift"] == pytest.approx(rec["dekningsgrad"], abs=0.0005)


@pytest.mark.slow        # builds a whole master
def test_next_year_history_carries_the_rows_and_appends_the_year(tmp_path):
    master = build_master(2024, tmp_path / "master.xlsx")
    wb = load_workbook(master)
    ws = wb["Historikk"]
    row_2015 = FIRST_ROW + 2015 - 2010
    assert ws.cell(row_2015, 1).value == 2015
    ws.cell(row_2015, column_of("utgift_per_time")).value = 1700              # the secretariat's edit
    wb.save(master)
    results = {"adm_utgift_fem_aar": 450000.4, "utgift_per_person_fem_aar": 890000.0,
               "dekningsgrad_integreringstilskudd": 0.9, "utgift_per_undervisningstime": 2069.0}
    history = next_year_history(master, 2024, results, "2024: test")
    assert sorted(history) == list(range(2010, 2025))                       # 2024 appended, nothing after
    assert history[2015]["utgift_per_time"] == 1700
    assert history[2023]["utgift"] == PRINTED_2023["utgift"]
    assert history[2024]["adm"] == 450000.4 and history[2024]["intro"] is None
    path = tmp_path / "historikk.csv"
    write_history(path, history)
    again = parse_history(path, 2025)
    assert again[2024]["utgift_per_time"] == 2069 and again[2024]["kilde"] == "2024: test"
    assert again[2015]["utgift_per_time"] == 1700 and again[2016]["utgift_per_time"] is None
    ws = Workbook().active
    build(ws, 2025, again)
    survey = FIRST_ROW + 2025 - 2010
    assert ws.cell(survey - 1, 1).value == 2024 and ws.cell(survey - 1, column_of("adm")).value == 450000.4
    assert ws.cell(survey, 1).value == 2025 and ws.cell(survey, column_of("adm")).value == "=adm_utgift_fem_aar"
    assert ws.cell(survey + 3, column_of("p3")).value == "=prognose_p3_utgift_3"


def test_bad_history_file_is_reported_in_norwegian(tmp_path):
    path = tmp_path / "historikk.csv"
    path.write_text("aar,adm,kilde\n2023,mange,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="linje 2.*Korreksjon"):
        parse_history(path, 2024)
