"""The bad-input corpus: every case gets its own coded message, no traceback, and the good
files in the same folder are still checked and approved."""

from __future__ import annotations

import pytest
from intake_helpers import KOMMUNER

from kalk_excel.intake import check_folder
from kalk_excel.intake.codes import CODES


@pytest.fixture(scope="module")
def report(corpus, settings):
    folder, _ = corpus
    return check_folder(folder, year=2024, kommuner=KOMMUNER, settings=settings)


def test_every_bad_case_has_its_own_code(report, corpus):
    _, expect = corpus
    for name, code in expect.items():
        r = report.by_file(name)
        codes = [p.code for p in r.problems]
        if code:
            assert code in codes, f"{name}: expected {code}, got {codes}"
        else:
            assert r.status in ("godkjent", "advarsler"), f"{name}: {[(p.code, p.message) for p in r.problems]}"


def test_bad_cases_codes_are_distinct_and_catalogued(corpus):
    _, expect = corpus
    codes = [c for c in expect.values() if c]
    assert len(set(codes)) == len(codes)
    assert all(c in CODES for c in codes)


def test_good_files_still_checked_and_approved(report):
    for name in ("2024_adm_0301_oslo.xlsx", "2024_adm_4601_bergen.xlsx", "2024_adm_5001_trondheim.xlsx"):
        r = report.by_file(name)
        assert r.status == "godkjent" or all(p.severity != "feil" for p in r.problems), r.problems
        assert r.values["mg_antall_3112"] == next(k.imdi_malgruppe for k in KOMMUNER if k.kommunenummer == r.kommunenummer)
        assert r.kommunenummer and r.sha256 and r.form_id == "adm" and r.year == 2024


def test_rejected_files_have_no_values_and_status_avvist(report):
    for name in ("tom.xlsx", "tilfeldig.xlsx", "gammel.xls", "kryptert.xlsx", "makro.xlsm", "regneark.ods",
                 "zipbombe.xlsx", "entiteter.xlsx", "enorm.xlsx", "annet_verktoy.xlsx"):
        r = report.by_file(name)
        assert r.status == "avvist" and not r.values


def test_no_internal_errors(report):
    """S015 (unexpected error) would mean a crash was caught: none of the corpus may hit it."""
    assert not [(r.file, p.message) for r in report.files for p in r.problems if p.code == "S015"]


def test_lock_file_skipped_and_reported(report):
    assert any(p.code == "K003" and p.file.startswith("~$") for p in report.problems)
    assert all(not r.file.startswith("~$") for r in report.files)


def test_duplicate_newest_counts(report):
    old = report.by_file("oslo_forste_versjon.xlsx")
    new = report.by_file("2024_adm_0301_oslo.xlsx")
    assert old.replaced_by == new.file and old.status == "erstattet"
    assert new.replaced_by is None and any(p.code == "A008" for p in new.problems)
    # its own save time (2020) predates the form: a warning, and the file times decided
    assert "2020" in next(p for p in old.problems if p.code == "A012").message
    assert "tidsstempel" in next(p for p in old.problems if p.code == "A007").message
    choice = report.choices[("adm", "0301")]
    assert choice.chosen is new and choice.superseded == [old] and "tidsstempel" in choice.reason


def test_every_message_is_norwegian_text_with_a_fix(report):
    for r in report.files:
        for p in r.problems:
            assert p.message and p.fix and "{" not in p.message and "{" not in p.fix and "?" != p.message[-1]


def test_sparse_file_not_read(report):
    r = report.by_file("enorm.xlsx")
    assert r.sha256 is None and [p.code for p in r.problems] == ["S002"]


def test_lowered_size_limit_rejects_normal_file(corpus, settings, tmp_path):
    from dataclasses import replace

    from kalk_excel.intake import check_file

    folder, _ = corpus
    r = check_file(folder / "2024_adm_0301_oslo.xlsx", replace(settings, max_file_bytes=1000))
    assert [p.code for p in r.problems] == ["S002"] and r.status == "avvist"


def test_parallel_run_gives_same_results(corpus, settings, report):
    from dataclasses import replace

    folder, _ = corpus
    par = check_folder(folder, year=2024, kommuner=KOMMUNER, settings=replace(settings, workers=2, parallel_min_files=2))
    assert [(r.file, r.status, [p.code for p in r.problems]) for r in par.files] == \
        [(r.file, r.status, [p.code for p in r.problems]) for r in report.files]


def crashing_check_file(path, *args, **kwargs):
    """check_file that kills its process for one file (module level: workers unpickle it by name)."""
    import os

    from kalk_excel.intake import checkfile

    if str(path).endswith("tall_som_tekst.xlsx"):
        os._exit(3)
    return checkfile.check_file(path, *args, **kwargs)


def test_a_file_that_kills_its_worker_fails_alone(corpus, settings, monkeypatch):
    """A crash in a worker (e.g. a native-library fault) marks that file S015; the rest are checked."""
    from dataclasses import replace

    from kalk_excel.intake import folder as folder_mod

    monkeypatch.setattr(folder_mod, "check_file", crashing_check_file)
    folder, expect = corpus
    report = check_folder(folder, year=2024, settings=replace(settings, workers=2, parallel_min_files=2))
    assert [p.code for p in report.by_file("tall_som_tekst.xlsx").problems] == ["S015"]
    bergen = report.by_file("2024_adm_4601_bergen.xlsx")
    assert bergen.status == "godkjent", bergen.problems
    assert len(report.files) == len(expect)


def test_calamine_value_reader_gives_the_same_results(corpus, settings, report):
    from dataclasses import replace

    folder, _ = corpus
    cal = check_folder(folder, year=2024, kommuner=KOMMUNER, settings=replace(settings, value_reader="calamine"))
    assert [(r.file, r.status, [(p.code, p.cell, p.value) for p in r.problems], r.values) for r in cal.files] == \
        [(r.file, r.status, [(p.code, p.cell, p.value) for p in r.problems], r.values) for r in report.files]
