"""Definition expressions -> Excel formula text for the survey workbook (field ids are defined
names): ``expr.parse(text).to_excel()``, cached, in one place so every sheet writer (computed
cells, Kontroll statuses, conditional formats) compiles expressions the same way.

A numeric input is read as ``N(name)``: text in a number cell (also a number stored as text)
counts as blank, exactly as on receipt, where such a value is unusable and reported instead of
being added in. ``tom``/``utfylt`` still see the text.
"""

from __future__ import annotations

from functools import lru_cache

from ..definition.expr import parse
from ..definition.model import Form


def numeric_inputs(form: Form) -> frozenset[str]:
    return frozenset(f.id for f in form.inputs() if f.is_numeric)


@lru_cache(maxsize=16384)
def excel(text: str, numeric: frozenset[str] = frozenset()) -> str:
    """Excel formula text (without '=') of a definition expression; ``numeric``: the form's
    numeric input ids (``numeric_inputs``), read through ``N()``."""
    return parse(text).to_excel(value=lambda name: f"N({name})" if name in numeric else name)
