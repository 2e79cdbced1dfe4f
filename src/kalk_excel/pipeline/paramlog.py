"""The master's *Parametre* against the year's defaults, and the record of every change.

``reconcile_parameters(year, state, now) -> Reconciled``: the parameters the next run uses, the
rows to append to *Endringslogg*, and the problems to show. Per parameter of the year's
parametre.yaml:

- *current* = value and source on the master's Parametre (C, E); *stored default* = the default the
  master was built from (G, H; a master from before those columns counts the YAML's as stored);
  *previous* = the last Endringslogg row for the id, else the stored default.
- The parameters used are the current ones. Exception: when the YAML default changed since the
  master was built and the master had not overridden it, the new default is adopted (P071,
  info). When it changed but the master overrides it, the master's value is kept and the run
  says so (P070, advarsel) - nothing is silently ignored.
- When what is used differs from *previous* (value or source) one row is appended (time, id,
  label, old value, new value, old source, new source, note). A value that is not a number
  (P021) or a missing source (P072) is a record; the previous value/source is then used.
- A parameter on Parametre that the YAML does not have is ignored (P020, info); a parameter new
  in the YAML is taken from it and logged.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from ..codes import problem
from ..kommuner import kommunenummer_or_text
from ..master.layout import CHANGELOG_COLUMNS, CHANGELOG_FIRST_ROW, SHEET_CHANGELOG, SHEET_PARAMS
from ..master.params import TOLERANCES
from ..model import Parameters, load_parameters
from ..model.parameters import Parameter, parameter_path
from ..problems import Problem
from .blocks import Block
from .state import MasterState

TOLERANCE_IDS = {t[0] for t in TOLERANCES}
NOTE_EDITED = "Endret på arket Parametre"
NOTE_DEFAULT = "Ny standardverdi i parametre.yaml (masteren brukte standardverdien)"
NOTE_NEW = "Ny parameter i parametre.yaml"


@dataclass
class Reconciled:
    params: Parameters
    log_rows: list[list[Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def show(value: Any) -> Any:
    """A parameter value as it is written in the log (a list as «0301, 1103»)."""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value



def _as_list(raw: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [part for part in raw.replace(";", ",").split(",")]
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    return tuple(kommunenummer_or_text(v) for v in items if v is not None and str(v).strip() != "")


def _as_number(raw: Any) -> float | None:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        return None
    return float(raw)


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def _same(a: tuple[Any, str], b: tuple[Any, str]) -> bool:
    return a[0] == b[0] and _text(a[1]) == _text(b[1])


def reconcile_parameters(year: int, state: MasterState | None, now: dt.datetime | None = None,
                         definitions: Any = None) -> Reconciled:
    """See the module docstring (``definitions``: the user's definitions folder, None = built in)."""
    base = load_parameters(year, parameter_path(year, definitions))
    if state is None or not state.parameters:
        return Reconciled(base)
    now = (now or dt.datetime.now()).replace(microsecond=0)
    problems: list[Problem] = []
    log_rows: list[list[Any]] = []
    last_logged: dict[str, tuple[Any, str]] = {}
    for row in state.changelog:
        row = list(row) + [None] * (len(CHANGELOG_COLUMNS) - len(row))
        if _text(row[1]):
            last_logged[_text(row[1])] = (row[4], _text(row[6]))
    rows: list[Parameter] = []
    for p in base.rows():
        is_list = isinstance(p.value, tuple)
        parse = _as_list if is_list else _as_number
        yaml_now = (p.value, p.source)
        if p.id not in state.parameters:
            rows.append(p)
            log_rows.append([now, p.id, p.label, None, show(p.value), None, p.source, NOTE_NEW])
            continue
        if p.id in state.defaults:
            d_value, d_source = state.defaults[p.id]
            parsed = parse(d_value)
            stored = (parsed if parsed is not None else p.value, _text(d_source))
        else:
            stored = yaml_now
        if p.id in last_logged:
            logged_value, logged_source = last_logged[p.id]
            parsed = parse(logged_value)
            previous = (parsed if parsed is not None else stored[0], logged_source)
        else:
            previous = stored
        value = parse(state.parameters[p.id])
        if value is None:
            problems.append(problem("P021", sheet=SHEET_PARAMS, field=p.id, value=state.parameters[p.id],
                                    label=p.label, previous=show(previous[0])))
            value = previous[0]
        source = _text(state.sources.get(p.id))
        if not source:
            problems.append(problem("P072", sheet=SHEET_PARAMS, field=p.id, label=p.label, previous=previous[1]))
            source = previous[1]
        current = (value, source)
        used, note = current, NOTE_EDITED
        if not _same(stored, yaml_now):
            if _same(current, stored):
                used, note = yaml_now, NOTE_DEFAULT
                problems.append(problem("P071", sheet=SHEET_PARAMS, field=p.id, label=p.label, old=show(stored[0]),
                                        old_source=stored[1], new=show(p.value), new_source=p.source))
            else:
                problems.append(problem("P070", sheet=SHEET_PARAMS, field=p.id, label=p.label, old=show(stored[0]),
                                        new=show(p.value), new_source=p.source, own=show(value), own_source=source))
        if not _same(used, previous):
            log_rows.append([now, p.id, p.label, show(previous[0]), show(used[0]), previous[1], used[1], note])
        rows.append(Parameter(p.id, p.label, used[0], p.unit, used[1], p.group, p.line))
    for pid in state.parameters:
        if pid not in base and pid not in TOLERANCE_IDS:
            problems.append(problem("P020", sheet=SHEET_PARAMS, field=pid, year=year))
    return Reconciled(Parameters(year, rows), log_rows, problems)


def changelog_blocks(state: MasterState | None, log_rows: list[list[Any]]) -> tuple[list[Block], list[Block]]:
    """(carry_over, appended): the old Endringslogg rows for a freshly built master, and the new
    rows under them (written by both the CLI and the add-in)."""
    old = [list(r)[:len(CHANGELOG_COLUMNS)] + [None] * (len(CHANGELOG_COLUMNS) - len(r))
           for r in (state.changelog if state else [])]
    carry = [Block(SHEET_CHANGELOG, f"A{CHANGELOG_FIRST_ROW}", old)] if old else []
    new = [Block(SHEET_CHANGELOG, f"A{CHANGELOG_FIRST_ROW + len(old)}", log_rows)] if log_rows else []
    return carry, new
