"""What the master is built from, normalised: the expected municipalities and the two forms'
field lists (from the year's definitions, or the calculation fields when a definition is absent)."""

from __future__ import annotations

from typing import Any, Iterable

from ..definition.loader import template_path
from ..definition.model import Kommune
from ..kommuner import kommunenummer_or_text
from .fields import FieldColumn, columns_for
from .layout import FORMS


class MasterInputError(ValueError):
    """Something the master needs is missing or malformed; the message is Norwegian."""


def kommune_pairs(year: int, kommuner: Any = None, definitions: Any = None) -> list[tuple[str, str]]:
    """Expected municipalities as (kommunenummer 4 digits, name) in the given order."""
    if kommuner is None:
        kommuner = _load_kommuner(year, definitions)
    pairs = [_pair(k) for k in kommuner]
    if not pairs:
        raise MasterInputError("Kommunelisten er tom: masteren trenger minst én utvalgskommune.")
    numbers = [p[0] for p in pairs]
    dup = sorted({n for n in numbers if numbers.count(n) > 1})
    if dup:
        raise MasterInputError("Kommunenummer står flere ganger i kommunelisten: " + ", ".join(dup) + ".")
    return pairs


def expected_forms(year: int, kommuner: Any = None, definitions: Any = None) -> dict[str, tuple[str, ...]]:
    """kommunenummer -> the forms it is expected to answer (all forms when the list does not say)."""
    if kommuner is None:
        kommuner = _load_kommuner(year, definitions)
    out = {}
    for k in kommuner:
        nr = _pair(k)[0]
        skjema = getattr(k, "skjema", None) if not isinstance(k, dict) else k.get("skjema")
        if isinstance(skjema, str):
            skjema = tuple(x.strip() for x in skjema.replace(",", ";").split(";") if x.strip())
        out[nr] = tuple(skjema) if skjema else FORMS
    return out


def kommune_records(year: int, kommuner: Any = None, definitions: Any = None) -> list[Kommune]:
    """The expected municipalities as ``Kommune`` records (number, name, forms, and the IMDi count and
    contacts where the given list has them), in the given order: what the *Kommuner* sheet keeps."""
    if kommuner is None:
        kommuner = _load_kommuner(year, definitions)
    expected = expected_forms(year, kommuner, definitions)
    out = []
    for k, (nr, navn) in zip(kommuner, kommune_pairs(year, kommuner, definitions), strict=False):
        get = (lambda key, k=k: k.get(key)) if isinstance(k, dict) else (lambda key, k=k: getattr(k, key, None))
        out.append(Kommune(nr, navn, expected[nr], get("imdi_malgruppe"), get("kontaktperson"), get("epost")))
    return out


def _pair(k: Any) -> tuple[str, str]:
    if isinstance(k, (tuple, list)):
        nr, navn = k[0], k[1]
    elif isinstance(k, dict):
        nr = k.get("kommunenummer") or k.get("kommunenr")
        navn = k.get("navn") or k.get("kommunenavn") or k.get("kommune")
    else:
        nr = getattr(k, "kommunenummer", None) or getattr(k, "nummer", None)
        navn = getattr(k, "navn", None) or getattr(k, "kommunenavn", None)
    if nr is None:
        raise MasterInputError(f"Kan ikke lese kommunenummer fra {k!r}.")
    return kommunenummer_or_text(nr), str(navn or "")


def _load_kommuner(year: int, definitions: Any = None) -> Iterable[Any]:
    from ..kommuner import KommunelisteFeil, default_path, load_kommuner
    try:
        return load_kommuner(year, default_path(year, definitions))
    except KommunelisteFeil as exc:
        raise MasterInputError("Kommunelisten kan ikke brukes: " + " ".join(exc.messages)) from None


def resolve_forms(year: int, forms: Any = None, definitions: Any = None) -> dict[str, Any]:
    """form id -> definition ``Form`` or None (calculation-field fallback). ``forms``: None (load
    the year's definitions where present) or a mapping form id -> Form/None."""
    out: dict[str, Any] = {}
    for form_id in FORMS:
        if forms is not None and form_id in forms:
            out[form_id] = forms[form_id]
        elif forms is None and template_path(year, form_id, definitions).exists():
            from ..definition import load_form
            out[form_id] = load_form(year, form_id, definitions)
        else:
            out[form_id] = None
    return out


def field_columns(year: int, forms: Any = None, definitions: Any = None) -> dict[str, list[FieldColumn]]:
    """form id -> field columns of the Innrapportert sheet (see ``resolve_forms``)."""
    return {form_id: columns_for(form_id, form)
            for form_id, form in resolve_forms(year, forms, definitions).items()}
