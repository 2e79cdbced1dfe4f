"""*Skjemaberegning*: the master recomputes the forms' computed fields from the submitted inputs
in Excel formulas; after LibreOffice recalculation they equal the rule engine's values (the second
implementation, ``definition.evaluate.compute``), and a tampered value is flagged on *Kontroll*."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from kalk_excel.definition import load_form
from kalk_excel.definition.evaluate import compute
from kalk_excel.demo.inputs import raw_inputs
from kalk_excel.engine.libreoffice import recalculate
from kalk_excel.master import build_master
from kalk_excel.master.layout import FIRST_DATA_ROW, HEADER_ID_ROW, STATUS_KEYS
from kalk_excel.master.readback import error_cells, read_names
from kalk_excel.model import load_parameters
from kalk_excel.pipeline.blocks import Block, write_blocks_openpyxl
from kalk_excel.pipeline.pull import pull

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]
KOMMUNER = [("0301", "Oslo"), ("4014", "Kragerø"), ("4650", "Gloppen")]   # Kragerø keeps the EM sub-sample non-empty
CHECKED = ("sos_utgift_mg", "intro_utgift_mg", "bv_utgift_mg", "bhg_utgift_mg", "em_utgift_sum",
           "felles_utgift_mg", "bolig_eid_netto_mg", "pleie_utgift_mg")
# IMDi's grant for persons with disabilities, where Gloppen books it (9.2b, 11.2f, 14.4b; the demo has none)
GRANTS = {"pleie_tilskudd_funksjon": ("pleie_utgift_mg", 196_400), "bv_tilskudd_funksjon": ("bv_utgift_mg", 804_000),
          "bhg_tilskudd_funksjon": ("bhg_utgift_mg", 50_000)}


@pytest.fixture(scope="module")
def masters(tmp_path_factory, soffice):
    tmp = tmp_path_factory.mktemp("formcalc")
    forms = {f: load_form(2024, f) for f in ("adm", "norsk")}
    subs = {(f, nr): raw_inputs(nr, forms[f]) for f in forms for nr, _ in KOMMUNER}
    subs[("adm", "4650")] = {**subs[("adm", "4650")], **{g: amount for g, (_, amount) in GRANTS.items()}}
    empty = build_master(2024, tmp / "tom.xlsx", kommuner=KOMMUNER, forms=forms, params=load_parameters(2024))
    pulled = pull(2024, KOMMUNER, forms, subs)
    good = write_blocks_openpyxl(empty, pulled.blocks, tmp / "master.xlsx")
    # tamper: the value intake computed for sos_utgift_mg in Oslo's row is off by 1 000 kr
    header = STATUS_KEYS + [c for c in forms["adm"].fields]
    rows = [list(r) for r in pulled.rows["adm"]]
    rows[0][header.index("sos_utgift_mg")] += 1000
    bad = write_blocks_openpyxl(good, [Block("Innrapportert adm", f"A{FIRST_DATA_ROW}", rows)], tmp / "manipulert.xlsx")
    out = recalculate([good, bad], tmp / "out")
    return {"good": out[0], "bad": out[1], "forms": forms, "subs": subs}


def test_recomputed_fields_equal_the_rule_engine(soffice, masters):
    wb = load_workbook(masters["good"], data_only=True)
    for form_id in ("adm", "norsk"):
        ws = wb[f"Skjemaberegning {form_id}"]
        header = {c.value: c.column for c in ws[HEADER_ID_ROW] if c.value}
        computed = [f.id for f in masters["forms"][form_id].fields.values() if f.calculate]
        assert form_id == "norsk" or set(CHECKED) <= set(computed)
        for i, (nr, _) in enumerate(KOMMUNER):
            expected = compute(masters["forms"][form_id], masters["subs"][(form_id, nr)])
            for fid in computed:      # every field, so a helper column that splits a formula is checked too
                got = ws.cell(FIRST_DATA_ROW + i, header[fid]).value
                assert got == pytest.approx(expected[fid] or 0, abs=1e-6), (form_id, nr, fid)
    assert error_cells(masters["good"]) == []
    assert read_names(masters["good"], ["master_status"])["master_status"].startswith("OK")


def test_disability_grant_is_deducted_from_its_area_in_the_master(soffice, masters):
    """The grant reaches the master as the form's own deduction: Skjemaberegning's area value is the
    demo's value (without the grant) minus the grant, by hand, and Beregning per kommune reads it."""
    forms = masters["forms"]
    wb = load_workbook(masters["good"], data_only=True)
    ws = wb["Skjemaberegning adm"]
    header = {c.value: c.column for c in ws[HEADER_ID_ROW] if c.value}
    row = FIRST_DATA_ROW + [nr for nr, _ in KOMMUNER].index("4650")
    without = compute(forms["adm"], raw_inputs("4650", forms["adm"]))
    for area, amount in GRANTS.values():
        assert ws.cell(row, header[area]).value == pytest.approx(without[area] - amount, abs=1e-6), area
    per = wb["Beregning per kommune"]
    cols = {c.value: c.column for c in per[HEADER_ID_ROW] if c.value}
    for key, area in (("pleie", "pleie_utgift_mg"), ("barnevern", "bv_utgift_mg")):
        assert per.cell(row, cols[key]).value == pytest.approx(without[area] - GRANTS[
            {"pleie": "pleie_tilskudd_funksjon", "barnevern": "bv_tilskudd_funksjon"}[key]][1], abs=1e-6), key


def test_tampered_value_is_flagged(soffice, masters):
    wb = load_workbook(masters["bad"], data_only=True)
    ws = wb["Kontroll"]
    checks = {ws.cell(r, 4).value: (ws.cell(r, 2).value, ws.cell(r, 3).value) for r in range(6, 20)}
    assert checks["skjemaberegning_adm"] == (1, 0)
    assert checks["skjemaberegning_norsk"] == (0, 1)
    assert read_names(masters["bad"], ["master_status"])["master_status"].startswith("FEIL")
