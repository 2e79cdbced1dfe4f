"""``fill_workbook``: write values into a generated survey workbook through its defined names,
as a municipality would by typing into the input cells. Used by tests and the demo.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from openpyxl import load_workbook

from .metadata import META_SHEET

FIELD_NAMES_EXCLUDED = {"kontroll_status", "kontroll_antall_feil", "kontroll_antall_advarsler"}


class FillError(ValueError):
    """Values that cannot be written (unknown field ids, computed fields); message in Norwegian."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join(problems))


def fill_workbook(src: Path | str, values: Mapping[str, Any], dst: Path | str) -> Path:
    """Open ``src``, write ``values`` (field id -> value; None clears) into the named input cells,
    save as ``dst``. Raises ``FillError`` naming every unknown or computed field id."""
    wb = load_workbook(src)
    computed = _computed_ids(wb)
    problems = []
    targets = []
    for fid, value in values.items():
        name = wb.defined_names.get(fid)
        if name is None or fid in FIELD_NAMES_EXCLUDED:
            problems.append(f"Feltet «{fid}» finnes ikke i skjemaet.")
            continue
        if fid in computed:
            problems.append(f"Feltet «{fid}» er beregnet og kan ikke fylles ut.")
            continue
        dests = list(name.destinations)
        if len(dests) != 1:
            problems.append(f"Navnet «{fid}» peker ikke på én celle.")
            continue
        sheet, ref = dests[0]
        targets.append((sheet, ref.replace("$", ""), value))
    if problems:
        raise FillError(problems + ["Korreksjon: bruk felt-id-ene fra «kalk-excel felt» for innfyllingsfelt."])
    for sheet, ref, value in targets:
        cell = wb[sheet][ref]
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"   # a value typed by a municipality is never a formula here
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def _computed_ids(wb) -> set[str]:  # type: ignore[no-untyped-def]
    if META_SHEET not in wb.sheetnames:
        return set()
    ws = wb[META_SHEET]
    return {str(r[0]) for r in ws.iter_rows(min_row=2, min_col=4, max_col=8, values_only=True)
            if r[0] and int(r[4] or 0) == 1}
