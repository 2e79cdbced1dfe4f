"""Fingerprint v1 of a survey workbook's locked content (see docs/arkitektur.md).

SHA-256 over every non-empty cell that is not an input cell, on every sheet but ``_meta``:
sorted lines ``sheet \\t cell \\t F|V \\t text``. Formula text is normalised (no leading ``=``, no
``_xlfn.``, upper case and no spaces outside string literals); numbers are written as their
shortest repr, integral floats as ints. The generator feeds it what it writes; intake feeds it
what it reads back from a returned file's XML — both pass plain (sheet, A1 ref, value) triples,
where a formula is the text "=..." (as stored, without cached value), a number is an int or float
(convert the XML's ``<v>`` text of numeric cells to float) and text is the string itself.
"""

from __future__ import annotations

import hashlib
import re
from typing import Iterable

METHOD = "v1"
_XLFN = re.compile(r"_xlfn\.", re.IGNORECASE)


def normalise_formula(text: str) -> str:
    """Formula text without '=', '_xlfn.', spaces outside "..." literals, upper-cased outside them."""
    text = text[1:] if text.startswith("=") else text
    text = _XLFN.sub("", text)
    out: list[str] = []
    in_string = False
    for ch in text:
        if ch == '"':
            in_string = not in_string   # a doubled "" toggles twice: stays inside
            out.append(ch)
        elif in_string:
            out.append(ch)
        elif ch in " \t\r\n":
            continue
        else:
            out.append(ch.upper())
    return "".join(out)


def normalise_number(value: float | int) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


def cell_line(sheet: str, ref: str, value: object) -> str | None:
    """The fingerprint line of one cell, or None for an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.startswith("=") and len(value) > 1:
        return f"{sheet}\t{ref.upper()}\tF\t{normalise_formula(value)}"
    if isinstance(value, (int, float)):
        text = normalise_number(value)
    else:
        text = str(value)
    return f"{sheet}\t{ref.upper()}\tV\t{text}"


def fingerprint(cells: Iterable[tuple[str, str, object]]) -> str:
    """SHA-256 hex of the sorted fingerprint lines of ``cells`` (sheet, A1 ref, value)."""
    lines = sorted(line for sheet, ref, value in cells if (line := cell_line(sheet, ref, value)) is not None)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
