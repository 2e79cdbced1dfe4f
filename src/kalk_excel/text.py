"""The one place that makes untrusted text safe to write: into an xlsx cell, a JSON file or the
terminal. Everything a municipality controls (file and folder names, cell text, metadata) passes
through here before it reaches one of those sinks.

- ``clean_text``: lone surrogates (including the ``surrogateescape`` code points Python uses for
  file names that are not valid UTF-8) and characters XML 1.0 cannot hold become U+FFFD, so the
  text always encodes as UTF-8 and always makes well-formed XML.
- ``cell_text``: ``clean_text`` cut to Excel's 32 767 characters per cell, with a visible note
  saying how much was cut.
- ``terminal_text``: ``clean_text`` without the C1 control and bidirectional-override characters a
  terminal would act on, and with rich's markup escaped, so ``[/x]`` in a cell or file name is shown
  as typed instead of styling the output or stopping it with an error.
- ``display_name`` / ``display_path``: a file or folder name as a person should see it (bytes
  that are not UTF-8 shown as U+FFFD); ``is_utf8_name`` tells whether a name had such bytes.
"""

from __future__ import annotations

import os
import re
from typing import Any

MAX_CELL_CHARS = 32767          # Excel's limit for the text of one cell
REPLACEMENT = "\ufffd"
CUT_NOTE = " … [avkortet: {n} tegn er utelatt]"

# Characters XML 1.0 does not allow (C0 controls except tab/LF/CR, surrogates, U+FFFE/U+FFFF).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: Any, limit: int | None = None) -> str:
    """``value`` as text that is valid UTF-8 and valid XML; cut to ``limit`` characters (note
    included) when given."""
    text = value if isinstance(value, str) else str(value)
    if _XML_ILLEGAL.search(text):
        text = _XML_ILLEGAL.sub(REPLACEMENT, text)
    if limit is not None and len(text) > limit:
        text = cut(text, limit)
    return text


def cut(text: str, limit: int) -> str:
    """``text`` cut so that it, with the note saying how much is left out, is at most ``limit``."""
    if len(text) <= limit:
        return text
    keep = max(limit - len(CUT_NOTE.format(n=len(text))), 0)
    if limit - len(CUT_NOTE.format(n=len(text) - keep - 1)) > keep:   # the count has fewer digits
        keep = max(limit - len(CUT_NOTE.format(n=len(text) - keep - 1)), 0)
    return text[:keep] + CUT_NOTE.format(n=len(text) - keep)


def cell_text(value: Any) -> str:
    """Text for one spreadsheet cell: clean and at most 32 767 characters."""
    return clean_text(value, MAX_CELL_CHARS)


_TERMINAL = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_text(value: Any) -> str:
    """Text for rich's console: clean, no terminal control or bidi-override characters, markup
    escaped."""
    from rich.markup import escape

    return escape(_TERMINAL.sub(REPLACEMENT, clean_text(value)))


def is_utf8_name(name: str | bytes | os.PathLike[str]) -> bool:
    """False when a file or folder name has bytes that are not UTF-8 (decoded by Python with
    ``surrogateescape``) or characters no XML can hold."""
    if isinstance(name, bytes):
        try:
            name.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    text = os.fspath(name)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def display_name(name: str | bytes | os.PathLike[str]) -> str:
    """A file or folder name (or whole path) as shown to people: never raises, always UTF-8."""
    if isinstance(name, bytes):
        return clean_text(name.decode("utf-8", "replace"))
    return clean_text(os.fspath(name))


display_path = display_name
