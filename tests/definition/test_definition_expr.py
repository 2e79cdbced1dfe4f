"""The expression language: Excel translation, Python evaluation with Excel's blank semantics."""

import pytest

from kalk_excel.definition.expr import ExprError, excel_round, parse


@pytest.mark.parametrize("src, excel", [
    ("a_b + c_d - e_f", "a_b+c_d-e_f"),
    ("a_b - (c_d - e_f)", "a_b-(c_d-e_f)"),
    ("a_b / (c_d * e_f)", "a_b/(c_d*e_f)"),
    ("-(a_b + c_d)", "-(a_b+c_d)"),
    ("a_b == 'ja' and c_d > 0", 'AND(a_b="ja",c_d>0)'),
    ("not (a_b != 1)", "NOT(a_b<>1)"),
    ("hvis(a_b == 'nei', c_d, 0)", 'IF(a_b="nei",c_d,0)'),
    ("c_d if a_b else 0", "IF(a_b,c_d,0)"),
    ("div(a_b, c_d)", "IF(N(c_d)=0,0,a_b/c_d)"),
    # compound operands keep their grouping (the capacity-share formula of framgangsmåte C)
    ("div(a_b * w_x, n_t - n_m + n_m * w_x)", "IF(N(n_t-n_m+n_m*w_x)=0,0,a_b*w_x/(n_t-n_m+n_m*w_x))"),
    ("div(a_b + c_d, e_f * g_h)", "IF(N(e_f*g_h)=0,0,(a_b+c_d)/(e_f*g_h))"),
    ("tom(a_b) or a_b <= 1.75", "OR(LEN(a_b)=0,a_b<=1.75)"),
    ("sum(a_b, c_d, e_f)", "SUM(a_b,c_d,e_f)"),
])
def test_to_excel(src: str, excel: str) -> None:
    assert parse(src).to_excel() == excel


def test_reference_mapping_for_master() -> None:
    assert parse("a_b * 2").to_excel(lambda n: f"Innrapportert!$C5/{n}") == "Innrapportert!$C5/a_b*2"


@pytest.mark.parametrize("src", ["a_b ** 2", "import_x", "__import__('os')", "a_b.c", "f_x(1)",
                                 "a_b < c_d < e_f", "[a_b]", "True", "del(a_b, 1)"])
def test_rejected(src: str) -> None:
    if src == "import_x":  # a plain name is fine: the linter checks references
        assert parse(src).names == {"import_x"}
        return
    with pytest.raises(ExprError):
        parse(src)


def test_blank_semantics_like_excel() -> None:
    # blank counts as 0 in arithmetic and numeric comparison, as "" in text comparison
    assert parse("a_b + 2").evaluate({}) == 2
    assert parse("a_b == 0").evaluate({"a_b": None}) is True
    assert parse("a_b == 'nei'").evaluate({}) is False
    assert parse("a_b == 'NEI'").evaluate({"a_b": "nei"}) is True
    assert parse("div(a_b, c_d)").evaluate({"a_b": 5}) == 0
    with pytest.raises(ZeroDivisionError):
        parse("a_b / c_d").evaluate({"a_b": 5})
    assert parse("tom(a_b)").evaluate({"a_b": ""}) is True


def test_capacity_share_formula_from_the_2011_form() -> None:
    # the 2011 form's worked example: 300 x 1.75 / (5200 - 300 + 300 x 1.75) = 0.097
    e = parse("div(n_mg * w_x, n_tot - n_mg + n_mg * w_x)")
    assert round(e.evaluate({"n_mg": 300, "w_x": 1.75, "n_tot": 5200}), 3) == 0.097


def test_excel_round_half_away_from_zero() -> None:
    assert excel_round(2.5) == 3 and excel_round(-2.5) == -3 and excel_round(0.125, 2) == 0.13
