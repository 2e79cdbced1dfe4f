"""Pull: turn checked submissions into the blocks of the master — the Innrapportert data regions
(one rectangular block per sheet covering every expected row), the Oppsett status cells, the
model-check column on Kontroll (the Sporbarhet sheet is written by ``pipeline.trace``).

Submissions: an ``IntakeReport`` (``.files``), a list of ``FileResult``s, or a mapping
``{(skjema, kommunenummer): {field_id: value}}`` (treated as accepted). ``inkludert`` is 1 for an
accepted submission unless ``excluded`` (the secretariat's table «Holdes utenfor beregningen» on
Oppsett, ``{(skjema, kommunenummer): begrunnelse}``) names its municipality and survey."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..codes import problem
from ..definition.evaluate import compute
from ..kommuner import kommunenummer_or_text
from ..master.fields import FieldColumn
from ..master.inputs import expected_forms, field_columns, kommune_pairs, resolve_forms
from ..master.layout import (
    ACCEPTED_STATUSES,
    FIRST_DATA_ROW,
    FORMS,
    MODEL_CHECK,
    MODEL_FIRST_ROW,
    MODEL_UNDEFINED,
    MODEL_VALUE_COL,
    SHEET_CHECKS,
    SHEET_INPUT,
    SHEET_SETUP,
    setup_cell,
)
from ..master.sheet_inputs import empty_row
from ..problems import Problem
from .blocks import Block


@dataclass(frozen=True)
class Submission:
    form_id: str
    kommunenummer: str
    status: str
    values: Mapping[str, Any]
    file: str | None = None
    sha256: str | None = None
    received: Any = None
    cells: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class PullResult:
    blocks: list[Block]
    problems: list[Problem]
    rows: dict[str, list[list[Any]]]      # form id -> the Innrapportert rows (also used by the model)


def pull_blocks(year: int, kommuner: Any, forms: Any, submissions: Any,
                model_values: Mapping[str, Any] | None = None, folder: str | None = None,
                now: dt.datetime | None = None,
                excluded: Mapping[tuple[str, str], str] | None = None) -> list[Block]:
    """The blocks to write into the master (see ``pull`` for problems and rows)."""
    return pull(year, kommuner, forms, submissions, model_values, folder, now, excluded).blocks


def pull(year: int, kommuner: Any, forms: Any, submissions: Any,
         model_values: Mapping[str, Any] | None = None, folder: str | None = None,
         now: dt.datetime | None = None,
         excluded: Mapping[tuple[str, str], str] | None = None) -> PullResult:
    excluded = excluded or {}
    pairs = kommune_pairs(year, kommuner)
    expected = expected_forms(year, kommuner)
    forms = resolve_forms(year, forms)
    columns = field_columns(year, forms)
    subs, problems = _normalise(submissions, {nr for nr, _ in pairs})
    blocks, rows = [], {}
    for form_id in FORMS:
        rows[form_id] = [_row(nr, navn, columns[form_id], subs.get((form_id, nr)), forms[form_id],
                              form_id in expected[nr], (form_id, nr) in excluded) for nr, navn in pairs]
        blocks.append(Block(SHEET_INPUT[form_id], f"A{FIRST_DATA_ROW}", rows[form_id]))
    now = now or dt.datetime.now().replace(microsecond=0)
    counts = {f: sum(1 for (ff, _), s in subs.items() if ff == f) for f in FORMS}
    included = {f: sum(1 for r in rows[f] if r[4] == 1) for f in FORMS}
    wanted = {f: sum(1 for nr, _ in pairs if f in expected[nr]) for f in FORMS}
    held = {f: sum(1 for key, s in subs.items() if key[0] == f and key in excluded
                   and s.status in ACCEPTED_STATUSES) for f in FORMS}
    status = "; ".join(f"{f}: {counts[f]} av {wanted[f]} mottatt, {included[f]} inkludert"
                       + (f", {held[f]} holdt utenfor av sekretariatet" if held[f] else "") for f in FORMS)
    blocks.append(Block(SHEET_SETUP, setup_cell("oppsett_status"), [[status], [now]]))
    if folder is not None:
        blocks.append(Block(SHEET_SETUP, setup_cell("oppsett_innleveringsmappe"), [[str(folder)]]))
    if model_values is not None:
        blocks.append(Block(SHEET_CHECKS, f"{MODEL_VALUE_COL}{MODEL_FIRST_ROW}",
                            [[_number(model_values.get(name))] for name, _, _ in MODEL_CHECK]))
    return PullResult(blocks, problems, rows)


def model_block(model_values: Mapping[str, Any]) -> Block:
    """Only the model-check column (when the model runs after the pull)."""
    return Block(SHEET_CHECKS, f"{MODEL_VALUE_COL}{MODEL_FIRST_ROW}",
                 [[_model_cell(model_values, name)] for name, _, _ in MODEL_CHECK])


def _model_cell(model_values: Mapping[str, Any], name: str) -> Any:
    """The model's value; ``MODEL_UNDEFINED`` where the model computed it as undefined (None or NaN),
    blank where the model has no value for it (not run)."""
    if name not in model_values:
        return None
    value = _number(model_values[name])
    return MODEL_UNDEFINED if value is None or value != value else value


def _number(v: Any) -> Any:
    if v is None:
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _cell(c: Any) -> tuple[Any, Any]:
    if isinstance(c, (tuple, list)) and len(c) == 2:
        return c[0], c[1]
    return None, c


def _row(nr: str, navn: str, cols: list[FieldColumn], sub: Submission | None, form: Any,
         wanted: bool = True, held_out: bool = False) -> list[Any]:
    if sub is None:
        return empty_row(nr, navn, len(cols), wanted)
    accepted = sub.status in ACCEPTED_STATUSES and not held_out
    values: Mapping[str, Any] = {}
    if sub.status != "avvist":
        values = compute(form, sub.values) if form is not None else sub.values
    received = sub.received
    if isinstance(received, (int, float)) and not isinstance(received, bool):
        received = dt.datetime.fromtimestamp(received).replace(microsecond=0)
    elif isinstance(received, dt.datetime) and received.tzinfo is not None:
        received = received.astimezone().replace(tzinfo=None)
    return [nr, navn, received, sub.status, 1 if accepted else 0, sub.file, sub.sha256] + \
        [values.get(c.id) for c in cols]


def _normalise(submissions: Any, expected: set[str]) -> tuple[dict[tuple[str, str], Submission], list[Problem]]:
    items: list[Submission] = []
    if isinstance(submissions, Mapping):
        for (form_id, nr), values in submissions.items():
            items.append(Submission(str(form_id), kommunenummer_or_text(nr), "godkjent", dict(values)))
    else:
        files = getattr(submissions, "files", submissions) or []
        for f in files:
            if getattr(f, "replaced_by", None):
                continue
            if not getattr(f, "form_id", None) or not getattr(f, "kommunenummer", None):
                continue   # unidentified files are reported by intake itself
            items.append(Submission(f.form_id, kommunenummer_or_text(f.kommunenummer), str(f.status), dict(f.values or {}),
                                    getattr(f, "file", None), getattr(f, "sha256", None),
                                    getattr(f, "received", None), dict(getattr(f, "cells", None) or {})))
    out: dict[tuple[str, str], Submission] = {}
    problems = []
    for s in items:
        if s.form_id not in FORMS:
            continue
        if s.kommunenummer not in expected:
            problems.append(problem("P010", file=s.file, nr=s.kommunenummer, form_id=s.form_id))
            continue
        if (s.form_id, s.kommunenummer) in out:
            problems.append(problem("P011", file=s.file, nr=s.kommunenummer, form_id=s.form_id))
        out[(s.form_id, s.kommunenummer)] = s
    return out, problems

