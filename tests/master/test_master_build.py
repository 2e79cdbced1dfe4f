"""The master workbook's structure: sheets, names, the status row, no numeric constants in
formulas, one formula per column in *Beregning per kommune*, values only on Innrapportert."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.formula.translate import Translator

from kalk_excel.master import ParameterError, build_master
from kalk_excel.master.layout import FIRST_DATA_ROW, HEADER_ID_ROW, SHEET_ORDER
from kalk_excel.model import Parameters, load_parameters

RESULT_NAMES = """dekningsgrad_integreringstilskudd utgift_per_person_fem_aar tilskudd_per_person_fem_aar
adm_utgift_per_person_aar dekningsgrad_em utgift_per_em_fem_aar tilskudd_per_em_fem_aar dekningsgrad_norsk
utgift_per_undervisningstime adm_utgift_fem_aar sosialhjelp_fem_aar introstonad_fem_aar ventestonad_per_person
helse_per_person adm_utgift_per_em_aar sarskilt_per_em_aar norsk_utgifter_sum norsk_inntekter_sum
antall_malgruppe_sum adm_utgifter_sum""".split()   # docs/beregning.md, "Result names"
KOMMUNER = [("0301", "Oslo"), ("1103", "Stavanger"), ("4601", "Bergen"), ("5001", "Trondheim")]
ALLOWED_NUMBERS = {0.0, 1.0, 100.0}


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    path = tmp_path_factory.mktemp("master") / "master.xlsx"
    build_master(2024, path, kommuner=KOMMUNER, params=load_parameters(2024))
    return load_workbook(path)


def formulas(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("=") and c.data_type == "f":
                    yield ws.title, c.coordinate, c.value


def test_sheets_in_order(master):
    assert master.sheetnames == SHEET_ORDER


def test_no_numeric_constant_in_any_formula(master):
    found = []
    for sheet, coord, text in formulas(master):
        for tok in Tokenizer(text).items:
            if tok.type == Token.OPERAND and tok.subtype == Token.NUMBER and float(tok.value) not in ALLOWED_NUMBERS:
                found.append((sheet, coord, text, tok.value))
    for ws in master.worksheets:   # conditional formatting formulas too
        for rng in ws.conditional_formatting:
            for rule in rng.rules:
                for f in rule.formula:
                    for tok in Tokenizer("=" + f).items:
                        if tok.subtype == Token.NUMBER and float(tok.value) not in ALLOWED_NUMBERS:
                            found.append((ws.title, "CF", f, tok.value))
    assert sum(1 for _ in formulas(master)) > 500
    assert found == []


@pytest.mark.parametrize("sheet", ["Beregning per kommune", "Skjemaberegning adm", "Skjemaberegning norsk"])
def test_one_formula_per_column(master, sheet):
    ws = master[sheet]
    last = FIRST_DATA_ROW + len(KOMMUNER) - 1
    checked = 0
    columns = [c for c in range(1, ws.max_column + 1) if ws.cell(HEADER_ID_ROW, c).value is not None]
    assert len(columns) > 20
    for col in columns:
        first = ws.cell(FIRST_DATA_ROW, col)
        assert first.data_type == "f", f"kolonne {first.column_letter} mangler formel"
        for row in range(FIRST_DATA_ROW + 1, last + 1):
            cell = ws.cell(row, col)
            moved = Translator(cell.value, origin=cell.coordinate).translate_formula(first.coordinate)
            assert moved == first.value, (cell.coordinate, cell.value, first.value)
            checked += 1
    assert checked == len(columns) * (len(KOMMUNER) - 1)


def test_result_parameter_and_setup_names(master):
    names = set(master.defined_names.keys())
    assert set(RESULT_NAMES) <= names
    params = load_parameters(2024)
    assert set(params) <= names
    assert {"toleranse_kr", "toleranse_andel", "oppsett_aar", "oppsett_innleveringsmappe",
            "oppsett_sist_hentet", "master_status"} <= names
    for name in RESULT_NAMES + ["tilskudd_ar2", "deflator_2024"]:
        (sheet, ref), = master.defined_names[name].destinations
        assert re.fullmatch(r"\$[A-Z]+\$\d+", ref), (name, ref)
    for name in params:   # parameter values on Parametre, next to their id
        sheet, ref = next(iter(master.defined_names[name].destinations))
        assert sheet == "Parametre"
        row = int(ref.split("$")[-1])
        assert master[sheet].cell(row, 1).value == name
    (_, ref), = master.defined_names["toleranse_kr"].destinations
    assert master["Parametre"][ref.replace("$", "")].value == 1
    (_, ref), = master.defined_names["toleranse_andel"].destinations
    assert master["Parametre"][ref.replace("$", "")].value == 0.0001


def test_parameter_values_are_the_file_values(master):
    params = load_parameters(2024)
    for pid in ("tilskudd_ar1_em", "kultur_fastsatt", "flytter_andel_aar", "deflator_2024"):
        (_, ref), = master.defined_names[pid].destinations
        assert master["Parametre"][ref.replace("$", "")].value == params[pid]


def test_status_row_on_every_sheet(master):
    for ws in master.worksheets:
        assert "master_status" in str(ws["A1"].value), ws.title


def test_innrapportert_has_field_ids_and_values_only(master):
    from kalk_excel.definition import load_form
    for form_id, sheet in (("adm", "Innrapportert adm"), ("norsk", "Innrapportert norsk")):
        ws = master[sheet]
        header = [c.value for c in ws[HEADER_ID_ROW]]
        assert header[:5] == ["kommunenummer", "kommune", "mottatt", "status", "inkludert"]
        assert set(load_form(2024, form_id).fields) <= set(header)
        assert [ws.cell(FIRST_DATA_ROW + i, 1).value for i in range(len(KOMMUNER))] == [k for k, _ in KOMMUNER]
        assert not any(c.data_type == "f" for row in ws.iter_rows(min_row=HEADER_ID_ROW) for c in row)
        assert "adm_mg_antall_3112" in master.defined_names or form_id == "norsk"


def test_calculation_sheets_protected(master):
    for sheet in ("Beregning per kommune", "Beregning", "Resultat", "Kontroll", "Parametre"):
        assert master[sheet].protection.sheet, sheet


def test_charts_on_resultat(master):
    assert len(master["Resultat"]._charts) == 3


def test_missing_parameter_is_a_norwegian_error(tmp_path):
    full = load_parameters(2024)
    params = Parameters(2024, [p for p in full.rows() if p.id != "tilskudd_ar2"])
    with pytest.raises(ParameterError, match="tilskudd_ar2 mangler") as info:
        build_master(2024, tmp_path / "m.xlsx", kommuner=KOMMUNER, params=params)
    assert [p.code for p in info.value.problems] == ["P007"]
    assert not (tmp_path / "m.xlsx").exists()


def test_given_parameters_are_checked_like_the_file(tmp_path):
    """The same rules as parametre.yaml (P005): a text where a number belongs, a list id that is a number."""
    bad = load_parameters(2024).with_values(tilskudd_ar2="mye", em_ekskludert=301.0)
    with pytest.raises(ParameterError) as info:
        build_master(2024, tmp_path / "m.xlsx", kommuner=KOMMUNER, params=bad)
    assert sorted((p.code, p.field) for p in info.value.problems) == [("P005", "em_ekskludert"),
                                                                       ("P005", "tilskudd_ar2")]
    assert "tilskudd_ar2 er ikke et tall ('mye')" in str(info.value)


def test_div_arguments_keep_their_grouping():
    from kalk_excel.definition.expr import parse
    text = parse("div(a_x * w_x, t_x - a_x + a_x * w_x)").to_excel(lambda n: n.upper())
    assert text == "IF(N(T_X-A_X+A_X*W_X)=0,0,A_X*W_X/(T_X-A_X+A_X*W_X))"


def test_only_excel_2007_functions(master):
    """Every function is in Excel 2007's set, so no ``_xlfn.`` prefix is needed (TEKNISK.md)."""
    allowed = {"ABS", "AND", "COUNT", "COUNTBLANK", "COUNTIF", "IF", "ISERROR", "ISNUMBER", "LEN", "MAX", "MEDIAN",
               "MIN", "N", "NOT", "OR", "PRODUCT", "ROUND", "SUM", "SUMPRODUCT"}
    used = {tok.value.rstrip("(").upper() for _, _, text in formulas(master) for tok in Tokenizer(text).items
            if tok.type == Token.FUNC and tok.subtype == Token.OPEN}
    assert {"SUMPRODUCT", "MEDIAN"} <= used
    assert used <= allowed, used - allowed


def test_cli_writes_the_master_and_rejects_bad_input(tmp_path):
    from click.testing import CliRunner

    from kalk_excel.cli.main import cli
    out = tmp_path / "master.xlsx"
    ok = CliRunner().invoke(cli, ["master", "--aar", "2024", "--ut", str(out)])
    assert ok.exit_code == 0, ok.output
    wb = load_workbook(out)
    assert wb.sheetnames == SHEET_ORDER
    assert wb["Innrapportert adm"].max_row >= FIRST_DATA_ROW     # the year's municipality list
    assert CliRunner().invoke(cli, ["master", "--aar", "2024", "--ut", str(tmp_path / "m.txt")]).exit_code == 2
    missing = CliRunner().invoke(cli, ["master", "--aar", "1999", "--ut", str(tmp_path / "m.xlsx")])
    assert missing.exit_code == 2 and "Feil" in missing.output and "Traceback" not in missing.output
