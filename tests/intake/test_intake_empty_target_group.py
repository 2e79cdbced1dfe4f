"""N <= 0 with expenses is a feil on receipt (issue 11, point 5): the check «mg_tom_med_utgifter»
of the 2024 adm definition, the same rule the survey workbook shows as a live control. A demo
submission with its target group counts set to 0 (1.1., first settled, moved in and out, 31.12.;
the avvik in 1.3 stays 0) but its expenses kept is rejected with the problem on 1.1's 31.12. cell;
the same submission with its counts intact is not."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from kalk_excel.definition import load_form
from kalk_excel.definition.model import Kommune
from kalk_excel.demo.inputs import raw_inputs
from kalk_excel.intake import check_file
from kalk_excel.workbook import build_workbook, fill_workbook
from kalk_excel.workbook.protection import make_key
from support import TEST_PASSWORD

EMPTY = {"mg_antall_0101": 0, "mg_forstegangsbosatt": 0, "mg_innflyttet": 0, "mg_utflyttet": 0, "mg_antall_3112": 0}


def submission(folder: Path, name: str, **changes: int) -> Path:
    form = load_form(2024, "adm")
    with tempfile.TemporaryDirectory() as tmp:
        src = build_workbook(form, Kommune("1103", "Stavanger", ("adm",)), Path(tmp) / "tom.xlsx",
                             password=TEST_PASSWORD, key=make_key(TEST_PASSWORD))
        return fill_workbook(src, {**raw_inputs("1103", form), **changes}, folder / name)


def rule_problems(path: Path) -> list:
    res = check_file(path, expected_year=2024)
    return [p for p in res.problems if p.field == "mg_antall_3112" and "ingen i målgruppen" in p.message]


@pytest.mark.slow
def test_expenses_without_anyone_in_the_target_group_is_a_feil(tmp_path: Path) -> None:
    empty = submission(tmp_path, "2024_adm_1103_stavanger.xlsx", **EMPTY)
    problems = rule_problems(empty)
    assert [p.severity for p in problems] == ["feil"]
    assert check_file(empty, expected_year=2024).status == "feil"
    assert rule_problems(submission(tmp_path, "2024_adm_1103_stavanger_b.xlsx")) == []
