"""The generated layout equals the reviewed golden files in tests/golden/ (per 2024 form: field
-> sheet!cell, type, validation, conditional formats, formula; the master's formulas per sheet
and column). A deliberate layout change: run `make golden` and commit the diff with the change."""

from __future__ import annotations

import difflib

import pytest

from kalk_excel.golden import GOLDEN_DIR, master_layout, survey_layout


def _compare(name: str, text: str) -> None:
    path = GOLDEN_DIR / name
    assert path.exists(), f"{path} mangler: kjør `make golden`"
    golden = path.read_text(encoding="utf-8")
    if golden != text:
        diff = "".join(difflib.unified_diff(golden.splitlines(True), text.splitlines(True),
                                            f"tests/golden/{name}", "generert nå", n=1))
        pytest.fail(f"Oppsettet er endret. Er endringen ønsket: `make golden` og commit diffen.\n{diff[:6000]}")


@pytest.mark.parametrize("form_id", ["adm", "norsk"])
def test_survey_layout_2024_is_the_golden_one(form_id: str) -> None:
    _compare(f"2024_{form_id}.txt", survey_layout(2024, form_id))


def test_master_formulas_2024_are_the_golden_ones() -> None:
    _compare("2024_master.txt", master_layout(2024))


def test_golden_survey_lines_name_every_field_once() -> None:
    from kalk_excel.definition import load_form
    for form_id in ("adm", "norsk"):
        lines = (GOLDEN_DIR / f"2024_{form_id}.txt").read_text(encoding="utf-8").splitlines()
        ids = [line.split(" | ")[0] for line in lines if not line.startswith("#")]
        assert sorted(ids) == sorted(load_form(2024, form_id).fields)


def test_felt_prints_each_fields_sheet_and_cell_as_the_workbook_has_it() -> None:
    """`kalk-excel felt` (laid out without writing a workbook) agrees with the golden file, which
    was read back from the _meta sheet of a generated workbook."""
    import csv
    import io

    from click.testing import CliRunner

    from kalk_excel.cli.main import cli
    for form_id in ("adm", "norsk"):
        result = CliRunner().invoke(cli, ["felt", "--aar", "2024", "--skjema", form_id])
        assert result.exit_code == 0, result.output
        printed = {r["felt_id"]: f"{r['ark']}!{r['celle']}" for r in csv.DictReader(io.StringIO(result.output))}
        lines = (GOLDEN_DIR / f"2024_{form_id}.txt").read_text(encoding="utf-8").splitlines()
        golden = {line.split(" | ")[0]: line.split(" | ")[1] for line in lines if not line.startswith("#")}
        assert printed == golden
