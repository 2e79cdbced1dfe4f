"""The delivered master carries its computed values (``pipeline.cached``): a reader that does not
calculate (openpyxl ``data_only=True``, python-calamine) sees the results LibreOffice computed, and
the package is the one built — names, protection, validation, charts and formulas unchanged; only
the cached values of formula cells differ."""

from __future__ import annotations

import re
import shutil
import zipfile

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from kalk_excel.definition import load_form
from kalk_excel.demo.inputs import raw_inputs
from kalk_excel.engine.libreoffice import recalculate
from kalk_excel.master import build_master
from kalk_excel.master.layout import RESULT_NAMES, SHEET_RESULTS
from kalk_excel.master.readback import read_names
from kalk_excel.pipeline.blocks import write_blocks_openpyxl
from kalk_excel.pipeline.cached import sheet_parts, write_cached_values
from kalk_excel.pipeline.pull import pull

KOMMUNER = [("0301", "Oslo"), ("4014", "Kragerø"), ("4650", "Gloppen")]
# a formula cell's cached value (and type) as any writer may put it: what is allowed to differ
_VALUE = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f>(?:<v\s*/>|<v>[^<]*</v>)?')


def without_values(xml: str) -> str:
    return _VALUE.sub(lambda m: f'<c r="{m[1]}"{re.sub(r" t=.[^ ]*", "", m[2])}><f>{m[3]}</f>', xml)


@pytest.fixture(scope="module")
def delivered(tmp_path_factory, soffice):
    tmp = tmp_path_factory.mktemp("cached")
    forms = {f: load_form(2024, f) for f in ("adm", "norsk")}
    subs = {(f, nr): raw_inputs(nr, forms[f]) for f in forms for nr, _ in KOMMUNER}
    empty = build_master(2024, tmp / "tom.xlsx", kommuner=KOMMUNER, forms=forms)
    built = write_blocks_openpyxl(empty, pull(2024, KOMMUNER, forms, subs).blocks, tmp / "master.xlsx")
    recalculated = recalculate(built, tmp / "beregnet")[0]
    out = tmp / "levert.xlsx"
    shutil.copyfile(built, out)
    n = write_cached_values(out, recalculated)
    return built, recalculated, out, n


def test_a_non_calculating_reader_sees_the_results(soffice, delivered):
    built, recalculated, out, n = delivered
    expected = read_names(recalculated, RESULT_NAMES)            # what LibreOffice computed
    assert all(v is not None for v in expected.values()), expected
    before = read_names(built, RESULT_NAMES)                     # as openpyxl built it: no values
    assert all(v is None for v in before.values())
    got = read_names(out, RESULT_NAMES)
    assert got == pytest.approx(expected, abs=1e-9)
    # python-calamine reads the cached values too: the Resultat sheet equals LibreOffice's copy
    mine = CalamineWorkbook.from_path(str(out)).get_sheet_by_name(SHEET_RESULTS).to_python()
    theirs = CalamineWorkbook.from_path(str(recalculated)).get_sheet_by_name(SHEET_RESULTS).to_python()
    assert len(mine) >= 40
    assert mine == theirs
    with zipfile.ZipFile(built) as z:
        formulas = sum(z.read(p).count(b"<f>") for p in sheet_parts(z).values())
    assert n == formulas          # every formula cell got its value


def test_the_package_is_the_one_built(soffice, delivered):
    built, _, out, _ = delivered
    with zipfile.ZipFile(built) as a, zipfile.ZipFile(out) as b:
        assert a.namelist() == b.namelist()
        sheets = set(sheet_parts(a).values())
        for name in a.namelist():
            if name in sheets:     # the same XML once the formula cells' values are taken out
                strip = [without_values(z.read(name).decode("utf-8")) for z in (a, b)]
                assert strip[0] == strip[1], name
            else:                  # names, styles, charts, drawings, workbook protection: byte for byte
                assert a.read(name) == b.read(name), name
    wa, wb = load_workbook(built), load_workbook(out)
    assert {n: d.attr_text for n, d in wa.defined_names.items()} == {n: d.attr_text for n, d in wb.defined_names.items()}
    for sa, sb in zip(wa.worksheets, wb.worksheets, strict=True):
        assert sa.title == sb.title
        assert (sa.protection.sheet, sa.protection.password, sa.protection.autoFilter) == \
               (sb.protection.sheet, sb.protection.password, sb.protection.autoFilter)
        assert [str(v.sqref) for v in sa.data_validations.dataValidation] == \
               [str(v.sqref) for v in sb.data_validations.dataValidation]
        assert len(sa._charts) == len(sb._charts)
        assert sa.auto_filter.ref == sb.auto_filter.ref and sa.print_area == sb.print_area
        assert [[c.value for c in r] for r in sa.iter_rows()] == [[c.value for c in r] for r in sb.iter_rows()]
    assert [len(wb[s]._charts) for s in ("Resultat", "Prognose", "Historikk")] == [3, 2, 1]
