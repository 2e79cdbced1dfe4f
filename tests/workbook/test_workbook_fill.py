"""``fill_workbook`` and ``read_field_map``: values go through the defined names into the input
cells; unknown ids and computed fields are refused together with a Norwegian message; the filled
file keeps its protection and metadata."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_workbook_common import FIXTURE_DEFINITIONS, NS, XlsxXml, build

from kalk_excel.workbook import FillError, fill_workbook, read_field_map, read_meta


@pytest.fixture
def template(tmp_path: Path):
    return build(FIXTURE_DEFINITIONS[1], tmp_path / "mal")


def test_fill_writes_through_names(template, tmp_path: Path) -> None:
    form, path = template
    values = {"mg_antall_0101": 120, "mg_andel_kvinner": 45.5, "mg_har_enhet": "ja", "mg_enhet_type": "NAV",
              "mg_beskrivelse": "=1+1 skal forbli tekst", "utg_justering": -2500, "til_barn": 3}
    out = fill_workbook(path, values, tmp_path / "fylt.xlsx")
    cells = read_field_map(out)
    wb = load_workbook(out)
    for fid, value in values.items():
        sheet, cell = cells[fid]
        assert wb[sheet][cell].value == value, fid
        assert wb[sheet][cell].data_type != "f"
    # the field map of the filled file equals that of the template and its names
    assert cells == read_field_map(path)
    for fid, (sheet, cell) in cells.items():
        [(dsheet, dref)] = list(wb.defined_names[fid].destinations)
        assert (dsheet, dref.replace("$", "")) == (sheet, cell)
    assert read_meta(out)["fingerprint"] == read_meta(path)["fingerprint"]
    xml = XlsxXml(out)
    for name in xml.sheets:
        assert xml.sheet(name).find("m:sheetProtection", NS).get("algorithmName") == "SHA-512"
    assert xml.workbook.find("m:workbookProtection", NS).get("lockStructure") == "1"
    assert xml.sheets["_meta"][0] == "veryHidden"


def test_fill_refuses_unknown_and_computed(template, tmp_path: Path) -> None:
    form, path = template
    with pytest.raises(FillError) as info:
        fill_workbook(path, {"mg_antall_0101": 1, "finnes_ikke": 2, "mg_endring": 3, "kontroll_status": "OK"},
                      tmp_path / "x.xlsx")
    text = str(info.value)
    assert "«finnes_ikke» finnes ikke" in text
    assert "«mg_endring» er beregnet" in text
    assert "«kontroll_status» finnes ikke" in text
    assert "mg_antall_0101" not in text
    assert not (tmp_path / "x.xlsx").exists()


def test_read_field_map_refuses_foreign_file(tmp_path: Path) -> None:
    from openpyxl import Workbook
    p = tmp_path / "fremmed.xlsx"
    Workbook().save(p)
    with pytest.raises(ValueError, match="mangler arket _meta"):
        read_field_map(p)
