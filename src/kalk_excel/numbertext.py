"""Norwegian number text, the one home: reading numbers typed the Norwegian way ("1 234,50",
"kr 1.234,50", "−12") so the feedback can suggest the number meant, and writing numbers and
percentages for people (thousands with a space, decimal comma): workbook notes and validation
messages, intake messages, the terminal and the add-in's summary.
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


def number_text(value: float | int, decimals: int | None = None) -> str:
    """Thousands with a space, decimal comma. ``decimals=None``: integral values as integers, other
    values with up to six decimals (trailing zeros dropped); ``decimals=n``: integral values as
    integers, others rounded to ``n`` decimals."""
    if decimals is None:
        return fmt_number(value)
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", " ")
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")


def percent_text(ratio: float, decimals: int = 1) -> str:
    """A ratio (0.909) as percent text ("90,9 %")."""
    return points_text(ratio * 100, decimals)


def points_text(percent: float, decimals: int = 1) -> str:
    """A value already in percent (90.9) as percent text ("90,9 %")."""
    return f"{percent:.{decimals}f}".replace(".", ",") + " %"


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
