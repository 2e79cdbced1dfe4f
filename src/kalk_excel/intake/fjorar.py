"""Last year's per-person amounts (``--fjorar FIL``), for the year-on-year comparison.

CSV, UTF-8 (BOM allowed), comma or semicolon separated, with a header row:
``kommunenummer, felt, verdi_per_person`` — one row per municipality and area result field
(e.g. ``sos_utgift_mg``, or ``sum_utgift_mg`` for the sum of all areas), the amount in kroner
per person in the target group (area result / ``mg_antall_3112``). Decimal comma or point.
Bad rows are reported (K001) and skipped.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from kalk_excel.kommuner import kommunenummer
from kalk_excel.problems import Problem

from ..numbertext import parse_number_text
from .codes import problem

COLUMNS = ("kommunenummer", "felt", "verdi_per_person")


class FjorarError(ValueError):
    """The file cannot be read at all (missing, not text, no header)."""


def load_fjorar(path: Path | str) -> tuple[dict[tuple[str, str], float], list[Problem]]:
    path = Path(path)
    try:
        text = path.read_bytes()[: 50 * 1024 * 1024].decode("utf-8-sig")
    except OSError as exc:
        raise FjorarError(f"Fant ikke eller kunne ikke lese fjorårsfilen {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise FjorarError(f"Fjorårsfilen {path} er ikke UTF-8. Lagre den som CSV UTF-8.") from None
    lines = text.splitlines()
    if not lines:
        raise FjorarError(f"Fjorårsfilen {path} er tom.")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    if any(c not in header for c in COLUMNS):
        raise FjorarError(f"Fjorårsfilen {path} skal ha kolonnene {', '.join(COLUMNS)} (fant {', '.join(header)}).")
    idx = {c: header.index(c) for c in COLUMNS}
    out: dict[tuple[str, str], float] = {}
    problems = []
    for line_no, row in enumerate(reader, start=2):
        if not any(c.strip() for c in row):
            continue
        try:
            knr, felt, raw = (row[idx[c]].strip() for c in COLUMNS)
        except IndexError:
            problems.append(problem("K001", file=path.name, detail=f"linje {line_no} har for få kolonner"))
            continue
        value = parse_number_text(raw)
        nr = kommunenummer(knr)
        if nr is None or value is None or not felt:
            problems.append(problem("K001", file=path.name, value=raw,
                                    detail=f"linje {line_no}: ugyldig kommunenummer, felt eller verdi"))
            continue
        out[(nr, felt)] = value
    return out, problems
