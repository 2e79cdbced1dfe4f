"""The project's problem codes: one catalogue per family, one registry over all of them.

Every code a user can see (in a report, a feedback file, the add-in's message box or the
terminal) is defined once, in the catalogue of its family:

| family | catalogue | detailed in |
| --- | --- | --- |
| mottak (intake of returned workbooks) | ``kalk_excel.intake.codes`` | docs/kontroll.md |
| skjemadefinisjon (lint of the YAML form definitions) | ``kalk_excel.definition.codes`` | docs/skjemadefinisjon.md |
| parametre (the parameter file parametre.yaml) | ``kalk_excel.model.codes`` | docs/beregning.md |
| beregn (pull, master sheets, corrections, model check) | ``kalk_excel.pipeline.codes`` | docs/master.md, sporbarhet.md |
| tillegg (the Excel add-in and its build) | ``kalk_excel.addin.codes`` | addin/README.md |
| nytt år (`kalk-excel nytt-aar`) | ``kalk_excel.year.codes`` | docs/aarssyklus.md |

This registry joins them, refuses a code defined twice (``registry()`` raises), and renders
docs/koder.md (``python -m kalk_excel.codes > docs/koder.md``; a test keeps the page equal).
The test ``tests/test_codes.py`` also checks that every code string in ``src/`` is catalogued.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kalk_excel.problems import Severity

CODE_PATTERN = re.compile(r"^[A-Z][0-9]{3}$")


@dataclass(frozen=True)
class CodeInfo:
    """One catalogued code: what it is called and how severe it is (None: set where raised)."""

    code: str
    severity: Severity | None
    title: str              # short Norwegian name, as in the docs


@dataclass(frozen=True)
class Family:
    name: str               # Norwegian family name (docs heading)
    module: str             # where the catalogue lives
    doc: str                # where the codes are described in full
    codes: tuple[CodeInfo, ...]


def families() -> list[Family]:
    """Every family, in the order of the docs page (imports are local: the catalogues are leaves)."""
    from kalk_excel.addin import codes as addin_codes
    from kalk_excel.definition import codes as lint_codes
    from kalk_excel.intake import codes as intake_codes
    from kalk_excel.model import codes as parameter_codes
    from kalk_excel.pipeline import codes as beregn_codes
    from kalk_excel.year import codes as year_codes

    intake = tuple(CodeInfo(c.code, c.severity, c.title) for c in intake_codes.CODES.values())
    return [
        Family("Mottakskontroll", "kalk_excel.intake.codes", "docs/kontroll.md", intake),
        Family("Skjemadefinisjon (lint)", "kalk_excel.definition.codes", "docs/skjemadefinisjon.md",
               tuple(lint_codes.CODES.values())),
        Family("Parameterfila", "kalk_excel.model.codes", "docs/beregning.md", tuple(parameter_codes.CODES.values())),
        Family("Beregning og master", "kalk_excel.pipeline.codes", "docs/master.md, docs/sporbarhet.md",
               tuple(beregn_codes.CODES.values())),
        Family("Excel-tillegget", "kalk_excel.addin.codes", "addin/README.md", tuple(addin_codes.CODES.values())),
        Family("Nytt år", "kalk_excel.year.codes", "docs/aarssyklus.md", tuple(year_codes.CODES.values())),
    ]


def registry() -> dict[str, tuple[Family, CodeInfo]]:
    """Every code with its family; ``ValueError`` if a code is malformed or defined twice."""
    out: dict[str, tuple[Family, CodeInfo]] = {}
    for family in families():
        for info in family.codes:
            if not CODE_PATTERN.match(info.code):
                raise ValueError(f"malformed code {info.code!r} in {family.module}")
            if info.code in out:
                raise ValueError(f"code {info.code} defined in {out[info.code][0].module} and {family.module}")
            out[info.code] = (family, info)
    return out


def catalogue(infos: list[CodeInfo]) -> dict[str, CodeInfo]:
    """A family's dict by code; ``ValueError`` on a duplicate inside the family."""
    out: dict[str, CodeInfo] = {}
    for info in infos:
        if info.code in out:
            raise ValueError(f"code {info.code} twice in one catalogue")
        out[info.code] = info
    return out


def codes_markdown() -> str:
    """docs/koder.md, generated from the catalogues."""
    registry()  # raises on duplicates before anything is written
    lines = ["# Problemkoder", "",
             "Alle koder kalk-excel kan melde, fra katalogene i koden (én katalog per familie). Siden er laget",
             "med `python -m kalk_excel.codes > docs/koder.md`; en test holder den lik katalogene. En kode har",
             "samme betydning overalt og brukes bare i én familie. Hva som utløser koden og hva brukeren skal gjøre,",
             "står i dokumentet familien viser til.", ""]
    for family in families():
        lines += [f"## {family.name}", "", f"Katalog: `{family.module}`. Beskrevet i {family.doc}.", "",
                  "| kode | alvorlighet | navn |", "| --- | --- | --- |"]
        for info in sorted(family.codes, key=lambda i: i.code):
            lines.append(f"| {info.code} | {info.severity or 'varierer'} | {info.title.replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(codes_markdown(), end="")
