"""Hostile and damaged files (issue 8, points 3, 5 and 6): no file can crash a check (a corpus of
mutants of a real generated 2024 workbook), everything a spreadsheet program could read
differently is refused with its own code, and what is read is read as Excel reads it."""

from __future__ import annotations

import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from intake_helpers import rewrite_zip, set_cell_xml, sheet_part

import mutants
from kalk_excel.definition.model import Kommune
from kalk_excel.intake.checkfile import check_file
from kalk_excel.intake.codes import CODES
from support import write_submissions

SEED_FORM = "2024_adm_1833_rana.xlsx"


@pytest.fixture(scope="module")
def real_2024(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("real2024")
    write_submissions(folder, [Kommune("1833", "Rana", ("adm",))], "Test-passord-æøå-2024")
    return folder / SEED_FORM


@pytest.mark.slow
def test_mutant_corpus_never_crashes_a_check(real_2024: Path, tmp_path: Path) -> None:
    from kalk_excel.intake import Settings

    data = real_2024.read_bytes()
    corpus = mutants.corpus(data, per_kind=15)
    kinds = Counter(kind for kind, _ in corpus)
    assert len(corpus) >= 500 and len(kinds) >= 20, (len(corpus), len(kinds))
    settings = Settings(workers=1)
    crashed: list[tuple[str, str]] = []
    statuses: dict[str, Counter] = {k: Counter() for k in kinds}
    for i, (kind, body) in enumerate(corpus):
        path = tmp_path / f"mutant_{i:04d}.xlsx"
        path.write_bytes(body)
        try:
            result = check_file(path, settings, expected_year=2024)
        except BaseException as exc:  # noqa: BLE001 - that is what the test looks for
            crashed.append((kind, repr(exc)))
            continue
        crashed.extend((kind, p.message) for p in result.problems if p.code == "S015")
        assert all(p.code in CODES and p.fix for p in result.problems)
        statuses[kind][result.status] += 1
        path.unlink()
    assert crashed == []
    # the mutations do damage: zip- and XML-level kinds are refused every time
    for kind in ("truncate", "flip_bytes", "empty_member_name", "normalised_duplicate", "compression_method",
                 "raw_method", "content_types", "exact_duplicate"):
        assert set(statuses[kind]) == {"avvist"}, (kind, statuses[kind])
    assert statuses["date_out_of_range"]["feil"] == kinds["date_out_of_range"]


def _check(path: Path, settings) -> object:  # noqa: ANN001
    return check_file(path, settings, expected_year=2024)


def _codes(result) -> list[str]:  # noqa: ANN001
    return [p.code for p in result.problems]


def _zip(parts: list[tuple[str, bytes]], methods: dict[str, int] | None = None) -> bytes:
    return mutants.build(parts, methods=methods)


@pytest.fixture(scope="module")
def good(maker, tmp_path_factory) -> Path:  # noqa: ANN001, F811
    return maker.filled(tmp_path_factory.mktemp("good") / "god.xlsx")


def test_the_good_file_is_approved(good: Path, settings) -> None:  # noqa: ANN001, F811
    assert _check(good, settings).status == "godkjent"


@pytest.mark.parametrize("variant, code", [
    (lambda n: n.replace("/", "\\"), "S018"),
    (lambda n: "./" + n, "S018"),
    (lambda n: n + " ", "S018"),
    (lambda n: "/" + n, "S018"),
])
def test_member_names_that_normalise_to_a_duplicate_are_refused(good: Path, settings, tmp_path: Path, variant,  # noqa: ANN001, F811
                                                                  code: str) -> None:
    parts = mutants.parts_of(good.read_bytes())
    name, body = next(p for p in parts if p[0] == "xl/workbook.xml")
    path = tmp_path / "dup.xlsx"
    path.write_bytes(_zip([(variant(name), body)] + parts))     # the variant first: readers differ on order
    result = _check(path, settings)
    assert result.status == "avvist" and _codes(result)[0] == code


@pytest.mark.parametrize("name", ["", "../ut.xml", "xl//x.xml", "xl\\x.xml", "xl/\x01.xml", "xl/ x.xml",
                                  "C:/x.xml", "xl/\u202ex.xml"])
def test_empty_or_odd_member_names_are_refused(good: Path, settings, tmp_path: Path, name: str) -> None:  # noqa: ANN001, F811
    path = tmp_path / "odd.xlsx"
    path.write_bytes(_zip(mutants.parts_of(good.read_bytes()) + [(name, b"<x/>")]))
    result = _check(path, settings)
    assert result.status == "avvist" and _codes(result) == ["S017"]


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_compression_other_than_stored_or_deflate_is_refused(good: Path, settings, tmp_path: Path,  # noqa: ANN001, F811
                                                             method: int) -> None:
    path = tmp_path / "metode.xlsx"
    path.write_bytes(_zip(mutants.parts_of(good.read_bytes()), methods={"xl/styles.xml": method}))
    assert _codes(_check(path, settings)) == ["S019"]
    raw = bytearray(good.read_bytes())                       # a method number no library knows
    at = raw.find(b"PK\x01\x02")
    raw[at + 10: at + 12] = (99).to_bytes(2, "little")
    path.write_bytes(bytes(raw))
    assert _codes(_check(path, settings)) == ["S019"]


@pytest.mark.parametrize("body", [None, b"", b"<Types", b"<Relationships/>"])
def test_missing_or_unparsable_content_types_is_refused(good: Path, settings, tmp_path: Path,  # noqa: ANN001, F811
                                                        body: bytes | None) -> None:
    path = rewrite_zip(good, tmp_path / "ct.xlsx", {"[Content_Types].xml": body})
    assert _codes(_check(path, settings)) == ["S020"]


def _input_cell(maker, field: str = "sos_lonn_samlet") -> tuple[str, str]:  # noqa: ANN001
    return maker.field_map()[field]


@pytest.mark.parametrize("inner, t, code", [
    ("<v>100</v><v>999</v>", "n", "S021"),
    ("<v>100</v>", "x", "S022"),
    ("<v>100</v>", "number", "S022"),
    ("<v>\u0661\u0660\u0660</v>", "n", "S023"),              # Arabic-Indic digits: float() would take them
    ("<v>\uff11\uff10\uff10</v>", "n", "S023"),              # full-width digits
    ("<v>\u0661</v>", "s", "S023"),                           # a shared-string index in other digits
])
def test_cells_spreadsheets_would_read_differently_are_refused(maker, settings, tmp_path: Path,  # noqa: ANN001, F811
                                                               inner: str, t: str, code: str) -> None:
    sheet, cell = _input_cell(maker)
    path = set_cell_xml(maker.filled(tmp_path / "a.xlsx"), tmp_path / "b.xlsx", sheet, cell, inner, t=t)
    result = _check(path, settings)
    assert result.status == "avvist" and _codes(result) == [code]
    assert (result.problems[0].sheet, result.problems[0].cell) == (sheet, cell)


@pytest.mark.parametrize("text", ["1_000", "infinity", " 1e999x", "0x10"])
def test_numbers_python_would_take_but_a_spreadsheet_would_not_are_invalid(maker, settings, tmp_path: Path,  # noqa: ANN001, F811
                                                                            text: str) -> None:
    sheet, cell = _input_cell(maker)
    path = set_cell_xml(maker.filled(tmp_path / "a.xlsx"), tmp_path / "b.xlsx", sheet, cell, f"<v>{text}</v>")
    result = _check(path, settings)
    assert [(p.code, p.cell) for p in result.problems if p.severity == "feil"] == [("V007", cell)]


def _date_style(path: Path, dst: Path) -> Path:
    """Every cell format becomes the built-in date format 14 (d.m.yyyy)."""
    import re

    return rewrite_zip(path, dst, {"xl/styles.xml": lambda b: re.sub(rb'numFmtId="\d+"', b'numFmtId="14"', b)})


@pytest.mark.parametrize("serial, ok", [("-1", False), ("-700000", False), ("2958466", False), ("1e20", False),
                                        ("2958465", True), ("45000", True)])
def test_numbers_outside_the_date_range_in_date_cells_get_v016_on_the_cell(maker, settings, tmp_path: Path,  # noqa: ANN001, F811
                                                                           serial: str, ok: bool) -> None:
    sheet, cell = _input_cell(maker)
    filled = set_cell_xml(maker.filled(tmp_path / "a.xlsx"), tmp_path / "b.xlsx", sheet, cell, f"<v>{serial}</v>")
    result = _check(_date_style(filled, tmp_path / "c.xlsx"), settings)
    mine = [p.code for p in result.problems if p.cell == cell and p.sheet == sheet]
    assert "S015" not in _codes(result)
    assert mine == (["V003"] if ok else ["V016"])              # a real date: V003 (a date in a number field)
    if not ok:
        assert "####" in next(p.message for p in result.problems if p.code == "V016")


def test_xhhhh_escapes_are_decoded_as_excel_does_by_both_value_readers(maker, settings, tmp_path: Path) -> None:  # noqa: ANN001, F811
    sheet, cell = _input_cell(maker, "sos_kommentar")
    raw = "a_x0041__x005F_x0042_z_x00E6__xD800_"
    path = set_cell_xml(maker.filled(tmp_path / "a.xlsx"), tmp_path / "b.xlsx", sheet, cell,
                        f"<is><t>{raw}</t></is>", t="inlineStr")
    xml = _check(path, settings)
    calamine = check_file(path, replace(settings, value_reader="calamine"), expected_year=2024)
    # Excel: _x0041_ is "A", _x005F_ an escaped underscore (so "_x0042_" stays), _x00E6_ is "æ";
    # a lone surrogate is no character and becomes U+FFFD
    assert xml.values["sos_kommentar"] == "aA_x0042_zæ\ufffd"
    assert calamine.values["sos_kommentar"].startswith("aA_x0042_zæ")
    assert xml.status == calamine.status and _codes(xml) == _codes(calamine)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_sheet_is_read_like_the_utf8_one(maker, good: Path, settings, tmp_path: Path, encoding: str) -> None:  # noqa: ANN001, F811
    part = sheet_part(good, _input_cell(maker)[0])

    def to_utf16(body: bytes) -> bytes:
        text = body.decode("utf-8")
        text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"') if text.startswith("<?xml") else text
        return text.encode(encoding)

    path = rewrite_zip(good, tmp_path / "u16.xlsx", {part: to_utf16})
    result, reference = _check(path, settings), _check(good, settings)
    assert result.status == "godkjent" and result.values == reference.values


def test_a_sheet_with_too_many_rows_is_refused_before_it_is_parsed(maker, good: Path, settings,  # noqa: ANN001, F811
                                                                    tmp_path: Path) -> None:
    part = sheet_part(good, _input_cell(maker)[0])
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (1000 + i, 1000 + i) for i in range(60_000))
    path = rewrite_zip(good, tmp_path / "rader.xlsx", {part: lambda b: b.replace(b"</sheetData>", rows + b"</sheetData>")})
    result = _check(path, settings)
    assert _codes(result) == ["S024"]
    assert "60" in result.problems[0].message and "50" in result.problems[0].message


def test_every_new_code_has_a_norwegian_fix() -> None:
    for code in ("S016", "S017", "S018", "S019", "S020", "S021", "S022", "S023", "S024", "V016"):
        c = CODES[code]
        assert c.fix and c.message and not any(w in c.message for w in ("Traceback", "Error"))
    assert {CODES[c].rejects for c in ("S017", "S018", "S019", "S020", "S021", "S022", "S023", "S024")} == {True}
