"""The feedback workbook opens in LibreOffice and, read back after a recalculation, names the
right sheet and cell for each problem (checked against the generator's own field map)."""

from __future__ import annotations

import openpyxl
import pytest

from kalk_excel.engine.libreoffice import recalculate
from kalk_excel.intake import check_file
from kalk_excel.intake.feedback import COLUMNS, HEADER_ROW, write_feedback

from test_intake_helpers import defs_dir, form, maker, settings  # noqa: F401


@pytest.mark.libreoffice
def test_feedback_workbook_round_trip_in_libreoffice(soffice, maker, settings, tmp_path):  # noqa: F811
    path = maker.filled(tmp_path / "2024_adm_0301_oslo.xlsx", sos_lonn_samlet="1 234,50", mg_antall_3112=None,
                        sos_eksakt="ja", sos_andel=95, sos_kommentar="=cmd|'/C calc'!A0")
    res = check_file(path, settings, expected_year=2024)
    expected = {p.field: p.code for p in res.problems}
    assert {"sos_lonn_samlet": "V002", "mg_antall_3112": "V010", "sos_andel": "V011"}.items() <= expected.items()

    out = write_feedback(res, tmp_path / "fb" / "oslo_tilbakemelding.xlsx")
    recalculated, = recalculate(out, tmp_path / "lo")
    ws = openpyxl.load_workbook(recalculated, data_only=True).active

    assert [ws.cell(HEADER_ROW, c).value for c in range(1, len(COLUMNS) + 1)] == list(COLUMNS)
    header = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(3, 9)}
    assert header["Kommune"] == "0301 Oslo" and header["Fil"] == path.name
    assert header["Status"] == "Har feil som må rettes"
    assert header["Antall"].startswith(f"{res.counts['feil']} feil")

    fmap = maker.field_map()
    rows = []
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        row = dict(zip(COLUMNS, (ws.cell(r, c).value for c in range(1, len(COLUMNS) + 1))))
        if row["Kode"]:
            rows.append(row)
    assert len(rows) == len(res.problems)
    for row in rows:
        if row["Felt"]:
            assert (row["Ark"], row["Celle"]) == fmap[row["Felt"]], row
    by_field = {row["Felt"]: row for row in rows}
    v002 = by_field["sos_lonn_samlet"]
    assert v002["Kode"] == "V002" and v002["Alvorlighet"] == "feil" and "1234,5" in v002["Korreksjon:"]
    assert v002["Verdi"] == "1 234,50" and v002["Del"] == "3" and v002["Spørsmål"] == "3.4"
    # the formula-looking text came back as text, neutralised, not evaluated by LibreOffice
    assert by_field["sos_kommentar"]["Verdi"] == "'=cmd|'/C calc'!A0"


def test_feedback_for_rejected_file(settings, tmp_path):  # noqa: F811
    (tmp_path / "tom.xlsx").write_bytes(b"")
    res = check_file(tmp_path / "tom.xlsx", settings)
    out = write_feedback(res, tmp_path / "tom_tilbakemelding.xlsx")
    ws = openpyxl.load_workbook(out).active
    assert ws.cell(6, 2).value == "Avvist"
    assert ws.cell(HEADER_ROW + 1, 10).value == "S001" and ws.cell(HEADER_ROW + 1, 9).value == "feil"
