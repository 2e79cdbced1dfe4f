"""Problem codes: every code in src/ is catalogued exactly once (one family), raised somewhere,
raised with its catalogued severity, and docs/koder.md is generated from the catalogues."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

from kalk_excel.codes import (
    CODE_PATTERN,
    CodeInfo,
    catalogue,
    codes_markdown,
    families,
    placeholders,
    problem,
    registry,
    render,
)

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "kalk_excel"


def _code_literals() -> dict[str, list[tuple[str, int, str]]]:
    """Every string constant in src/ that is a whole code: code -> [(file, line, context)].
    Context is ``catalogue`` for a CodeInfo/Code entry, else ``raised``."""
    found: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        in_catalogue: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"CodeInfo", "Code"}:
                in_catalogue.update(id(a) for a in node.args[:1])
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE_PATTERN.match(node.value):
                where = "catalogue" if id(node) in in_catalogue else "raised"
                found[node.value].append((str(path.relative_to(ROOT)), node.lineno, where))
    return found


def test_registry_has_every_family_and_no_code_twice() -> None:
    reg = registry()
    assert len(reg) == sum(len(f.codes) for f in families())
    assert {f.module for f in families()} == {"kalk_excel.intake.codes", "kalk_excel.definition.codes",
                                              "kalk_excel.model.codes", "kalk_excel.pipeline.codes",
                                              "kalk_excel.addin.codes", "kalk_excel.year.codes"}


def test_a_code_defined_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="P999 twice"):
        catalogue([CodeInfo("P999", "feil", "a"), CodeInfo("P999", "info", "b")])


def test_every_code_in_src_is_catalogued_once() -> None:
    reg = registry()
    literals = _code_literals()
    unknown = {c: places for c, places in literals.items() if c not in reg}
    assert not unknown, f"codes used in src/ but in no catalogue (add them to kalk_excel.*.codes): {unknown}"
    entries = {c: [p for p in places if p[2] == "catalogue"] for c, places in literals.items()}
    twice = {c: e for c, e in entries.items() if len(e) > 1}
    assert not twice, f"codes catalogued more than once: {twice}"


def test_every_catalogued_code_is_raised_somewhere() -> None:
    literals = _code_literals()
    never = sorted(c for c in registry() if not any(p[2] == "raised" for p in literals.get(c, [])))
    assert not never, f"catalogued codes that nothing in src/ raises (remove them or raise them): {never}"


_LITERAL_PROBLEM = re.compile(r'Problem\(\s*"([A-Z][0-9]{3})",\s*"(feil|advarsel|info)"')


def test_raised_severity_is_the_catalogued_one() -> None:
    reg = registry()
    wrong = []
    for path in SRC.rglob("*.py"):
        for code, severity in _LITERAL_PROBLEM.findall(path.read_text(encoding="utf-8")):
            expected = reg[code][1].severity
            if expected is not None and expected != severity:
                wrong.append((path.name, code, severity, expected))
    assert not wrong


def test_codes_page_is_generated_from_the_catalogues() -> None:
    page = (ROOT / "docs" / "koder.md").read_text(encoding="utf-8")
    assert page == codes_markdown(), "docs/koder.md er utdatert: python -m kalk_excel.codes > docs/koder.md"
    for code in registry():
        assert f"| {code} |" in page


# --- messages from the catalogue (outside intake, which has its own Code with templates) ---

_TEXT_FAMILIES = {"kalk_excel.model.codes", "kalk_excel.pipeline.codes", "kalk_excel.year.codes", "kalk_excel.addin.codes"}
# Codes of those families still worded where they are raised: pipeline/update.py is being split (issue 13
# point 3); its exclusions, last-year and model-check findings move to the catalogue with the split.
_WORDED_WHERE_RAISED = {"P030", "P040", "P041", "P042", "P043", "P044", "P045", "P046", "P047"}


def test_every_code_of_the_moved_families_has_its_words_in_the_catalogue() -> None:
    missing = sorted(info.code for f in families() if f.module in _TEXT_FAMILIES for info in f.codes
                     if not info.texts() and info.code not in _WORDED_WHERE_RAISED)
    assert not missing, f"catalogue entries without message and fix (add Text(...)): {missing}"
    for family in families():
        for info in family.codes:
            for name, text in info.texts().items():
                assert text.message and text.fix, (info.code, name)
                placeholders(text.message)   # a malformed template raises ValueError here
                placeholders(text.fix)


def _literal_problem_calls() -> list[tuple[str, int, str]]:
    """``Problem("Xnnn", ...)`` with a literal code, outside the intake (whose ``problem`` builds them)."""
    out = []
    for path in sorted(SRC.rglob("*.py")):
        if path.parent.name == "intake":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Problem" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                out.append((str(path.relative_to(ROOT)), node.lineno, node.args[0].value))
    return out


def test_catalogued_words_are_not_written_again_where_raised() -> None:
    """A code whose catalogue entry has its words is raised through ``kalk_excel.codes.problem``, never
    as ``Problem("P021", "feil", "Parameteren ...")`` with an inline message."""
    reg = registry()
    inline = [(f, line, c) for f, line, c in _literal_problem_calls() if c in reg and reg[c][1].texts()]
    assert not inline, f"inline messages for catalogued codes (use kalk_excel.codes.problem): {inline}"


def test_problem_builds_the_record_from_the_catalogue() -> None:
    info = registry()["P087"][1]
    p = problem("P087", sheet="Korreksjoner", cell="A9", value="0301", row=9, nr="0301", form_id="adm")
    assert (p.code, p.severity, p.sheet, p.cell, p.value) == ("P087", info.severity, "Korreksjoner", "A9", "0301")
    assert p.message == info.text.message.format(sheet="Korreksjoner", row=9, nr="0301", form_id="adm")
    assert p.message.startswith("Korreksjoner, rad 9: kommune 0301 har ingen godkjent innlevering av skjema adm")
    assert p.fix == info.text.fix
    assert render("P085", "ugyldig", what="«x»", why="ikke et tall").message == "ny verdi for «x» kan ikke brukes: ikke et tall."
    with pytest.raises(KeyError):
        problem("P087", sheet="Korreksjoner", row=9)          # a placeholder left unfilled is a programming error
    with pytest.raises(ValueError, match="severity"):
        problem("P088", nr="0301", form_id="adm", shown="x", check="y")   # P088's severity is the check's
    assert problem("P088", severity="advarsel", nr="0301", form_id="adm", shown="x", check="y").severity == "advarsel"
