"""The input sheet «Fjorår» (last year's values) and the year-on-year tables on *Resultat*: tabell 10,
vedlegg 6 and vedlegg 10; last year's values survive ``kalk-excel beregn``'s rebuild.

Three municipalities answer with the demo answers (helpers of ``test_pipeline_update``); last
year's values are made up here and typed into the master with openpyxl. Expected numbers are
hand calculations from those values and the pulled submissions, never the code under test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from test_pipeline_update import KOMMUNER, make_submissions

from kalk_excel.master import build_master
from kalk_excel.master.inputs import field_columns
from kalk_excel.master.layout import SHEET_ORDER, STATUS_KEYS
from kalk_excel.master.perkommune_spec import AREAS
from kalk_excel.pipeline.update import LastYear, fjorar_blocks

AREA_LABELS = [label for _, label, _ in AREAS] + ["Sum"]
# made-up last-year averages: Barnevern not given, Kvalifiseringsprogram 0, the rest a number
LAST_AREA = {label: (None if label == "Barnevern" else 0 if label == "Kvalifiseringsprogram" else 1000 * (i + 1))
             for i, label in enumerate(AREA_LABELS)}
LAST_HISTORY = {2020: (100, 2000), 2021: (200, 3000), 2022: (None, None), 2023: (400, 5000)}
LAST_KOMMUNE = {"0301": (50, 1000), "1103": (0, 2000), "1833": (None, None)}   # Rana not given
HELD_NORSK = ["1833", "norsk", "Venter på korrigert regnskap"]             # Rana's norsk is held out
ERRORS = ("#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "Err:")


def names_of(path: Path) -> dict[str, tuple[str, str]]:
    wb = load_workbook(path)
    return {n: next(iter(d.destinations)) for n, d in wb.defined_names.items()}


def type_last_year(path: Path) -> None:
    """Type the made-up values (and a source) into Fjorår through the names, and hold Rana's norsk out."""
    wb = load_workbook(path)
    ws = wb["Fjorår"]
    dest = {n: next(iter(wb.defined_names[n].destinations))[1].replace("$", "")
            for n in ("fjor_snitt_omrade", "historikk_norsk", "fjor_norsk_kommune")}
    for row in ws[dest["fjor_snitt_omrade"]]:
        cell = row[0]
        label = ws.cell(cell.row, 1).value
        cell.value = LAST_AREA[label]
        ws.cell(cell.row, 3).value = "Rapport i fjor, vedlegg 6"
    for row in ws[dest["historikk_norsk"]]:
        year = ws.cell(row[0].row, 1).value
        row[0].value, row[1].value = LAST_HISTORY[year]
        ws.cell(row[0].row, 4).value = "Rapport i fjor, tabell 10"
    for row in ws[dest["fjor_norsk_kommune"]]:
        nr = ws.cell(row[0].row, 1).value
        row[0].value, row[1].value = LAST_KOMMUNE[nr]
    (sheet, ref), = wb.defined_names["oppsett_utelatt"].destinations
    for cell, value in zip(wb[sheet][ref.replace("$", "")][0], HELD_NORSK, strict=False):
        cell.value = value
    wb.save(path)


def fjorar_values(path: Path) -> dict[str, list[list[Any]]]:
    wb = load_workbook(path)
    out = {}
    for name in ("fjor_snitt_omrade", "historikk_norsk", "fjor_norsk_kommune"):
        (sheet, ref), = wb.defined_names[name].destinations
        out[name] = [[c.value for c in r] for r in wb[sheet][ref.replace("$", "")]]
    return out


def table(ws: Any, title_start: str, width: int) -> list[list[Any]]:
    """The data rows under the table whose title starts with ``title_start`` (until an empty row)."""
    start = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith(title_start))
    rows = []
    r = start + 2
    while ws.cell(r, 1).value not in (None, ""):
        rows.append([ws.cell(r, c).value for c in range(1, width + 1)])
        r += 1
    return rows


def blank(v: Any) -> bool:
    return v in (None, "")


# --------------------------------------------------------------------------------------------
# structure (no LibreOffice)


def test_fjorar_sheet_names_and_unlocked_inputs(tmp_path: Path) -> None:
    path = build_master(2024, tmp_path / "m.xlsx", kommuner=KOMMUNER)
    wb = load_workbook(path)
    assert wb.sheetnames.index("Fjorår") == wb.sheetnames.index("Parametre") + 1
    assert wb.sheetnames == SHEET_ORDER
    ws = wb["Fjorår"]
    assert ws.protection.sheet
    names = names_of(path)
    assert names["fjor_snitt_omrade"] == ("Fjorår", "$B$7:$B$20")
    assert names["historikk_norsk"] == ("Fjorår", "$B$24:$C$27")
    assert names["fjor_norsk_kommune"] == ("Fjorår", "$C$31:$D$33")
    assert [ws.cell(r, 1).value for r in range(7, 21)] == AREA_LABELS
    assert [ws.cell(r, 1).value for r in range(24, 28)] == [2020, 2021, 2022, 2023]
    assert [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(31, 34)] == \
        [(k.kommunenummer, k.navn) for k in KOMMUNER]
    inputs = [f"{c}{r}" for r in range(7, 21) for c in "BC"] + [f"{c}{r}" for r in range(24, 28) for c in "BCD"] + \
        [f"{c}{r}" for r in range(31, 34) for c in "CDE"]
    for ref in inputs:
        assert ws[ref].protection.locked is False, ref
        assert ws[ref].fill.fgColor.rgb.endswith("FFF2CC"), ref
        assert ws[ref].value is None, ref                       # empty = not given
    for ref in ("A7", "A24", "A31", "B31"):                      # keys stay locked
        assert ws[ref].protection.locked is not False, ref
    assert [ws.cell(6, c).value for c in (1, 2, 3)][2] == "Kilde"
    assert ws.cell(23, 4).value == "Kilde" and ws.cell(30, 5).value == "Kilde"


def test_fjorar_blocks_follow_the_kommunenummer() -> None:
    """Carry-over maps by key: a changed kommune list keeps each municipality's values; values with no
    place are P047 records."""
    last = LastYear(areas={"Barnevern": (5, "k"), "Ukjent område": (1, "k")},
                    history={2021: (1, 2, "k"), 2019: (3, 4, "k")},
                    kommuner={"0301": (10, 20, "k"), "9999": (1, 1, "k")})
    blocks, problems = fjorar_blocks(last, 2024, ["1103", "0301"])
    by_origin = {b.top_left: b.values for b in blocks}
    assert by_origin["B7"][AREA_LABELS.index("Barnevern")] == [5, "k"]
    assert by_origin["B24"] == [[None, None, None], [1, 2, "k"], [None, None, None], [None, None, None]]
    assert by_origin["C31"] == [[None, None, None], [10, 20, "k"]]
    assert sorted(str(p.value) for p in problems) == ["2019", "9999", "Ukjent område"]
    assert {p.code for p in problems} == {"P047"}


# --------------------------------------------------------------------------------------------
# one beregn round (LibreOffice): carry-over and the tables as hand calculations


@pytest.fixture(scope="module")
def beregnet(tmp_path_factory: pytest.TempPathFactory, soffice: str) -> tuple[Any, Path, Path, dict]:
    from kalk_excel.pipeline.run import run_beregn
    base = tmp_path_factory.mktemp("fjorar")
    make_submissions(base / "inn")
    master = build_master(2024, base / "master.xlsx", kommuner=KOMMUNER)
    type_last_year(master)
    before = fjorar_values(master)
    result = run_beregn(master, base / "inn", keep_recalculated=base / "beregnet.xlsx")
    return result, master, base / "beregnet.xlsx", before


def pulled(update: Any, form_id: str) -> dict[str, dict[str, Any]]:
    ids = STATUS_KEYS + [c.id for c in field_columns(2024, update.forms)[form_id]]
    return {row[0]: dict(zip(ids, row, strict=False)) for row in update.rows[form_id]}


def test_last_year_survives_beregn(soffice, beregnet) -> None:
    result, master, _, before = beregnet
    assert result.backup is not None                       # a fresh master replaced the typed one
    assert fjorar_values(master) == before
    wb = load_workbook(master)
    assert wb["Fjorår"]["C7"].value == "Rapport i fjor, vedlegg 6"
    assert wb["Fjorår"]["D27"].value == "Rapport i fjor, tabell 10"
    assert not [p for p in result.update.problems if p.code == "P047"]


def test_tabell_10_this_year_is_the_sum_of_the_included_rows(soffice, beregnet) -> None:
    result, _, recalculated, _ = beregnet
    norsk = pulled(result.update, "norsk")
    counted = [v for v in norsk.values() if v["inkludert"] == 1 and v["no_undervist"] == "ja"]
    assert norsk["1833"]["inkludert"] == 0 and len(counted) == 2          # Rana's norsk held out
    ws = load_workbook(recalculated, data_only=True)["Resultat"]
    rows = table(ws, "Tabell 10", 3)
    assert [r[0] for r in rows] == [2020, 2021, 2022, 2023, 2024]
    assert rows[0][1:] == [100, 2000] and rows[1][1:] == [200, 3000] and rows[3][1:] == [400, 5000]
    assert blank(rows[2][1]) and blank(rows[2][2])
    assert rows[4][1] == pytest.approx(sum(float(v["no_deltakere_sum"] or 0) for v in counted))
    assert rows[4][2] == pytest.approx(sum(float(v["no_timer"] or 0) for v in counted))
    assert result.excel["norsk_deltakere_sum"] == pytest.approx(result.modell["norsk_deltakere_sum"])


def test_vedlegg_6_change_and_percent(soffice, beregnet) -> None:
    _, _, recalculated, _ = beregnet
    ws = load_workbook(recalculated, data_only=True)["Resultat"]
    v5 = {r[0]: r[1] for r in table(ws, "Vedlegg 5", 3)}        # this year's averages (vedlegg 5)
    rows = table(ws, "Vedlegg 6", 5)
    assert [r[0] for r in rows] == AREA_LABELS
    for label, last, now, change, pct in rows:
        assert now == pytest.approx(v5[label]), label
        given = LAST_AREA[label]
        if given is None:
            assert blank(last) and blank(change) and blank(pct), label
            continue
        assert last == given and change == pytest.approx(v5[label] - given), label
        if given == 0:
            assert blank(pct), label
        else:
            assert pct == pytest.approx((v5[label] - given) / given), label


def test_vedlegg_10_per_municipality(soffice, beregnet) -> None:
    result, _, recalculated, _ = beregnet
    norsk = pulled(result.update, "norsk")
    ws = load_workbook(recalculated, data_only=True)["Resultat"]
    rows = table(ws, "Vedlegg 10", 10)
    assert [r[0] for r in rows] == [k.kommunenummer for k in KOMMUNER]
    for nr, _navn, d_last, d_now, d_ch, d_pct, t_last, t_now, t_ch, t_pct in rows:
        counted = norsk[nr]["inkludert"] == 1 and norsk[nr]["no_undervist"] == "ja"
        for last, now, ch, pct, given, field in ((d_last, d_now, d_ch, d_pct, LAST_KOMMUNE[nr][0], "no_deltakere_sum"),
                                                 (t_last, t_now, t_ch, t_pct, LAST_KOMMUNE[nr][1], "no_timer")):
            if not counted:
                assert blank(now) and blank(ch) and blank(pct), nr
                continue
            value = float(norsk[nr][field] or 0)
            assert now == pytest.approx(value), nr
            if given is None:
                assert blank(last) and blank(ch) and blank(pct), nr
                continue
            assert last == given and ch == pytest.approx(value - given), nr
            if given == 0:
                assert blank(pct), nr
            else:
                assert pct == pytest.approx((value - given) / given), nr


def test_no_error_values_anywhere(soffice, beregnet) -> None:
    result, _, recalculated, _ = beregnet
    wb = load_workbook(recalculated, data_only=True)
    bad = [(ws.title, c.coordinate, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
           if isinstance(c.value, str) and c.value.startswith(ERRORS)]
    assert bad == []
    assert result.readback.master_status == "OK" and result.agree
