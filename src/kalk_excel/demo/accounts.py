"""Generic helpers that put a target amount into a form definition's input cells: find a table's
cells by row and column, find how a computed field depends on an input (its slope, by evaluating
the definition), split gross expenses and incomes over the cells and solve one cell exactly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..definition.evaluate import compute
from ..definition.model import Form, TableBlock
from .balance import allocate

PROBE = 1_000_000.0


def table(form: Form, table_id: str) -> TableBlock:
    for part in form.parts:
        for q in part.questions:
            for block in q.blocks:
                if isinstance(block, TableBlock) and block.id == table_id:
                    return block
    raise KeyError(f"tabellen {table_id} finnes ikke i definisjonen")


def column(form: Form, table_id: str, col_key: str | None = None) -> dict[str, str]:
    """Input cells of one column: row key -> field id (computed rows left out).

    Without ``col_key`` the table's only numeric column is used."""
    tb = table(form, table_id)
    if col_key is None:
        numeric = [j for j, c in enumerate(tb.columns)
                   if any(fid and form.fields[fid].is_numeric for fid in (cells[j] for cells in tb.cells))]
        if len(numeric) != 1:
            raise KeyError(f"tabellen {table_id} har ikke nøyaktig én tallkolonne")
        j = numeric[0]
    else:
        j = [c.key for c in tb.columns].index(col_key)
    out = {}
    for row, cells in zip(tb.rows, tb.cells, strict=False):
        fid = cells[j]
        if fid is not None and form.fields[fid].is_input:
            out[row.key] = fid
    return out


def row(form: Form, table_id: str, row_key: str) -> dict[str, str]:
    """Input cells of one row: column key -> field id."""
    tb = table(form, table_id)
    i = [r.key for r in tb.rows].index(row_key)
    return {c.key: fid for c, fid in zip(tb.columns, tb.cells[i], strict=False)
            if fid is not None and form.fields[fid].is_input}


def slope(form: Form, values: Mapping[str, Any], field_in: str, target_field: str) -> tuple[float, float]:
    """(value of target_field with field_in = 0, change per krone of field_in)."""
    v = dict(values)
    v[field_in] = 0
    base = float(compute(form, v)[target_field] or 0)
    v[field_in] = PROBE
    return base, (float(compute(form, v)[target_field] or 0) - base) / PROBE


def solve(form: Form, values: dict[str, Any], field_in: str, target_field: str, target: float) -> None:
    """Set ``field_in`` so that ``target_field`` equals ``target`` (the definition is linear in it)."""
    base, k = slope(form, values, field_in, target_field)
    if k == 0:
        raise ValueError(f"{target_field} avhenger ikke av {field_in}")
    x = (target - base) / k
    values[field_in] = int(round(x)) if abs(x - round(x)) < 1e-6 else x


def fill_net(form: Form, values: dict[str, Any], target_field: str, target: float, cells: Sequence[str],
             income_ratio: float = 0.12, lead: float = 0.7) -> None:
    """Fill ``cells`` (one accounting column) so that ``target_field`` == ``target``.

    Cells that raise the target are expenses (the first gets ``lead`` of the gross), cells that lower
    it are incomes (``income_ratio`` of |target|, more if the target is negative); cells without
    effect are left alone. The first expense cell is solved exactly.
    """
    effects = {c: slope(form, values, c, target_field)[1] for c in cells}
    expenses = [c for c in cells if effects[c] > 0]
    incomes = [c for c in cells if effects[c] < 0]
    if not expenses:
        raise ValueError(f"ingen utgiftsceller for {target_field}")
    k = effects[expenses[0]]
    net = target / k                                     # the column's own net (before any share)
    income = round(abs(net) * income_ratio) + max(0, round(-net)) if incomes else 0
    gross = round(net + income)
    weights = [lead] + [(1 - lead) / max(1, len(expenses) - 1)] * (len(expenses) - 1)
    for c, a in zip(expenses, allocate(max(gross, 0), weights[:len(expenses)] if len(expenses) > 1 else [1.0]), strict=False):
        values[c] = int(a)
    for c, a in zip(incomes, allocate(income, [1.0] * len(incomes)), strict=False):
        values[c] = int(a)
    solve(form, values, expenses[0], target_field, target)


def mirror(values: dict[str, Any], pairs: Mapping[str, str], share: float) -> None:
    """Set each total cell (value of ``pairs``) to its target-group cell (key) / share, rounded up."""
    for part_cell, total_cell in pairs.items():
        amount = values.get(part_cell) or 0
        values[total_cell] = int(-(-amount // share)) if amount > 0 else int(amount)
