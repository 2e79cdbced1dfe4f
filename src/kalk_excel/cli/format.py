"""How results are shown on the terminal: kroner with a space as thousands separator, ratios as
percent with one decimal and a decimal comma (the report's precision); and the output protocol
`demo` and `beregn` share (one JSON object with --json, else tables; exit 1 when Excel and the
model disagree)."""

from __future__ import annotations

import json
from typing import Any, Callable

import click

from ..numbertext import number_text, percent_text, points_text
from ..pipeline.results import is_ratio


def fmt_value(name: str, value: float | None) -> str:
    if value is None:
        return "–"
    if is_ratio(name):
        return percent_text(value)
    return number_text(value, decimals=0)


def fmt_report(name: str, value: float | None) -> str:
    """A published value: ratios are printed in percent already."""
    if value is None:
        return "–"
    return points_text(value) if is_ratio(name) else fmt_value("", value)


def finish(result: Any, as_json: bool, show: Callable[[Any], None]) -> None:
    """Print ``result`` (JSON or tables) and exit: 0 when Excel and the model agree (and, for
    ``beregn``, the new master was used and nothing needs attention: ``result.ok``), else 1."""
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2, default=str))
    else:
        show(result)
    raise SystemExit(0 if getattr(result, "ok", result.agree) else 1)
