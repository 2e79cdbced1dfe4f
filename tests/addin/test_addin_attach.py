"""`kalk-excel beregn --aktiv-arbeidsbok`: the button's run from a terminal on Excel's active
workbook, for PCs where Office may not start processes. With xlwings' remote engine standing in
for the running Excel: the same blocks and the same result as the button, the summary printed
instead of shown; without Excel (this machine) a Norwegian message, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_addin_remote import _book, _writes, apply_actions, update_for

from kalk_excel.addin import attach, entry
from kalk_excel.cli.main import cli


def _core(monkeypatch: pytest.MonkeyPatch) -> None:
    """The core as both paths import it (`kalk_excel.pipeline.update.prepare_update`), answering
    with the same update for the same folder."""
    import kalk_excel.pipeline.update as update

    monkeypatch.setattr(update, "prepare_update", lambda year, folder, **_k: update_for(5))


def test_the_same_blocks_and_result_as_the_button(xw: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _core(monkeypatch)
    button_book, data = _book(xw, tmp_path)
    button = entry.run(button_book)
    attached_book, _ = _book(xw, tmp_path)
    monkeypatch.setattr(attach, "active_book", lambda: attached_book)
    result = CliRunner().invoke(cli, ["beregn", "--aktiv-arbeidsbok"])
    assert result.exit_code == 0, result.output
    assert button.message in result.stdout                      # the same summary, printed
    assert _writes(attached_book) == _writes(button_book)         # the same writes, in the same order
    assert apply_actions(data, attached_book.json()["actions"]) == apply_actions(data, button_book.json()["actions"])
    assert [a["func"] for a in button_book.json()["actions"]][-1] == "alert"
    assert "alert" not in [a["func"] for a in attached_book.json()["actions"]]  # nothing to click away


def test_json_output_and_a_refused_run(xw: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _core(monkeypatch)
    book, _ = _book(xw, tmp_path, folder="finnes-ikke")
    monkeypatch.setattr(attach, "active_book", lambda: book)
    result = CliRunner().invoke(cli, ["beregn", "--aktiv-arbeidsbok", "--json"])
    assert result.exit_code == 2
    out = json.loads(result.stdout)
    assert out["ok"] is False and out["skrevet"] is False and out["problemer"][0]["kode"] == "X012"
    assert Path(out["logg"]).is_file() and _writes(book) == []


def test_without_excel_the_message_is_norwegian(monkeypatch: pytest.MonkeyPatch) -> None:
    """This machine has no Excel: xlwings itself fails to find one."""
    result = CliRunner().invoke(cli, ["beregn", "--aktiv-arbeidsbok"])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "X042" in result.output and "Korreksjon: Start Excel, åpne masterarbeidsboka" in result.output
    assert "Traceback" not in result.output


def test_options_that_name_another_master_are_refused() -> None:
    result = CliRunner().invoke(cli, ["beregn", "--aktiv-arbeidsbok", "--master", "m.xlsx", "--aar", "2024"])
    assert result.exit_code == 2 and "kan ikke kombineres med --master, --aar" in result.output
    plain = CliRunner().invoke(cli, ["beregn"])
    assert plain.exit_code == 2 and "--aktiv-arbeidsbok" in plain.output
