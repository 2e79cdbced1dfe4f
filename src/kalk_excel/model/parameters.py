"""The one parameter model: records (``Parameter``), the checked set (``Parameters``), the one
error (``ParameterError``) and the one reader of ``workbook_templates/<year>/parametre.yaml``.

Used by the reference model, the master (``kalk_excel.master.params``: what the Parametre sheet
shows) and the pipeline (``pipeline.paramlog``: the master's Parametre against the file). Owns the
file schema and the list of ids the method needs (docs/beregning.md). Bad files and bad records
become ``Problem`` records with the catalogue's words (``kalk_excel.model.codes``: P001-P007),
collected in one pass and raised together as ``ParameterError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..codes import problem
from ..definition.yamlsource import LocatedDict, YamlError, read_yaml
from ..problems import Problem
from .coverage import PARAMETER_IDS as COVERAGE_IDS
from .prognosis import PARAMETER_IDS as PROGNOSIS_IDS

TEXT_LIST_IDS = frozenset({"em_ekskludert"})
REQUIRED_KEYS = ("id", "label", "value", "unit", "source", "group")
BASE_IDS = (
    "tilskudd_ar1_enslige_voksne", "tilskudd_ar1_em", "tilskudd_ar1_andre",
    "tilskudd_ar2", "tilskudd_ar3", "tilskudd_ar4", "tilskudd_ar5",
    "eldretilskudd", "barnehagetilskudd",
    "imdi_forstegang_familier", "imdi_forstegang_enslige_voksne", "imdi_forstegang_em",
    "imdi_forstegang_over_60",
    *(f"sosialhjelp_kull_{i}" for i in range(1, 6)),
    *(f"introstonad_kull_{i}" for i in range(1, 6)),
    "em_sosialhjelp_fem_aar", "em_introstonad_fem_aar",
    "helse_fjorar", "helse_fastsatt", "kultur_fjorar", "kultur_fastsatt",
    "swaprente_5aar", "risikotillegg", "kapitalslit",
    "kvp_rammefinansiering_per_deltaker", "skole_rammefinansiering_per_elev",
    "skole_trekk_rammetilskudd", "fradrag_ikke_negativ",
    "aar_i_tilskuddsperioden", "flytter_andel_aar", "em_ekskludert",
    *PROGNOSIS_IDS, *COVERAGE_IDS,
)


def required_ids(year: int) -> tuple[str, ...]:
    """Every parameter id the method of ``year`` reads (the year's deflator ``deflator_<year>`` included)."""
    return BASE_IDS + (deflator_id(year),)


def deflator_id(year: int) -> str:
    """The id of the year's municipal deflator (wage component), e.g. ``deflator_2024``."""
    return f"deflator_{year}"


def parameter_path(year: int, definitions: Path | str | None = None) -> Path:
    """The year's parametre.yaml (built in, or in the user's definitions folder)."""
    from ..paths import definition_file
    return definition_file(year, "parametre.yaml", definitions)


@dataclass(frozen=True)
class Parameter:
    id: str
    label: str
    value: Any                    # float, or a tuple of kommunenummer strings for em_ekskludert
    unit: str
    source: str
    group: str
    line: int | None = None


class ParameterError(Exception):
    """The parameter file is not usable; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(f"{p.message} Korreksjon: {p.fix}" for p in problems))


class Parameters(Mapping[str, Any]):
    """Mapping id -> value (numbers as float); ``meta(id)`` gives the full ``Parameter`` row."""

    def __init__(self, year: int, rows: list[Parameter]):
        self.year = year
        self._rows = {p.id: p for p in rows}

    def __getitem__(self, key: str) -> Any:
        return self._rows[key].value

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def meta(self, key: str) -> Parameter:
        return self._rows[key]

    def rows(self) -> list[Parameter]:
        return list(self._rows.values())

    def deflator(self) -> float:
        """The year's municipal deflator (``deflator_<year>``)."""
        return float(self[deflator_id(self.year)])

    def with_values(self, **values: Any) -> "Parameters":
        """A copy with some values replaced (for sensitivity runs and tests)."""
        rows = [Parameter(**{**p.__dict__, "value": values.get(p.id, p.value)}) for p in self._rows.values()]
        unknown = set(values) - set(self._rows)
        if unknown:
            raise KeyError(f"Ukjente parametre: {', '.join(sorted(unknown))}")
        return Parameters(self.year, rows)


def _problem(code: str, where: str, variant: str = "", field: str | None = None, **values: Any) -> Problem:
    """A parameter problem with the catalogue's words (kalk_excel.model.codes); ``where`` = file[:line]."""
    return problem(code, variant, file=where, field=field, where=where, **values)


def _parse_row(node: Any, where: str, problems: list[Problem]) -> Parameter | None:
    line = node.line if isinstance(node, LocatedDict) else None
    loc = f"{where}:{line}" if line else where
    if not isinstance(node, dict):
        problems.append(_problem("P003", loc))
        return None
    pid = node.get("id")
    missing = [k for k in REQUIRED_KEYS if node.get(k) is None or node.get(k) == ""]
    if missing:
        problems.append(_problem("P004", loc, field=pid, id=pid or "(uten id)", keys=", ".join(missing)))
        return None
    value = node["value"]
    if pid in TEXT_LIST_IDS and isinstance(value, list):
        value = tuple(value)
    row = Parameter(str(pid), str(node["label"]), value, str(node["unit"]), str(node["source"]),
                    str(node["group"]), line)
    bad = _value_problem(row, loc)
    if bad is not None:
        problems.append(bad)
        return None
    return row if pid in TEXT_LIST_IDS else replace(row, value=float(value))


def _value_problem(row: Parameter, where: str) -> Problem | None:
    """P005 when the value has the wrong type: a tuple of kommunenummer texts for a list id, else a number."""
    value = row.value
    if row.id in TEXT_LIST_IDS:
        if not isinstance(value, tuple) or not all(isinstance(v, str) and v.isdigit() and len(v) == 4 for v in value):
            return _problem("P005", where, "liste", field=row.id, id=row.id)
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return _problem("P005", where, field=row.id, id=row.id, value=value)
    return None


def _whole_set_problems(year: int, rows: list[Parameter], where: str) -> tuple[list[Parameter], list[Problem]]:
    """The rows without duplicates (P006) and every required id that is missing (P007)."""
    problems: list[Problem] = []
    kept: list[Parameter] = []
    seen: dict[str, int | None] = {}
    for row in rows:
        if row.id in seen:
            loc = f"{where}:{row.line}" if row.line else where
            if seen[row.id] is None:
                problems.append(_problem("P006", loc, "uten_linje", field=row.id, id=row.id))
            else:
                problems.append(_problem("P006", loc, field=row.id, id=row.id, line=seen[row.id]))
            continue
        seen[row.id] = row.line
        kept.append(row)
    problems += [_problem("P007", where, field=pid, id=pid) for pid in required_ids(year) if pid not in seen]
    return kept, problems


def check_parameters(year: int, rows: Iterable[Parameter], where: str = "parametrene") -> Parameters:
    """The checked ``Parameters`` of ``year`` from records not read from the file (the master's
    Parametre after reconciliation, a test's variant): same rules and codes as the file (P005-P007);
    raises ``ParameterError`` with every problem."""
    rows = list(rows)
    problems = [p for row in rows if (p := _value_problem(row, where)) is not None]
    kept, more = _whole_set_problems(year, rows, where)
    if problems or more:
        raise ParameterError(problems + more)
    return Parameters(year, kept)


def load_parameters(year: int, path: Path | str | None = None) -> Parameters:
    """Read and validate the parameter file of ``year`` (the one reader of parametre.yaml); raises
    ``ParameterError`` with all problems."""
    path = Path(path) if path is not None else parameter_path(year)
    where = path.name
    try:
        data = read_yaml(path)
    except YamlError as exc:
        loc = f"{where}:{exc.line}" if exc.line else where
        raise ParameterError([_problem("P001", loc, detail=str(exc))]) from None
    problems: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(data.get("parameters"), list):
        raise ParameterError([_problem("P002", where)])
    if data.get("year") != year:
        problems.append(_problem("P002", where, "aar", found=data.get("year"), year=year))
    parsed = [row for node in data["parameters"] if (row := _parse_row(node, where, problems)) is not None]
    rows, more = _whole_set_problems(year, parsed, where)
    problems += more
    if problems:
        raise ParameterError(problems)
    return Parameters(year, rows)
