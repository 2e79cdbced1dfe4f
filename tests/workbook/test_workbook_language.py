"""Only the filler's language reaches the filler: no field id, check id or expression appears in
any visible cell, data-validation prompt or message of a generated survey workbook (every 2024
and 2011 definition), nor in a feedback file. Hidden helper columns and the very hidden ``_meta``
sheet are for tools and may hold ids.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_workbook_common import KOMMUNE

from kalk_excel.definition import load_form
from kalk_excel.definition.describe import field_place
from kalk_excel.definition.lint import internal_terms
from kalk_excel.demo.inputs import raw_inputs
from kalk_excel.intake import check_file
from kalk_excel.intake.feedback import HEADER_ROW, write_feedback
from kalk_excel.workbook import build_workbook, fill_workbook
from support import TEST_PASSWORD

FORMS = [(year, form_id) for year in (2024, 2011) for form_id in ("adm", "norsk")]


def visible_texts(path: Path) -> list[tuple[str, str, str]]:
    """(sheet, place, text) of every visible text a person can see: cells on visible sheets
    outside hidden rows and columns (formulas excluded: their result is checked by the
    recalculating tests), data-validation titles, prompts and error messages."""
    wb = load_workbook(path)
    out = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        hidden_cols = {k for k, d in ws.column_dimensions.items() if d.hidden}
        hidden_rows = {k for k, d in ws.row_dimensions.items() if d.hidden}
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str) or (c.value.startswith("=") and c.data_type == "f"):
                    continue
                if getattr(c, "column_letter", None) in hidden_cols or c.row in hidden_rows:
                    continue
                out.append((ws.title, c.coordinate, c.value))
        for dv in ws.data_validations.dataValidation:
            for text in (dv.promptTitle, dv.prompt, dv.errorTitle, dv.error):
                if text:
                    out.append((ws.title, f"datavalidering {dv.sqref}", text))
    return out


def offending(texts: list[tuple[str, str, str]], ids: set[str]) -> list[tuple[str, str, str]]:
    word = re.compile(r"[A-Za-z0-9_]+")
    bad = []
    for sheet, place, text in texts:
        terms = [w for w in word.findall(text) if w in ids] + internal_terms(text)
        if terms:
            bad.append((sheet, place, ", ".join(terms)))
    return bad


@pytest.mark.parametrize("year, form_id", FORMS, ids=[f"{y}-{f}" for y, f in FORMS])
def test_no_internal_terms_in_a_generated_workbook(tmp_path: Path, year: int, form_id: str) -> None:
    form = load_form(year, form_id)
    path = build_workbook(form, KOMMUNE, tmp_path / f"{year}_{form_id}.xlsx", password=TEST_PASSWORD)
    texts = visible_texts(path)
    assert len(texts) > 100
    ids = set(form.fields) | {c.id for c in form.checks}
    assert offending(texts, ids) == []
    veiledning = " ".join(t for s, _, t in texts if s == "Veiledning")
    assert "Gule celler" in veiledning and "Blå celler" in veiledning and "hvite" not in veiledning


@pytest.fixture(scope="module")
def feedback(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    tmp_path = tmp_path_factory.mktemp("feedback")
    form = load_form(2024, "adm")
    blank = build_workbook(form, KOMMUNE, tmp_path / "2024_adm_0301_oslo.xlsx", password=TEST_PASSWORD)
    base = raw_inputs("0301", form)
    bad = {**base, "sos_lonn_samlet": "abc", "mg_kontakt_telefon": None,
           "sos_mottakere_mg": base["sos_mottakere_tot"] + 1, "mg_utflyttet": base["mg_utflyttet"] + 1}
    filled = fill_workbook(blank, bad, tmp_path / "inn" / "2024_adm_0301_oslo.xlsx")
    result = check_file(filled)
    assert len([p for p in result.problems if p.severity == "feil"]) == 4
    return write_feedback(result, tmp_path / "tilbakemelding.xlsx"), set(form.fields) | {c.id for c in form.checks}


def test_no_internal_terms_in_feedback_messages(feedback) -> None:
    """The messages and corrections (from the definition and the rule engine) name del, spørsmål
    and label, never an id."""
    path, ids = feedback
    ws = load_workbook(path).active
    header = {ws.cell(HEADER_ROW, c).value: c for c in range(1, ws.max_column + 1)}
    texts = [(ws.title, f"rad {r}", str(ws.cell(r, header[h]).value))
             for r in range(HEADER_ROW + 1, ws.max_row + 1) for h in ("Melding", "Korreksjon:")]
    assert len(texts) == 8
    assert offending(texts, ids) == []


def test_no_internal_terms_in_the_whole_feedback_file(feedback) -> None:
    path, ids = feedback
    assert offending(visible_texts(path), ids) == []


def test_field_place_names_del_sporsmal_and_label() -> None:
    form = load_form(2024, "adm")
    place = field_place(form, "sos_lonn_samlet")
    assert (place.part, place.question) == ("3", "3.4")
    assert place.label.startswith("Lønn og sosiale utgifter")
    assert place.text == f"«{place.label}» (del 3, spørsmål 3.4)"
