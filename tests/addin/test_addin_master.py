"""The add-in on a real master (`kalk-excel master`'s builder) with real pull blocks
(`kalk_excel.pipeline.pull.pull_blocks`), through xlwings' remote engine: the master's own
Oppsett names are read, every value lands under its field id's column, and the number of
writes is the same for 3 and 24 municipalities.

The master is handed to the remote engine as its client would send it: values only (formula
cells empty, since the remote engine does not calculate), names as sheet + address."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from test_addin_remote import _sheet, apply_actions

from kalk_excel.addin import entry
from kalk_excel.master.builder import build_master
from kalk_excel.pipeline.pull import pull_blocks

_REF = re.compile(r"^'?((?:[^']|'')+?)'?!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")
RESULT_CELL_VALUE = 0.9091  # stands in for Excel's calculation of dekningsgrad_integreringstilskudd


def _json_value(v: Any) -> Any:
    if isinstance(v, str) and v.startswith("="):
        return None
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    return v


def master_as_remote_json(path: Path, version: str, folder: str) -> dict[str, Any]:
    wb = openpyxl.load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
        grid = [[_json_value(c.value) for c in row] for row in ws.iter_rows(max_col=ws.max_column)]
        sheets.append(_sheet(ws.title, grid or [[None]]))
    index = {ws.title: i for i, ws in enumerate(wb.worksheets)}
    names = []
    for name, dn in wb.defined_names.items():
        m = _REF.match(dn.attr_text or "")
        if m and m.group(1).replace("''", "'") in index:
            address = f"{m.group(2)}{m.group(3)}" + (f":{m.group(4)}{m.group(5)}" if m.group(4) else "")
            names.append({"name": name, "sheet_index": index[m.group(1).replace("''", "'")], "address": address,
                          "book_scope": True, "scope_sheet_index": None, "scope_sheet_name": None})
    data = {"client": "Microsoft Excel", "version": version, "names": names, "sheets": sheets,
            "book": {"name": str(path), "active_sheet_index": 1, "selection": "A1", "calculation": "Automatic"}}
    _set(data, "oppsett_innleveringsmappe", folder)        # what the secretariat types in Oppsett
    _set(data, "dekningsgrad_integreringstilskudd", RESULT_CELL_VALUE)
    return data


def _set(data: dict[str, Any], name: str, value: Any) -> None:
    n = next(n for n in data["names"] if n["name"] == name)
    col, row = re.match(r"([A-Z]+)(\d+)", n["address"]).groups()
    c = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(col)))
    grid = data["sheets"][n["sheet_index"]]["values"]
    while len(grid) < int(row):
        grid.append([None] * len(grid[0]))
    while len(grid[int(row) - 1]) < c:
        grid[int(row) - 1].append(None)
    grid[int(row) - 1][c - 1] = value


@pytest.mark.parametrize("n", [3, 24])
def test_real_master_and_real_pull_blocks(xw: Any, tmp_path: Path, n: int) -> None:
    ks = [(f"{1101 + k:04d}", f"Kommune {k}") for k in range(n)]
    (tmp_path / "innlevert").mkdir()
    path = build_master(2024, tmp_path / "master.xlsx", kommuner=ks)
    data = master_as_remote_json(path, xw.__version__, "innlevert")
    book = xw.Book(json=data)
    submissions = {("adm", nr): {"mg_antall_0101": 100 + k, "mg_antall_3112": 110 + k}
                   for k, (nr, _navn) in enumerate(ks) if k % 2 == 0}
    calls = []

    def prepare(year: int, folder: Path, kommuner: Any = None, **_core_options: Any) -> SimpleNamespace:
        calls.append((year, folder))
        blocks = pull_blocks(year, ks, None, submissions)
        return SimpleNamespace(blocks=blocks, files=[], summary={"inkludert": len(submissions), "avvist": 0})

    outcome = entry.run(book, prepare=prepare)
    assert outcome.ok, outcome.message
    assert calls == [(2024, tmp_path / "innlevert")]  # from the master's own Oppsett names
    assert "Dekningsgrad integreringstilskudd: 90,9 %" in outcome.message
    writes = [a for a in book.json()["actions"] if a["func"] == "setValues"]
    assert len(writes) == 3  # Innrapportert adm, Innrapportert norsk, Oppsett status: for 3 and for 24
    assert [w["row_count"] for w in writes] == [n, n, 2]

    sheets = [s["name"] for s in data["sheets"]]
    grids = apply_actions(data, book.json()["actions"])
    adm = grids[sheets.index("Innrapportert adm")]
    header = adm[3]  # row 4: field ids
    for k, (nr, _navn) in enumerate(ks):
        row = adm[5 + k]  # first data row 6
        assert row[header.index("kommunenummer")] == nr
        expected = 100 + k if k % 2 == 0 else None
        assert row[header.index("mg_antall_0101")] == expected
        assert row[header.index("inkludert")] == (1 if k % 2 == 0 else 0)
    oppsett = grids[sheets.index("Oppsett")]
    assert oppsett[3][1] == 2024 and oppsett[4][1] == "innlevert"  # settings untouched
    assert "inkludert" in oppsett[5][1]


@pytest.mark.slow
def test_button_on_a_real_master_with_real_submissions_and_the_real_core(xw: Any, tmp_path: Path) -> None:
    """No fakes in the core: generated and filled survey workbooks, `prepare_update` as the
    button calls it (via `kalk_excel.pipeline.update`), the saved master as `master_path`."""
    from kalk_excel.definition import load_form
    from kalk_excel.definition.model import Kommune
    from kalk_excel.demo.inputs import raw_inputs
    from kalk_excel.workbook import build_workbook, fill_workbook, workbook_filename

    ks = [Kommune("0301", "Oslo", ("adm", "norsk")), Kommune("1833", "Rana", ("adm", "norsk"))]
    forms = {f: load_form(2024, f) for f in ("adm", "norsk")}
    (tmp_path / "inn").mkdir()
    for k in ks:
        for form_id, form in forms.items():
            name = workbook_filename(2024, form_id, k.kommunenummer, k.navn)
            src = build_workbook(form, k, tmp_path / name, password="Test-passord-æøå-2024")
            fill_workbook(src, raw_inputs(k.kommunenummer, form), tmp_path / "inn" / name)
    path = build_master(2024, tmp_path / "master.xlsx", kommuner=ks)
    data = master_as_remote_json(path, xw.__version__, "inn")
    book = xw.Book(json=data)

    outcome = entry.run(book)  # the real kalk_excel.pipeline.update.prepare_update
    assert outcome.ok, outcome.message
    assert "Inkludert i beregningen: 4" in outcome.message and "Avvist: 0" in outcome.message
    writes = [a for a in book.json()["actions"] if a["func"] == "setValues"]
    sheets = [s["name"] for s in data["sheets"]]
    written = [sheets[w["sheet_position"]] for w in writes]
    assert {"Innrapportert adm", "Innrapportert norsk", "Oppsett", "Sporbarhet", "Kontroll"} <= set(written)
    assert len(writes) == len(set((w["sheet_position"], w["start_row"], w["start_column"]) for w in writes))

    grids = apply_actions(data, book.json()["actions"])
    adm = grids[sheets.index("Innrapportert adm")]
    header = adm[3]
    for i, k in enumerate(ks):
        row = adm[5 + i]
        expected = raw_inputs(k.kommunenummer, forms["adm"])
        assert row[header.index("kommunenummer")] == k.kommunenummer
        assert row[header.index("inkludert")] == 1
        assert row[header.index("mg_antall_0101")] == expected["mg_antall_0101"]


def _param_cell(data: dict[str, Any], pid: str) -> list[Any]:
    grid = next(s for s in data["sheets"] if s["name"] == "Parametre")["values"]
    return next(row for row in grid if row and row[0] == pid)


def _model_value(data: dict[str, Any], book: Any, name: str) -> Any:
    """The model-check value the run wrote for `name` (Kontroll, the model column)."""
    from kalk_excel.master.layout import MODEL_CHECK

    sheets = [s["name"] for s in data["sheets"]]
    kontroll = sheets.index("Kontroll")
    writes = [a for a in book.json()["actions"] if a["func"] == "setValues" and a["sheet_position"] == kontroll
              and a["row_count"] == len(MODEL_CHECK)]
    assert len(writes) == 1
    return writes[0]["values"][[n for n, _l, _u in MODEL_CHECK].index(name)][0]


@pytest.fixture(scope="module")
def submitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Any]]:
    """Generated and filled survey workbooks (both forms) for two municipalities."""
    from kalk_excel.definition import load_form
    from kalk_excel.definition.model import Kommune
    from kalk_excel.demo.inputs import raw_inputs
    from kalk_excel.workbook import build_workbook, fill_workbook, workbook_filename

    root = tmp_path_factory.mktemp("inn")
    ks = [Kommune("0301", "Oslo", ("adm", "norsk")), Kommune("1833", "Rana", ("adm", "norsk"))]
    (root / "inn").mkdir()
    for k in ks:
        for form_id in ("adm", "norsk"):
            form = load_form(2024, form_id)
            name = workbook_filename(2024, form_id, k.kommunenummer, k.navn)
            src = build_workbook(form, k, root / name, password="Test-passord-æøå-2024")
            fill_workbook(src, raw_inputs(k.kommunenummer, form), root / "inn" / name)
    return root / "inn", ks


@pytest.mark.slow
@pytest.mark.parametrize("fullname", ["local", "url"])
def test_an_unsaved_parameter_edit_is_used_by_the_model(xw: Any, tmp_path: Path, fullname: str,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       submitted: tuple[Path, list[Any]]) -> None:
    """issue 9: the button reads Parametre from the open workbook, not from the saved file, and a
    master whose fullname is a cloud URL gives the same result. The expected sums are the
    parameter values of the yaml, added by hand here."""
    folder, ks = submitted
    path = build_master(2024, tmp_path / "master.xlsx", kommuner=ks)
    saved = path.read_bytes()
    results = {}
    for edited in (False, True):
        data = master_as_remote_json(path, xw.__version__, str(folder))
        row = _param_cell(data, "sosialhjelp_kull_1")
        assert row[2] == 36710                     # parametre.yaml (tabell 6, bosettingsår 2024)
        if edited:
            row[2] = 40000                         # typed in Excel, not saved
        if fullname == "url":
            data["book"]["name"] = "https://kommune-my.sharepoint.com/personal/ola/Documents/master.xlsx"
            from xlwings.pro import _xlremote
            from xlwings.utils import fullname_url_to_local_path

            for var in ("OneDrive", "OneDriveCommercial"):
                monkeypatch.delenv(var, raising=False)
            monkeypatch.setattr(_xlremote.Book, "fullname", property(lambda self: fullname_url_to_local_path(self.name)))
        book = xw.Book(json=data)
        outcome = entry.run(book)                  # the real core
        assert outcome.ok, outcome.message
        results[edited] = _model_value(data, book, "sosialhjelp_fem_aar")
    assert results[False] == 36710 + 41567 + 41018 + 26832 + 28460
    assert results[True] == 40000 + 41567 + 41018 + 26832 + 28460
    assert path.read_bytes() == saved              # the saved file was neither needed nor touched


@pytest.mark.slow
def test_attach_path_and_button_write_the_same_with_the_real_core(xw: Any, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  submitted: tuple[Path, list[Any]]) -> None:
    """`kalk-excel beregn --aktiv-arbeidsbok` against the button on the same real master and the
    same real submissions: the same writes, the same summary."""
    from click.testing import CliRunner

    from kalk_excel.addin import attach
    from kalk_excel.cli.main import cli

    folder, ks = submitted
    path = build_master(2024, tmp_path / "master.xlsx", kommuner=ks)
    data = master_as_remote_json(path, xw.__version__, str(folder))
    button_book = xw.Book(json=copy.deepcopy(data))
    button = entry.run(button_book)
    assert button.ok, button.message
    attached_book = xw.Book(json=copy.deepcopy(data))
    monkeypatch.setattr(attach, "active_book", lambda: attached_book)
    result = CliRunner().invoke(cli, ["beregn", "--aktiv-arbeidsbok"])
    assert result.exit_code == 0, result.output

    def writes(book: Any) -> list[dict[str, Any]]:
        return [a for a in book.json()["actions"] if a["func"] == "setValues"]

    def without_times(actions: list[dict[str, Any]]) -> list[Any]:
        """The pull's time stamp (Oppsett, «hentet») differs by the seconds between the runs."""
        return [(a["sheet_position"], a["start_row"], a["start_column"], a["row_count"], a["column_count"])
                for a in actions]

    assert without_times(writes(attached_book)) == without_times(writes(button_book))
    assert [w["values"] for w in writes(attached_book) if w["row_count"] > 2] == \
        [w["values"] for w in writes(button_book) if w["row_count"] > 2]
    assert button.message.split("\n")[0] in result.stdout
