"""Parameters of the method (docs/beregning.md) as the master needs them: id, label, value,
unit, source, group. Read from ``workbook_templates/<year>/parametre.yaml`` or taken from the
caller (a list of records or a mapping id -> value)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..definition.loader import TEMPLATES_DIR

DEFLATOR_RE = re.compile(r"^deflator_(\d{4})$")

REQUIRED = [
    "tilskudd_ar1_enslige_voksne", "tilskudd_ar1_em", "tilskudd_ar1_andre",
    "tilskudd_ar2", "tilskudd_ar3", "tilskudd_ar4", "tilskudd_ar5",
    "eldretilskudd", "barnehagetilskudd",
    "imdi_forstegang_familier", "imdi_forstegang_enslige_voksne", "imdi_forstegang_em",
    "imdi_forstegang_over_60",
    *[f"sosialhjelp_kull_{i}" for i in range(1, 6)],
    *[f"introstonad_kull_{i}" for i in range(1, 6)],
    "em_sosialhjelp_fem_aar", "em_introstonad_fem_aar", "helse_basis_1997", "kultur_per_person",
    "swaprente_5aar", "risikotillegg", "kapitalslit",
    "kvp_rammefinansiering_per_deltaker", "skole_rammefinansiering_per_elev",
    "aar_i_tilskuddsperioden", "flytter_andel_aar", "em_ekskludert",
]

# Tolerances of the model check; written on Parametre as names too.
TOLERANCES = [
    ("toleranse_kr", "Toleranse Excel mot modell, kroner", 1, "kr", "kalk-excel (docs/beregning.md, Avrunding)"),
    ("toleranse_andel", "Toleranse Excel mot modell, andeler", 0.0001, "andel",
     "kalk-excel (docs/beregning.md, Avrunding)"),
]


class ParameterError(ValueError):
    """Parameters missing or malformed; the message is Norwegian."""


@dataclass(frozen=True)
class Parameter:
    id: str
    label: str
    value: Any                    # number, or a list (em_ekskludert)
    unit: str = ""
    source: str = ""
    group: str = ""


def parameters_path(year: int) -> Path:
    return TEMPLATES_DIR / str(year) / "parametre.yaml"


def load(year: int, params: Any = None) -> list[Parameter]:
    """Normalise ``params`` (None = the year's parametre.yaml through the one validating loader,
    ``kalk_excel.model.load_parameters``) to a checked list of Parameter."""
    if params is None:
        from ..model.parameters import ParameterError as FileError
        from ..model.parameters import load_parameters
        try:
            params = load_parameters(year).rows()
        except FileError as exc:
            raise ParameterError(f"Parameterfilen for {year} kan ikke brukes: {exc}") from None
        except (FileNotFoundError, OSError):
            raise ParameterError(f"Fant ikke parameterfilen {parameters_path(year)}.") from None
    items = _records(params)
    _check(items)
    return items


def _records(params: Any) -> list[Parameter]:
    if isinstance(params, Mapping) and "parameters" in params:
        params = params["parameters"]
    if isinstance(params, Mapping):
        return [Parameter(id=str(k), label=str(k), value=_unwrap(v)) for k, v in params.items()]
    out = []
    for rec in _iter(params):
        if isinstance(rec, Parameter):
            out.append(rec)
        elif isinstance(rec, Mapping):
            out.append(Parameter(id=str(rec["id"]), label=str(rec.get("label") or rec["id"]),
                                 value=_unwrap(rec.get("value")), unit=str(rec.get("unit") or ""),
                                 source=str(rec.get("source") or ""), group=str(rec.get("group") or "")))
        else:  # an object with attributes (the model's parameter records)
            out.append(Parameter(id=str(rec.id), label=str(getattr(rec, "label", rec.id)),
                                 value=_unwrap(rec.value), unit=str(getattr(rec, "unit", "") or ""),
                                 source=str(getattr(rec, "source", "") or ""),
                                 group=str(getattr(rec, "group", "") or "")))
    return out


def _iter(params: Any) -> Iterable[Any]:
    if hasattr(params, "records"):
        return params.records  # type: ignore[no-any-return]
    return list(params)


def _unwrap(value: Any) -> Any:
    if hasattr(value, "value") and not isinstance(value, (int, float, str, list, tuple)):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return value


def _check(items: list[Parameter]) -> None:
    ids = [p.id for p in items]
    problems = []
    missing = [r for r in REQUIRED if r not in ids]
    if missing:
        problems.append("mangler " + ", ".join(missing))
    if not any(DEFLATOR_RE.match(i) for i in ids):
        problems.append("mangler deflatorrekken (deflator_<år>)")
    for p in items:
        if p.id == "em_ekskludert":
            if not isinstance(p.value, list):
                problems.append("em_ekskludert skal være en liste med kommunenummer")
        elif not isinstance(p.value, (int, float)) or isinstance(p.value, bool):
            problems.append(f"{p.id} er ikke et tall ({p.value!r})")
    if problems:
        raise ParameterError("Parameterne er ikke komplette: " + "; ".join(problems) + ".")


def deflators(items: list[Parameter]) -> list[Parameter]:
    """The deflator series, by year."""
    found = [(int(m.group(1)), p) for p in items if (m := DEFLATOR_RE.match(p.id))]
    return [p for _, p in sorted(found, key=lambda t: t[0])]


def as_mapping(items: list[Parameter]) -> dict[str, Any]:
    return {p.id: p.value for p in items}
