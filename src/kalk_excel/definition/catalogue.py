"""The field catalogue of a form definition (``kalk-excel felt``): one record per field with its
place in the form, type, unit, requiredness, relevance, formula, KOSTRA reference and the checks
that mention it. Written as CSV or JSON for the secretariat, the master and documentation.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .expr import parse
from .model import Form

COLUMNS = ("id", "skjema", "del", "sporsmal", "label", "type", "unit", "required", "relevance", "calculate",
           "kostra", "checks")


def checks_by_field(form: Form) -> dict[str, list[str]]:
    """Field id -> ids of the checks whose field, assertion or relevance mention it."""
    out: dict[str, list[str]] = {fid: [] for fid in form.fields}
    for check in form.checks:
        names = set(parse(check.assert_).names) | {check.field}
        if check.relevant:
            names |= parse(check.relevant).names
        for fid in names:
            if fid in out:
                out[fid].append(check.id)
    return out


def field_catalogue(form: Form) -> list[dict[str, Any]]:
    """One dict per field, in catalogue order, with the keys in ``COLUMNS``."""
    parts = {p.id: p.number for p in form.parts}
    mentions = checks_by_field(form)
    return [{
        "id": f.id, "skjema": form.id, "del": parts.get(f.part_id, f.part_id), "sporsmal": f.question,
        "label": f.label, "type": f.type, "unit": f.unit or "", "required": f.required,
        "relevance": f.relevant or "", "calculate": f.calculate or "", "kostra": f.kostra or "",
        "checks": mentions[f.id],
    } for f in form.fields.values()]


def to_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([";".join(row[c]) if c == "checks" else ("ja" if row[c] is True else "nei" if row[c] is False
                         else row[c]) for c in COLUMNS])
    return buf.getvalue()


def to_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
