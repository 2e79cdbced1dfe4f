"""The secretariat's corrections (*Korreksjoner* in the master) applied on top of the pulled values.

A correction replaces one submitted input value of one municipality's survey, with a reason, a
source, a date and who registered it (after a visit, or after the KOSTRA publication in March).
``parse_corrections`` checks every row and reports the ones that cannot be used (unknown kommune,
survey or field, a computed field, a value of the wrong type or outside the field's limits, no
reason) as ``Problem`` records naming the row; those rows are ignored and nothing else changes.
``apply_corrections`` puts the usable rows on top of the submissions that count: the calculation
(and the form's computed fields, which the pull recomputes from the inputs) uses the corrected
value; the form's checks are run again on the corrected values and a check that now fails is a
record too. ``Applied`` keeps the submitted value for *Sporbarhet* and the sheet's own I:J columns.

Decision (issue 10): *Innrapportert* holds the values the calculation uses, so a corrected field
shows the corrected value there; the submitted value stays visible beside the correction on
*Korreksjoner* (column I) and on *Sporbarhet* (part 3: submitted value, corrected value, reason,
source, who), and the submission's file and SHA-256 are unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from ..codes import problem, render
from ..definition.evaluate import compute, run_checks
from ..definition.model import NUMERIC_TYPES, Form, Kommune
from ..intake.results import FileResult
from ..master.layout import (
    ACCEPTED_STATUSES,
    CORRECTION_COLUMNS,
    CORRECTION_FIRST_ROW,
    CORRECTION_ROWS,
    FORMS,
    SHEET_CORRECTIONS,
    col,
)
from ..numbertext import parse_number_text
from ..problems import Problem
from .blocks import Block
from .codes import ROW_NOT_USED
from .state import kommunenummer

USED = "ja"


@dataclass(frozen=True)
class Correction:
    row: int                   # the sheet row on Korreksjoner
    kommunenummer: str
    form_id: str
    field_id: str
    value: Any                 # typed for the field (float for numbers, "ja"/"nei", text)
    reason: str
    source: str
    date: Any
    who: str


@dataclass
class Applied:
    correction: Correction
    submitted: Any             # the value in the municipality's file (None when empty)
    file: str | None
    sha256: str | None


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, (dt.datetime, dt.date)):
        return v.strftime("%d.%m.%Y")
    return str(v).strip()


def field_text(form: Form, fid: str) -> str:
    """A field as the secretariat reads it: del, spørsmål and label."""
    f = form.fields[fid]
    return f"del {f.part_id}, spørsmål {f.question} «{f.label}»"


def _typed(form: Form, fid: str, raw: Any) -> tuple[Any, str | None]:
    """The value typed for the field, or (None, why not) in Norwegian."""
    f = form.fields[fid]
    if f.type in NUMERIC_TYPES:
        if isinstance(raw, bool):
            return None, "verdien er ikke et tall"
        if isinstance(raw, (int, float)):
            value: float | None = float(raw)
        else:
            value = parse_number_text(str(raw))
        if value is None:
            return None, f"«{_text(raw)}» er ikke et tall"
        if f.type == "heltall" and not value.is_integer():
            return None, f"{_text(raw)} er ikke et helt tall"
        if f.min is not None and value < f.min:
            return None, f"{_text(raw)} er lavere enn laveste tillatte verdi {_text(f.min)}"
        if f.max is not None and value > f.max:
            return None, f"{_text(raw)} er høyere enn høyeste tillatte verdi {_text(f.max)}"
        return (int(value) if value.is_integer() else value), None
    text = _text(raw)
    if f.type == "ja_nei":
        if text.lower() not in ("ja", "nei"):
            return None, f"«{text}» er ikke ja eller nei"
        return text.lower(), None
    if f.type == "valg":
        match = next((c for c in f.choices if c.lower() == text.lower()), None)
        if match is None:
            return None, f"«{text}» er ikke et av valgene ({', '.join(f.choices)})"
        return match, None
    if f.max_length is not None and len(text) > f.max_length:
        return None, f"teksten er lengre enn {f.max_length} tegn"
    return text, None


def parse_corrections(rows: list[list[Any]], kommuner: list[Kommune], forms: Mapping[str, Form],
                      first_row: int = CORRECTION_FIRST_ROW) -> tuple[list[Correction], list[Problem], dict[int, str]]:
    """The usable rows (a later row for the same kommune, survey and field replaces an earlier one),
    a Problem per unusable row, and the status text per sheet row (column J)."""
    known = {k.kommunenummer: k for k in kommuner}
    width = len(CORRECTION_COLUMNS)
    out: dict[tuple[str, str, str], Correction] = {}
    problems: list[Problem] = []
    status: dict[int, str] = {}
    for i, raw in enumerate(rows):
        raw = list(raw)[:width] + [None] * (width - len(raw))
        if not any(_text(v) for v in raw):
            continue
        row = first_row + i
        where = f"{SHEET_CORRECTIONS}, rad {row}"

        def bad(code: str, column: int, value: Any = None, variant: str = "", where: str = where, row: int = row,
                **values: Any) -> None:
            text = render(code, variant, **values)
            problems.append(Problem(code, "feil", f"{where}: {text.message} {ROW_NOT_USED}", text.fix,
                                    sheet=SHEET_CORRECTIONS, cell=f"{col(column)}{row}", value=value))
            status[row] = "nei: " + text.message

        nr = kommunenummer(raw[0])
        form_id = _text(raw[1]).lower()
        fid = _text(raw[2])
        if nr is None or nr not in known:
            bad("P080", 1, raw[0], shown=_text(raw[0]))
            continue
        if form_id not in FORMS or form_id not in forms:
            bad("P081", 2, raw[1], shown=_text(raw[1]))
            continue
        form = forms[form_id]
        if fid not in form.fields:
            bad("P082", 3, raw[2], shown=fid, form_id=form_id)
            continue
        if not form.fields[fid].is_input:
            bad("P083", 3, raw[2], what=field_text(form, fid))
            continue
        if not _text(raw[4]):
            bad("P084", 5, what=field_text(form, fid))
            continue
        if not _text(raw[3]):
            bad("P085", 4, what=field_text(form, fid))
            continue
        value, why = _typed(form, fid, raw[3])
        if why is not None:
            bad("P085", 4, raw[3], "ugyldig", what=field_text(form, fid), why=why)
            continue
        key = (nr, form_id, fid)
        if key in out:
            earlier = out[key].row
            problems.append(problem("P086", sheet=SHEET_CORRECTIONS, cell=f"A{row}", value=nr, where=where,
                                    what=field_text(form, fid), nr=nr, earlier=earlier))
            status[earlier] = f"nei: erstattet av rad {row}"
        out[key] = Correction(row, nr, form_id, fid, value, _text(raw[4]), _text(raw[5]), raw[6], _text(raw[7]))
        status[row] = USED
    return list(out.values()), problems, status


def apply_corrections(chosen: Mapping[tuple[str, str], FileResult], corrections: list[Correction],
                      forms: Mapping[str, Form], status: dict[int, str] | None = None,
                      ) -> tuple[dict[tuple[str, str], FileResult], list[Applied], list[Problem]]:
    """``chosen`` with the corrections applied to copies of the accepted submissions (the files'
    own records are not changed), what was applied, and the records: a correction for a
    municipality without an accepted submission (not applied), and a form check that fails on the
    corrected values."""
    status = status if status is not None else {}
    out = dict(chosen)
    applied: list[Applied] = []
    problems: list[Problem] = []
    by_key: dict[tuple[str, str], list[Correction]] = {}
    for c in corrections:
        by_key.setdefault((c.form_id, c.kommunenummer), []).append(c)
    for key, group in by_key.items():
        form_id, nr = key
        sub = chosen.get(key)
        if sub is None or sub.status not in ACCEPTED_STATUSES:
            for c in group:
                problems.append(problem("P087", sheet=SHEET_CORRECTIONS, cell=f"A{c.row}", value=nr, row=c.row, nr=nr,
                                        form_id=form_id))
                status[c.row] = "nei: ingen godkjent innlevering"
            continue
        form = forms[form_id]
        values = dict(sub.values)
        for c in group:
            applied.append(Applied(c, sub.values.get(c.field_id), sub.file, sub.sha256))
            values[c.field_id] = c.value
        out[key] = dataclasses.replace(sub, values=values, computed=compute(form, values))
        before = {r.check.id for r in run_checks(form, compute(form, sub.values)) if r.passed is False}
        for r in run_checks(form, out[key].computed):
            if r.passed is False and r.check.id not in before:
                target = r.check.field if r.check.field in form.fields else None
                shown = field_text(form, target) if target else f"spørsmål {r.check.question}"
                problems.append(problem("P088", severity=r.check.severity, sheet=SHEET_CORRECTIONS,
                                        cell=f"A{group[-1].row}", value=nr, nr=nr, form_id=form_id, shown=shown,
                                        check=r.check.message))
    return out, applied, problems


def pulled_block(applied: list[Applied], status: dict[int, str], first_row: int = CORRECTION_FIRST_ROW) -> Block:
    """Columns I:J of *Korreksjoner*: the submitted value and whether the row is used (every row of
    the table, so earlier texts are cleared)."""
    submitted = {a.correction.row: a.submitted for a in applied}
    rows = [[submitted.get(r), status.get(r)] for r in range(first_row, first_row + CORRECTION_ROWS)]
    return Block(SHEET_CORRECTIONS, f"{col(len(CORRECTION_COLUMNS) + 1)}{first_row}", rows)


def carry_block(rows: list[list[Any]], first_row: int = CORRECTION_FIRST_ROW) -> tuple[list[Block], list[Problem]]:
    """The table as read, for a freshly built master (``beregn``): the same rows in the same places.
    Rows that do not fit the new table are reported (``P089``) and not carried."""
    width = len(CORRECTION_COLUMNS)
    fitted: list[list[Any]] = [[None] * width for _ in range(CORRECTION_ROWS)]
    problems: list[Problem] = []
    for i, r in enumerate(rows):
        r = list(r)[:width] + [None] * (width - len(r))
        if not any(_text(v) for v in r):
            continue
        target = first_row - CORRECTION_FIRST_ROW + i
        if 0 <= target < CORRECTION_ROWS:
            fitted[target] = r
        else:
            problems.append(problem("P089", sheet=SHEET_CORRECTIONS, value=" / ".join(_text(v) for v in r),
                                    row=first_row + i, rows=CORRECTION_ROWS))
    if not any(any(_text(v) for v in r) for r in fitted):
        return [], problems
    return [Block(SHEET_CORRECTIONS, f"A{CORRECTION_FIRST_ROW}", fitted)], problems
