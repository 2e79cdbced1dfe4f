"""Fingerprint of a survey workbook: its locked content and its identity (see docs/arkitektur.md).

v2 (written since issue 8): an HMAC-SHA256 with the secretariat's secret key (``config.
fingerprint_key``) over the content lines below *and* the identity lines: the ``_meta`` key/value
rows (kommune, year, skjema, version, build arguments), the field -> cell map, where each field's
defined name points, and the ``kalk_*`` document properties. A municipality can neither edit
locked text, nor claim another municipality, nor swap fields, and then recompute it: it lacks the
key. v1 (still read): plain SHA-256 over the content lines only, which anyone can recompute.

Content lines: every non-empty cell that is not an input cell, on every sheet but ``_meta``:
sorted lines ``sheet \\t cell \\t F|V \\t text``. Formula text is normalised (no leading ``=``, no
``_xlfn.``, upper case and no spaces outside string literals); numbers are written as their
shortest repr, integral floats as ints. The generator feeds it what it writes; intake feeds it
what it reads back from a returned file's XML — both pass plain (sheet, A1 ref, value) triples,
where a formula is the text "=..." (as stored, without cached value), a number is an int or float
(convert the XML's ``<v>`` text of numeric cells to float) and text is the string itself.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Iterable, Mapping

METHOD = "v2"            # keyed (HMAC-SHA256), content + identity
UNKEYED_METHOD = "v1"    # plain SHA-256 of the content (files made before v2, or without a key)
METHODS = (UNKEYED_METHOD, METHOD)
_SEPARATOR = "\n\x1e\n"   # between content and identity lines (a record separator no cell line holds)
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


def content_lines(cells: Iterable[tuple[str, str, object]]) -> list[str]:
    """The sorted fingerprint lines of ``cells`` (sheet, A1 ref, value)."""
    return sorted(line for sheet, ref, value in cells if (line := cell_line(sheet, ref, value)) is not None)


def fingerprint(cells: Iterable[tuple[str, str, object]]) -> str:
    """v1: SHA-256 hex of the sorted fingerprint lines of ``cells`` (sheet, A1 ref, value)."""
    return digest(content_lines(cells))


def identity_lines(meta: Mapping[str, str], fields: Mapping[str, tuple[str, str, str, bool]],
                   names: Mapping[str, tuple[str, str] | None], properties: Mapping[str, str]) -> list[str]:
    """The identity a v2 fingerprint covers: ``meta`` (the signed ``_meta`` keys -> text),
    ``fields`` (field id -> sheet, cell, type, computed), ``names`` (field id -> where its defined
    name points, None if missing) and ``properties`` (``kalk_*`` document property -> text)."""
    lines = [f"M\t{k}\t{str(v).strip()}" for k, v in meta.items()]
    lines += [f"F\t{fid}\t{sheet}\t{cell.upper()}\t{ftype}\t{1 if computed else 0}"
              for fid, (sheet, cell, ftype, computed) in fields.items()]
    lines += [f"N\t{fid}\t{target[0]}\t{target[1].upper()}" if target else f"N\t{fid}\t\t"
              for fid, target in names.items()]
    lines += [f"P\t{k}\t{str(v).strip()}" for k, v in properties.items()]
    return sorted(lines)


def digest(lines: list[str], key: str | None = None, identity: list[str] | None = None) -> str:
    """v1 (``key`` None): SHA-256 hex of the content lines. v2: HMAC-SHA256 hex with ``key`` over
    the content lines and the identity lines."""
    content = "\n".join(lines)
    if key is None:
        return hashlib.sha256(content.encode("utf-8")).hexdigest()
    message = content + _SEPARATOR + "\n".join(identity or [])
    return hmac.new(key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    """Compare two fingerprints in constant time."""
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))
