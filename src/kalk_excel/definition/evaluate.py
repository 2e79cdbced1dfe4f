"""Evaluate a filled form in Python from raw input values: computed fields, relevance, checks.

This is the one rule engine used on receipt (intake), by the tests (to compare with what
LibreOffice computes in the workbook) and by the reference model. It follows Excel's blank
semantics (see ``expr``), so a value computed here equals the workbook's formula value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .expr import is_blank, parse
from .lint import calculation_order
from .model import Check, Form


@dataclass(frozen=True)
class CheckResult:
    check: Check
    relevant: bool
    passed: bool | None          # None when not relevant or not evaluable
    error: str | None = None     # e.g. "#DIV/0!" or a type problem (text in a number)


def compute(form: Form, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Return inputs plus every computed field (computed values replace anything submitted)."""
    values = {fid: inputs.get(fid) for fid, f in form.fields.items() if f.is_input}
    for fid in calculation_order(form):
        try:
            values[fid] = parse(form.fields[fid].calculate).evaluate(values)  # type: ignore[arg-type]
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


def run_checks(form: Form, values: Mapping[str, Any]) -> list[CheckResult]:
    """Evaluate every check of the form over computed ``values`` (from ``compute``)."""
    results = []
    for check in form.checks:
        relevant = is_relevant(check.relevant, values)
        if not relevant:
            results.append(CheckResult(check, False, None))
            continue
        try:
            results.append(CheckResult(check, True, bool(parse(check.assert_).evaluate(values))))
        except ZeroDivisionError:
            results.append(CheckResult(check, True, None, "#DIV/0!"))
        except TypeError as exc:
            results.append(CheckResult(check, True, None, str(exc)))
    return results


def missing_required(form: Form, values: Mapping[str, Any]) -> list[str]:
    """Required input fields that are relevant and blank."""
    return [fid for fid, f in form.fields.items()
            if f.is_input and f.required and is_blank(values.get(fid)) and is_relevant(f.relevant, values)]
