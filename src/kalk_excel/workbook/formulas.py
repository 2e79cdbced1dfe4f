"""Definition expressions -> Excel formula text for the survey workbook (field ids are defined
names): ``expr.parse(text).to_excel()``, cached, in one place so every sheet writer (computed
cells, Kontroll statuses, conditional formats) compiles expressions the same way.
"""

from __future__ import annotations

from functools import lru_cache

from ..definition.expr import parse


@lru_cache(maxsize=8192)
def excel(text: str) -> str:
    """Excel formula text (without '=') of a definition expression."""
    return parse(text).to_excel()
