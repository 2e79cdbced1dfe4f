"""Parameters of the method (docs/beregning.md) as the master needs them. The one parameter
model is ``kalk_excel.model.parameters`` (``Parameter``: id, label, value, unit, source, group);
this module only normalises what a caller hands ``build_master`` (None = the year's
parametre.yaml, a list of records, or a mapping id -> value) to that model's records and checks
that the master's formulas have every id they name."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..model.parameters import BASE_IDS, Parameter, deflator_id, parameter_path

DEFLATOR_RE = re.compile(r"^deflator_(\d{4})$")

REQUIRED = list(BASE_IDS)

# Tolerances of the model check; written on Parametre as names too.
TOLERANCES = [
    ("toleranse_kr", "Toleranse Excel mot modell, kroner", 1, "kr", "kalk-excel (docs/beregning.md, Avrunding)"),
    ("toleranse_andel", "Toleranse Excel mot modell, andeler", 0.0001, "andel",
     "kalk-excel (docs/beregning.md, Avrunding)"),
]
TOLERANCE = {tid: value for tid, _, value, _, _ in TOLERANCES}
# Comparison with the published report (its tables are rounded to whole kroner and one decimal).
REPORT_TOLERANCE_KR = 5.0


class ParameterError(ValueError):
    """Parameters missing or malformed; the message is Norwegian."""


def parameters_path(year: int, definitions: Path | None = None) -> Path:
    return parameter_path(year, definitions)


def load(year: int, params: Any = None, definitions: Path | None = None) -> list[Parameter]:
    """Normalise ``params`` (None = the year's parametre.yaml through the one validating loader,
    ``kalk_excel.model.load_parameters``) to a checked list of Parameter."""
    if params is None:
        from ..model.parameters import ParameterError as FileError
        from ..model.parameters import load_parameters
        try:
            return load_parameters(year, parameter_path(year, definitions)).rows()
        except FileError as exc:
            raise ParameterError(f"Parameterfilen for {year} kan ikke brukes: {exc}") from None
        except (FileNotFoundError, OSError):
            raise ParameterError(f"Fant ikke parameterfilen {parameters_path(year, definitions)}.") from None
    items = _records(params)
    _check(items, year)
    return items


def defaults(year: int, definitions: Path | None = None) -> dict[str, Parameter]:
    """id -> the year's default parameter (parametre.yaml); empty when the year has no usable file
    (then Parametre shows no defaults)."""
    from ..model.parameters import ParameterError as FileError
    from ..model.parameters import load_parameters
    try:
        return {p.id: p for p in load_parameters(year, parameter_path(year, definitions)).rows()}
    except (FileError, OSError):
        return {}


def _records(params: Any) -> list[Parameter]:
    if isinstance(params, Mapping) and "parameters" in params:
        params = params["parameters"]
    if isinstance(params, Mapping):
        return [_make(id=str(k), label=str(k), value=_unwrap(v)) for k, v in params.items()]
    out = []
    for rec in _iter(params):
        if isinstance(rec, Parameter):
            out.append(rec)
        elif isinstance(rec, Mapping):
            out.append(_make(id=str(rec["id"]), label=str(rec.get("label") or rec["id"]),
                                 value=_unwrap(rec.get("value")), unit=str(rec.get("unit") or ""),
                                 source=str(rec.get("source") or ""), group=str(rec.get("group") or "")))
        else:  # an object with attributes (the model's parameter records)
            out.append(_make(id=str(rec.id), label=str(getattr(rec, "label", rec.id)),
                                 value=_unwrap(rec.value), unit=str(getattr(rec, "unit", "") or ""),
                                 source=str(getattr(rec, "source", "") or ""),
                                 group=str(getattr(rec, "group", "") or "")))
    return out


def _make(id: str, label: str, value: Any, unit: str = "", source: str = "", group: str = "") -> Parameter:
    return Parameter(id, label, value, unit, source, group)


def _iter(params: Any) -> Iterable[Any]:
    if hasattr(params, "records"):
        return params.records
    return list(params)


def _unwrap(value: Any) -> Any:
    if hasattr(value, "value") and not isinstance(value, (int, float, str, list, tuple)):
        return value.value
    if isinstance(value, list):
        return tuple(value)
    return value


def _check(items: list[Parameter], year: int) -> None:
    ids = [p.id for p in items]
    problems = []
    missing = [r for r in REQUIRED if r not in ids]
    if missing:
        problems.append("mangler " + ", ".join(missing))
    if deflator_id(year) not in ids:
        problems.append(f"mangler årets deflator ({deflator_id(year)})")
    for p in items:
        if p.id == "em_ekskludert":
            if not isinstance(p.value, tuple):
                problems.append("em_ekskludert skal være en liste med kommunenummer")
        elif not isinstance(p.value, (int, float)) or isinstance(p.value, bool):
            problems.append(f"{p.id} er ikke et tall ({p.value!r})")
    if problems:
        raise ParameterError("Parameterne er ikke komplette: " + "; ".join(problems) + ".")


def is_switch(p: Parameter) -> bool:
    """A switch on Parametre (1 = on, 0 = off): the unit says «bryter»."""
    return p.unit.startswith("bryter")


def deflators(items: list[Parameter]) -> list[Parameter]:
    """The deflator rows (``deflator_<year>``), by year."""
    found = [(int(m.group(1)), p) for p in items if (m := DEFLATOR_RE.match(p.id))]
    return [p for _, p in sorted(found, key=lambda t: t[0])]


def as_mapping(items: list[Parameter]) -> dict[str, Any]:
    return {p.id: p.value for p in items}
