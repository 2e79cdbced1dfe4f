"""Parameters as the master needs them. The one parameter model is ``kalk_excel.model.parameters``
(``Parameter``, ``Parameters``, ``ParameterError``, the one reader of parametre.yaml); this module
only picks what ``build_master`` writes on *Parametre* (the given parameters, checked, or the
year's file) beside the year's defaults, orders the deflator series, and holds the model-check
tolerances that *Parametre* shows as names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..model.parameters import Parameter, ParameterError, Parameters, check_parameters, load_parameters, parameter_path

DEFLATOR_RE = re.compile(r"^deflator_(\d{4})$")

# Tolerances of the model check; written on Parametre as names too.
TOLERANCES = [
    ("toleranse_kr", "Toleranse Excel mot modell, kroner", 1, "kr", "kalk-excel (docs/beregning.md, Avrunding)"),
    ("toleranse_andel", "Toleranse Excel mot modell, andeler", 0.0001, "andel",
     "kalk-excel (docs/beregning.md, Avrunding)"),
]
TOLERANCE = {tid: value for tid, _, value, _, _ in TOLERANCES}
# Comparison with the published report (its tables are rounded to whole kroner and one decimal).
REPORT_TOLERANCE_KR = 5.0


@dataclass(frozen=True)
class MasterParameters:
    """What *Parametre* shows: the parameters used (C, E) and the year's defaults by id (G, H;
    empty when the year has no usable file and the parameters were given)."""

    rows: list[Parameter]
    defaults: dict[str, Parameter]


def load(year: int, params: Parameters | None = None, definitions: Path | None = None) -> MasterParameters:
    """The year's parametre.yaml, read once: the defaults, and the parameters when ``params`` is
    None; given ``params`` are checked by the same rules (P005-P007). Raises ``ParameterError``."""
    try:
        base: Parameters | None = load_parameters(year, parameter_path(year, definitions))
    except ParameterError:
        if params is None:
            raise
        base = None
    defaults = {p.id: p for p in base.rows()} if base is not None else {}
    if params is None:
        assert base is not None
        return MasterParameters(base.rows(), defaults)
    return MasterParameters(check_parameters(year, params.rows()).rows(), defaults)


def is_switch(p: Parameter) -> bool:
    """A switch on Parametre (1 = on, 0 = off): the unit says «bryter»."""
    return p.unit.startswith("bryter")


def deflators(items: list[Parameter]) -> list[Parameter]:
    """The deflator rows (``deflator_<year>``), by year."""
    found = [(int(m.group(1)), p) for p in items if (m := DEFLATOR_RE.match(p.id))]
    return [p for _, p in sorted(found, key=lambda t: t[0])]
