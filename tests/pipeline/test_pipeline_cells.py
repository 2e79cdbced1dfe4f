"""The complete Excel-vs-model check (issue 11, point 6) and N <= 0 (point 5).

Two masters, recalculated by LibreOffice in one call: «null» has a municipality with expenses and
N = 0 forced in as included (the intake would stop it; a correction could let it through), «brutt»
has one per-municipality formula deliberately broken. The check (`pipeline.results.compare_cells`
on the one read-back, `read_results`) must find the broken cell by sheet and cell, and a tweak of
the model by the cells that show it; Excel and the model must treat N = 0 the same way (hand
calculation of the median)."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from kalk_excel.engine.libreoffice import recalculate
from kalk_excel.master import build_master
from kalk_excel.master.fields import CALC_FIELDS
from kalk_excel.master.layout import FIRST_DATA_ROW, HEADER_ID_ROW, RESULT_NAMES
from kalk_excel.model import load_parameters
from kalk_excel.pipeline.blocks import write_blocks_openpyxl
from kalk_excel.pipeline.pull import model_block, pull
from kalk_excel.pipeline.results import CellCheck, compare, compare_cells, read_results
from kalk_excel.pipeline.run import BeregnResult
from kalk_excel.pipeline.update import run_model_result

FORMS: dict[str, Any] = {"adm": None, "norsk": None}
KOMMUNER = [("1103", "Stavanger"), ("3201", "Bærum"), ("4601", "Bergen")]
# N = antall 31.12. (nobody moved): 100, 0 and 200; sosial 1, 5 and 1 million kr.
COUNTS = {"1103": 100, "3201": 0, "4601": 200}
SOSIAL = {"1103": 1_000_000, "3201": 5_000_000, "4601": 1_000_000}
BROKEN = "4601"                      # its «Utgift per person» formula gets +1000 on «brutt»


def submissions() -> SimpleNamespace:
    files = []
    for nr, _ in KOMMUNER:
        adm = {fid: 0 for fid, _ in CALC_FIELDS["adm"]}
        adm.update(mg_antall_3112=COUNTS[nr], mg_antall_0101=COUNTS[nr], mg_forstegangsbosatt=10,
                   sos_utgift_mg=SOSIAL[nr], sos_ventestonad_mg=100_000, em_vedtak_bosette="ja", em_antall=4,
                   em_utgift_sum=2_000_000, em_sarskilt_tilskudd=1_000_000)
        norsk = {"no_undervist": "ja", "no_deltakere_sum": 10, "no_timer": 1000, "no_utgift_sum": 2_000_000,
                 "no_inntekt_sum": 1_000_000}
        for form, values in (("adm", adm), ("norsk", norsk)):
            files.append(SimpleNamespace(form_id=form, kommunenummer=nr, status="godkjent", values=values,
                                         file=f"{form}_{nr}.xlsx", sha256="0" * 64, received=None, cells={},
                                         replaced_by=None))
    return SimpleNamespace(files=files)


def per_kommune_cell(path: Path, key: str, nr: str) -> str:
    """The cell of column ``key`` (header id row) on municipality ``nr``'s row of Beregning per kommune
    (the rows follow the kommune list)."""
    header = next(load_workbook(path, read_only=True)["Beregning per kommune"].iter_rows(
        min_row=HEADER_ID_ROW, max_row=HEADER_ID_ROW, values_only=True))
    row = FIRST_DATA_ROW + [k for k, _ in KOMMUNER].index(nr)
    return f"{get_column_letter(list(header).index(key) + 1)}{row}"


def results_cell(path: Path, title_start: str, header: str, label: str) -> str:
    """The cell of the Resultat table whose title starts with ``title_start``: column ``header``, row
    ``label`` (in column A of a recalculated master)."""
    rows = list(load_workbook(path, read_only=True, data_only=True)["Resultat"].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if isinstance(r[0], str) and r[0].startswith(title_start))
    col = list(rows[top + 1]).index(header)
    row = next(i for i in range(top + 2, len(rows)) if rows[i][0] == label)
    return f"{get_column_letter(col + 1)}{row + 1}"


@pytest.fixture(scope="module")
def masters(tmp_path_factory: pytest.TempPathFactory, soffice: str) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("celler")
    params = load_parameters(2024)
    columns = {f: [fid for fid, _ in CALC_FIELDS[f]] for f in CALC_FIELDS}
    pulled = pull(2024, KOMMUNER, FORMS, submissions())
    result, model, problems = run_model_result(pulled.rows, columns, params, 2024)
    assert result is not None and problems == []
    paths = []
    for name in ("null", "brutt"):
        empty = build_master(2024, tmp / f"tom_{name}.xlsx", kommuner=KOMMUNER, forms=FORMS, params=params)
        paths.append(write_blocks_openpyxl(empty, pulled.blocks + [model_block(model)], tmp / f"{name}.xlsx"))
    cell = per_kommune_cell(paths[1], "snitt", BROKEN)
    wb = load_workbook(paths[1])
    ws = wb["Beregning per kommune"]
    ws[cell] = ws[cell].value + "+1000"
    wb.save(paths[1])
    out = recalculate(paths, tmp / "ut")
    return {"null": out[0], "brutt": out[1], "model": result, "values": model, "broken_cell": cell}


def check(path: Path, model: Any) -> CellCheck:
    return compare_cells(read_results(path, RESULT_NAMES), model)


def test_a_broken_per_municipality_formula_is_caught_by_sheet_and_cell(soffice, masters) -> None:
    found = check(masters["brutt"], masters["model"])
    where = {(d.sheet, d.cell) for d in found.diffs}
    # the broken cell, and vedlegg 2 on Resultat, which shows it; nothing else
    assert where == {("Beregning per kommune", masters["broken_cell"]),
                     ("Resultat", results_cell(masters["brutt"], "Vedlegg 2", "Snitt per person", BROKEN))}
    diff = next(d for d in found.diffs if d.sheet == "Beregning per kommune")
    # per person: sosial 1 000 000 − særskilt tilskudd 1 000 000, plus kultur per person (N × rate / N;
    # the rate is the carried amount on Beregning, read back by name)
    expected = (1_000_000 - 1_000_000) / 200 + read_results(masters["brutt"], ["kultur_per_person"]).values[
        "kultur_per_person"]
    assert diff.modell == pytest.approx(expected) and diff.excel == pytest.approx(expected + 1000)
    assert BROKEN in diff.what
    # the verdict names the sheet and cell, and Excel and the model are not in agreement
    readback = read_results(masters["brutt"], RESULT_NAMES)
    verdict = BeregnResult(Path("m.xlsx"), None, None, readback, compare(readback.values, masters["values"]), {},
                           cells=found)
    assert not verdict.agree
    assert f"'Beregning per kommune'!{masters['broken_cell']}" in verdict.verdict()["tekst"]
    assert {(d["ark"], d["celle"]) for d in verdict.verdict()["avvik_celler"]} == where


def test_the_intact_master_agrees_cell_by_cell(soffice, masters) -> None:
    found = check(masters["null"], masters["model"])
    assert found.diffs == [] and found.ok
    # 3 municipalities x (inkludert, N, 13 areas, total, snitt, ventestønad, førstegangsbosatte,
    # 4 EM columns, 14 per-person values; 8 norsk columns) + vedlegg 2, 8, 9 (3 numbers each) +
    # vedlegg 5 on Beregning (14 x 3) and on Resultat (14 x 2)
    assert found.compared == 3 * (1 + 1 + 13 + 1 + 1 + 1 + 1 + 4 + 14 + 8) + 3 * 9 + 14 * 3 + 14 * 2


def test_a_model_tweak_is_caught_where_the_master_shows_it(soffice, masters) -> None:
    tweaked = copy.deepcopy(masters["model"])
    tweaked.em.loc["1103", "em_antall"] += 3
    found = check(masters["null"], tweaked)
    assert [(d.sheet, d.cell) for d in found.diffs] == [
        ("Beregning per kommune", per_kommune_cell(masters["null"], "em_antall", "1103"))]
    tweaked = copy.deepcopy(masters["model"])
    tweaked.vedlegg5.loc["sosial", "median"] += 10
    found = check(masters["null"], tweaked)
    assert {d.sheet for d in found.diffs} == {"Beregning", "Resultat"} and len(found.diffs) == 2
    assert results_cell(masters["null"], "Vedlegg 5", "Median", "Sosial rådgivning og veiledning") in \
        {d.cell for d in found.diffs if d.sheet == "Resultat"}


def test_n_zero_is_in_the_sums_and_in_no_median_on_both_sides(soffice, masters) -> None:
    """Hand calculation: sosial per person is 1 000 000 / 100 = 10 000 and 1 000 000 / 200 = 5 000
    for the two municipalities with N > 0; the median of these two is 7 500 (3201, N = 0, has no
    per-person value). The weighted average counts every krone over Σ N: 7 000 000 / 300."""
    model = masters["model"]
    assert model.vedlegg5.loc["sosial", "median"] == pytest.approx(7_500)
    assert model.vedlegg5.loc["sosial", "snitt"] == pytest.approx(7_000_000 / 300)
    wb = load_workbook(masters["null"], data_only=True, read_only=True)
    label_row = results_cell(masters["null"], "Vedlegg 5", "Median", "Sosial rådgivning og veiledning")
    assert wb["Resultat"][label_row].value == pytest.approx(7_500)
    assert wb["Resultat"]["B" + label_row[1:]].value == pytest.approx(7_000_000 / 300)
    assert wb["Beregning per kommune"][per_kommune_cell(masters["null"], "snitt", "3201")].value in (None, "")
    assert wb["Beregning per kommune"][per_kommune_cell(masters["null"], "pp_sosial", "3201")].value in (None, "")
