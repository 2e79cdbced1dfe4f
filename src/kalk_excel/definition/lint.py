"""Semantic lint of a built form: expressions parse and refer to known fields, no cycles among
computed fields, ids unique case-insensitively (Excel names are), sheet names unique, check
locations exist, texts fit Excel's limits.

Structural problems (unknown keys, bad ids, types) are found while building, in ``loader``.
Codes (stable, documented in docs/skjemadefinisjon.md):

L001 YAML · L002 unknown key · L003 missing/wrong shape · L004 bad id · L005 duplicate id ·
L006 unknown type/severity/form · L007 expression syntax · L008 unknown reference ·
L009 cycle · L010 sheet name · L011 bounds · L012 text too long for Excel · L013 placeholder ·
L014 choices · L015 version/year/file name · L016 table reference · L017 check location ·
L018 internal term in a text the filler sees (field or check id, expression)
"""

from __future__ import annotations

import re
from typing import Iterator

from .expr import ExprError, parse
from .model import Form, LintMessage, Location, per_form

EXCEL_NAME_MAX = 255
DV_TITLE_MAX = 32
DV_MESSAGE_MAX = 255


def semantic_lint(form: Form) -> list[LintMessage]:
    out: list[LintMessage] = []
    loc_default = Location(form.source)
    known = set(form.fields)

    def add(code: str, loc: Location | None, message: str, fix: str, severity: str = "feil") -> None:
        out.append(LintMessage(code, loc or loc_default, message, fix, severity))  # type: ignore[arg-type]

    def check_expr(text: str | None, loc: Location | None, where: str) -> set[str]:
        if not text:
            return set()
        try:
            expr = parse(text)
        except ExprError as exc:
            add("L007", loc, f"{exc} ({where})", "Rett uttrykket; se docs/skjemadefinisjon.md for tillatt syntaks.")
            return set()
        unknown = sorted(expr.names - known)
        for name in unknown:
            add("L008", loc, f"Uttrykket i {where} viser til ukjent felt «{name}».",
                "Rett skrivefeil i felt-id-en, eller definer feltet.")
        return set(expr.names) & known

    # duplicate ids, case-insensitively, across fields and checks (checks become Kontroll rows)
    seen: dict[str, str] = {}
    for fid, f in form.fields.items():
        low = fid.lower()
        if low in seen and seen[low] != fid:
            add("L005", f.location, f"Felt-id «{fid}» skiller seg bare i store/små bokstaver fra «{seen[low]}».",
                "Excel skiller ikke store og små bokstaver i navn; velg en annen id.")
        seen[low] = fid
    check_ids: set[str] = set()
    for c in form.checks:
        if c.id in check_ids:
            add("L005", c.location, f"Kontroll-id «{c.id}» er brukt før.", "Gi kontrollen en unik id.")
        check_ids.add(c.id)

    # sheets
    sheets: dict[str, str] = {}
    for part in form.parts:
        key = part.sheet.lower()
        if key in sheets and sheets[key] != part.id:
            # several parts may share a sheet only if written consecutively
            prev = [p.id for p in form.parts].index(sheets[key])
            here = [p.id for p in form.parts].index(part.id)
            if here - prev != 1 and form.parts[here - 1].sheet.lower() != key:
                add("L010", part.location, f"Arket «{part.sheet}» brukes av deler som ikke står etter hverandre.",
                    "Deler som deler ark, må stå etter hverandre i definisjonen.")
        sheets[key] = part.id
        if part.relevant:
            check_expr(part.relevant, part.location, f"relevant for del {part.number}")

    # field expressions and dependency graph for cycles
    deps: dict[str, set[str]] = {}
    for f in form.fields.values():
        check_expr(f.relevant, f.location, f"relevant for {f.id}")
        if f.calculate:
            deps[f.id] = check_expr(f.calculate, f.location, f"calculate for {f.id}")
            if f.id in deps[f.id]:
                add("L009", f.location, f"Feltet {f.id} beregnes fra seg selv.", "Fjern selvreferansen.")
        for text, limit, what in ((f.label, DV_MESSAGE_MAX, "etiketten"),):
            if text and len(text) > limit:
                add("L012", f.location, f"{what.capitalize()} til {f.id} er {len(text)} tegn; Excel viser høyst {limit}.",
                    "Korte ned teksten (hjelpeteksten kan være lengre).", "advarsel")
    for c in form.checks:
        check_expr(c.assert_, c.location, f"kontrollen {c.id}")
        check_expr(c.relevant, c.location, f"relevant for kontrollen {c.id}")
        if c.field not in known:
            add("L017", c.location, f"Kontrollen {c.id} skal vises ved feltet «{c.field}», som ikke finnes.",
                "Oppgi id-en til feltet der problemet skal vises.")
    out.extend(_cycles(deps, form))
    for text, loc, where in user_texts(form):
        for term in internal_terms(text, known | check_ids):
            add("L018", loc, f"Teksten i {where} viser et internt begrep til utfylleren: «{term}».",
                "Skriv det med utfyllerens ord (del, spørsmål og etikett). Beslutninger og interne notater hører "
                "hjemme under «decisions», som bare går til sekretariatets dokumentasjon.")
    return out


# snake_case words (ids), comparison / assignment operators and function calls of the expression language
_ID_LIKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_EXPR_LIKE = re.compile(r"(==|!=|<=|>=|\b(?:div|tom|utfylt|hvis)\()")


def internal_terms(text: str | None, ids: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Field/check ids, snake_case identifiers and expression syntax found in a user-facing text."""
    if not text:
        return []
    found = [m.group(0) for m in _ID_LIKE.finditer(text)]
    found += [m.group(0) for m in _EXPR_LIKE.finditer(text)]
    found += [w for w in re.findall(r"[A-Za-z0-9_]+", text) if w in ids and w not in found]
    return list(dict.fromkeys(found))


def user_texts(form: Form) -> Iterator[tuple[str, Location | None, str]]:
    """Every definition text that reaches the filler (workbook cells, input messages, Kontroll,
    feedback files): (text, location, where). ``decisions`` are the secretariat's and excluded."""
    for key, text in form.texts.items():
        yield text, None, f"texts.{key}"
    yield form.title, None, "form.title"
    yield form.short_title, None, "form.short_title"
    for part in form.parts:
        yield part.title, part.location, f"del {part.number} (title)"
        yield part.info or "", part.location, f"del {part.number} (info)"
        for q in part.questions:
            for attr in ("text", "help", "routing"):
                yield getattr(q, attr) or "", q.location, f"spørsmål {q.number} ({attr})"
            for block in q.blocks:
                for attr in ("title",):
                    yield getattr(block, attr, None) or "", q.location, f"tabellen i spørsmål {q.number}"
                for c in getattr(block, "columns", ()):
                    yield c.label, q.location, f"en kolonne i spørsmål {q.number}"
                for r in getattr(block, "rows", ()):
                    yield r.label, q.location, f"en rad i spørsmål {q.number}"
    for f in form.fields.values():
        for attr in ("label", "help", "unit"):
            yield getattr(f, attr) or "", f.location, f"feltet {f.id} ({attr})"
        for choice in f.choices:
            yield choice, f.location, f"feltet {f.id} (choices)"
    for c in form.checks:
        yield c.message, c.location, f"kontrollen {c.id} (message)"
        yield c.fix, c.location, f"kontrollen {c.id} (fix)"


def _cycles(deps: dict[str, set[str]], form: Form) -> list[LintMessage]:
    out: list[LintMessage] = []
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(deps.get(node, ())):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    out.append(LintMessage(
                        "L009", form.fields[node].location or Location(form.source),
                        f"Beregnede felt danner en sirkel: {' -> '.join(cycle + [nxt])}.",
                        "Bryt sirkelen: ett av feltene må være et innfyllingsfelt."))
            elif state.get(nxt) is None and nxt in deps:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(deps):
        if state.get(node) is None:
            visit(node, [])
    return out


def calculation_order(form: Form) -> list[str]:
    """Computed field ids in dependency order (inputs first is implied)."""
    return list(_calculation_order(form))


@per_form
def _calculation_order(form: Form) -> tuple[str, ...]:
    order: list[str] = []
    done: set[str] = set()

    def visit(fid: str) -> None:
        if fid in done:
            return
        done.add(fid)
        f = form.fields[fid]
        if f.calculate:
            for dep in sorted(parse(f.calculate).names):
                if dep in form.fields and not form.fields[dep].is_input:
                    visit(dep)
            order.append(fid)

    for fid, f in form.fields.items():
        if f.calculate:
            visit(fid)
    return tuple(order)
