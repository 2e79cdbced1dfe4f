"""The *Sporbarhet* sheet of the master as one block: from any pulled number to its source.

Part 1 lists every submission (per municipality and survey): file, SHA-256, form version, file
time, content time, status, counts, included or not, the replacement record and why a file is
not included (including «Holdt utenfor av sekretariatet: <begrunnelse>» for an accepted file whose
municipality and survey stand in the Oppsett table «Holdes utenfor beregningen»). Part 2 lists
every pulled value: form, kommune, field id, whether it is computed, the master cell it was written
to (derived from the pull's own Innrapportert blocks), the source file, its SHA-256, the sheet and
cell in that file, and the value. ``read_sporbarhet`` parses the
sheet back (for auditors' tools and tests). Nothing here depends on the clock: the same folder
gives the same block.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterable, Mapping

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..intake.codes import rejects
from ..intake.results import FileResult
from ..master.inputs import field_columns
from ..master.layout import ACCEPTED_STATUSES, FORMS, SHEET_INPUT, SHEET_TRACE, STATUS_KEYS, col
from .blocks import Block

ORIGIN_ROW = 3          # the block starts under the sheet title (row 2)
SUBMISSION_INTRO = ("Del 1 – innleveringer: én rad per fil (kommune og skjema) med SHA-256, tider, status, "
                    "om den er inkludert, hva den erstatter eller er erstattet av, og hvorfor den eventuelt "
                    "ikke er med. Del 2 (under): hver innrapportert verdi -> fil, ark og celle i innleveringen.")
VALUE_INTRO = ("Del 2 – innrapporterte verdier: cellen på «Innrapportert …» i denne boken, og fil, SHA-256, "
               "ark og celle i innleveringen verdien kom fra. Beregnet = ja: cellen i innleveringen har en "
               "formel; verdien er regnet på nytt fra kommunens innfylte tall ved mottak.")
SUBMISSION_HEADER = ["Kommunenummer", "Kommune", "Skjema", "Fil", "SHA-256", "Skjemaversjon", "Mottatt (filtid)",
                     "Innhold endret (lagret)", "Status", "Antall feil", "Antall advarsler", "Inkludert",
                     "Erstattet av", "Erstatter", "Avvist / ikke inkludert fordi", "Valg av fil (intake.selection)"]
VALUE_HEADER = ["Skjema", "Kommunenummer", "Felt-id", "Beregnet", "Ark i masteren", "Celle i masteren",
                "Kildefil", "Kilde SHA-256", "Kildeark", "Kildecelle", "Verdi"]
CORRECTION_INTRO = ("Del 3 – sekretariatets korreksjoner (arket «Korreksjoner»): verdien i kommunens fil, "
                    "verdien beregningen bruker, og hvorfor, hvor det kommer fra og hvem som registrerte det.")
CORRECTION_HEADER = ["Skjema", "Kommunenummer", "Felt-id", "Felt", "Innrapportert verdi", "Korrigert verdi",
                     "Begrunnelse", "Kilde", "Dato", "Registrert av", "Rad på Korreksjoner", "Fil", "Fil SHA-256"]
WIDTHS = (14, 16, 26, 34, 66, 12, 20, 20, 12, 10, 10, 10, 34, 34, 80)
NOT_RECEIVED = "ikke mottatt"


HELD_OUT = "Holdt utenfor av sekretariatet: {}"


def why_not_included(f: FileResult, chosen: FileResult | None, expected: set[str],
                     excluded: Mapping[tuple[str, str], str] | None = None) -> str | None:
    """Norwegian reason a file does not count in the calculation (None when it is included).
    ``excluded``: ``{(skjema, kommunenummer): begrunnelse}`` from the Oppsett table."""
    if f.replaced_by:
        return f"Erstattet av nyere fil {f.replaced_by}."
    if f.status == "avvist":
        reasons = [p.message for p in f.problems if rejects(p)] or \
                  [p.message for p in f.problems if p.severity == "feil"]
        return "Avvist: " + (" ".join(reasons) if reasons else "filen kan ikke brukes.")
    if f.status == "feil":
        errors = [p for p in f.problems if p.severity == "feil"]
        first = f" Første: {errors[0].message}" if errors else ""
        return f"Har {len(errors)} feil som må rettes.{first}"
    if f.status not in ACCEPTED_STATUSES:
        return f"Status {f.status}."
    if f.kommunenummer not in expected:
        return f"Kommune {f.kommunenummer} er ikke i kommunelisten."
    if chosen is not f:
        return "En annen fil fra kommunen er brukt."
    reason = (excluded or {}).get((f.form_id or "", f.kommunenummer or ""))
    if reason is not None:
        return HELD_OUT.format(reason)
    return None


def local_time(t: Any) -> Any:
    """A file time as the pull writes it on Innrapportert (local, without time zone)."""
    if isinstance(t, dt.datetime) and t.tzinfo is not None:
        return t.astimezone().replace(tzinfo=None)
    return t


def submission_rows(pairs: list[tuple[str, str]], expected_forms: Mapping[str, Iterable[str]],
                    files: list[FileResult], chosen: Mapping[tuple[str, str], FileResult],
                    excluded: Mapping[tuple[str, str], str] | None = None,
                    reasons: Mapping[tuple[str, str], str] | None = None) -> list[list[Any]]:
    """Part 1: every file, grouped by survey and municipality in master order; then files that belong
    to no expected municipality (unidentified, not on the list). ``excluded`` as in
    ``why_not_included``; ``reasons``: (skjema, kommunenummer) -> why the file that counts was chosen
    (``IntakeReport.choices``), shown on every row of the group."""
    reasons = reasons or {}
    expected = {nr for nr, _ in pairs}
    by_key: dict[tuple[str, str], list[FileResult]] = {}
    for f in files:
        by_key.setdefault((f.form_id or "", f.kommunenummer or ""), []).append(f)
    replaces: dict[str, list[str]] = {}
    for f in files:
        if f.replaced_by:
            replaces.setdefault(f.replaced_by, []).append(f.file)
    out: list[list[Any]] = []
    seen: set[str] = set()
    for form_id in FORMS:
        for nr, navn in pairs:
            group = sorted(by_key.get((form_id, nr), []), key=lambda f: f.file)
            if not group:
                if form_id in tuple(expected_forms.get(nr, FORMS)):
                    out.append([nr, navn, form_id] + [None] * 5 + [NOT_RECEIVED, None, None, "nei",
                                                                   None, None, "Ingen fil mottatt."])
                continue
            for f in group:
                out.append(_file_row(f, navn, chosen.get((form_id, nr)), expected, replaces, excluded)
                           + [reasons.get((form_id, nr))])
                seen.add(f.file)
    rest = sorted((f for f in files if f.file not in seen), key=lambda f: f.file)
    out += [_file_row(f, f.kommunenavn or "", chosen.get((f.form_id or "", f.kommunenummer or "")), expected,
                      replaces, excluded) + [reasons.get((f.form_id or "", f.kommunenummer or ""))] for f in rest]
    return out


def _file_row(f: FileResult, navn: str, chosen: FileResult | None, expected: set[str],
              replaces: Mapping[str, list[str]], excluded: Mapping[tuple[str, str], str] | None = None) -> list[Any]:
    reason = why_not_included(f, chosen, expected, excluded)
    return [f.kommunenummer, navn, f.form_id, f.file, f.sha256, f.version, local_time(f.received),
            local_time(f.content_time), f.status, f.counts.get("feil", 0), f.counts.get("advarsel", 0),
            "ja" if reason is None else "nei", f.replaced_by, ", ".join(sorted(replaces.get(f.file, []))) or None,
            reason]


def value_rows(year: int, forms: Any, blocks: list[Block],
               chosen: Mapping[tuple[str, str], FileResult]) -> list[list[Any]]:
    """Part 2: one row per non-empty pulled value, located by the pull's own Innrapportert blocks."""
    columns = field_columns(year, forms)
    form_of = {sheet: form_id for form_id, sheet in SHEET_INPUT.items()}
    n_status = len(STATUS_KEYS)
    out: list[list[Any]] = []
    for form_id in FORMS:
        block = next((b for b in blocks if b.sheet == SHEET_INPUT[form_id]), None)
        if block is None or form_of.get(block.sheet) != form_id:
            continue
        row0, col0 = block.origin
        fields = columns[form_id]
        for i, row in enumerate(block.values):
            nr = row[0]
            sub = chosen.get((form_id, nr))
            if sub is None or row[STATUS_KEYS.index("fil")] != sub.file:
                continue
            for j, fc in enumerate(fields):
                value = row[n_status + j]
                if value is None:
                    continue
                sheet, cell = sub.cells.get(fc.id, (None, None))
                out.append([form_id, nr, fc.id, "ja" if fc.computed else "nei", block.sheet,
                            f"{col(col0 + n_status + j)}{row0 + i}", sub.file, sub.sha256, sheet, cell, value])
    return out


def correction_rows(applied: Iterable[Any], forms: Mapping[str, Any]) -> list[list[Any]]:
    """Part 3: one row per applied correction (``pipeline.corrections.Applied``)."""
    out = []
    for a in applied:
        c = a.correction
        form = forms.get(c.form_id)
        label = form.fields[c.field_id].label if form is not None and c.field_id in form.fields else None
        out.append([c.form_id, c.kommunenummer, c.field_id, label, a.submitted, c.value, c.reason, c.source or None,
                    c.date, c.who or None, c.row, a.file, a.sha256])
    return out


def sporbarhet_block(submissions: list[list[Any]], values: list[list[Any]], clear_to_row: int = 0,
                     corrections: list[list[Any]] | None = None) -> Block:
    """The parts as one rectangular block from A3 (part 3, the corrections, only when there are
    any); blank rows down to ``clear_to_row`` clear what an earlier, longer pull left behind (the
    add-in writes into the existing master)."""
    rows: list[list[Any]] = [[SUBMISSION_INTRO], SUBMISSION_HEADER, *submissions, [],
                             [VALUE_INTRO], VALUE_HEADER, *values]
    if corrections:
        rows += [[], [CORRECTION_INTRO], CORRECTION_HEADER, *corrections]
    width = max(len(SUBMISSION_HEADER), len(VALUE_HEADER), len(CORRECTION_HEADER))
    rows = [list(r) + [None] * (width - len(r)) for r in rows]
    head = 2 + len(submissions) + 2        # part 2's header row (index in rows): the auditor filters there
    filter_rows = (head, head + max(len(values), 1))
    while ORIGIN_ROW + len(rows) - 1 < clear_to_row:
        rows.append([None] * width)
    return Block(SHEET_TRACE, f"A{ORIGIN_ROW}", rows, filter_rows)


def ensure_sporbarhet_sheet(workbook: Workbook) -> Worksheet:
    """The Sporbarhet sheet of ``workbook`` (openpyxl), created last if the master lacks it.
    (``build_master`` creates it today; kept so an older master still gets one.)"""
    if SHEET_TRACE in workbook.sheetnames:
        return workbook[SHEET_TRACE]
    ws = workbook.create_sheet(SHEET_TRACE)
    ws.cell(2, 1, "Sporbarhet – hvor hvert innrapportert tall står i kommunens fil")
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[col(i)].width = width
    return ws


def read_corrections(path: str | Path) -> list[dict[str, Any]]:
    """Part 3 of the Sporbarhet sheet (the corrections) as dicts keyed by header."""
    wb = load_workbook(path, read_only=True)
    try:
        rows = [list(r) for r in wb[SHEET_TRACE].iter_rows(min_row=ORIGIN_ROW, values_only=True)]
    finally:
        wb.close()
    return _part(rows, CORRECTION_HEADER)


def read_sporbarhet(path: str | Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Parse the Sporbarhet sheet of a master: (part 1 rows, part 2 rows) as dicts keyed by header."""
    wb = load_workbook(path, read_only=True)
    try:
        rows = [list(r) for r in wb[SHEET_TRACE].iter_rows(min_row=ORIGIN_ROW, values_only=True)]
    finally:
        wb.close()
    return _part(rows, SUBMISSION_HEADER), _part(rows, VALUE_HEADER)


def _part(rows: list[list[Any]], header: list[str]) -> list[dict[str, Any]]:
    start = next((i for i, r in enumerate(rows) if r[:len(header)] == header), None)
    if start is None:
        return []
    out = []
    for r in rows[start + 1:]:
        r = r + [None] * (len(header) - len(r))
        if all(v is None for v in r[:len(header)]):
            break
        out.append(dict(zip(header, r, strict=False)))
    return out
