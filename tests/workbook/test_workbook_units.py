"""Small pieces of the generator checked against hand-written expectations: formula
normalisation and fingerprint lines, prompt clipping, validation rules per field type, div()
brackets in workbook formulas, file-name slugs, the password configuration, refused layouts."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from test_workbook_common import FIXTURE_DEFINITIONS, load

from kalk_excel.config import ConfigError, protection_password
from kalk_excel.definition.expr import parse
from kalk_excel.workbook import fingerprint, normalise_formula, slug, workbook_filename
from kalk_excel.workbook.formulas import excel
from kalk_excel.workbook.validation import clip, rule_of


def test_normalise_formula() -> None:
    assert normalise_formula('=_xlfn.IFERROR( a_b , "Tekst med  Mellomrom" )') == 'IFERROR(A_B,"Tekst med  Mellomrom")'
    assert normalise_formula('=if(x_y="a ""b"" c",1,2)') == 'IF(X_Y="a ""b"" c",1,2)'
    assert normalise_formula("SUM(a_b)") == normalise_formula("= sum( A_B )")


def test_fingerprint_lines_by_hand() -> None:
    cells = [("Ark", "B2", "=sum(a_b)"), ("Ark", "A1", "Tekst"), ("Ark", "C3", 2.0), ("Ark", "C4", 0.5),
             ("Ark", "D1", None), ("Ark", "D2", "")]
    lines = "Ark\tA1\tV\tTekst\nArk\tB2\tF\tSUM(A_B)\nArk\tC3\tV\t2\nArk\tC4\tV\t0.5"
    assert fingerprint(cells) == hashlib.sha256(lines.encode("utf-8")).hexdigest()
    assert fingerprint(reversed(cells)) == fingerprint(cells)
    assert fingerprint([("Ark", "C3", 2)]) == fingerprint([("Ark", "C3", 2.0)])


def test_clip_limits() -> None:
    assert clip("kort", 32) == "kort"
    text = "Dette er en veldig lang etikett som ikke får plass i tittelen"
    out = clip(text, 32)
    assert len(out) <= 32 and out.endswith("…") and text.startswith(out[:-1])


def test_validation_rules_per_type() -> None:
    form = load(FIXTURE_DEFINITIONS[1])
    f = form.fields
    assert rule_of(f["mg_antall_0101"])[:4] == ("whole", "between", "0", "50000")
    assert rule_of(f["mg_andel_kvinner"])[:4] == ("decimal", "between", "0", "100")
    assert rule_of(f["mg_snitt_alder"])[:4] == ("decimal", "between", "0", "120")
    assert rule_of(f["utg_justering"])[:4] == ("decimal", "between", "-100000000000", "100000000000")
    assert rule_of(f["mg_har_enhet"])[:3] == ("list", None, '"ja,nei"')
    assert rule_of(f["mg_enhet_type"])[:3] == ("list", None, '"Flyktningtjeneste,NAV,Annet"')
    assert rule_of(f["mg_beskrivelse"])[:3] == ("textLength", "lessThanOrEqual", "300")


def test_div_denominator_is_bracketed_in_workbook_formulas() -> None:
    formula = excel("div(a_b * 100, t_t - m_m)")
    assert formula.endswith("/(t_t-m_m))")   # not a_b*100/t_t-m_m
    # the rule engine's value for the same expression: 6 * 100 / (10 - 4) = 100
    assert parse("div(a_b * 100, t_t - m_m)").evaluate({"a_b": 6, "t_t": 10, "m_m": 4}) == 100


def test_slug_and_file_name() -> None:
    assert slug("Bærum") == "baerum"
    assert slug("Ås") == "as"
    assert slug("Tromsø / Romsa") == "tromso-romsa"
    assert slug("Porsáŋgu") == "porsangu"
    assert workbook_filename(2024, "adm", "0301", "Oslo") == "2024_adm_0301_oslo.xlsx"


def test_password_from_env_file_or_generated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys) -> None:
    monkeypatch.setenv("KALK_EXCEL_PASSORD", "fra-miljøet")
    assert protection_password(None, tmp_path) == "fra-miljøet"
    fil = tmp_path / "pw.txt"
    fil.write_text("fra-fila\n", encoding="utf-8")
    assert protection_password(fil, tmp_path) == "fra-fila"          # the file given explicitly wins
    with pytest.raises(ConfigError):                                  # ... and is never silently ignored
        protection_password(tmp_path / "finnes-ikke", tmp_path)
    monkeypatch.delenv("KALK_EXCEL_PASSORD")
    assert protection_password(fil, tmp_path) == "fra-fila"
    with pytest.raises(ConfigError):
        protection_password(tmp_path / "finnes-ikke")
    out = tmp_path / "ut"
    generated = protection_password(None, out)
    assert len(generated) >= 16
    assert (out / "PASSORD.txt").read_text(encoding="utf-8").strip() == generated
    assert "PASSORD.txt" in capsys.readouterr().err
    assert protection_password(None, tmp_path / "ut2") != generated


def test_definitions_that_cannot_be_laid_out_are_refused(tmp_path: Path) -> None:
    import dataclasses

    from kalk_excel.definition.model import Kommune
    from kalk_excel.workbook import WorkbookBuildError, build_workbook

    form = load(FIXTURE_DEFINITIONS[1])
    kommune = Kommune("0301", "Oslo", ("adm",))
    clash = dataclasses.replace(form, parts=(dataclasses.replace(form.parts[0], sheet="Kontroll"), *form.parts[1:]))
    with pytest.raises(WorkbookBuildError, match="reservert"):
        build_workbook(clash, kommune, tmp_path / "a.xlsx", password="x")
    fields = dict(form.fields)
    fields["mg_enhet_type"] = dataclasses.replace(fields["mg_enhet_type"], choices=("NAV, Oslo", "Annet"))
    comma = dataclasses.replace(form, fields=fields)
    with pytest.raises(WorkbookBuildError, match="komma"):
        build_workbook(comma, kommune, tmp_path / "b.xlsx", password="x")
    assert not list(tmp_path.glob("*.xlsx"))
