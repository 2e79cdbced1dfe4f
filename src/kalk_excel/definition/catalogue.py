"""The field catalogue of a form definition (``kalk-excel felt``): one record per field with its
place in the form, type, unit, requiredness, relevance, formula, KOSTRA reference and the checks
that mention it. Written as CSV or JSON for the secretariat, the master and documentation, or as
the secretariat's Markdown document (``to_markdown``): the committee's decisions, then per part
the fields and controls with their internal ids and expressions — the things that never appear
in a workbook the municipalities see. ``docs/beslutninger-<år>.md`` is generated from it.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Mapping

from .expr import parse
from .model import Form

COLUMNS = ("id", "skjema", "del", "sporsmal", "ark", "celle", "label", "type", "unit", "required", "blank_zero",
           "relevance", "calculate", "kostra", "checks")


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


def field_catalogue(form: Form, cells: Mapping[str, tuple[str, str]] | None = None) -> list[dict[str, Any]]:
    """One dict per field, in catalogue order, with the keys in ``COLUMNS``; ``cells`` (field id ->
    sheet, A1 in the survey workbook, from ``workbook.field_cells``) fills «ark» and «celle»."""
    cells = cells or {}
    parts = {p.id: p.number for p in form.parts}
    mentions = checks_by_field(form)
    return [{
        "id": f.id, "skjema": form.id, "del": parts.get(f.part_id, f.part_id), "sporsmal": f.question,
        "ark": cells.get(f.id, ("", ""))[0], "celle": cells.get(f.id, ("", ""))[1],
        "label": f.label, "type": f.type, "unit": f.unit or "", "required": f.required,
        "blank_zero": f.blank_zero, "relevance": f.relevant or "", "calculate": f.calculate or "", "kostra": f.kostra or "",
        "checks": mentions[f.id],
    } for f in form.fields.values()]


# Column headings of the CSV (read by people, in Excel): bokmål. The JSON keeps the keys above.
CSV_HEADINGS = {"id": "felt_id", "skjema": "skjema", "del": "del", "sporsmal": "spørsmål", "ark": "ark", "celle": "celle",
                "label": "ledetekst",
                "type": "type", "unit": "enhet", "required": "påkrevd", "blank_zero": "tomt_er_0",
                "relevance": "vises_når",
                "calculate": "formel", "kostra": "kostra", "checks": "kontroller"}


def to_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([CSV_HEADINGS[c] for c in COLUMNS])
    for row in rows:
        writer.writerow([";".join(row[c]) if c == "checks" else ("ja" if row[c] is True else "nei" if row[c] is False
                         else row[c]) for c in COLUMNS])
    return buf.getvalue()


def to_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(forms: list[Form]) -> str:
    """The secretariat's documentation of the definitions of one year (decisions, fields, controls)."""
    year = forms[0].year if forms else ""
    out = [f"# Skjemadefinisjonene for {year}: beslutninger, felt og kontroller", "",
           f"Generert fra `workbook_templates/{year}/*.yaml` med `kalk-excel felt --aar {year} --format md`; "
           "rediger definisjonene, ikke denne fila. Dokumentet er for sekretariatet og utvalget: det viser "
           "felt-id-er og uttrykk, som aldri vises i skjemaene kommunene fyller ut.", ""]
    for form in forms:
        out += [f"## {form.short_title} ({form.id}, versjon {form.version})", "", "### Beslutninger", ""]
        out += [f"{i}. {d}" for i, d in enumerate(form.decisions, start=1)] or ["(ingen)"]
        out.append("")
        for part in form.parts:
            out += [f"### Del {part.number} {part.title.capitalize()}", ""]
            if part.relevant:
                out += [f"Relevant når `{part.relevant}`.", ""]
            out += ["| id | spørsmål | etikett | type | enhet | obligatorisk | relevant når | formel |",
                    "| --- | --- | --- | --- | --- | --- | --- | --- |"]
            for f in form.fields_of(part.id):
                relevant = f.relevant if f.relevant and f.relevant != part.relevant else ""
                out.append("| " + " | ".join(_cell(x) for x in (
                    f"`{f.id}`", f.question, f.label, f.type, f.unit or "",
                    "ja" if f.required else "nei, tomt = 0" if f.blank_zero else "",
                    f"`{relevant}`" if relevant else "", f"`{f.calculate}`" if f.calculate else "")) + " |")
            checks = [c for c in form.checks if c.part_id == part.id]
            if checks:
                out += ["", "| kontroll | alvorlighet | gjelder når | melding |", "| --- | --- | --- | --- |"]
                for c in checks:
                    out.append("| " + " | ".join(_cell(x) for x in (
                        f"`{c.id}`: `{c.assert_}`", c.severity, f"`{c.relevant}`" if c.relevant else "",
                        c.message)) + " |")
            out.append("")
    return "\n".join(out).rstrip() + "\n"
