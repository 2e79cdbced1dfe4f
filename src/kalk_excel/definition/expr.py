"""The form definition's small expression language: parse once, compile to Excel, evaluate in Python.

Expressions use Python syntax restricted to a whitelist, so one text serves three readers:

* the survey workbook (``to_excel`` with field ids as workbook-scope defined names),
* the master workbook (``to_excel`` with a ``ref`` mapping field id -> cell reference),
* intake and the reference model (``evaluate`` over raw values, with Excel's blank semantics).

Allowed: field ids (names), numbers, strings, ``+ - * /``, unary minus, comparisons
(``== != < <= > >=``), ``and``/``or``/``not``, ``a if c else b`` and the functions in
``FUNCTIONS``. Anything else is a ``ExprError`` with a Norwegian message.

Blank semantics follow Excel: a blank cell is 0 in arithmetic and in comparison with a number,
and "" in comparison with a string.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Mapping, cast

# function name -> (min args, max args, Excel template or None for special handling)
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "sum": (1, None),       # SUM(a, b, ...)
    "abs": (1, 1),          # ABS
    "min": (1, None),       # MIN
    "max": (1, None),       # MAX
    "round": (1, 2),        # ROUND(x, n)
    "hvis": (3, 3),         # IF(c, a, b)
    "tom": (1, 1),          # cell is blank: ISBLANK / LEN(x)=0
    "utfylt": (1, 1),       # cell is filled: NOT(blank)
    "div": (2, 2),          # safe division: 0 when the divisor is 0 or blank
}

_CMP_EXCEL = {ast.Eq: "=", ast.NotEq: "<>", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_BIN_EXCEL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
# Excel operator precedence (higher binds tighter); used to parenthesise minimally but safely.
_PREC = {"cmp": 1, "+": 2, "-": 2, "*": 3, "/": 3, "neg": 4, "atom": 5}


class ExprError(ValueError):
    """An expression that is not in the language; ``message`` is Norwegian, for lint records."""


@dataclass(frozen=True)
class Expr:
    """A parsed, validated expression."""

    source: str
    tree: ast.expr
    names: frozenset[str]

    def to_excel(self, ref: Callable[[str], str] | None = None,
                 value: Callable[[str], str] | None = None) -> str:
        """Excel formula text without the leading '='. ``ref`` maps a field id to a reference;
        ``value`` (default: ``ref``) maps it where its value is used (``tom``/``utfylt`` test the
        reference itself), e.g. ``N(ref)`` so text in a number cell counts as blank, as on receipt."""
        ref = ref or (lambda n: n)
        text, _ = _excel(self.tree, ref, value or ref)
        return text

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        """Evaluate over raw values (missing or None = blank), following Excel's semantics."""
        return _eval(self.tree, values)


@lru_cache(maxsize=8192)
def parse(source: str) -> Expr:
    """Parse and validate an expression; raises ``ExprError``."""
    if not isinstance(source, str) or not source.strip():
        raise ExprError("Uttrykket er tomt.")
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ExprError(f"Ugyldig syntaks i uttrykket «{source}»: {exc.msg}") from None
    names: set[str] = set()
    _validate(tree, source, names)
    return Expr(source=source.strip(), tree=tree, names=frozenset(names))


def _validate(node: ast.AST, source: str, names: set[str]) -> None:
    if isinstance(node, ast.Name):
        names.add(node.id)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float, str)):
            raise ExprError(f"Konstanten {node.value!r} er ikke tillatt i «{source}» (bare tall og tekst).")
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _BIN_EXCEL:
            raise ExprError(f"Operatoren {type(node.op).__name__} er ikke tillatt i «{source}».")
        _validate(node.left, source, names)
        _validate(node.right, source, names)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
            raise ExprError(f"Operatoren {type(node.op).__name__} er ikke tillatt i «{source}».")
        _validate(node.operand, source, names)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            _validate(value, source, names)
    elif isinstance(node, ast.Compare):
        if len(node.ops) != 1 or type(node.ops[0]) not in _CMP_EXCEL:
            raise ExprError(f"Bruk én sammenligning om gangen (==, !=, <, <=, >, >=) i «{source}».")
        _validate(node.left, source, names)
        _validate(node.comparators[0], source, names)
    elif isinstance(node, ast.IfExp):
        for part in (node.test, node.body, node.orelse):
            _validate(part, source, names)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
            fname = getattr(node.func, "id", "?")
            raise ExprError(
                f"Funksjonen «{fname}» finnes ikke i «{source}». Tillatt: {', '.join(sorted(FUNCTIONS))}."
            )
        lo, hi = FUNCTIONS[node.func.id]
        if len(node.args) < lo or (hi is not None and len(node.args) > hi):
            raise ExprError(f"Feil antall argumenter til {node.func.id}() i «{source}».")
        if node.func.id in ("tom", "utfylt") and not isinstance(node.args[0], ast.Name):
            raise ExprError(f"{node.func.id}() tar ett felt-id i «{source}».")
        for arg in node.args:
            _validate(arg, source, names)
    else:
        raise ExprError(f"Uttrykksformen {type(node).__name__} er ikke tillatt i «{source}».")


# ---------------------------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------------------------


def _num(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return repr(value)


def _excel(node: ast.expr, ref: Callable[[str], str], vref: Callable[[str], str]) -> tuple[str, int]:
    if isinstance(node, ast.Name):
        return vref(node.id), _PREC["atom"]
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return '"' + node.value.replace('"', '""') + '"', _PREC["atom"]
        if not isinstance(node.value, (int, float)):   # parse() allows only numbers and text
            raise ExprError(f"Konstanten {node.value!r} er ikke tillatt (bare tall og tekst).")
        return _num(node.value), _PREC["atom"]
    if isinstance(node, ast.BinOp):
        op = _BIN_EXCEL[type(node.op)]
        prec = _PREC[op]
        left, lp = _excel(node.left, ref, vref)
        right, rp = _excel(node.right, ref, vref)
        if lp < prec:
            left = f"({left})"
        # right operand of - and / needs parentheses at equal precedence
        if rp < prec or (rp == prec and op in "-/"):
            right = f"({right})"
        return f"{left}{op}{right}", prec
    if isinstance(node, ast.UnaryOp):
        inner, ip = _excel(node.operand, ref, vref)
        if isinstance(node.op, ast.Not):
            return f"NOT({inner})", _PREC["atom"]
        if isinstance(node.op, ast.UAdd):
            return inner, ip
        if ip < _PREC["atom"]:
            inner = f"({inner})"
        return f"-{inner}", _PREC["neg"]
    if isinstance(node, ast.BoolOp):
        fn = "AND" if isinstance(node.op, ast.And) else "OR"
        return f"{fn}(" + ",".join(_excel(v, ref, vref)[0] for v in node.values) + ")", _PREC["atom"]
    if isinstance(node, ast.Compare):
        left, lp = _excel(node.left, ref, vref)
        right, rp = _excel(node.comparators[0], ref, vref)
        if lp <= _PREC["cmp"]:
            left = f"({left})"
        if rp <= _PREC["cmp"]:
            right = f"({right})"
        return f"{left}{_CMP_EXCEL[type(node.ops[0])]}{right}", _PREC["cmp"]
    if isinstance(node, ast.IfExp):
        c, b, o = (_excel(x, ref, vref)[0] for x in (node.test, node.body, node.orelse))
        return f"IF({c},{b},{o})", _PREC["atom"]
    if isinstance(node, ast.Call):
        name = cast(ast.Name, node.func).id   # parse() allows only calls of names
        compiled = [_excel(a, ref, vref) for a in node.args]
        args = [text for text, _ in compiled]
        if name == "div":
            (num, num_prec), (den, den_prec) = compiled
            num = num if num_prec >= _PREC["/"] else f"({num})"
            den_q = den if den_prec > _PREC["/"] else f"({den})"
            return f"IF(N({den})=0,0,{num}/{den_q})", _PREC["atom"]
        if name == "hvis":
            return f"IF({args[0]},{args[1]},{args[2]})", _PREC["atom"]
        if name in ("tom", "utfylt"):
            arg = node.args[0]
            target = ref(arg.id) if isinstance(arg, ast.Name) else args[0]
            return f"LEN({target}){'=' if name == 'tom' else '>'}0", _PREC["cmp"]
        return f"{name.upper()}(" + ",".join(args) + ")", _PREC["atom"]
    raise ExprError(f"Kan ikke oversette {type(node).__name__} til Excel.")  # pragma: no cover


# ---------------------------------------------------------------------------------------------
# Python evaluation with Excel's blank semantics
# ---------------------------------------------------------------------------------------------


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "")


def _as_number(value: Any) -> float:
    if is_blank(value):
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    raise TypeError(f"ikke et tall: {value!r}")


def _compare(op: type[ast.cmpop], left: Any, right: Any) -> bool:
    # Excel: blank vs number -> 0; blank vs text -> ""; text compares case-insensitively.
    if isinstance(left, str) or isinstance(right, str):
        if is_blank(left) and not isinstance(right, str):
            left, right = 0.0, _as_number(right)
        elif is_blank(right) and not isinstance(left, str):
            left, right = _as_number(left), 0.0
        else:
            left = "" if left is None else left
            right = "" if right is None else right
            if isinstance(left, str) and isinstance(right, str):
                left, right = left.casefold(), right.casefold()
            elif isinstance(left, str) != isinstance(right, str):
                # Excel: text is always greater than numbers; equality is False.
                if op is ast.Eq:
                    return False
                if op is ast.NotEq:
                    return True
                text_left = isinstance(left, str)
                return {ast.Lt: not text_left, ast.LtE: not text_left,
                        ast.Gt: text_left, ast.GtE: text_left}[op]
    else:
        left, right = _as_number(left), _as_number(right)
        if op in (ast.Eq, ast.NotEq):
            same = math.isclose(left, right, rel_tol=0.0, abs_tol=1e-9)
            return same if op is ast.Eq else not same
    return {
        ast.Eq: lambda a, b: a == b,
        ast.NotEq: lambda a, b: a != b,
        ast.Lt: lambda a, b: a < b,
        ast.LtE: lambda a, b: a <= b,
        ast.Gt: lambda a, b: a > b,
        ast.GtE: lambda a, b: a >= b,
    }[op](left, right)


def _truthy(value: Any) -> bool:
    if isinstance(value, str) and not is_blank(value):
        raise TypeError(f"tekst brukt som sannhetsverdi: {value!r}")
    return _as_number(value) != 0


def _eval(node: ast.expr, values: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        return values.get(node.id)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.BinOp):
        a = _as_number(_eval(node.left, values))
        b = _as_number(_eval(node.right, values))
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        if b == 0:
            raise ZeroDivisionError("#DIV/0!")
        return a / b
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return not _truthy(_eval(node.operand, values))
        v = _as_number(_eval(node.operand, values))
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BoolOp):
        results = [_truthy(_eval(v, values)) for v in node.values]
        return all(results) if isinstance(node.op, ast.And) else any(results)
    if isinstance(node, ast.Compare):
        return _compare(type(node.ops[0]), _eval(node.left, values), _eval(node.comparators[0], values))
    if isinstance(node, ast.IfExp):
        return _eval(node.body if _truthy(_eval(node.test, values)) else node.orelse, values)
    if isinstance(node, ast.Call):
        name = cast(ast.Name, node.func).id   # parse() allows only calls of names
        if name == "hvis":
            cond, then, other = node.args
            return _eval(then if _truthy(_eval(cond, values)) else other, values)
        if name in ("tom", "utfylt"):
            blank = is_blank(_eval(node.args[0], values))
            return blank if name == "tom" else not blank
        args = [_eval(a, values) for a in node.args]
        if name == "div":
            divisor = _as_number(args[1])
            return 0.0 if divisor == 0 else _as_number(args[0]) / divisor
        nums = [_as_number(a) for a in args]
        if name == "sum":
            return sum(nums)
        if name == "abs":
            return abs(nums[0])
        if name == "min":
            return min(nums)
        if name == "max":
            return max(nums)
        if name == "round":
            return excel_round(nums[0], int(nums[1]) if len(nums) > 1 else 0)
    raise ExprError(f"Kan ikke evaluere {type(node).__name__}.")  # pragma: no cover


def excel_round(value: float, digits: int = 0) -> float:
    """Excel's ROUND: half away from zero (Python's round() is half to even)."""
    factor = 10.0 ** digits
    scaled = abs(value) * factor
    rounded = math.floor(scaled + 0.5 + 1e-9)
    return math.copysign(rounded / factor, value)
