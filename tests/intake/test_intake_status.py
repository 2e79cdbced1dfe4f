"""Who has returned what: the status table (one row per expected kommune x skjema), the one
choice of the file that counts, superseded files (erstattet, no feedback), implausible save times."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone

import openpyxl
import pytest
from intake_helpers import set_core_modified, set_meta

from kalk_excel.definition.model import Kommune
from kalk_excel.intake import check_folder
from kalk_excel.intake.feedback import write_all_feedback
from kalk_excel.intake.report import report_dict, write_xlsx_report

EXPECTED = [Kommune("0301", "Oslo", ("adm",)), Kommune("4601", "Bergen", ("adm",)),
            Kommune("5001", "Trondheim", ("adm",)), Kommune("1103", "Stavanger", ("adm",)),
            Kommune("1804", "Bodø", ("adm",))]


def _iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _mtime(path, seconds_ago: float) -> None:
    t = time.time() - seconds_ago
    os.utime(path, (t, t))


@pytest.fixture(scope="module")
def folder(maker, tmp_path_factory):
    root = tmp_path_factory.mktemp("status")
    inn = root / "inn"
    inn.mkdir()
    now = datetime.now(timezone.utc)
    # Oslo sends twice; the later save time counts although its file time is the older one
    a = set_core_modified(maker.filled(root / "a.xlsx", knr="0301"), inn / "oslo_1.xlsx", _iso(now - timedelta(minutes=3)))
    b = set_core_modified(maker.filled(root / "b.xlsx", knr="0301"), inn / "oslo_2.xlsx", _iso(now - timedelta(minutes=1)))
    _mtime(a, 10)
    _mtime(b, 3600)
    # Bergen: one file claims to be saved in 2099 (in the future); it must not win by that
    f = set_core_modified(maker.filled(root / "c.xlsx", knr="4601"), inn / "bergen_fremtid.xlsx", "2099-01-01T10:00:00Z")
    g = set_core_modified(maker.filled(root / "d.xlsx", knr="4601"), inn / "bergen_ny.xlsx", _iso(now - timedelta(minutes=1)))
    _mtime(f, 86400)
    _mtime(g, 60)
    # Trondheim: only a rejected file (an old form version)
    set_meta(maker.filled(root / "e.xlsx", knr="5001"), inn / "trondheim.xlsx", "versjon", "0.1")
    # Bodø: a rejected file, then a good one: the rejected one is superseded
    r = set_meta(maker.filled(root / "f.xlsx", knr="1804"), inn / "bodo_1.xlsx", "versjon", "0.1")
    s = maker.filled(inn / "bodo_2.xlsx", knr="1804")
    _mtime(r, 7200)
    _mtime(s, 30)
    # Stavanger sends nothing
    return inn


@pytest.fixture(scope="module")
def report(folder, settings):
    return check_folder(folder, kommuner=EXPECTED, settings=settings, year=2024)


def test_status_table_rows(report):
    rows = {(r["kommunenummer"], r["skjema"]): r for r in report_dict(report)["status_per_kommune"]}
    assert set(rows) == {(k.kommunenummer, "adm") for k in EXPECTED}
    oslo, bergen, trd, stv, bodo = (rows[(nr, "adm")] for nr in ("0301", "4601", "5001", "1103", "1804"))
    assert oslo["fil"] == "oslo_2.xlsx" and oslo["antall_filer"] == 2 and oslo["erstattet"] == "oslo_1.xlsx"
    assert "lagringstidspunktet" in oslo["grunn"] and oslo["status"].startswith("Godkjent")
    assert bergen["fil"] == "bergen_ny.xlsx" and bergen["erstattet"] == "bergen_fremtid.xlsx"
    assert "ikke troverdig" in bergen["grunn"]
    assert trd["status"] == "Avvist" and trd["fil"] == "trondheim.xlsx" and trd["feil"] >= 1
    assert stv["status"] == "ikke mottatt" and stv["fil"] is None and stv["antall_filer"] == 0
    assert bodo["fil"] == "bodo_2.xlsx" and bodo["erstattet"] == "bodo_1.xlsx"


def test_superseded_files_are_erstattet_with_a_warning_and_get_no_feedback(report, tmp_path):
    by = {r.file: r for r in report.files}
    for name in ("oslo_1.xlsx", "bergen_fremtid.xlsx", "bodo_1.xlsx"):
        assert by[name].status == "erstattet", name
        assert any(p.code == "A007" for p in by[name].problems)
    assert by["trondheim.xlsx"].status == "avvist"
    assert any(p.code == "A011" for p in by["bergen_fremtid.xlsx"].problems)
    written = {p.name for p in write_all_feedback(report, tmp_path / "tilbakemelding")}
    assert not any(n.startswith(("oslo_1", "bergen_fremtid", "bodo_1")) for n in written)
    assert any(n.startswith("trondheim") for n in written) and len(written) == 4


def test_status_sheet_in_the_report_workbook(report, tmp_path):
    path = write_xlsx_report(report, tmp_path / "rapport.xlsx", EXPECTED)
    ws = openpyxl.load_workbook(path)["Status per kommune"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = rows[0]
    body = {r[0]: dict(zip(head, r, strict=False)) for r in rows[1:]}
    assert len(body) == 5
    assert body["1103"]["Status"] == "ikke mottatt"
    assert body["0301"]["Filen som gjelder"] == "oslo_2.xlsx"
    assert body["4601"]["Erstattede filer"] == "bergen_fremtid.xlsx"
