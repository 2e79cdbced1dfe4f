"""Load and validate the year's calculation parameters (``workbook_templates/<year>/parametre.yaml``).

Owns the parameter file schema and the list of ids the 2024 method needs (docs/beregning.md).
Bad files become ``Problem`` records (Norwegian messages naming the id and line), collected in one
pass and raised together as ``ParameterError``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def _problem(code: str, message: str, fix: str, where: str, field: str | None = None) -> Problem:
    return Problem(code=code, severity="feil", message=f"{where}: {message}", fix=fix, file=where, field=field)


def _parse_row(node: Any, where: str, problems: list[Problem]) -> Parameter | None:
    line = node.line if isinstance(node, LocatedDict) else None
    loc = f"{where}:{line}" if line else where
    if not isinstance(node, dict):
        problems.append(_problem("P003", "en parameter må være en tabell med id, label, value, unit, source, group.",
                                 "Skriv parameteren som {id: ..., label: ..., value: ..., ...}.", loc))
        return None
    pid = node.get("id")
    missing = [k for k in REQUIRED_KEYS if node.get(k) is None or node.get(k) == ""]
    if missing:
        problems.append(_problem("P004", f"parameteren {pid or '(uten id)'} mangler {', '.join(missing)}.",
                                 "Fyll inn alle nøklene id, label, value, unit, source og group.", loc, pid))
        return None
    value = node["value"]
    if pid in TEXT_LIST_IDS:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.isdigit() and len(v) == 4 for v in value):
            problems.append(_problem("P005", f"{pid} må være en liste med kommunenummer som tekst (\"0301\").",
                                     "Skriv for eksempel value: [\"0301\"].", loc, pid))
            return None
        value = tuple(value)
    elif isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(_problem("P005", f"verdien til {pid} er ikke et tall ({value!r}).",
                                 "Skriv verdien som et tall med punktum som desimaltegn, uten mellomrom.", loc, pid))
        return None
    else:
        value = float(value)
    return Parameter(str(pid), str(node["label"]), value, str(node["unit"]), str(node["source"]),
                     str(node["group"]), line)


def load_parameters(year: int, path: Path | str | None = None) -> Parameters:
    """Read and validate the parameter file of ``year``; raises ``ParameterError`` with all problems."""
    path = Path(path) if path is not None else parameter_path(year)
    where = path.name
    try:
        data = read_yaml(path)
    except YamlError as exc:
        loc = f"{where}:{exc.line}" if exc.line else where
        raise ParameterError([_problem("P001", str(exc), "Rett YAML-feilen på linjen som er nevnt.", loc)]) from None
    problems: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(data.get("parameters"), list):
        raise ParameterError([_problem("P002", "fila må ha nøklene year og parameters (en liste).",
                                       "Se workbook_templates/2024/parametre.yaml for formatet.", where)])
    if data.get("year") != year:
        problems.append(_problem("P002", f"year er {data.get('year')!r}, men fila skal gjelde {year}.",
                                 f"Sett year: {year} eller bruk fila for riktig år.", where))
    rows: list[Parameter] = []
    seen: dict[str, int | None] = {}
    for node in data["parameters"]:
        row = _parse_row(node, where, problems)
        if row is None:
            continue
        if row.id in seen:
            problems.append(_problem("P006", f"parameteren {row.id} er oppgitt to ganger (også linje {seen[row.id]}).",
                                     "Fjern den ene.", f"{where}:{row.line}", row.id))
            continue
        seen[row.id] = row.line
        rows.append(row)
    for pid in required_ids(year):
        if pid not in seen:
            problems.append(_problem("P007", f"parameteren {pid} mangler, men beregningen trenger den.",
                                     f"Legg til {pid} med verdi, enhet og kilde (se docs/beregning.md).", where, pid))
    if problems:
        raise ParameterError(problems)
    return Parameters(year, rows)
