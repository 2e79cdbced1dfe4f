"""The add-in's adapter on real xlwings objects, through xlwings' remote engine (`xw.Book(json=...)`),
which records every write as an action: what is written where, how many writes (the same for 3
and 24 municipalities), the restore after a failure in the middle, and the Norwegian messages.

The remote engine does not calculate, has no status bar and no sheet protection: the adapter
detects that and goes on (protection itself is tested in test_addin_protection.py)."""

from __future__ import annotations

import copy
import sys
import types
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from kalk_excel.addin import entry
from kalk_excel.addin import session as session_mod
from kalk_excel.addin.protection import UnsupportedProtector, protector_for
from kalk_excel.pipeline.blocks import Block

GRID_ROWS, GRID_COLS = 40, 12
SHEETS = ["Oppsett", "Innrapportert adm", "Sporbarhet", "Kontroll", "Resultat", "Parametre", "Innrapportert norsk"]
MUTATING = {"setValues", "setCalculation", "setScreenUpdating", "calculate", "alert"}


def _sheet(name: str, values: list[list[Any]]) -> dict[str, Any]:
    return {"name": name, "values": values, "pictures": [], "tables": [], "shapes": [], "charts": [],
            "notes": [], "print_area": None}


def _name(name: str, sheet_index: int, address: str) -> dict[str, Any]:
    return {"name": name, "sheet_index": sheet_index, "address": address, "book_scope": True,
            "scope_sheet_index": None, "scope_sheet_name": None}


def master_json(version: str, fullname: str, year: Any = 2024, folder: Any = "innlevert",
                calculation: str | None = "Automatic") -> dict[str, Any]:
    """A master as the remote client would send it: distinct old numbers everywhere."""
    sheets = []
    for i, name in enumerate(SHEETS):
        grid = [[1000 * i + 100 * r + c for c in range(GRID_COLS)] for r in range(GRID_ROWS)]
        sheets.append(_sheet(name, grid))
    sheets[0]["values"][3][1] = year      # Oppsett!B4
    sheets[0]["values"][4][1] = folder    # Oppsett!B5
    sheets[4]["values"][2][1] = 0.909     # Resultat!B3
    book = {"name": fullname, "active_sheet_index": 0, "selection": "A1"}
    if calculation:
        book["calculation"] = calculation
    return {"client": "Microsoft Excel", "version": version, "book": book, "sheets": sheets,
            "names": [_name("oppsett_aar", 0, "B4"), _name("oppsett_innleveringsmappe", 0, "B5"),
                      _name("dekningsgrad_integreringstilskudd", 4, "B3")]}


def kommuner(n: int) -> list[tuple[str, str]]:
    return [(f"{301 + k:04d}", f"Kommune {k}") for k in range(n)]


def blocks_for(n: int) -> list[Block]:
    """Pull-shaped blocks: one per sheet region, rows = municipalities."""
    ks = kommuner(n)
    return [
        Block("Innrapportert adm", "A6", [[nr, navn, "godkjent", 1, f"2024_adm_{nr}.xlsx", 10.5 * k, None, 7, "=1+1", k]
                                         for k, (nr, navn) in enumerate(ks)]),
        Block("Sporbarhet", "A2", [[nr, "sha", "2024-05-01", "mottatt"] for nr, _ in ks]),
        Block("Oppsett", "B6", [["Hentet: 3 inkludert"], ["2024-05-02 10:00"]]),
    ]


def update_for(n: int, blocks: list[Any] | None = None) -> SimpleNamespace:
    files = [{"fil": f"2024_adm_{nr}.xlsx", "status": "godkjent", "kommunenummer": nr, "skjema": "adm", "counts": {}}
             for nr, _ in kommuner(n)]
    files.append({"fil": "2024_adm_9999_ukjent.xlsx", "status": "avvist", "kommunenummer": None, "skjema": "adm",
                  "counts": {}})
    return SimpleNamespace(blocks=blocks_for(n) if blocks is None else blocks, files=files,
                           summary={"inkludert": n, "avvist": 1})


def apply_actions(json_book: dict[str, Any], actions: list[dict[str, Any]]) -> list[list[list[Any]]]:
    """A second implementation of what Excel does with the recorded writes: "" empties a cell,
    a leading ' is Excel's text prefix (not part of the text)."""
    grids = [copy.deepcopy(s["values"]) for s in json_book["sheets"]]
    for a in actions:
        assert a["func"] in MUTATING, a["func"]
        if a["func"] != "setValues":
            continue
        grid = grids[a["sheet_position"]]
        for i, row in enumerate(a["values"]):
            for j, v in enumerate(row):
                r, c = a["start_row"] + i, a["start_column"] + j
                while len(grid) <= r:
                    grid.append([None] * GRID_COLS)
                while len(grid[r]) <= c:
                    grid[r].append(None)
                if v == "":  # the remote engine sends an empty cell as ""
                    v = None
                grid[r][c] = v[1:] if isinstance(v, str) and v.startswith("'") else v
    return grids


def _book(xw: Any, tmp_path: Path, **kw: Any) -> tuple[Any, dict[str, Any]]:
    (tmp_path / "innlevert").mkdir(exist_ok=True)
    data = master_json(xw.__version__, str(tmp_path / "master.xlsx"), **kw)
    return xw.Book(json=copy.deepcopy(data)), data


def _writes(book: Any) -> list[dict[str, Any]]:
    return [a for a in book.json()["actions"] if a["func"] == "setValues"]


def test_same_number_of_writes_and_reads_for_3_and_24_municipalities(xw: Any, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[int] = []
    real_read = session_mod.ExcelSession.read
    monkeypatch.setattr(session_mod.ExcelSession, "read", staticmethod(lambda rng: reads.append(1) or real_read(rng)))
    counts = {}
    for n in (3, 24):
        reads.clear()
        book, _ = _book(xw, tmp_path)
        outcome = entry.run(book, prepare=lambda year, folder, n=n, **_k: update_for(n))
        assert outcome.ok, outcome.message
        actions = book.json()["actions"]
        counts[n] = (len(_writes(book)), len(actions), len(reads))
        shapes = [(a["row_count"], a["column_count"]) for a in _writes(book)]
        assert shapes == [(n, 10), (n, 4), (2, 1)]
    # 3 blocks; 3 snapshots + year, folder, result + the master's state: Oppsett, Parametre and both
    # Innrapportert sheets, one read each (Sporbarhet: only how far it is used)
    assert counts[3] == counts[24] == (3, 9, 10)


def test_blocks_land_where_the_core_says(xw: Any, tmp_path: Path) -> None:
    book, data = _book(xw, tmp_path)
    assert entry.run(book, prepare=lambda *a, **k: update_for(24)).ok
    writes = _writes(book)
    assert [(w["sheet_position"], w["start_row"], w["start_column"]) for w in writes] == [(1, 5, 0), (2, 1, 0), (0, 5, 1)]
    assert writes[0]["values"][0][:3] == ["'0301", "'Kommune 0", "'godkjent"]  # text stays text
    grids = apply_actions(data, book.json()["actions"])
    adm = grids[1]
    assert adm[5][:4] == ["0301", "Kommune 0", "godkjent", 1]
    assert adm[5 + 23][0] == "0324" and adm[5 + 23][5] == 10.5 * 23
    assert adm[5][8] == "'=1+1"               # the core's neutralised text, never a formula
    assert adm[5][6] is None                  # empty value: empty cell
    assert adm[4] == data["sheets"][1]["values"][4] and adm[29] == data["sheets"][1]["values"][29]  # around it: untouched
    assert grids[0][3][1] == 2024 and grids[0][4][1] == "innlevert"  # Oppsett's settings untouched
    assert grids[0][5][1] == "Hentet: 3 inkludert"


def test_calculation_manual_during_writes_then_restored_and_recalculated(xw: Any, tmp_path: Path) -> None:
    book, _ = _book(xw, tmp_path)
    outcome = entry.run(book, prepare=lambda *a, **k: update_for(3))
    funcs = [(a["func"], a["args"]) for a in book.json()["actions"]]
    first_write = next(i for i, (f, _a) in enumerate(funcs) if f == "setValues")
    last_write = max(i for i, (f, _a) in enumerate(funcs) if f == "setValues")
    assert ("setCalculation", ["Manual"]) in funcs[:first_write]
    assert ("setScreenUpdating", [False]) in funcs[:first_write]
    after = funcs[last_write + 1:]
    assert after.index(("setCalculation", ["Automatic"])) < after.index(("calculate", []))
    assert ("setScreenUpdating", [True]) in after
    alert = book.json()["actions"][-1]
    assert alert["func"] == "alert" and alert["args"][0] == outcome.message and alert["args"][3] == "info"
    for text in ("Inkludert i beregningen: 3", "Avvist: 1", "Dekningsgrad integreringstilskudd: 90,9 %",
                 "2024_adm_9999_ukjent.xlsx: avvist"):
        assert text in outcome.message


def test_unreadable_calculation_mode_is_left_alone(xw: Any, tmp_path: Path) -> None:
    book, _ = _book(xw, tmp_path, calculation=None)  # an older client: the mode is not sent
    assert entry.run(book, prepare=lambda *a, **k: update_for(3)).ok
    assert not [a for a in book.json()["actions"] if a["func"] == "setCalculation"]


def test_missing_features_of_the_engine_are_detected_not_fatal(xw: Any, tmp_path: Path) -> None:
    book, _ = _book(xw, tmp_path)
    s = session_mod.ExcelSession(book)
    s.status("prøver")
    assert s.unsupported == {"status_bar"}
    assert isinstance(protector_for(book), UnsupportedProtector)


def test_failure_in_the_middle_restores_every_written_region(xw: Any, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    book, data = _book(xw, tmp_path)
    blocks = [Block("Innrapportert adm", "B7", [[1, 2, 3], [4, 5, 6]]),
              Block("Innrapportert adm", "C8", [["x", "y"], ["z", "w"]]),  # overlaps the first (snapshots come first)
              Block("Sporbarhet", "A2", [["a", "b"]]),
              Block("Kontroll", "D4", [[9, 9], [9, 9]])]                  # Excel refuses this one
    kontroll = SHEETS.index("Kontroll")
    record = book.impl.append_json_action

    def refusing(**kwargs: Any) -> None:
        if kwargs.get("func") == "setValues" and kwargs.get("sheet_position") == kontroll:
            raise RuntimeError("Cellen eller diagrammet er beskyttet")
        record(**kwargs)

    monkeypatch.setattr(book.impl, "append_json_action", refusing)
    outcome = entry.run(book, prepare=lambda *a, **k: update_for(3, blocks))
    assert not outcome.ok and outcome.problems[0].code == "X033"
    assert "Kontroll!D4:E5" in outcome.message and "satt tilbake" in outcome.message
    assert "Beregningen ble ikke fullført" in outcome.message
    actions = book.json()["actions"]
    assert len(_writes(book)) == 3 + 3  # three writes, then three restores (newest first)
    assert apply_actions(data, actions) == [s["values"] for s in data["sheets"]]  # the master is as before
    assert not [a for a in actions if a["func"] == "calculate"]
    assert ("setCalculation", ["Automatic"]) == next(
        (a["func"], a["args"]) for a in reversed(actions) if a["func"] == "setCalculation")
    assert actions[-1]["func"] == "alert" and actions[-1]["args"][3] == "critical"


def test_unknown_sheet_stops_before_anything_is_written(xw: Any, tmp_path: Path) -> None:
    book, _ = _book(xw, tmp_path)
    blocks = [*blocks_for(3), Block("Finnes ikke", "A1", [[1]])]
    outcome = entry.run(book, prepare=lambda *a, **k: update_for(3, blocks))
    assert not outcome.ok and "har ikke arket «Finnes ikke»" in outcome.message
    assert _writes(book) == []


def test_ragged_block_stops_before_anything_is_written(xw: Any, tmp_path: Path) -> None:
    book, _ = _book(xw, tmp_path)
    ragged = SimpleNamespace(sheet="Sporbarhet", top_left="A2", values=[[1, 2], [3]])
    outcome = entry.run(book, prepare=lambda *a, **k: update_for(3, [*blocks_for(3), ragged]))
    assert not outcome.ok and outcome.problems[0].code == "X030" and "Ingenting er skrevet" in outcome.message
    assert _writes(book) == []


def test_relative_folder_resolves_against_the_masters_folder(xw: Any, tmp_path: Path) -> None:
    book, _ = _book(xw, tmp_path, year=2024.0)
    calls = []

    def prepare(year: int, folder: Path, kommuner: Any = None, state: Any = None, progress: Any = None) -> Any:
        calls.append((year, folder, kommuner, state.year))
        progress("Kontrollerer innleveringene")  # the core's progress goes to the status bar
        return update_for(3)

    assert entry.run(book, prepare=prepare).ok
    # never saved: the state comes from the open workbook, no file needed
    assert calls == [(2024, tmp_path / "innlevert", None, 2024)]


@pytest.mark.parametrize("kw, code, text", [
    ({"folder": "finnes-ikke"}, "X012", "Fant ikke innleveringsmappa"),
    ({"folder": None}, "X012", "er tom"),
    ({"year": "tjuefire"}, "X011", "ikke et gyldig årstall"),
])
def test_bad_oppsett_is_reported_and_nothing_written(xw: Any, tmp_path: Path, kw: dict, code: str, text: str) -> None:
    book, _ = _book(xw, tmp_path, **kw)
    outcome = entry.run(book, prepare=lambda *a, **k: pytest.fail("the core must not run"))
    assert not outcome.ok and outcome.problems[0].code == code and text in outcome.message
    assert _writes(book) == []


def test_core_failure_is_reported_in_norwegian(xw: Any, tmp_path: Path) -> None:
    book, _ = _book(xw, tmp_path)

    def broken(*_a: Any, **_k: Any) -> None:
        raise ValueError("ingen innleveringer for 2024")

    outcome = entry.run(book, prepare=broken)
    assert outcome.problems[0].code == "X021" and "ingen innleveringer for 2024" in outcome.message
    assert "Ingenting er skrevet" in outcome.message and _writes(book) == []


def test_missing_core_module_is_reported(xw: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "kalk_excel.pipeline.update", None)  # import fails
    book, _ = _book(xw, tmp_path)
    outcome = entry.run(book)
    assert outcome.problems[0].code == "X020" and "Beregningsdelen av kalk-excel mangler" in outcome.message


def test_main_uses_the_caller_and_the_cores_prepare_update(xw: Any, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    book, data = _book(xw, tmp_path)
    calls = []
    fake = types.ModuleType("kalk_excel.pipeline.update")
    fake.prepare_update = lambda year, submissions_dir, kommuner=None, state=None, progress=None: (
        calls.append((year, submissions_dir)) or update_for(3))
    monkeypatch.setitem(sys.modules, "kalk_excel.pipeline.update", fake)
    monkeypatch.setattr(xw.Book, "_mock_caller", book, raising=False)
    import beregningsutvalget

    beregningsutvalget.main()
    assert calls == [(2024, tmp_path / "innlevert")]
    assert len(_writes(book)) == 3
    assert apply_actions(data, book.json()["actions"])[2][1][0] == "0301"


def test_summary_lists_rejected_files_and_handles_a_missing_result() -> None:
    from kalk_excel.addin.summary import summary_text

    files = [SimpleNamespace(file=f"f{i}.xlsx", status="avvist") for i in range(12)]
    files.append(SimpleNamespace(file="ok.xlsx", status="godkjent"))
    text = summary_text(2024, {"aar": 2024, "inkludert": 1, "avvist": 12, "merknad": "tekst",
                               "ikke_mottatt": {"adm": ["0301", "1103"], "norsk": []}}, files, None, 3, 30)
    assert "  f0.xlsx: avvist" in text and "  f9.xlsx: avvist" in text and "f10.xlsx" not in text
    assert "… og 2 til" in text and "ok.xlsx" not in text and "merknad" not in text and "2024\n" not in text
    assert "Ikke mottatt: adm 2, norsk 0" in text
    assert "Dekningsgrad integreringstilskudd: ikke beregnet" in text


def test_summary_counts_and_lists_municipalities_held_out_by_the_secretariat() -> None:
    from kalk_excel.addin.summary import summary_text

    reason = "Holdt utenfor av sekretariatet: tallene er under kontroll"
    files = [{"fil": "2024_adm_1103_stavanger.xlsx", "status": "godkjent", "inkludert": False, "grunn": reason},
             {"fil": "2024_adm_0301_oslo.xlsx", "status": "godkjent", "inkludert": True, "grunn": None}]
    held = [{"kommunenummer": "1103", "skjema": "adm", "begrunnelse": "tallene er under kontroll"}]
    text = summary_text(2024, {"inkludert": 1, "holdt_utenfor": held}, files, 0.909, 3, 30)
    assert "Holdt utenfor av sekretariatet (Oppsett): 1" in text
    assert f"  2024_adm_1103_stavanger.xlsx: {reason}" in text and "oslo" not in text
    assert "Dekningsgrad integreringstilskudd: 90,9 %" in text


def test_the_cores_warnings_are_listed_in_the_summary(xw: Any, tmp_path: Path) -> None:
    from kalk_excel.problems import Problem

    book, _ = _book(xw, tmp_path)
    update = update_for(3)
    update.problems = [Problem("P010", "advarsel", "Innleveringen fra kommune 9999 (adm) er ikke i kommunelisten."),
                       Problem("I001", "info", "bare til informasjon")]
    outcome = entry.run(book, prepare=lambda *a, **k: update)
    assert "Merknader fra kontrollen:\n  Innleveringen fra kommune 9999" in outcome.message
    assert "bare til informasjon" not in outcome.message
