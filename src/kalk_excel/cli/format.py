"""How results are shown on the terminal: kroner with a space as thousands separator, ratios as
percent with one decimal and a decimal comma (the report's precision)."""

from __future__ import annotations

from ..pipeline.results import is_ratio


def fmt_value(name: str, value: float | None) -> str:
    if value is None:
        return "–"
    if is_ratio(name):
        return f"{value * 100:.1f} %".replace(".", ",")
    return f"{value:,.0f}".replace(",", " ")


def fmt_report(name: str, value: float | None) -> str:
    """A published value: ratios are printed in percent already."""
    if value is None:
        return "–"
    return f"{value:.1f} %".replace(".", ",") if is_ratio(name) else fmt_value("", value)
