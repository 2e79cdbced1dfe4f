"""`beregn` on legitimately empty or small samples (issue 11, point 5): adm files only (no norsk
submission yet), no municipality in the EM sub-sample, a single municipality. Each exits 0, the
recalculated master has no error value on any sheet, its status is not FEIL, Excel and the model
agree on every result, every per-municipality value and every median, and what cannot be computed
is blank with a note saying why."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kalk_excel.cli import cmd_beregn
from kalk_excel.cli.main import cli
from kalk_excel.definition.model import Kommune
from kalk_excel.demo.run import write_submissions
from kalk_excel.master.readback import error_cells

# 3118 and 4631 answered «nei» to settling unaccompanied minors; 0301 (Oslo) is held out of the EM
# sample by the parameter em_ekskludert (parametre.yaml): together, no EM municipality.
CASES = {
    "bare_adm": [Kommune("1103", "Stavanger", ("adm",)), Kommune("3201", "Bærum", ("adm",))],
    "ingen_em": [Kommune("0301", "Oslo", ("adm", "norsk")), Kommune("3118", "Indre Østfold", ("adm", "norsk"))],
    "en_kommune": [Kommune("1103", "Stavanger", ("adm", "norsk"))],
}
# Result name -> the note its row on Resultat must carry (the sample that is empty).
BLANK = {
    "bare_adm": {"dekningsgrad_norsk": "Ingen kommuner i norskberegningen",
                 "utgift_per_undervisningstime": "Ingen kommuner i norskberegningen"},
    "ingen_em": {name: "Ingen kommuner i EM-utvalget" for name in (
        "adm_utgift_per_em_fem_aar", "utgift_per_em_fem_aar", "tilskudd_per_em_fem_aar", "dekningsgrad_em",
        "dekningsgrad_em_integreringstilskudd", "dekningsgrad_em_sarskilt")},
    "en_kommune": {},
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, soffice: str) -> dict[str, dict[str, Any]]:
    """Each case through the `beregn` command (--json); the run keeps its recalculated copy."""
    out: dict[str, dict[str, Any]] = {}
    real = cmd_beregn.run_beregn
    with pytest.MonkeyPatch.context() as mp:
        for name, kommuner in CASES.items():
            base = tmp_path_factory.mktemp(name)
            write_submissions(base / "inn", kommuner, "Test-passord-æøå-2024")
            (base / "kommuner.csv").write_text("kommunenummer,navn,skjema\n" + "".join(
                f"{k.kommunenummer},{k.navn},{';'.join(k.skjema)}\n" for k in kommuner), encoding="utf-8")
            kept = base / "beregnet.xlsx"
            mp.setattr(cmd_beregn, "run_beregn", lambda *a, kept=kept, **kw: real(*a, keep_recalculated=kept, **kw))
            res = CliRunner().invoke(cli, ["beregn", "--master", str(base / "master.xlsx"), "--innleveringer",
                                           str(base / "inn"), "--aar", "2024", "--kommuner",
                                           str(base / "kommuner.csv"), "--json"])
            out[name] = {"exit": res.exit_code, "json": json.loads(res.stdout) if res.stdout.strip() else None,
                         "output": res.output, "beregnet": kept}
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_beregn_exits_0_with_excel_equal_to_the_model(soffice, runs, case: str) -> None:
    run = runs[case]
    assert run["exit"] == 0, run["output"][-2000:]
    verdict = run["json"]["verdikt"]
    assert verdict["excel_modell_enige"] and verdict["avvik"] == [] and verdict["avvik_celler"] == []
    assert verdict["celler_sammenlignet"] > 0
    assert not str(run["json"]["masterstatus"]).startswith("FEIL"), run["json"]["masterstatus"]
    assert run["json"]["advarsler"] == []


@pytest.mark.parametrize("case", list(CASES))
def test_no_error_value_anywhere_in_the_recalculated_master(soffice, runs, case: str) -> None:
    assert error_cells(runs[case]["beregnet"]) == []


@pytest.mark.parametrize("case", list(CASES))
def test_what_cannot_be_computed_is_blank_with_a_note_on_both_sides(soffice, runs, case: str) -> None:
    run = runs[case]
    modell = run["json"]["modell"]
    ws = load_workbook(run["beregnet"], data_only=True, read_only=True)["Resultat"]
    shown = {row[2]: (row[1], row[3]) for row in ws.iter_rows(min_row=4, max_col=4, values_only=True)
             if row[0] and isinstance(row[2], str) and "_" in row[2]}     # tabell 1-5: label, value, name, note
    assert set(BLANK[case]) <= set(shown)
    for name, note in BLANK[case].items():
        assert shown[name] == (None, note), name
        if name in modell:
            assert modell[name] is None, name          # undefined on both sides
    defined = {n: v for n, v in shown.items() if n not in BLANK[case]}
    assert len(defined) >= 10
    for name, (value, note) in defined.items():
        assert isinstance(value, (int, float)) and note in (None, ""), (name, value, note)
