"""Raw demo answers for the real 2024 form definitions: ``raw_inputs(kommunenummer, form)`` gives
every relevant input field such that the definition's computed fields reproduce the demo
calculation fields (data/*.csv), every check passes and no required field is missing."""

from __future__ import annotations

from typing import Any

from ..definition import load_form
from ..definition.model import Form
from .data import demo_adm, demo_kommuner, demo_norsk
from .fill import complete, mismatches

NORSK_TARGETS = ("no_undervist", "no_deltakere_sum", "no_timer", "no_utgift_sum", "no_inntekt_sum")


class DemoInputError(Exception):
    """The definition cannot be filled so that it reproduces the demo data (names the fields)."""


def raw_inputs(kommunenummer: str, form: Form | str) -> dict[str, Any]:
    """Input values (field id -> value) for ``kommunenummer`` in ``form`` (a Form or "adm"/"norsk")."""
    form = load_form(2024, form) if isinstance(form, str) else form
    navn = str(demo_kommuner().loc[kommunenummer, "kommunenavn"])
    if form.id == "norsk":
        from .inputs_norsk import norsk_values
        row = demo_norsk().loc[kommunenummer]
        values = norsk_values(kommunenummer, row)
        targets = {fid: row[fid] for fid in NORSK_TARGETS}
    elif form.id == "adm":
        from .inputs_adm import adm_values
        row = demo_adm().loc[kommunenummer]
        values, targets = adm_values(form, kommunenummer, navn, row)
    else:
        raise DemoInputError(f"Ukjent skjema {form.id!r}.")
    values = {fid: v for fid, v in values.items() if fid in form.fields and form.fields[fid].is_input}
    values = complete(form, values, kommunenummer, navn)
    bad = mismatches(form, values, targets)
    if bad:
        raise DemoInputError(f"{kommunenummer} {form.id}: demotallene gjenskapes ikke: " + "; ".join(bad))
    return values
