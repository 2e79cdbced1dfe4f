"""Evaluate a filled form in Python from raw input values: computed fields, relevance, checks.

This is the one rule engine used on receipt (intake), by the tests (to compare with what
LibreOffice computes in the workbook) and by the reference model. It follows Excel's blank
semantics (see ``expr``), so a value computed here equals the workbook's formula value.

Skip logic has one meaning (``skiplogic``): a filter question not answered yet leaves its
follow-ups neutral — not required, checks not applied, and not "skipped" either.

A part counts as *answered* as soon as anything is entered in one of its inputs. In a part that
is not answered yet, checks do not apply and required fields are not reported one by one: the
workbook shows the part as "ikke utfylt" and intake reports the part once (``unanswered_parts``).
The survey workbook's Kontroll sheet compiles the same rules (``workbook.kontroll``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .expr import is_blank, parse
from .lint import calculation_order
from .model import Check, Form
from .skiplogic import definitely, possibly


@dataclass(frozen=True)
class CheckResult:
    check: Check
    relevant: bool
    passed: bool | None          # None when not relevant, not evaluable or its part not answered
    error: str | None = None     # e.g. "#DIV/0!" or a type problem (text in a number)
    answered: bool = True        # False: the check's part has nothing entered yet ("ikke utfylt")


def entered_inputs(form: Form, values: Mapping[str, Any]) -> set[str]:
    """Input ids with something entered (a non-blank value)."""
    return {f.id for f in form.inputs() if not is_blank(values.get(f.id))}


def answered_parts(form: Form, entered: set[str]) -> set[str]:
    """Part ids with at least one entered input (``entered``: ids of inputs holding anything,
    usable or not)."""
    return {form.fields[fid].part_id for fid in entered if fid in form.fields}


def input_dependencies(form: Form, expr_text: str) -> set[str]:
    """Input ids an expression depends on, through computed fields."""
    out: set[str] = set()
    todo = list(parse(expr_text).names)
    seen: set[str] = set()
    while todo:
        fid = todo.pop()
        if fid in seen or fid not in form.fields:
            continue
        seen.add(fid)
        f = form.fields[fid]
        if f.is_input:
            out.add(fid)
        else:
            todo.extend(parse(f.calculate).names)
    return out


def check_parts(form: Form, check: Check) -> set[str]:
    """The parts whose inputs a check's assertion depends on (its own part when it uses none):
    the check applies once one of them is answered."""
    return {form.fields[fid].part_id for fid in input_dependencies(form, check.assert_)} or {check.part_id}


def unanswered_parts(form: Form, values: Mapping[str, Any], entered: set[str] | None = None) -> list[str]:
    """Relevant parts with required inputs where nothing at all is entered, in form order."""
    done = answered_parts(form, entered_inputs(form, values) if entered is None else entered)
    return [p.id for p in form.parts
            if p.id not in done and not ruled_out(form, p.relevant, values)
            and any(f.is_input and f.required for f in form.fields_of(p.id))]


def compute(form: Form, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Return inputs plus every computed field (computed values replace anything submitted)."""
    values = {f.id: inputs.get(f.id) for f in form.inputs()}
    for fid in calculation_order(form):
        try:
            values[fid] = parse(form.fields[fid].calculate).evaluate(values)
        except (ZeroDivisionError, TypeError):
            values[fid] = None
    return values


def is_relevant(expr_text: str | None, values: Mapping[str, Any]) -> bool:
    if not expr_text:
        return True
    try:
        return bool(parse(expr_text).evaluate(values))
    except (ZeroDivisionError, TypeError):
        return True


def relevant_now(form: Form, expr_text: str | None, values: Mapping[str, Any]) -> bool:
    """The answers given already make it relevant (a blank filter question counts as not yet)."""
    return is_relevant(definitely(form, expr_text), values)


def ruled_out(form: Form, expr_text: str | None, values: Mapping[str, Any]) -> bool:
    """The answers given rule it out ("nei", another method); a blank filter question does not."""
    return not is_relevant(possibly(form, expr_text), values)


def run_checks(form: Form, values: Mapping[str, Any], entered: set[str] | None = None) -> list[CheckResult]:
    """Evaluate every check of the form over computed ``values`` (from ``compute``); ``entered``
    (default: the non-blank inputs of ``values``) decides which parts are answered."""
    answered = answered_parts(form, entered_inputs(form, values) if entered is None else entered)
    results = []
    for check in form.checks:
        relevant = relevant_now(form, check.relevant, values)
        if not relevant:
            results.append(CheckResult(check, False, None))
            continue
        if not check_parts(form, check) & answered:
            results.append(CheckResult(check, True, None, answered=False))
            continue
        try:
            results.append(CheckResult(check, True, bool(parse(check.assert_).evaluate(values))))
        except ZeroDivisionError:
            results.append(CheckResult(check, True, None, "#DIV/0!"))
        except TypeError as exc:
            results.append(CheckResult(check, True, None, str(exc)))
    return results


def missing_required(form: Form, values: Mapping[str, Any], entered: set[str] | None = None) -> list[str]:
    """Required input fields that are relevant and blank, in answered parts."""
    answered = answered_parts(form, entered_inputs(form, values) if entered is None else entered)
    return [fid for fid, f in form.fields.items()
            if f.is_input and f.required and f.part_id in answered and is_blank(values.get(fid))
            and relevant_now(form, f.relevant, values)]
