"""One skip-logic meaning in every form: a filter question not answered yet leaves its follow-ups
neutral (not required, not ruled out); "nei" rules them out. adm asks «== 'ja'», norsk «!= 'nei'»:
both must behave the same."""

from __future__ import annotations

import pytest

from kalk_excel.definition import load_form
from kalk_excel.definition.evaluate import compute, missing_required, relevant_now, ruled_out, run_checks
from kalk_excel.definition.skiplogic import definitely, possibly

FILTERS = [("adm", "kvp_har"), ("adm", "bolig_eid_har"), ("adm", "fov_har"),
           ("norsk", "no_undervist"), ("norsk", "no_andre_kommuner")]


@pytest.mark.parametrize("form_id, filter_id", FILTERS)
def test_blank_filter_is_neutral_nei_rules_out(form_id: str, filter_id: str) -> None:
    form = load_form(2024, form_id)
    follow = [f for f in form.inputs() if f.relevant and filter_id in f.relevant and f.is_numeric]
    required = next(f for f in follow if f.required)
    sibling = next(f for f in follow if f.id != required.id and f.part_id == required.part_id)
    other = {sibling.id: 1}          # the follow-ups' part is answered, the filter not yet
    yes = next(c for c in form.fields[filter_id].choices if c != "nei")
    for answer, now, out in ((None, False, False), ("nei", False, True), (yes, True, False)):
        values = compute(form, {**other, filter_id: answer})
        assert relevant_now(form, required.relevant, values) is now, answer
        assert ruled_out(form, required.relevant, values) is out, answer
        assert (required.id in missing_required(form, values)) is now, answer


def test_checks_wait_for_the_filter() -> None:
    form = load_form(2024, "norsk")
    check = next(c for c in form.checks if c.id == "no_timer_per_deltaker")
    blank = {r.check.id: r for r in run_checks(form, compute(form, {"no_kontakt_navn": "Kari", "no_timer": 10}))}
    assert blank[check.id].relevant is False       # "no_undervist" blank: neither ja nor nei yet


def test_rewritten_expressions_stay_in_the_language() -> None:
    form = load_form(2024, "adm")
    text = "sos_metode == 'C – andel av klienter (vektet)' and not (em_antall > 0)"
    assert definitely(form, text) == ("(utfylt(sos_metode) and sos_metode == 'C – andel av klienter (vektet)') "
                                      "and (not (tom(em_antall) or em_antall > 0))")
    assert possibly(form, text) == ("(tom(sos_metode) or sos_metode == 'C – andel av klienter (vektet)') "
                                    "and (not (utfylt(em_antall) and em_antall > 0))")
