"""All rules of the form definition re-run from raw input values: field properties (via
``fieldvalues``), required-when-relevant, data entered where the routing says skip, every check
(kontroll, herav, grense, with its severity) and the computed fields, recomputed.

Uses the one rule engine ``kalk_excel.definition.evaluate``; cached formula values in the file
are never trusted (they are only compared, code R005, when present).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from kalk_excel.definition.evaluate import compute, entered_inputs, missing_required, ruled_out, run_checks, unanswered_parts
from kalk_excel.definition.expr import is_blank, parse
from kalk_excel.definition.lint import calculation_order
from kalk_excel.definition.model import Form
from kalk_excel.problems import Problem

from ..numbertext import fmt_number
from .codes import problem
from .fieldvalues import check_field
from .xmlparts import RawCell

CHECK_CODES = {"kontroll": "R001", "herav": "R002", "grense": "R003"}
_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


@dataclass
class RuleResult:
    values: dict[str, Any] = field(default_factory=dict)     # stored inputs (text neutralised)
    computed: dict[str, Any] = field(default_factory=dict)   # inputs used + recomputed fields
    problems: list[Problem] = field(default_factory=list)


def where_of(form: Form, fid: str, cells: Mapping[str, tuple[str, str]], file: str | None) -> dict[str, Any]:
    f = form.fields.get(fid)
    sheet, cell = cells.get(fid, (None, None))
    part = None
    if f is not None:
        try:
            part = form.part(f.part_id).number
        except KeyError:
            part = None
    return {"file": file, "sheet": sheet, "cell": cell, "field": fid, "part": part,
            "question": f.question if f is not None else None}


def check_inputs(form: Form, raw_values: Mapping[str, Any], raw_cells: Mapping[str, RawCell | None],
                 cells: Mapping[str, tuple[str, str]], file: str | None = None,
                 cached: Mapping[str, Any] | None = None) -> RuleResult:
    """Check every input of ``form`` and run its rules. ``raw_values``: field id -> value as read
    (calamine types); ``raw_cells``: field id -> the cell's XML (formula, type) when known."""
    result = RuleResult()
    use: dict[str, Any] = {}
    unusable: set[str] = set()
    for f in form.inputs():
        fv = check_field(f, raw_values.get(f.id), raw_cells.get(f.id), where_of(form, f.id, cells, file))
        result.problems.extend(fv.problems)
        use[f.id] = fv.use
        if fv.store is not None:
            result.values[f.id] = fv.store
        if fv.unusable:
            unusable.add(f.id)
    computed = compute(form, use)
    result.computed = computed
    tainted = _tainted(form, unusable)
    typed = entered_inputs(form, use) | unusable     # something typed, usable or not
    for part_id in unanswered_parts(form, computed, typed):
        first = next(f.id for f in form.fields_of(part_id) if f.is_input)
        where = where_of(form, first, cells, file)
        where.update(field=None, question=None)   # the problem is the part, not its first cell
        result.problems.append(problem("V017", del_nr=where["part"], **where))
    for fid in missing_required(form, computed, typed):
        if fid not in unusable:
            hint = "Fyll ut feltet. Er tallet 0, skriv 0." if form.fields[fid].is_numeric else "Fyll ut feltet."
            result.problems.append(problem("V010", label=form.fields[fid].label, hint=hint,
                                           **where_of(form, fid, cells, file)))
    relevance: dict[str, bool] = {}   # many fields share their part's or question's expression
    for f in form.inputs():
        entered = not is_blank(use.get(f.id)) or f.id in unusable
        if not entered or not f.relevant:
            continue
        if f.relevant not in relevance:   # data where the answers given rule the field out
            relevance[f.relevant] = not ruled_out(form, f.relevant, computed)
        if not relevance[f.relevant]:
            result.problems.append(problem(
                "V011", value=raw_values.get(f.id), text=_explain(form, f.relevant, f.question),
                **where_of(form, f.id, cells, file)))
    for cr in run_checks(form, computed, typed):
        c = cr.check
        if parse(c.assert_).names & tainted:
            continue   # a value it uses is already reported as unusable
        where = where_of(form, c.field, cells, file)
        if cr.error:
            result.problems.append(problem("R004", check=c.id, detail=cr.error, value=computed.get(c.field), **where))
        elif cr.relevant and cr.passed is False:
            result.problems.append(problem(CHECK_CODES.get(c.kind, "R001"), severity=c.severity, text=c.message,
                                           fixtext=c.fix, value=computed.get(c.field), **where))
    if cached:
        result.problems.extend(_compare_cached(form, computed, cached, cells, file))
    return result


def _tainted(form: Form, unusable: set[str]) -> set[str]:
    """Unusable inputs and every computed field that depends on one."""
    tainted = set(unusable)
    if not tainted:
        return tainted
    for fid in calculation_order(form):
        if parse(form.fields[fid].calculate).names & tainted:
            tainted.add(fid)
    return tainted


def _explain(form: Form, expr: str, question: str) -> str:
    """Norwegian reading of a relevance expression: field ids become their question numbers."""
    def name(m: re.Match[str]) -> str:
        f = form.fields.get(m.group(0))
        return f"svaret på {f.question}" if f else m.group(0)
    text = _NAME.sub(name, expr)
    for a, b in ((" == ", " er "), (" != ", " ikke er "), (" and ", " og "), (" or ", " eller "),
                 (">=", "≥"), ("<=", "≤")):
        text = text.replace(a, b)
    return f"spørsmål {question} skal bare besvares når {text}"


def _compare_cached(form: Form, computed: Mapping[str, Any], cached: Mapping[str, Any],
                    cells: Mapping[str, tuple[str, str]], file: str | None) -> list[Problem]:
    out = []
    for f in form.computed():
        shown = cached.get(f.id)
        mine = computed.get(f.id)
        if not isinstance(shown, (int, float)) or isinstance(shown, bool) or not isinstance(mine, (int, float)):
            continue
        if isinstance(mine, bool) or not math.isfinite(float(shown)):
            continue
        if not math.isclose(float(shown), float(mine), rel_tol=1e-9, abs_tol=0.005):
            out.append(problem("R005", value=shown, found=fmt_number(shown), expected=fmt_number(mine),
                               **where_of(form, f.id, cells, file)))
    return out
