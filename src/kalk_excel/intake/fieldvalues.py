"""Field properties checked on each raw input value: type, finiteness, hard bounds, choices,
text length, formulas and error values in input cells, and text neutralisation.

``check_field`` turns what calamine read (plus the cell's XML: formula, error type) into the
value the rule engine uses, the value stored for the master, and the coded problems. A value
that is not usable as its type is blank for the rules (and not reported again as missing).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from kalk_excel.definition.model import Field
from kalk_excel.problems import Problem

from ..numbertext import fmt_number, fmt_plain, parse_number_text
from .cellvalues import OutOfRangeDate
from .codes import problem
from .neutralise import needs_neutralising, neutralise
from .sheetscan import parse_xml_number
from .xmlparts import RawCell

_EXTERNAL = re.compile(r"\[[^\]]*\]")                   # [1]Sheet!A1, [book.xlsx]Sheet!A1
_DDE = re.compile(r"^[^!\"]*\|")                        # cmd|'/C calc'!A0, =DDE-style app|topic
_HYPERLINK = re.compile(r"\bHYPERLINK\s*\(", re.IGNORECASE)


@dataclass
class FieldValue:
    use: Any = None              # value for the rule engine (None = blank / unusable)
    store: Any = None            # value kept for the master (text neutralised)
    problems: list[Problem] = field(default_factory=list)
    unusable: bool = False       # something was there but could not be used


def check_field(f: Field, value: Any, raw: RawCell | None, where: dict[str, Any]) -> FieldValue:
    """Check one input value. ``where`` holds file/sheet/cell/field/part/question for problems."""
    out = FieldValue()

    def add(code: str, value: Any = None, **fmt: Any) -> None:
        out.problems.append(problem(code, value=value, **where, **fmt))

    if raw is not None and raw.formula is not None:
        _formula_problem(raw, value, add)
        out.unusable = True
        return out
    if raw is not None and raw.t == "e":
        add("V012", value=raw.value, text=raw.value)
        out.unusable = True
        return out
    if isinstance(value, OutOfRangeDate):
        add("V016", value=float(value), text=fmt_number(float(value)))
        out.unusable = True
        return out
    if raw is not None and raw.t == "n" and raw.value not in (None, ""):
        number = parse_xml_number(raw.value)
        if number is None:
            add("V007", value=raw.value, text=raw.value)
            out.unusable = True
            return out
        if not math.isfinite(number):
            value = number
    if value is None or value == "":
        return out
    if isinstance(value, bool):
        add("V014", value=value, text="SANN" if value else "USANN")
        out.unusable = True
        return out
    if f.is_numeric:
        return _numeric(f, value, out, add)
    if f.type in ("ja_nei", "valg"):
        return _choice(f, value, out, add)
    return _text(f, value, out, add)


def _formula_problem(raw: RawCell, cached: Any, add: Any) -> None:
    formula = raw.formula or ""
    if _EXTERNAL.search(formula):
        add("I008", value="=" + formula, formula=formula)
    elif _DDE.search(formula):
        add("I009", value="=" + formula, formula=formula)
    elif _HYPERLINK.search(formula):
        add("I010", value="=" + formula, formula=formula)
    else:
        suggestion = ""
        if isinstance(cached, (int, float)) and not isinstance(cached, bool) and math.isfinite(cached):
            suggestion = f" (formelen viser {fmt_number(cached)})"
        add("I007", value="=" + formula, formula=formula, suggestion=suggestion)


def _numeric(f: Field, value: Any, out: FieldValue, add: Any) -> FieldValue:
    if isinstance(value, (datetime, date, time, timedelta)):
        add("V003", value=value.isoformat() if hasattr(value, "isoformat") else str(value), text=_date_text(value))
        out.unusable = True
        return out
    if isinstance(value, str):
        number = parse_number_text(value)
        out.unusable = True
        if number is None:
            add("V001", value=value, text=value)
        else:
            add("V002", value=value, text=value, number=fmt_plain(number))
        return out
    number = float(value)
    if not math.isfinite(number):
        add("V007", value=str(number), text=str(number))
        out.unusable = True
        return out
    if f.type == "heltall" and not number.is_integer():
        add("V004", value=number, number=fmt_number(number))
    if f.min is not None and number < f.min:
        add("V005", value=number, number=fmt_number(number), limit=fmt_number(f.min))
    if f.max is not None and number > f.max:
        add("V006", value=number, number=fmt_number(number), limit=fmt_number(f.max))
    if f.type == "prosent" and 0 < number < 1:
        # Excel turns "50 %" typed into a cell into 0.5: most likely a share, not half a percent
        add("V015", value=number, number=fmt_number(number), percent=fmt_number(round(number * 100, 4)))
    stored: Any = int(number) if f.type == "heltall" and number.is_integer() and abs(number) < 2**53 else number
    out.use = stored
    out.store = stored
    return out


def _choice(f: Field, value: Any, out: FieldValue, add: Any) -> FieldValue:
    text = fmt_number(value) if isinstance(value, (int, float)) else str(value)
    wanted = text.strip().casefold()
    for choice in f.choices:
        if choice.casefold() == wanted:
            out.use = out.store = choice
            return out
    add("V008", value=value, text=text, choices=", ".join(f.choices))
    out.unusable = True
    return out


def _text(f: Field, value: Any, out: FieldValue, add: Any) -> FieldValue:
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    elif isinstance(value, (datetime, date, time)):
        text = value.isoformat()
    else:
        text = str(value)
    if f.max_length is not None and len(text) > f.max_length:
        add("V009", value=text, length=len(text), limit=f.max_length)
    if needs_neutralising(text):
        add("V013", value=text)
    out.use = out.store = neutralise(text)
    return out


def _date_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)
