"""Golden layout files: a readable text picture of what the generator puts where.

For each form of a year: one line per field (id, sheet!cell, type, data validation, conditional
formats = relevance greying and live checks, formula of computed fields), read back from a
generated workbook. For the master: per sheet and column its formulas, a run of rows repeating
the same relative formula (one row per municipality) shown once with its range.

``python -m kalk_excel.golden [--aar 2024] [--ut tests/golden]`` (``make golden``) rewrites the
files; ``tests/test_golden_layout.py`` compares them, so a layout change shows up as a diff to
review and commit together with the change.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.formula.translate import Translator
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "tests" / "golden"
FORMS = ("adm", "norsk")
RELATIVE_ANCHOR_ROW = 100_000   # formulas are compared as if moved here (relative references shift)


def _cells(sqref: object) -> list[str]:
    out: list[str] = []
    for rng in str(sqref).split():
        out.extend(_coord(c) for c in CellRange(rng).cells)
    return out


def _coord(rc: tuple[int, int]) -> str:
    return f"{get_column_letter(rc[1])}{rc[0]}"


def _validations(ws: Worksheet) -> dict[str, str]:
    out: dict[str, str] = {}
    for dv in ws.data_validations.dataValidation:
        parts = [dv.type or "any"]
        if dv.operator:
            parts.append(dv.operator)
        parts += [f for f in (dv.formula1, dv.formula2) if f is not None]
        text = " ".join(str(p) for p in parts) + ("" if dv.allow_blank else " (ikke tom)")
        for cell in _cells(dv.sqref):
            out[cell] = text
    return out


def _conditional(ws: Worksheet) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            text = " ".join(rule.formula or []) or str(rule.type)
            for cell in _cells(cf.sqref):
                out[cell].append(text)
    return out


def survey_layout(year: int, form_id: str) -> str:
    """The golden text of one form's workbook (built for a fixed municipality)."""
    from .definition import load_form
    from .definition.model import Kommune
    from .workbook.builder import build_workbook
    from .workbook.metadata import read_field_table

    form = load_form(year, form_id)
    with tempfile.TemporaryDirectory(prefix="kalk-golden-") as tmp:
        path = build_workbook(form, Kommune("0301", "Oslo", FORMS), Path(tmp) / "skjema.xlsx",
                              password="golden", deadline="2025-03-15", contact="kontakt@example.no")
        table = read_field_table(path)
        wb = load_workbook(path)
        validations = {ws.title: _validations(ws) for ws in wb.worksheets}
        conditional = {ws.title: _conditional(ws) for ws in wb.worksheets}
        lines = [f"# {year} {form_id}: felt-id | ark!celle | type | validering | betinget format | formel",
                 f"# generert av: python -m kalk_excel.golden --aar {year}"]
        for fid, (sheet, cell, ftype, computed) in table.items():
            value = wb[sheet][cell].value
            formula = str(value) if isinstance(value, str) and value.startswith("=") else ""
            cf = " ; ".join(sorted(conditional[sheet].get(cell, [])))
            lines.append(" | ".join([fid, f"{sheet}!{cell}", ftype + (" (beregnet)" if computed else ""),
                                     validations[sheet].get(cell, ""), cf, formula]).rstrip(" |"))
        wb.close()
    return "\n".join(lines) + "\n"


def _formula_runs(ws: Worksheet) -> list[str]:
    """The sheet's formulas column by column, a run of rows that repeat the same relative formula
    (the consistent-per-column pattern) shown once as ``C6:C29 =formula of C6``."""
    columns: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("="):
                anchor = f"{c.column_letter}{RELATIVE_ANCHOR_ROW}"
                columns[c.column].append((c.row, c.value, Translator(c.value, c.coordinate).translate_formula(anchor)))
    lines: list[str] = []
    for column in sorted(columns):
        letter = get_column_letter(column)
        runs: list[list[tuple[int, str, str]]] = []
        for cell in columns[column]:
            if runs and runs[-1][-1][0] == cell[0] - 1 and runs[-1][-1][2] == cell[2]:
                runs[-1].append(cell)
            else:
                runs.append([cell])
        for run in runs:
            where = f"{letter}{run[0][0]}" + (f":{letter}{run[-1][0]}" if len(run) > 1 else "")
            lines.append(f"{where} {run[0][1]}")
    return lines


def master_layout(year: int) -> str:
    """The golden text of the master's formulas (built for the year's municipality list)."""
    from .master.builder import build_master

    with tempfile.TemporaryDirectory(prefix="kalk-golden-") as tmp:
        path = build_master(year, Path(tmp) / "master.xlsx")
        wb = load_workbook(path)
        lines = [f"# master {year}: formlene per ark og kolonne; rader med samme relative formel vises én gang",
                 f"# generert av: python -m kalk_excel.golden --aar {year}"]
        for ws in wb.worksheets:
            runs = _formula_runs(ws)
            if runs:
                lines += [f"## {ws.title}", *runs]
        wb.close()
    return "\n".join(lines) + "\n"


def golden_files(year: int) -> dict[str, str]:
    """File name -> text of every golden file of ``year``."""
    out = {f"{year}_{form_id}.txt": survey_layout(year, form_id) for form_id in FORMS}
    out[f"{year}_master.txt"] = master_layout(year)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Skriv golden-filene for oppsettet (skjema og master).")
    parser.add_argument("--aar", type=int, default=2024)
    parser.add_argument("--ut", type=Path, default=GOLDEN_DIR)
    args = parser.parse_args(argv)
    args.ut.mkdir(parents=True, exist_ok=True)
    for name, text in golden_files(args.aar).items():
        (args.ut / name).write_text(text, encoding="utf-8")
        print(f"Skrev {args.ut / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
