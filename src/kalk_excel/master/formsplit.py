"""The formulas of *Skjemaberegning* planned from the form definition's expressions, each short
enough to read in a breath (``FORMULA_LIMIT`` characters, docs/master.md «Navnepolicy»).

A computed field's expression (``definition.expr``) is compiled to Excel with

* a submitted input as its column name on *Innrapportert* (``adm_<felt-id>``: the value on the
  same row, Excel's implicit intersection), never a cross-sheet column letter;
* another computed field as the same-sheet cell of its column (headed by its field id);
* a part of the expression as a **helper column** (same sheet, headed ``hjelp_<n>`` with the part
  in definition terms as its label) whenever the whole formula would be longer than the limit:
  the longest part is moved out first, and the helper itself is split the same way, so a nested
  IF becomes a chain of short formulas;
* a bare submitted input used as a divisor (``div(a, b)`` compiles to ``IF(N(b)=0,0,a/b)``) as a
  helper column ``=adm_<b>``: Excel's N() of a multi-cell name reads the name's first cell, not the
  same row, so N() only ever gets a same-sheet cell.

The helpers are generated from the same source as the fields, so the recomputed value equals the
rule engine's (``tests/master/test_master_skjemaberegning.py`` checks every field).
"""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass, field
from typing import Callable

from ..definition.expr import Expr, parse

FORMULA_LIMIT = 150            # characters, without the leading '=' (docs/master.md)
ROW = "\x00"                   # stands for the row number in a planned formula
_HELPER = re.compile("\x01(\\d+)\x01")
_HELPER_PREFIX = "__hjelp_"


@dataclass(frozen=True)
class Helper:
    key: str            # header on the id row, e.g. hjelp_3
    label: str          # the part in definition terms (field ids), for the label row
    template: str       # formula text without '=', ROW for the row, helper tokens resolved


@dataclass
class FormPlan:
    fields: dict[str, str] = field(default_factory=dict)     # computed field id -> formula template
    helpers: list[Helper] = field(default_factory=list)

    def formula(self, template: str, row: int) -> str:
        return template.replace(ROW, str(row))


def plan_form(computed: dict[str, str], name_of: Callable[[str], str], own_col: Callable[[str], str],
              helper_col: Callable[[int], str], measure_row: int) -> FormPlan:
    """Plan one form. ``computed``: field id -> expression (in column order); ``name_of``: an input
    field id -> how a formula names it (its column name); ``own_col``: a computed field id -> its
    column letter on this sheet; ``helper_col``: helper index -> its column letter (placed after
    the fields and flags); ``measure_row``: the longest row number (lengths are measured with it)."""
    planner = _Planner(computed, name_of, own_col, measure_row)
    raw = {fid: planner.field(fid, text) for fid, text in computed.items()}
    letters = [helper_col(i) for i in range(len(planner.helpers))]

    def resolve(text: str) -> str:
        return _HELPER.sub(lambda m: f"{letters[int(m.group(1))]}{ROW}", text)

    plan = FormPlan({fid: resolve(t) for fid, t in raw.items()})
    plan.helpers = [Helper(f"hjelp_{i + 1}", label, resolve(t)) for i, (label, t) in enumerate(planner.helpers)]
    return plan


class _Planner:
    def __init__(self, computed: dict[str, str], name_of: Callable[[str], str], own_col: Callable[[str], str],
                 measure_row: int):
        self.computed = computed
        self.name_of = name_of
        self.own_col = own_col
        self.measure_row = measure_row
        self.helpers: list[tuple[str, str]] = []          # (label, template with helper tokens)
        self._index: dict[str, int] = {}                   # template -> helper index (shared parts once)

    def ref(self, name: str) -> str:
        if name.startswith(_HELPER_PREFIX):
            return f"\x01{name[len(_HELPER_PREFIX):]}\x01"
        if name in self.computed:
            return f"{self.own_col(name)}{ROW}"
        return self.name_of(name)

    def render(self, tree: ast.expr) -> str:
        return Expr(source="", tree=tree, names=frozenset()).to_excel(self.ref)

    def length(self, text: str) -> int:
        """Length as written on the longest row (a helper token stands for a column letter + row)."""
        text = _HELPER.sub("XX" + ROW, text)
        return len(text.replace(ROW, str(self.measure_row)))

    def field(self, fid: str, text: str) -> str:
        tree = copy.deepcopy(parse(text).tree)
        tree = self._divisors(tree)
        return self._fit(tree)

    def _divisors(self, tree: ast.expr) -> ast.expr:
        """A bare input as the divisor of div() -> a helper column holding it (see module doc)."""
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "div"
                    and isinstance(node.args[1], ast.Name) and node.args[1].id not in self.computed
                    and not node.args[1].id.startswith(_HELPER_PREFIX)):
                node.args[1] = self._helper(node.args[1])
        return tree

    def _fit(self, tree: ast.expr) -> str:
        text = self.render(tree)
        while self.length(text) > FORMULA_LIMIT:
            part = self._longest_part(tree)
            if part is None:       # a single reference or constant longer than the limit: cannot split
                break
            tree = _replace(tree, part, self._helper(part))
            text = self.render(tree)
        return text

    def _helper(self, part: ast.expr) -> ast.Name:
        template = self._fit(copy.deepcopy(part)) if not isinstance(part, ast.Name) else self.render(part)
        if template not in self._index:
            self._index[template] = len(self.helpers)
            self.helpers.append((ast.unparse(part), template))
        return ast.Name(id=f"{_HELPER_PREFIX}{self._index[template]}", ctx=ast.Load())

    def _longest_part(self, tree: ast.expr) -> ast.expr | None:
        best, best_len = None, 0
        for node in ast.walk(tree):
            if node is tree or not isinstance(node, ast.expr) or isinstance(node, (ast.Name, ast.Constant)):
                continue
            size = self.length(self.render(node))      # a condition becomes a flag column (SANN/USANN)
            if size > best_len:
                best, best_len = node, size
        return best


def _replace(tree: ast.expr, old: ast.expr, new: ast.expr) -> ast.expr:
    if tree is old:
        return new

    class _Swap(ast.NodeTransformer):
        def visit(self, node: ast.AST) -> ast.AST:
            if node is old:
                return new
            return super().visit(node)

    out = _Swap().visit(tree)
    assert isinstance(out, ast.expr)
    return out
