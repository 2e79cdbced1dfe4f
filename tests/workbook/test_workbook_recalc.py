"""Fill generated workbooks through their defined names, recalculate them in LibreOffice and read
the values back: computed fields, Kontroll statuses, missing-required counts and the overall
status must equal values computed here — by hand for the fixture, and by the rule engine
(``evaluate.compute`` / ``run_checks`` / ``missing_required``, a second implementation) on random
valid inputs for every definition. No cell may evaluate to an Excel error.

All workbooks are recalculated in one LibreOffice call to keep the runtime modest.
"""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from test_workbook_common import EXCEL_ERRORS, FIXTURES, build, definition_id, definition_params, load

from kalk_excel.definition.evaluate import compute, missing_required, ruled_out, run_checks, unanswered_parts
from kalk_excel.definition.model import Form
from kalk_excel.engine import libreoffice
from kalk_excel.workbook import fill_workbook, read_field_table

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

SEVERITY = {"feil": "FEIL", "advarsel": "ADVARSEL", "info": "INFO"}

# Fixture 2024/adm, case A: inconsistent answers, written out by hand.
HAND_A = dict(mg_antall_0101=100, mg_antall_3112=110, mg_forstegangsbosatt=20, mg_innflyttet=5, mg_utflyttet=10,
              sos_eksakt="nei", sos_andel=95, sos_lonn_samlet=1000, sos_lonn_mg=2000, sos_andre_samlet=500,
              sos_andre_mg=100, sos_inntekt_samlet=300)
# Case B: a complete, consistent form.
CONTACTS = {f"{p}_kontakt_{k}": v for p in ("mg", "sos") for k, v in
            (("navn", "Kari Nordmann"), ("telefon", "22 00 00 00"), ("epost", "kari@kommune.no"))}
HAND_B = dict(mg_antall_0101=200, mg_antall_3112=230, mg_forstegangsbosatt=40, mg_innflyttet=10, mg_utflyttet=20,
              sos_eksakt="ja", sos_lonn_samlet=1_000_000, sos_lonn_mg=400_000, sos_andre_samlet=500_000,
              sos_andre_mg=100_000, sos_inntekt_samlet=300_000, sos_inntekt_mg=50_000,
              sos_kommentar="Tall fra regnskapet", **CONTACTS)


def random_inputs(form: Form, rng: random.Random) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in form.inputs():
        if rng.random() < 0.1:
            continue   # leave some blank
        lo = f.min if f.min is not None else 0.0
        hi = f.max if f.max is not None else 1e6
        if f.type in ("heltall", "belop"):
            values[f.id] = rng.randint(int(max(lo, -50_000)), int(min(hi, 2_000_000 if f.type == "belop" else 5_000)))
        elif f.type == "prosent":
            values[f.id] = rng.randint(int(lo), int(hi))
        elif f.type == "desimal":
            values[f.id] = round(rng.uniform(max(lo, 0.0), min(hi, 500.0)), 2)
        elif f.type in ("ja_nei", "valg"):
            values[f.id] = rng.choice(f.choices or ("ja", "nei"))
        else:
            values[f.id] = f"Tekst {rng.randint(1, 999)}"[: f.max_length or 2000]
    return values


def read_results(path: Path, table: dict) -> tuple[dict[str, Any], dict[str, tuple[Any, Any]], Any, list[str]]:
    """(field values, Kontroll id -> (status, count), overall status, error cells) of a recalculated file."""
    wb = load_workbook(path, data_only=True)
    values = {fid: wb[sheet][cell].value for fid, (sheet, cell, _t, _c) in table.items()}
    kontroll = {}
    for row in wb["Kontroll"].iter_rows(min_row=9):
        if row[8].value:
            kontroll[row[8].value] = (row[4].value, row[5].value)
    errors = [f"{ws.title}!{c.coordinate}={c.value}" for ws in wb.worksheets for r in ws.iter_rows() for c in r
              if isinstance(c.value, str) and c.value.startswith(EXCEL_ERRORS)]
    return values, kontroll, wb["Kontroll"]["C3"].value, errors


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory, soffice: str) -> dict[str, tuple[Form, dict, dict, Path]]:
    base = tmp_path_factory.mktemp("recalc")
    cases: dict[str, tuple[Form, dict, dict, Path]] = {}
    rng = random.Random(20241231)
    for param in definition_params():
        path = param.values[0]
        if not path.exists():
            continue
        form, built = build(path, base / "maler" / param.id)
        blank = shutil.copy(built, base / "maler" / f"{param.id}-blank.xlsx")   # unique output names
        table = read_field_table(blank)
        cases[f"{param.id}-blank"] = (form, {}, table, blank)
        for n in range(2):
            values = random_inputs(form, rng)
            filled = fill_workbook(blank, values, base / "fylt" / f"{param.id}-random{n}.xlsx")
            cases[f"{param.id}-random{n}"] = (form, values, table, filled)
    form = load(FIXTURES / "2024" / "adm.yaml")
    blank = next(c[3] for k, c in cases.items() if k == "fixture-definitions-2024-adm-blank")
    for name, values in (("hand-a", HAND_A), ("hand-b", HAND_B)):
        cases[name] = (form, values, read_field_table(blank), fill_workbook(blank, values, base / "fylt" / f"{name}.xlsx"))
    started = time.perf_counter()
    outs = libreoffice.recalculate([c[3] for c in cases.values()], base / "regnet")
    print(f"\nLibreOffice regnet om {len(outs)} arbeidsbøker på {time.perf_counter() - started:.1f} s")
    return {name: (form, values, table, out) for (name, (form, values, table, _)), out in zip(cases.items(), outs, strict=False)}


def test_hand_case_a(recalculated) -> None:
    form, values, table, path = recalculated["hand-a"]
    got, kontroll, overall, errors = read_results(path, table)
    assert errors == []
    assert got["mg_avvik"] == 100 + 20 + 5 - 10 - 110            # = 5
    assert got["sos_brutto_samlet"] == 1000 + 500
    assert got["sos_brutto_mg"] == 2000 + 100
    assert got["sos_netto_samlet"] == 1500 - 300
    assert got["sos_netto_mg"] == 2100 - 0                        # inntekt_mg blank counts as 0
    assert got["sos_utgift_mg"] == pytest.approx(1200 * 95 / 100)  # 'nei': share of the total
    assert kontroll["mg_avvik_null"][0] == "FEIL"
    assert kontroll["sos_andel_warn_max"][0] == "ADVARSEL"         # 95 > 90
    assert kontroll["sos_lonn_mg_herav"][0] == "FEIL"              # 2000 > 1000
    assert kontroll["sos_andre_mg_herav"][0] == "OK"
    assert kontroll["sos_inntekt_mg_herav"][0] == "OK"
    assert kontroll["mangler_obligatoriske_del_1"] == ("FEIL", 3)   # three contact fields
    assert kontroll["mangler_obligatoriske_del_3"] == ("FEIL", 4)   # inntekt_mg + three contact fields
    assert overall == "FEIL"
    # errors: mg_avvik_null, sos_lonn_mg_herav and 3 + 4 missing fields = 9
    wb = load_workbook(path, data_only=True)
    assert wb["Kontroll"]["C4"].value == 9 and wb["Kontroll"]["C5"].value == 1
    assert wb["Kontroll"]["D3"].value.startswith("9 feil, 1 advarsel")


def test_hand_case_b(recalculated) -> None:
    form, values, table, path = recalculated["hand-b"]
    got, kontroll, overall, errors = read_results(path, table)
    assert errors == []
    assert got["mg_avvik"] == 0                                    # 200 + 40 + 10 - 20 - 230
    assert got["sos_brutto_mg"] == 500_000
    assert got["sos_netto_samlet"] == 1_200_000
    assert got["sos_netto_mg"] == 450_000
    assert got["sos_utgift_mg"] == 450_000                         # 'ja': the exact figure
    assert kontroll["sos_andel_warn_max"][0] == "–"                # 3.3 not relevant after 'ja'
    assert all(status == "OK" for cid, (status, _) in kontroll.items() if cid != "sos_andel_warn_max")
    assert kontroll["mangler_obligatoriske_del_1"][1] == 0 and kontroll["mangler_obligatoriske_del_3"][1] == 0
    assert overall == "OK"


def expected_status(result) -> str:
    if not result.relevant:
        return "–"
    if not result.answered:
        return "ikke utfylt"
    return "OK" if result.passed else SEVERITY[result.check.severity]


@pytest.mark.parametrize("case", ["blank", "random0", "random1"])
@pytest.mark.parametrize("definition", definition_params())
def test_workbook_matches_rule_engine(recalculated, definition, case) -> None:
    form, values, table, path = recalculated[f"{definition_id(definition)}-{case}"]
    got, kontroll, overall, errors = read_results(path, table)
    assert errors == [], errors[:10]
    expected = compute(form, values)
    for f in form.computed():
        want = expected[f.id]
        have = got[f.id]
        assert (0 if have is None else have) == pytest.approx(0 if want is None else want, rel=1e-9, abs=1e-6), f.id
    for f in form.inputs():
        want = values.get(f.id)
        assert got[f.id] == want or (want is not None and got[f.id] == pytest.approx(want)), f.id
    statuses = []
    for result in run_checks(form, expected):
        assert kontroll[result.check.id][0] == expected_status(result), result.check.id
        statuses.append(expected_status(result))
    missing = missing_required(form, expected)
    unanswered = set(unanswered_parts(form, expected))
    entered = {form.fields[fid].part_id for fid, v in values.items() if v not in (None, "")}
    for part in form.parts:
        if not any(f.is_input and f.required for f in form.fields_of(part.id)):
            continue
        count = sum(1 for fid in missing if form.fields[fid].part_id == part.id)
        status = "FEIL" if count else "OK" if part.id in entered else "ikke utfylt"
        if part.id in unanswered:
            status = "ikke utfylt"
        if ruled_out(form, part.relevant, expected):   # a blank filter does not rule a part out
            status = "–"
        assert kontroll[f"mangler_obligatoriske_{part.id}"][0] == status, part.id
        assert (kontroll[f"mangler_obligatoriske_{part.id}"][1] or 0) == count, part.id
        statuses.append(status)
    want_overall = ("FEIL" if "FEIL" in statuses else "ikke utfylt" if unanswered
                    else "ADVARSEL" if "ADVARSEL" in statuses else "OK")
    assert overall == want_overall
