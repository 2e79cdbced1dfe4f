"""Cell values from the sheet XML, typed the way python-calamine types them: numbers as floats,
text as str, booleans as bool, ``''`` for error values and for formula cells without a cached
value, and dates (a number in a date-formatted cell) as ``date``/``datetime``/``time``.

The sheet XML is read in full anyway (fingerprint, formulas in input cells), so the values come
from that one pass; ``Settings.value_reader = "calamine"`` reads them with calamine instead, and
a test holds the two readers equal.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from typing import Any

from .safety import Package
from .sheetscan import RawCell, parse_xml_number
from .xmlparts import local, parse

# Built-in number formats that are dates or times (ECMA-376 18.8.30, plus the East Asian ones).
BUILTIN_DATE_FORMATS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_NOT_DATE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_DATE_CHARS = re.compile(r"[dmyhsDMYHS]")
_EPOCH_1900 = datetime(1899, 12, 30)
_EPOCH_1904 = datetime(1904, 1, 1)
# First serial after 31.12.9999, the last date Excel shows (1900 and 1904 date systems).
_DATE_END = {False: 2958466, True: 2957004}


class OutOfRangeDate(float):
    """A number in a date-formatted cell that is no date Excel can show (negative, or after
    9999): Excel shows ####, so the value is reported on its cell (V016), never used."""


def is_date_format(code: str) -> bool:
    """A custom number format shows a date or time (d, m, y, h, s outside quotes and [..])."""
    stripped = _NOT_DATE.sub("", code)
    if stripped.lower() in ("general", "@", ""):
        return False
    return _DATE_CHARS.search(stripped) is not None


def date_styles(package: Package) -> frozenset[str]:
    """Style indexes (cellXfs positions, as text) whose number format is a date or time."""
    root = parse(package, "xl/styles.xml")
    if root is None:
        return frozenset()
    custom: dict[int, bool] = {}
    xfs: list[int] = []
    for child in root:
        tag = local(child.tag)
        if tag == "numFmts":
            for nf in child:
                try:
                    custom[int(nf.get("numFmtId") or -1)] = is_date_format(nf.get("formatCode") or "")
                except ValueError:
                    continue
        elif tag == "cellXfs":
            for xf in child:
                try:
                    xfs.append(int(xf.get("numFmtId") or 0))
                except ValueError:
                    xfs.append(0)
    return frozenset(str(i) for i, fmt in enumerate(xfs)
                     if (custom[fmt] if fmt in custom else fmt in BUILTIN_DATE_FORMATS))


def cell_value(c: RawCell | None, dates: frozenset[str], date1904: bool = False) -> Any:
    if c is None:
        return None
    t, v = c.t, c.value
    if t in ("s", "inlineStr", "str"):
        return v if v is not None else ""
    if t == "b":
        return v == "1" or v == "true"
    if t == "e" or v is None or v == "":
        return ""
    if t == "d":
        try:
            return datetime.fromisoformat(v)
        except ValueError:
            return v
    number = parse_xml_number(v)
    if number is None:
        return v
    if c.s is not None and c.s in dates and math.isfinite(number):
        if not 0 <= number < _DATE_END[date1904]:
            return OutOfRangeDate(number)
        return serial_to_datetime(number, date1904)
    return number


def serial_to_datetime(number: float, date1904: bool = False) -> date | datetime | time | timedelta:
    """An Excel date serial as calamine returns it: date for whole days, time below one day."""
    if not date1904 and number < 60:
        number += 1   # Excel's fictitious 29.2.1900: serials below 60 are one day off
    if 0 <= number < 1:
        seconds = round(number * 86400)
        return time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60)
    moment = (_EPOCH_1904 if date1904 else _EPOCH_1900) + timedelta(days=number)
    moment = moment.replace(microsecond=0) if moment.microsecond < 500 else moment
    return moment.date() if number == int(number) else moment
