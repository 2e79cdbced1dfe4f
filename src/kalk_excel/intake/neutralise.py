"""The neutralisation rule for text that will be copied into the master workbook.

Text from a municipality must never become a formula, in our workbooks or in anyone's
spreadsheet that imports our reports (CSV/formula injection). A text whose first character is
``=``, ``+``, ``-``, ``@``, tab, carriage return or line feed is stored with a leading ``'``;
everything else is kept as typed. The original is kept in the problem's value (code V013).
"""

from __future__ import annotations

from typing import Any

LEADING = ("=", "+", "-", "@", "\t", "\r", "\n")


def needs_neutralising(text: str) -> bool:
    return bool(text) and text[0] in LEADING


def neutralise(text: str) -> str:
    return "'" + text if needs_neutralising(text) else text


def neutralise_any(value: Any) -> Any:
    return neutralise(value) if isinstance(value, str) else value
