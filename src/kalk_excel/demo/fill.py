"""Generic helpers for filling a form definition with demo answers: contact persons, defaults for
every relevant input left blank, splitting an amount over input fields, and verification that the
definition's computed fields reproduce the demo calculation fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..definition.evaluate import compute, is_relevant
from ..definition.expr import is_blank
from ..definition.model import Form
from .balance import allocate, unit

FIRST_NAMES = ("Kari", "Ola", "Ingrid", "Lars", "Aisha", "Mohammed", "Silje", "Tor", "Hanne", "Erik", "Nina",
               "Jonas", "Marte", "Ahmad", "Liv", "Henrik", "Sara", "Per", "Ragnhild", "Omar")
LAST_NAMES = ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
              "Berg", "Haugen", "Hagen", "Bakke", "Lie", "Dahl", "Moen", "Strand", "Eide", "Solberg")


def contact(kommunenummer: str, kommunenavn: str, key: str) -> dict[str, str]:
    """A deterministic made-up contact person (navn, telefon, epost) for part ``key``."""
    first = FIRST_NAMES[int(unit(kommunenummer, key, "fornavn") * len(FIRST_NAMES))]
    last = LAST_NAMES[int(unit(kommunenummer, key, "etternavn") * len(LAST_NAMES))]
    digits = f"{int(unit(kommunenummer, key, 'tlf') * 10**7):07d}"
    slug = (kommunenavn.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
            .replace(" ", "-"))
    return {"navn": f"{first} {last}", "telefon": f"9{digits[:2]} {digits[2:4]} {digits[4:]}",
            "epost": f"{first.lower()}.{last.lower()}@{slug}.kommune.no"}


def split(total: int, parts: Mapping[str, float]) -> dict[str, int]:
    """Split the integer ``total`` over field ids in proportion to ``parts`` (exact sum)."""
    keys = list(parts)
    amounts = allocate(int(total), [parts[k] for k in keys])
    return {k: int(a) for k, a in zip(keys, amounts, strict=False)}


def complete(form: Form, values: dict[str, Any], kommunenummer: str, kommunenavn: str,
             answer: str = "nei") -> dict[str, Any]:
    """Fill every relevant input still blank: contacts, ``answer`` for yes/no, first choice, 0 for
    required numbers, a short text for required text. Repeats until relevance is stable."""
    out = dict(values)
    for _ in range(5):
        computed = compute(form, out)
        changed = False
        for fid, f in form.fields.items():
            if not f.is_input or not is_blank(out.get(fid)) or not is_relevant(f.relevant, computed):
                continue
            value = _default(f, kommunenummer, kommunenavn, answer)
            if value is not None:
                out[fid] = value
                changed = True
        if not changed:
            break
    return out


def _default(f: Any, kommunenummer: str, kommunenavn: str, answer: str) -> Any:
    role = f.role or ""
    if role.startswith("kontakt_"):
        return contact(kommunenummer, kommunenavn, f.part_id)[role.removeprefix("kontakt_")]
    if f.type == "ja_nei":
        return answer if answer in f.choices else f.choices[-1]
    if f.type == "valg":
        return f.choices[0] if f.choices else None
    if f.required and f.is_numeric:
        return 0
    if f.required and f.type == "tekst":
        return "Ingen merknader."
    return None


def mismatches(form: Form, inputs: Mapping[str, Any], targets: Mapping[str, Any], tol: float = 1e-6) -> list[str]:
    """Calculation fields whose computed value differs from the demo target (empty = reproduced)."""
    values = compute(form, inputs)
    bad = []
    for fid, want in targets.items():
        got = values.get(fid)
        if isinstance(want, str) or isinstance(got, str):
            if got != want:
                bad.append(f"{fid}: {got!r} != {want!r}")
        elif got is None or abs(float(got) - float(want)) > tol:
            bad.append(f"{fid}: {got!r} != {want!r}")
    return bad


def fields_present(form: Form, ids: Sequence[str]) -> list[str]:
    """The ids of ``ids`` that the definition does not have (the demo needs them)."""
    return [fid for fid in ids if fid not in form.fields]
