"""Reading numbers typed as text the Norwegian way ("1 234,50", "kr 1.234,50", "−12") so the
feedback can suggest the number the municipality meant; and number formatting for messages.
"""

from __future__ import annotations

import math
import re

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")
_AFFIX = re.compile(r"^(kr\.?|nok)\s*|\s*(kr\.?|nok|,-|\.-)$", re.IGNORECASE)
_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")


def parse_number_text(text: str) -> float | None:
    """The number a text most likely means, or None. Thousands: space, dot; decimals: comma."""
    s = text.strip().replace("\u2212", "-")
    s = _AFFIX.sub("", s).strip()
    if s.endswith("%"):
        s = s[:-1]
    s = _SPACES.sub("", s)
    if not s:
        return None
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif "," in s:
        s = s.replace(",", ".") if s.count(",") == 1 else s.replace(",", "")
    elif s.count(".") > 1:
        s = s.replace(".", "")
    if not _PLAIN.match(s):
        return None
    value = float(s)
    return value if math.isfinite(value) else None


def fmt_number(value: float | int) -> str:
    """Norwegian display: thousands with space, decimal comma, integral floats as integers."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    if abs(value) >= 1e15 or (value != 0 and abs(value) < 1e-4):
        return f"{value:g}".replace(".", ",")
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",")


def fmt_plain(value: float) -> str:
    """A number as it should be typed in Excel with Norwegian settings: no spaces, decimal comma."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value).replace(".", ",")
