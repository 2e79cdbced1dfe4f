"""The feedback workbook opens in LibreOffice and, read back after a recalculation, names the
right sheet and cell for each problem (checked against the generator's own field map)."""

from __future__ import annotations

import openpyxl
import pytest

from kalk_excel.engine.libreoffice import recalculate
from kalk_excel.intake import check_file
from kalk_excel.intake.feedback import ACTION_ROW, COLUMNS, HEADER_ROW, write_feedback


@pytest.mark.libreoffice
def test_feedback_workbook_round_trip_in_libreoffice(soffice, maker, settings, form, tmp_path):
    path = maker.filled(tmp_path / "2024_adm_0301_oslo.xlsx", sos_lonn_samlet="1 234,50", mg_antall_3112=None,
                        sos_eksakt="ja", sos_andel=95, sos_kommentar="=cmd|'/C calc'!A0")
    res = check_file(path, settings, expected_year=2024)
    expected = {p.field: p.code for p in res.problems}
    assert {"sos_lonn_samlet": "V002", "mg_antall_3112": "V010", "sos_andel": "V011"}.items() <= expected.items()

    labels = {fid: f.label for fid, f in form.fields.items()}
    out = write_feedback(res, tmp_path / "fb" / "oslo_tilbakemelding.xlsx", labels)
    recalculated, = recalculate(out, tmp_path / "lo")
    ws = openpyxl.load_workbook(recalculated, data_only=True).active

    assert [ws.cell(HEADER_ROW, c).value for c in range(1, len(COLUMNS) + 1)] == list(COLUMNS)
    # the action comes first: what to do, to whom, by when (the form's build arguments)
    action = ws.cell(ACTION_ROW, 2).value
    assert ws.cell(ACTION_ROW, 1).value == "Hva dere må gjøre"
    assert action.startswith(f"Rett {res.counts['feil']} feil i cellene") and "send den rettede arbeidsboken" in action
    header = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(3, 9)}
    assert header["Kommune"] == "0301 Oslo" and header["Fil"] == path.name
    assert header["Status"] == "Har feil som må rettes"
    assert header["Antall"].startswith(f"{res.counts['feil']} feil")

    fmap = maker.field_map()
    at = {cell: fid for fid, cell in fmap.items()}
    rows = []
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        row = dict(zip(COLUMNS, (ws.cell(r, c).value for c in range(1, len(COLUMNS) + 1)), strict=False))
        if row["Kode"]:
            rows.append(row)
    assert len(rows) == len(res.problems)
    by_field = {}
    for row in rows:
        # never a field id; the label from the definition for the cell the row names
        assert row["Felt"] not in form.fields, row
        if row["Ark"] and (row["Ark"], row["Celle"]) in at:
            fid = at[(row["Ark"], row["Celle"])]
            assert row["Felt"] == form.fields[fid].label, row
            by_field[fid] = row
    v002 = by_field["sos_lonn_samlet"]
    assert v002["Kode"] == "V002" and v002["Alvorlighet"] == "Feil" and "1234,5" in v002["Korreksjon:"]
    assert v002["Verdi"] == "1 234,50" and v002["Del"] == "3" and v002["Spørsmål"] == "3.4"
    # the formula-looking text came back as text, as typed (no apostrophe), not evaluated by LibreOffice
    assert by_field["sos_kommentar"]["Verdi"] == "=cmd|'/C calc'!A0"


def test_feedback_for_rejected_file(settings, tmp_path):
    (tmp_path / "tom.xlsx").write_bytes(b"")
    res = check_file(tmp_path / "tom.xlsx", settings)
    out = write_feedback(res, tmp_path / "tom_tilbakemelding.xlsx")
    ws = openpyxl.load_workbook(out).active
    assert ws.cell(6, 2).value == "Avvist"
    assert ws.cell(ACTION_ROW, 2).value.startswith("Filen kan ikke brukes.")
    assert ws.cell(HEADER_ROW + 1, 10).value == "S001" and ws.cell(HEADER_ROW + 1, 1).value == "Feil"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
