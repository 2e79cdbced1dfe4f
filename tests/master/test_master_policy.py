"""The naming policy of docs/master.md on a generated master: no calculation formula longer than
the policy says, no cross-sheet column letters in the calculation sheets, and the documented trace
chain (docs/sporbarhet.md) holds: walking every reference from every formula on *Beregning*
reaches *Innrapportert* only through the documented names and same-sheet columns with headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, range_boundaries

from kalk_excel.master import build_master
from kalk_excel.master.layout import (
    FIRST_DATA_ROW,
    HEADER_ID_ROW,
    SHEET_CALC,
    SHEET_FORMCALC,
    SHEET_INPUT,
    SHEET_PARAMS,
    SHEET_PER_KOMMUNE,
    SHEET_REGISTER,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"
CALC_SHEETS = [*SHEET_FORMCALC.values(), SHEET_PER_KOMMUNE, SHEET_CALC]
# 12 municipalities: rows up to 17; the limit is checked on the real row numbers.
KOMMUNER = [("0301", "Oslo"), ("4014", "Kragerø"), ("4650", "Gloppen"), ("1103", "Stavanger"),
            ("4601", "Bergen"), ("5001", "Trondheim"), ("1108", "Sandnes"), ("3301", "Drammen"),
            ("1804", "Bodø"), ("5501", "Tromsø"), ("3107", "Fredrikstad"), ("4204", "Kristiansand")]


def policy_limit() -> int:
    """The limit as the written policy states it (docs/master.md), not as the code has it."""
    m = re.search(r"No formula longer than (\d+) characters", (DOCS / "master.md").read_text(encoding="utf-8"))
    assert m, "docs/master.md states no formula length limit"
    return int(m.group(1))


@pytest.fixture(scope="module")
def wb(tmp_path_factory):
    path = build_master(2024, tmp_path_factory.mktemp("policy") / "m.xlsx", kommuner=KOMMUNER)
    return load_workbook(path)


def formulas(ws):
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("="):
                yield c


def ranges(text: str) -> list[str]:
    return [t.value for t in Tokenizer(text).items if t.type == Token.OPERAND and t.subtype == Token.RANGE]


def test_no_calculation_formula_longer_than_the_policy(wb):
    limit = policy_limit()
    assert limit <= 150
    longest = {}
    for sheet in CALC_SHEETS:
        cells = list(formulas(wb[sheet]))
        assert cells, sheet
        worst = max(cells, key=lambda c: len(c.value))
        longest[sheet] = len(worst.value) - 1
        assert longest[sheet] <= limit, (sheet, worst.coordinate, worst.value)
    # the split is real: Skjemaberegning adm needs helper columns (its longest expression is several
    # hundred characters as one formula)
    helpers = [c.value for c in wb[SHEET_FORMCALC["adm"]][HEADER_ID_ROW] if str(c.value).startswith("hjelp_")]
    assert len(helpers) >= 10


def test_no_cross_sheet_column_letters_in_calculation_sheets(wb):
    bad = []
    for sheet in CALC_SHEETS:
        for c in formulas(wb[sheet]):
            for ref in ranges(c.value):
                if "!" in ref and ref.split("!")[0].strip("'") != sheet:
                    bad.append((sheet, c.coordinate, ref))
    assert bad == []


class Walker:
    """Follows references the way docs/sporbarhet.md tells an auditor to."""

    PREFIXES = [("beregnet_adm_", SHEET_FORMCALC["adm"]), ("beregnet_norsk_", SHEET_FORMCALC["norsk"]),
                ("per_kommune_", SHEET_PER_KOMMUNE), ("adm_", SHEET_INPUT["adm"]), ("norsk_", SHEET_INPUT["norsk"]),
                ("reg_", SHEET_REGISTER)]

    def __init__(self, wb):
        self.wb = wb
        self.seen: set[tuple[str, int]] = set()        # (sheet, column) walked
        self.reached: dict[str, set[str]] = {}          # sheet -> headers of the columns reached

    def name_target(self, name: str) -> tuple[str, str]:
        dn = self.wb.defined_names[name]
        (sheet, ref), = list(dn.destinations)
        return sheet, ref.replace("$", "")

    def walk_cell(self, sheet: str, row: int, column: int) -> None:
        if (sheet, column) in self.seen and sheet != SHEET_CALC:
            return
        self.seen.add((sheet, column))
        value = self.wb[sheet].cell(row, column).value
        if not (isinstance(value, str) and value.startswith("=")):
            return
        for ref in ranges(value):
            self.follow(sheet, row, ref)

    def follow(self, sheet: str, row: int, ref: str) -> None:
        if "!" in ref:                                   # only Beregning naming its own helse table
            assert sheet == SHEET_CALC and ref.split("!")[0].strip("'") == SHEET_CALC, (sheet, row, ref)
            return
        if ref in self.wb.defined_names:
            self.follow_name(sheet, row, ref)
            return
        # a same-sheet cell: on a per-municipality sheet its column has a header on row 4
        letters, r = coordinate_from_string(ref.replace("$", "").split(":")[0])
        column = column_index_from_string(letters)
        if sheet != SHEET_CALC:
            assert r == row, (sheet, row, ref)
            header = self.wb[sheet].cell(HEADER_ID_ROW, column).value
            assert header, (sheet, row, ref)
            self.reached.setdefault(sheet, set()).add(header)
        self.walk_cell(sheet, r, column)

    def follow_name(self, sheet: str, row: int, name: str) -> None:
        target, ref = self.name_target(name)
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_row == max_row and min_col == max_col:    # a single cell: a parameter or a result
            if target == SHEET_PARAMS:
                assert self.wb[target].cell(min_row, 1).value == name, name   # id in column A = name
            elif target == SHEET_CALC:
                self.walk_cell(target, min_row, min_col)
            return
        for prefix, expected in self.PREFIXES:
            if name.startswith(prefix) and min_col == max_col and min_row == FIRST_DATA_ROW:
                assert target == expected, (name, target)
                header = self.wb[target].cell(HEADER_ID_ROW, min_col).value
                assert header == name[len(prefix):], (name, header)     # name = prefix + row-4 header
                self.reached.setdefault(target, set()).add(header)
                self.walk_cell(target, row if sheet != SHEET_CALC else FIRST_DATA_ROW, min_col)
                return
        assert target == SHEET_PARAMS, (sheet, row, name)  # a list parameter (em_ekskludert)


def test_documented_trace_chain_holds(wb):
    walker = Walker(wb)
    ws = wb[SHEET_CALC]
    for c in formulas(ws):
        walker.walk_cell(SHEET_CALC, c.row, c.column)
    reached = walker.reached
    # the chain reaches every step the documentation names
    assert {"total", "inkludert", "n", "em_flagg", "no_flagg"} <= reached[SHEET_PER_KOMMUNE]
    assert {"bolig_eid_netto_mg", "sos_utgift_mg", "kvp_utgift_mg"} <= reached[SHEET_FORMCALC["adm"]]
    assert any(h.startswith("hjelp_") for h in reached[SHEET_FORMCALC["adm"]])
    assert {"no_utgift_sum", "no_inntekt_sum"} <= reached[SHEET_FORMCALC["norsk"]]
    assert {"mg_antall_3112", "inkludert", "em_vedtak_bosette", "sos_arsverk_tot"} <= reached[SHEET_INPUT["adm"]]
    assert {"no_undervist", "inkludert"} <= reached[SHEET_INPUT["norsk"]]
    assert {"kvalifiseringsstonad"} <= reached[SHEET_REGISTER]
    # and the documentation names the step it walked through
    text = (DOCS / "sporbarhet.md").read_text(encoding="utf-8")
    for step in ("per_kommune_total", "beregnet_adm_<felt-id>", "adm_<felt-id>", "hjelp_1", "Skjemaberegning",
                 "filtrer"):
        assert step in text, step


def test_bulk_sheets_filter_under_protection_and_do_not_print(wb):
    for sheet in SHEET_INPUT.values():
        ws = wb[sheet]
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A5:"), sheet
        assert ws.protection.sheet and ws.protection.autoFilter is False and ws.protection.sort is False
        assert ws.print_area and "$A$1:$G$3" in ws.print_area, ws.print_area
        assert "beregn" in ws["A3"].value and "master-oppdatering" not in ws["A3"].value
    trace = wb["Sporbarhet"]
    assert trace.protection.sheet and trace.protection.autoFilter is False and trace.protection.sort is False


def test_charts_have_visible_axes(wb):
    charts = wb["Resultat"]._charts
    assert len(charts) == 3
    for chart in charts:
        assert chart.x_axis.delete is False and chart.y_axis.delete is False


def test_parameter_counts_show_as_integers(wb):
    ws = wb[SHEET_PARAMS]
    row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == "imdi_forstegang_familier")
    fmt = ws.cell(row, 3).number_format
    assert "." not in fmt, fmt        # "#,##0.####" shows 19392 as "19 392," in Excel


def test_result_and_calculation_sheets_print_readably(wb):
    """docs/master.md «Printing»: Resultat on one page width (each label beside its number, charts
    inside the print area), the wide sheets with their headers and municipality columns on every page."""
    res = wb["Resultat"]
    assert res.page_setup.orientation == "landscape" and res.sheet_properties.pageSetUpPr.fitToPage
    assert res.page_setup.fitToWidth == 1 and res.print_area.endswith(f"$J${res.max_row}")
    for chart in res._charts:
        assert chart.anchor._from.col == 6           # column G; 13.5 cm wide, so it ends inside J
    for sheet in [*SHEET_FORMCALC.values(), SHEET_PER_KOMMUNE]:
        ws = wb[sheet]
        assert ws.page_setup.orientation == "landscape"
        assert ws.print_title_rows == f"${HEADER_ID_ROW}:${HEADER_ID_ROW + 1}" and ws.print_title_cols == "$A:$B"
