"""Pull blocks: one rectangular block per Innrapportert sheet covering every expected row, the
Oppsett status cells, the model column; text is written as text and neutralised."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from kalk_excel.master import build_master
from kalk_excel.master.layout import FIRST_DATA_ROW, MODEL_CHECK, MODEL_FIRST_ROW, STATUS_KEYS
from kalk_excel.model import load_parameters
from kalk_excel.pipeline.blocks import Block, neutralise, write_blocks_openpyxl
from kalk_excel.pipeline.pull import pull, pull_blocks

FORMS = {"adm": None, "norsk": None}   # the calculation-field columns only


def kommuner(n):
    return [(f"{1000 + i:04d}", f"Kommune {i}") for i in range(n)]


def test_block_count_does_not_grow_with_municipalities():
    small = pull_blocks(2024, kommuner(2), FORMS, {("adm", "1000"): {"mg_antall_3112": 5}})
    large = pull_blocks(2024, kommuner(40), FORMS, {("adm", f"{1000 + i:04d}"): {"mg_antall_3112": i}
                                                   for i in range(40)})
    assert len(small) == len(large)
    adm = next(b for b in large if b.sheet == "Innrapportert adm")
    assert adm.top_left == f"A{FIRST_DATA_ROW}"
    assert adm.shape == (40, len(STATUS_KEYS) + 28)   # 28 calculation fields of the adm form


def test_rows_status_and_inclusion():
    files = [
        SimpleNamespace(form_id="adm", kommunenummer="1000", status="godkjent", values={"mg_antall_3112": 10},
                        file="a.xlsx", sha256="ab", received=dt.datetime(2025, 3, 1, 12, 0), cells={}, replaced_by=None),
        SimpleNamespace(form_id="adm", kommunenummer="1001", status="feil", values={"mg_antall_3112": 20},
                        file="b.xlsx", sha256="cd", received=None, cells={}, replaced_by=None),
        SimpleNamespace(form_id="adm", kommunenummer="1001", status="godkjent", values={"mg_antall_3112": 21},
                        file="b_old.xlsx", sha256="ef", received=None, cells={}, replaced_by="b.xlsx"),
        SimpleNamespace(form_id="adm", kommunenummer="9999", status="godkjent", values={}, file="x.xlsx",
                        sha256="00", received=None, cells={}, replaced_by=None),
    ]
    result = pull(2024, kommuner(3), FORMS, SimpleNamespace(files=files))
    rows = result.rows["adm"]
    col = {k: i for i, k in enumerate(STATUS_KEYS)}
    assert [r[col["status"]] for r in rows] == ["godkjent", "feil", "ikke mottatt"]
    assert [r[col["inkludert"]] for r in rows] == [1, 0, 0]
    assert rows[1][col["fil"]] == "b.xlsx"                       # the replaced duplicate is skipped
    assert rows[0][len(STATUS_KEYS) + 1] == 10                   # mg_antall_3112 is the 2nd adm field
    assert [p.code for p in result.problems] == ["P010"]        # 9999 is not expected


def test_text_is_neutralised_and_written_as_text(tmp_path):
    assert neutralise("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert neutralise("\tok") == "'\tok" and neutralise("-1") == "'-1" and neutralise("Oslo") == "Oslo"
    path = build_master(2024, tmp_path / "m.xlsx", kommuner=kommuner(2), forms=FORMS,
                        params=load_parameters(2024))
    blocks = pull_blocks(2024, kommuner(2), FORMS,
                         {("adm", "1000"): {"em_vedtak_bosette": "=1+1", "mg_antall_3112": 7}},
                         model_values={MODEL_CHECK[0][0]: 123.5}, folder="/data/inn")
    out = write_blocks_openpyxl(path, blocks, tmp_path / "m2.xlsx")
    wb = load_workbook(out)
    ws = wb["Innrapportert adm"]
    header = [c.value for c in ws[FIRST_DATA_ROW - 2]]
    cell = ws.cell(FIRST_DATA_ROW, header.index("em_vedtak_bosette") + 1)
    assert cell.data_type == "s" and cell.value == "'=1+1"
    assert ws.cell(FIRST_DATA_ROW, header.index("mg_antall_3112") + 1).value == 7
    assert wb["Kontroll"][f"D{MODEL_FIRST_ROW}"].value == 123.5
    (_, ref), = wb.defined_names["oppsett_innleveringsmappe"].destinations
    assert wb["Oppsett"][ref.replace("$", "")].value == "/data/inn"
    (_, ref), = wb.defined_names["oppsett_sist_hentet"].destinations
    assert isinstance(wb["Oppsett"][ref.replace("$", "")].value, dt.datetime)
    assert len(wb["Resultat"]._charts) == 3                     # charts survive the openpyxl round trip


def test_block_must_be_rectangular():
    with pytest.raises(ValueError):
        Block("Oppsett", "B4", [[1, 2], [3]])


def test_forms_a_municipality_does_not_answer_are_marked():
    ks = [SimpleNamespace(kommunenummer="3203", navn="Asker", skjema=("adm",)),
          SimpleNamespace(kommunenummer="0301", navn="Oslo", skjema=("adm", "norsk"))]
    result = pull(2024, ks, FORMS, {})
    status = STATUS_KEYS.index("status")
    assert [r[status] for r in result.rows["norsk"]] == ["ikke forventet", "ikke mottatt"]
    assert [r[status] for r in result.rows["adm"]] == ["ikke mottatt", "ikke mottatt"]
    setup = next(b for b in result.blocks if b.sheet == "Oppsett")
    assert setup.values[0][0] == "adm: 0 av 2 mottatt, 0 inkludert; norsk: 0 av 1 mottatt, 0 inkludert"


def test_block_for_a_missing_sheet_is_a_norwegian_error(tmp_path):
    from openpyxl import Workbook

    from kalk_excel.pipeline.blocks import BlockError
    Workbook().save(tmp_path / "annen.xlsx")
    with pytest.raises(BlockError, match="har ikke arket"):
        write_blocks_openpyxl(tmp_path / "annen.xlsx", [Block("Oppsett", "B4", [[1]])], tmp_path / "ut.xlsx")
