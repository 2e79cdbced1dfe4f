"""One meaning of skip logic in every form: a filter question not answered yet leaves its
follow-ups *neutral* — neither greyed out nor required, and data there is not "in a skipped
part" — while an answer that rules them out ("nei", another method, 0 EM) greys them and
removes their required mark.

A relevance expression is read in two ways, by treating each comparison with a blank input as
*unknown* (Kleene logic):

* ``definitely(expr)`` — true only when the answers given already make the field relevant
  (unknown counts as false): the field is required, checks apply;
* ``possibly(expr)`` — false only when the answers given rule the field out (unknown counts as
  true): otherwise it is not greyed, and data entered there is not a skip warning.

Both are expressions of the definition language again, so they compile to Excel formulas and
evaluate in Python in the same way (``expr``). Comparisons reach through ``not`` with the
polarity flipped; only a bare input compared with a constant is a filter (``x == 'ja'``,
``em_antall > 0``): ``tom``/``utfylt`` and arithmetic over inputs are taken as they are.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from typing import overload

from .expr import parse
from .model import Form, per_form


@per_form
def filter_inputs(form: Form) -> frozenset[str]:
    """Inputs a relevance expression may ask about (choices and numbers). A number that counts as
    0 when left blank (``blank_zero``) is no filter: blank is a known 0, so it rules out at once."""
    return frozenset(f.id for f in form.inputs()
                     if f.type in ("ja_nei", "valg") or (f.is_numeric and not f.blank_zero))


def definitely(form: Form, expr_text: str | None) -> str | None:
    return _rewrite(expr_text, filter_inputs(form), True) if expr_text else None


@overload
def possibly(form: Form, expr_text: str) -> str: ...
@overload
def possibly(form: Form, expr_text: str | None) -> str | None: ...
def possibly(form: Form, expr_text: str | None) -> str | None:
    return _rewrite(expr_text, filter_inputs(form), False) if expr_text else None


@lru_cache(maxsize=8192)
def _rewrite(expr_text: str, inputs: frozenset[str], strict: bool) -> str:
    tree = parse(expr_text).tree
    return ast.unparse(_walk(tree, inputs, strict, positive=True))


def _filter_name(node: ast.Compare, inputs: frozenset[str]) -> list[str]:
    """The input a filter comparison asks about: one bare input against a constant
    (``x == 'ja'``, ``em_antall > 0``). Arithmetic over several inputs keeps blank = 0."""
    sides = (node.left, node.comparators[0])
    names = [s.id for s in sides if isinstance(s, ast.Name) and s.id in inputs]
    constants = [s for s in sides if isinstance(s, ast.Constant)]
    return names if len(names) == 1 and len(constants) == 1 else []


def _call(fn: str, name: str) -> ast.expr:
    return ast.Call(func=ast.Name(id=fn, ctx=ast.Load()), args=[ast.Name(id=name, ctx=ast.Load())], keywords=[])


def _walk(node: ast.expr, inputs: frozenset[str], strict: bool, positive: bool) -> ast.expr:
    if isinstance(node, ast.BoolOp):
        return ast.BoolOp(op=node.op, values=[_walk(v, inputs, strict, positive) for v in node.values])
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return ast.UnaryOp(op=node.op, operand=_walk(node.operand, inputs, strict, not positive))
    if isinstance(node, ast.Compare):
        names = _filter_name(node, inputs)
        if not names:
            return node
        # the value this atom takes when an input it compares is blank (unknown)
        unknown_true = (not strict) == positive
        if unknown_true:   # tom(a) or tom(b) or atom
            return ast.BoolOp(op=ast.Or(), values=[*(_call("tom", n) for n in names), node])
        return ast.BoolOp(op=ast.And(), values=[*(_call("utfylt", n) for n in names), node])
    return node
