"""The Oppsett table «Holdes utenfor beregningen»: the secretariat keeps a municipality's survey out
of the calculation although intake accepted it, and the decision survives every pull and rebuild.

Survey workbooks are generated and filled with the demo answers (helpers of
``test_pipeline_update``); the exclusion is typed into the master with openpyxl. Expected numbers
are hand calculations from the filled values and docs/beregning.md, never the code under test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from test_pipeline_update import COL, KOMMUNER, block

from kalk_excel.master import build_master
from kalk_excel.master.inputs import field_columns
from kalk_excel.master.layout import FIRST_DATA_ROW, STATUS_KEYS
from kalk_excel.model import load_parameters
from kalk_excel.pipeline.blocks import write_blocks_openpyxl
from kalk_excel.pipeline.trace import read_sporbarhet
from kalk_excel.pipeline.update import prepare_update

HELD = ("1103", "adm", "Tallene er under avklaring etter oppfølgingsspørsmål 12. mars")
HELD_NORSK = ("1833", "norsk", "Venter på korrigert regnskap")
TABLE = [                                    # Oppsett rows 13.. : kommunenummer, skjema, begrunnelse
    list(HELD),
    list(HELD_NORSK),
    ["9999", "adm", "Ukjent kommune"],       # P040: not a municipality of the master
    ["0301", "budsjett", "Feil skjema"],     # P041: unknown survey
    ["0301", "adm", None],                   # P042: no reason -> not used, Oslo stays included
]
INPUT_SHEETS = ("Innrapportert adm", "Innrapportert norsk")



def table_cells(path: Path) -> tuple[str, list[list[Any]]]:
    """The named range oppsett_utelatt: (its reference, its rows of values)."""
    wb = load_workbook(path)
    (sheet, ref), = wb.defined_names["oppsett_utelatt"].destinations
    rows = [[c.value for c in r] for r in wb[sheet][ref.replace("$", "")]]
    return f"{sheet}!{ref}", rows


def master_with_table(path: Path, table: list[list[Any]] = TABLE) -> Path:
    build_master(2024, path, kommuner=KOMMUNER)
    wb = load_workbook(path)
    (sheet, ref), = wb.defined_names["oppsett_utelatt"].destinations
    cells = wb[sheet][ref.replace("$", "")]
    for row, values in zip(cells, table, strict=False):
        for cell, value in zip(row, values, strict=False):
            cell.value = value
    wb.save(path)
    return path


def numbers(update: Any, form_id: str) -> dict[str, dict[str, float]]:
    """kommunenummer -> field id -> value (blank = 0) of the pulled Innrapportert rows."""
    ids = STATUS_KEYS + [c.id for c in field_columns(2024, update.forms)[form_id]]
    out = {}
    for row in update.rows[form_id]:
        values = dict(zip(ids, row, strict=False))
        out[row[0]] = {k: (v if isinstance(v, (int, float)) else 0.0) for k, v in values.items()} | \
                      {"no_undervist": values.get("no_undervist")}
    return out


def hand_adm(v: dict[str, float]) -> tuple[float, float]:
    """(N_k, total_k) by docs/beregning.md."""
    p = load_parameters(2024)
    half = p["flytter_andel_aar"]
    n = v["mg_antall_3112"] - half * v["mg_innflyttet"] + half * v["mg_utflyttet"]
    areas = [
        v["sos_utgift_mg"], v["intro_utgift_mg"], v["fov_utgift_mg"],
        max(0.0, v["kvp_utgift_mg"] - v["kvp_deltakere_mg"] * p["kvp_rammefinansiering_per_deltaker"]),
        v["syss_utgift_mg"],
        v["bolig_eid_netto_mg"] + v["bolig_eid_antall_mg"] * v["bolig_eid_markedsverdi_mg"]
        * (p["swaprente_5aar"] + p["risikotillegg"] + p["kapitalslit"]) + v["bolig_leid_netto_mg"]
        + v["bolig_adm_utgift_mg"],
        v["pleie_utgift_mg"], v["bv_utgift_mg"],
        max(0.0, v["skole_utgift_mg"] - v["skole_elever_mg"] * p["skole_rammefinansiering_per_elev"]),
        p["kultur_fastsatt"] * n,
        max(0.0, v["bhg_utgift_mg"] - p["barnehagetilskudd"] * v["bhg_barn_forstegang"]),
        v["felles_utgift_mg"],
        -v["em_sarskilt_tilskudd"],
    ]
    return n, sum(areas)


def hand_aggregates(update: Any, adm_in: list[str], norsk_in: list[str]) -> dict[str, float]:
    adm, norsk = numbers(update, "adm"), numbers(update, "norsk")
    per = [hand_adm(adm[nr]) for nr in adm_in]
    taught = [norsk[nr] for nr in norsk_in if norsk[nr]["no_undervist"] == "ja"]
    return {"antall_malgruppe_sum": sum(n for n, _ in per), "adm_utgifter_sum": sum(t for _, t in per),
            "adm_utgift_per_person_aar": sum(t for _, t in per) / sum(n for n, _ in per),
            "dekningsgrad_norsk": sum(v["no_inntekt_sum"] for v in taught) / sum(v["no_utgift_sum"] for v in taught)}


# --------------------------------------------------------------------------------------------


def test_the_table_on_oppsett_is_named_unlocked_and_explained(tmp_path: Path) -> None:
    path = build_master(2024, tmp_path / "master.xlsx", kommuner=KOMMUNER)
    ref, rows = table_cells(path)
    assert ref == "Oppsett!$A$13:$C$42" and len(rows) == 30 and all(len(r) == 3 for r in rows)
    wb = load_workbook(path)
    ws = wb["Oppsett"]
    assert [ws.cell(12, c).value for c in (1, 2, 3)] == ["Kommunenummer", "Skjema (adm / norsk / begge)",
                                                        "Begrunnelse (må fylles ut)"]
    assert any(ws.cell(r, 1).value == "Holdes utenfor beregningen" for r in range(8, 12))
    year_fill = ws["B5"].fill.fgColor.rgb                      # the folder cell: the sheet's input style
    for row in ws["A13:C42"]:
        for c in row:
            assert c.protection.locked is False and c.fill.fgColor.rgb == year_fill, c.coordinate
    assert ws["A43"].protection.locked is not False and ws.protection.sheet
    assert ws["A13"].number_format == "@"                       # 0301 keeps its leading zero
    readme = "\n".join(str(c.value) for c in wb["Les meg"]["A"] if c.value)
    assert "Holdes utenfor beregningen" in readme and "oppsett_utelatt" in readme


def test_excluded_pair_is_left_out_with_its_reason(folder: Path, tmp_path: Path) -> None:
    master = master_with_table(tmp_path / "master.xlsx")
    update = prepare_update(2024, folder, master_path=master)

    adm, norsk = block(update, "Innrapportert adm").values, block(update, "Innrapportert norsk").values
    assert [r[COL["kommunenummer"]] for r in adm] == ["0301", "1103", "1833"]
    assert [r[COL["inkludert"]] for r in adm] == [1, 0, 1]
    assert [r[COL["inkludert"]] for r in norsk] == [1, 1, 0]
    assert adm[1][COL["status"]] in ("godkjent", "advarsler")    # intake's verdict is kept
    assert update.summary["inkludert_per_skjema"] == {"adm": 2, "norsk": 2}

    held = {(HELD[1], HELD[0]): HELD[2], (HELD_NORSK[1], HELD_NORSK[0]): HELD_NORSK[2]}
    for f in update.files:
        reason = held.get((f["skjema"], f["kommunenummer"]))
        if reason is None:
            assert f["inkludert"] is True and f["grunn"] is None, f
        else:
            assert f["inkludert"] is False and f["status"] in ("godkjent", "advarsler")
            assert f["grunn"] == f"Holdt utenfor av sekretariatet: {reason}"
    assert update.summary["holdt_utenfor"] == [
        {"kommunenummer": HELD[0], "skjema": HELD[1], "begrunnelse": HELD[2]},
        {"kommunenummer": HELD_NORSK[0], "skjema": HELD_NORSK[1], "begrunnelse": HELD_NORSK[2]}]

    # Sporbarhet, part 1: the file row says nei and why (through the written master)
    path = write_blocks_openpyxl(master, update.blocks, tmp_path / "ny.xlsx")
    part1, part2 = read_sporbarhet(path)
    rows = {(r["Skjema"], r["Kommunenummer"]): r for r in part1}
    for (form_id, nr), reason in held.items():
        assert rows[(form_id, nr)]["Inkludert"] == "nei"
        assert rows[(form_id, nr)]["Avvist / ikke inkludert fordi"] == f"Holdt utenfor av sekretariatet: {reason}"
    assert [r["Inkludert"] for k, r in rows.items() if k not in held] == ["ja"] * 4
    assert any(r["Kommunenummer"] == HELD[0] and r["Skjema"] == "adm" for r in part2)   # values still traced
    wb = load_workbook(path)
    assert wb["Innrapportert adm"].cell(FIRST_DATA_ROW + 1, COL["inkludert"] + 1).value == 0


def test_the_model_leaves_the_excluded_pair_out_as_a_hand_calculation_says(folder: Path, tmp_path: Path) -> None:
    plain = prepare_update(2024, folder, master_path=build_master(2024, tmp_path / "tom.xlsx", kommuner=KOMMUNER))
    held = prepare_update(2024, folder, master_path=master_with_table(tmp_path / "master.xlsx"))
    everyone = ["0301", "1103", "1833"]
    expected_plain = hand_aggregates(plain, everyone, everyone)
    expected_held = hand_aggregates(held, ["0301", "1833"], ["0301", "1103"])
    for name in expected_plain:
        assert plain.model[name] == pytest.approx(expected_plain[name], rel=1e-12), name
        assert held.model[name] == pytest.approx(expected_held[name], rel=1e-12), name
    assert held.model["adm_utgift_per_person_aar"] != pytest.approx(plain.model["adm_utgift_per_person_aar"])
    kontroll = block(held, "Kontroll").values
    assert held.model["antall_malgruppe_sum"] in [r[0] for r in kontroll]


def test_invalid_rows_are_problems_and_do_not_stop_the_run(folder: Path, tmp_path: Path) -> None:
    update = prepare_update(2024, folder, master_path=master_with_table(tmp_path / "master.xlsx"))
    by_code = {p.code: p for p in update.problems if p.code in ("P040", "P041", "P042")}
    assert set(by_code) == {"P040", "P041", "P042"}
    assert (by_code["P040"].sheet, by_code["P040"].cell) == ("Oppsett", "A15") and "9999" in by_code["P040"].message
    assert by_code["P041"].cell == "B16" and "budsjett" in by_code["P041"].message
    assert by_code["P042"].cell == "C17" and "begrunnelse mangler" in by_code["P042"].message
    assert all(p.severity == "feil" for p in by_code.values())
    assert block(update, "Innrapportert adm").values[0][COL["inkludert"]] == 1      # Oslo: reason missing
    assert {p["kode"] for p in update.summary["problemer"]} >= {"P040", "P041", "P042"}


def test_pulling_twice_gives_identical_content(folder: Path, tmp_path: Path) -> None:
    master = master_with_table(tmp_path / "master.xlsx")
    first = prepare_update(2024, folder, master_path=master, now=dt.datetime(2025, 1, 1, 8, 0))
    second = prepare_update(2024, folder, master_path=master, now=dt.datetime(2025, 3, 1, 9, 30))
    for sheet in (*INPUT_SHEETS, "Sporbarhet", "Kontroll"):
        assert block(first, sheet) == block(second, sheet), sheet
    assert first.carry_over == second.carry_over and first.files == second.files
    # the written master pulled again (as the add-in does): same content, table untouched
    once = write_blocks_openpyxl(master, first.blocks, tmp_path / "en.xlsx")
    third = prepare_update(2024, folder, master_path=once, now=dt.datetime(2025, 3, 1, 9, 30))
    twice = write_blocks_openpyxl(once, third.blocks, tmp_path / "to.xlsx")
    for sheet in (*INPUT_SHEETS, "Sporbarhet"):
        assert _values(once, sheet) == _values(twice, sheet), sheet
    assert table_cells(twice)[1] == table_cells(master)[1]


def test_update_blocks_never_write_the_table(folder: Path, tmp_path: Path) -> None:
    """The add-in writes Update.blocks into the open master, where the table already is (and may have
    unsaved edits): only a freshly built master gets the carried-over table."""
    update = prepare_update(2024, folder, master_path=master_with_table(tmp_path / "master.xlsx"))
    for b in update.blocks:
        if b.sheet == "Oppsett":
            row0, _ = b.origin
            assert row0 + b.shape[0] - 1 < 13, b.top_left
    (carry,) = update.carry_over
    assert carry.sheet == "Oppsett" and carry.top_left == "A13" and carry.shape == (30, 3)
    assert carry.values[:len(TABLE)] == TABLE


def _values(path: Path, sheet: str) -> list[tuple]:
    wb = load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


def test_beregn_keeps_the_exclusion_in_the_rebuilt_master(soffice, folder: Path, tmp_path: Path) -> None:
    from kalk_excel.pipeline.run import run_beregn
    master = master_with_table(tmp_path / "master.xlsx")
    before = table_cells(master)[1]
    result = run_beregn(master, folder)                 # year, folder, municipalities from the master
    assert result.backup is not None                    # a fresh master replaced the old one
    assert table_cells(master)[1] == before             # the secretariat's table survived the rebuild
    wb = load_workbook(master, read_only=True)
    try:
        adm = [r for r in wb["Innrapportert adm"].iter_rows(min_row=FIRST_DATA_ROW, values_only=True) if r[0]]
    finally:
        wb.close()
    assert [r[COL["inkludert"]] for r in adm] == [1, 0, 1]
    part1, _ = read_sporbarhet(master)
    row = next(r for r in part1 if (r["Skjema"], r["Kommunenummer"]) == ("adm", HELD[0]))
    assert row["Inkludert"] == "nei" and row["Avvist / ikke inkludert fordi"].endswith(HELD[2])
    files = {f["fil"]: f for f in result.files_json()}
    held_file = next(f for f in files.values() if (f["skjema"], f["kommunenummer"]) == ("adm", HELD[0]))
    assert held_file["inkludert"] is False and held_file["grunn"].endswith(HELD[2])
    # Excel (LibreOffice) and the model agree, and both match the hand calculation without Stavanger adm
    assert result.agree, [(r.name, r.excel, r.modell) for r in result.rows if not r.ok]
    expected = hand_aggregates(result.update, ["0301", "1833"], ["0301", "1103"])
    for name, value in expected.items():
        assert result.excel[name] == pytest.approx(value, rel=1e-9), name
    # the next pull from the rebuilt master applies the same exclusion again
    again = prepare_update(2024, folder, master_path=master)
    assert again.excluded == result.update.excluded and again.carry_over == result.update.carry_over
    for sheet in (*INPUT_SHEETS, "Sporbarhet"):
        assert block(again, sheet) == block(result.update, sheet), sheet
