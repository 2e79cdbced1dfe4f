"""The secretariat's document of decisions, fields and controls (docs/beslutninger-2024.md) is
generated from the definitions and kept current; the filler never sees it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kalk_excel.cli.main import cli
from kalk_excel.definition import load_form

DOC = Path(__file__).resolve().parents[2] / "docs" / "beslutninger-2024.md"     # the repository's docs/


def test_generated_document_is_current() -> None:
    result = CliRunner().invoke(cli, ["felt", "--aar", "2024", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert DOC.read_text(encoding="utf-8") == result.output, \
        "docs/beslutninger-2024.md er utdatert: kjør «kalk-excel felt --aar 2024 --format md > docs/beslutninger-2024.md»"


def test_document_holds_every_decision_field_and_check() -> None:
    text = DOC.read_text(encoding="utf-8")
    for form_id in ("adm", "norsk"):
        form = load_form(2024, form_id)
        assert form.decisions
        for decision in form.decisions:
            assert decision in text
        for fid in form.fields:
            assert f"`{fid}`" in text
        for check in form.checks:
            assert f"`{check.id}`" in text
