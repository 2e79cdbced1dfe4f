"""Definition expressions -> Excel formula text for the survey workbook (field ids are defined
names). A thin layer over ``expr.parse(text).to_excel()``.

Work-around (until ``definition/expr.py`` parenthesises them): ``expr`` compiles ``div(a, b)``
to ``IF(N(b)=0,0,a/b)`` without brackets, so ``div(x, t - m)`` would become ``x/t-m``. Before
compiling, compound arguments of ``div`` are wrapped in ``sum(...)`` — the same value in Python
and in Excel (SUM of one number is the number; blank is 0 either way) — which compiles to an
atomic ``SUM(...)``.
"""

from __future__ import annotations

import ast
from functools import lru_cache

from ..definition.expr import parse

_NON_ATOMIC_CALLS = {"tom", "utfylt"}   # compile to LEN(x)=0, a comparison


def _atomic(node: ast.expr) -> bool:
    if isinstance(node, (ast.Name, ast.Constant)):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id not in _NON_ATOMIC_CALLS


class _BracketDivArguments(ast.NodeTransformer):
    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "div":
            node.args = [a if _atomic(a) else ast.Call(func=ast.Name(id="sum", ctx=ast.Load()), args=[a], keywords=[])
                         for a in node.args]
        return node


@lru_cache(maxsize=8192)
def excel(text: str) -> str:
    """Excel formula text (without '=') of a definition expression."""
    parse(text)   # validate the original first: errors name the text the author wrote
    tree = ast.parse(text.strip(), mode="eval")
    rewritten = ast.unparse(ast.fix_missing_locations(_BracketDivArguments().visit(tree)))
    return parse(rewritten).to_excel()
