"""Prepare a master update from a folder of returned workbooks (engine-agnostic core of the pull).

``prepare_update(year, submissions_dir, kommuner=None, master_path=None, state=None) -> Update`` runs the
intake on the folder, selects per municipality and survey the submission that counts (only
``godkjent``/``advarsler`` are included; ``feil``/``avvist`` are listed with why; a newer file
replaces an older one and the replacement is recorded), builds the pull blocks (Innrapportert,
Oppsett), the *Sporbarhet* block and the model-check block from the reference model run on the
included values. The CLI writes ``Update.blocks`` with openpyxl, the add-in with xlwings.

Pulling is idempotent: the same folder gives the same Innrapportert and Sporbarhet content; the
pull time goes only to Oppsett. With ``state`` (``pipeline.state.parse_master_state`` over the
master's value grids; the add-in passes the live workbook's) or ``master_path`` (a saved file, read
with ``read_master_state``) the existing master's Parametre values (the
secretariat's edits), year and municipality list are used, and the Sporbarhet block is padded so
that rows left from an earlier, longer pull are cleared.

The master's Oppsett table «Holdes utenfor beregningen» (name ``oppsett_utelatt``: kommunenummer,
skjema adm/norsk/begge, begrunnelse) is part of that state too: those municipality/survey
pairs get ``inkludert`` = 0 even when accepted, with «Holdt utenfor av sekretariatet: <begrunnelse>»
in ``files[*]["grunn"]`` and on Sporbarhet, so the model leaves them out as well. Invalid rows
(unknown kommunenummer or skjema, no begrunnelse) are ``Problem`` records and are not used. The
table as read goes into ``Update.carry_over`` (a block for a freshly built master, which
``pipeline.run`` writes so the decision survives the rebuild); it is not in ``Update.blocks``,
because the add-in writes those into the open master, where the table already is.

Last year's values on *Fjorår* (names ``fjor_snitt_omrade``, ``historikk_norsk``,
``fjor_norsk_kommune``) are part of the state the same way and carried over into
``Update.carry_over``: per service area by label, per year by year, per municipality by
kommunenummer (so a changed kommune list keeps each municipality's values); a value with no place
in the new master is a ``P047`` record. ``fjorar_blocks`` makes the same blocks from plain
mappings (the demo uses it to fill *Fjorår* with the 2023 values).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..definition.model import Kommune
from ..intake import IntakeReport, IntakeUsageError, Settings, check_folder
from ..intake.report import status_grid, status_rows
from ..intake.results import FileResult
from ..master.inputs import field_columns, kommune_pairs, resolve_forms
from ..master.layout import (
    ACCEPTED_STATUSES,
    CORRECTION_FIRST_ROW,
    EXCLUSION_COLUMNS,
    EXCLUSION_FIRST_ROW,
    EXCLUSION_FORMS,
    EXCLUSION_ROWS,
    EXCLUSION_TITLE,
    FORMS,
    LASTYEAR_HISTORY_YEARS,
    SHEET_LASTYEAR,
    SHEET_SETUP,
    SHEET_STATUS,
    SHEET_TRACE,
    STATUS_KEYS,
    STATUS_SHEET_FIRST_ROW,
    col,
    lastyear_rows,
)
from ..master.perkommune_spec import AREAS
from ..model import ModelResult, Parameters, compute
from ..problems import Problem
from . import registerdata as registers
from . import trace
from .blocks import Block
from .corrections import apply_corrections, carry_block, parse_corrections, pulled_block
from .paramlog import changelog_blocks, reconcile_parameters
from .pull import model_block, pull
from .state import LastYear, MasterState, UpdateError, _text, parse_master_state, read_master_state  # noqa: F401 - the API
from .state import kommunenummer as _kommunenummer


@dataclass
class Update:
    year: int
    folder: Path
    blocks: list[Block]
    files: list[dict[str, Any]]           # per file: fil, status, kommunenummer, skjema, counts, inkludert, ...
    summary: dict[str, Any]               # Norwegian keys: inkludert, avvist, erstattet, ...
    report: IntakeReport
    kommuner: list[Kommune]
    forms: dict[str, Any]
    params: Parameters
    model: dict[str, float | None]        # the reference model's results (names of docs/beregning.md)
    rows: dict[str, list[list[Any]]]      # the Innrapportert rows as pulled
    chosen: dict[tuple[str, str], FileResult]
    problems: list[Problem] = field(default_factory=list)
    excluded: dict[tuple[str, str], str] = field(default_factory=dict)   # (skjema, nr) -> begrunnelse
    carry_over: list[Block] = field(default_factory=list)   # for a freshly built master only (see above)
    model_result: ModelResult | None = None  # the model's frames (per municipality, vedlegg 5), None if it failed


# --------------------------------------------------------------------------------------------
# the existing master


def fjorar_blocks(last_year: LastYear, year: int, kommunenumre: list[str]) -> tuple[list[Block], list[Problem]]:
    """Blocks that put ``last_year`` into a fresh master's *Fjorår* for ``year`` whose
    per-municipality rows are ``kommunenumre`` (in order). Values without a place there are
    ``P047`` records (advarsel) and are left out."""
    rows = lastyear_rows(len(AREAS))
    labels = [label for _, label, _ in AREAS] + ["Sum"]
    years = [year - LASTYEAR_HISTORY_YEARS + i for i in range(LASTYEAR_HISTORY_YEARS)]
    problems: list[Problem] = []
    blocks: list[Block] = []

    def lost(what: str, value: Any) -> None:
        problems.append(Problem("P047", "advarsel", f"{what} på arket {SHEET_LASTYEAR} har ingen plass i den nye "
                                "masteren og er ikke ført videre.", "Skriv verdien inn på nytt der den hører "
                                "hjemme, eller se bort fra meldingen om den ikke trengs.",
                                sheet=SHEET_LASTYEAR, value=value))

    for key in last_year.areas:
        if key not in labels:
            lost(f"Utgiftsområdet «{key}»", key)
    for year_key in last_year.history:
        if year_key not in years:
            lost(f"Året {year_key}", year_key)
    for key in last_year.kommuner:
        if key not in kommunenumre:
            lost(f"Kommune {key}", key)
    if any(k in labels for k in last_year.areas):
        blocks.append(Block(SHEET_LASTYEAR, f"B{rows['area_first']}",
                            [list(last_year.areas.get(label, (None, None))) for label in labels]))
    if any(k in years for k in last_year.history):
        blocks.append(Block(SHEET_LASTYEAR, f"B{rows['history_first']}",
                            [list(last_year.history.get(y, (None, None, None))) for y in years]))
    if any(k in kommunenumre for k in last_year.kommuner):
        blocks.append(Block(SHEET_LASTYEAR, f"C{rows['kommune_first']}",
                            [list(last_year.kommuner.get(nr, (None, None, None))) for nr in kommunenumre]))
    return blocks, problems


# --------------------------------------------------------------------------------------------
# the secretariat's table «Holdes utenfor beregningen» on Oppsett


def parse_exclusions(rows: list[list[Any]], kommuner: list[Kommune],
                     first_row: int = EXCLUSION_FIRST_ROW) -> tuple[dict[tuple[str, str], str], list[Problem]]:
    """``{(skjema, kommunenummer): begrunnelse}`` from the table's rows (sheet row ``first_row`` +
    index), and a Problem for every row that cannot be used (the row is then ignored)."""
    known = {k.kommunenummer: k for k in kommuner}
    out: dict[tuple[str, str], str] = {}
    first_seen: dict[tuple[str, str], int] = {}
    problems: list[Problem] = []
    for i, raw in enumerate(rows):
        raw = list(raw) + [None] * (len(EXCLUSION_COLUMNS) - len(raw))
        nr_raw, form_raw, reason_raw = (_text(v) for v in raw[:len(EXCLUSION_COLUMNS)])
        if not (nr_raw or form_raw or reason_raw):
            continue
        row = first_row + i
        where = f"Tabellen «{EXCLUSION_TITLE}» på {SHEET_SETUP}, rad {row}"
        bad: list[Problem] = []
        nr = _kommunenummer(raw[0])
        if nr is None or nr not in known:
            shown = f"«{nr_raw}»" if nr_raw else "(tomt)"
            bad.append(Problem("P040", "feil", f"{where}: kommunenummer {shown} er ikke en av kommunene i "
                               "masteren. Raden er ikke brukt.", "Skriv kommunenummeret med fire sifre, slik det "
                               "står på «Innrapportert adm».", sheet=SHEET_SETUP, cell=f"A{row}", value=raw[0]))
        form = form_raw.lower()
        if form not in EXCLUSION_FORMS:
            shown = f"«{form_raw}»" if form_raw else "(tomt)"
            bad.append(Problem("P041", "feil", f"{where}: skjema {shown} er ukjent. Raden er ikke brukt.",
                               "Skriv adm, norsk eller begge.", sheet=SHEET_SETUP, cell=f"B{row}", value=raw[1]))
        if not reason_raw:
            bad.append(Problem("P042", "feil", f"{where}: begrunnelse mangler. Raden er ikke brukt, og kommunen "
                               "tas med i beregningen.", "Skriv hvorfor kommunen holdes utenfor beregningen.",
                               sheet=SHEET_SETUP, cell=f"C{row}"))
        if bad or nr is None:
            problems += bad
            continue
        for form_id in (FORMS if form == "begge" else (form,)):
            if form_id not in known[nr].skjema:
                if form != "begge":
                    problems.append(Problem("P043", "info", f"{where}: kommune {nr} skal ikke levere skjema "
                                            f"{form_id}; raden endrer ingenting.", "Sjekk kommunenummer og skjema.",
                                            sheet=SHEET_SETUP, cell=f"B{row}", value=raw[1]))
                continue
            key = (form_id, nr)
            if key in out:
                problems.append(Problem("P044", "info", f"{where}: kommune {nr} ({form_id}) står også på rad "
                                        f"{first_seen[key]}; begrunnelsen derfra brukes.", "Slett den ene raden.",
                                        sheet=SHEET_SETUP, cell=f"A{row}", value=nr_raw))
                continue
            out[key] = reason_raw
            first_seen[key] = row
    return out, problems


def exclusion_block(rows: list[list[Any]], first_row: int = EXCLUSION_FIRST_ROW) -> tuple[list[Block], list[Problem]]:
    """The table as read, for a freshly built master: same rows in the same places (none when it is
    empty). Rows beyond the new table's size cannot be carried over and are reported."""
    width = len(EXCLUSION_COLUMNS)
    table = [list(r)[:width] + [None] * (width - len(r)) for r in rows]
    offset = first_row - EXCLUSION_FIRST_ROW
    problems: list[Problem] = []
    fitted: list[list[Any]] = [[None] * width for _ in range(EXCLUSION_ROWS)]
    for i, r in enumerate(table):
        if not any(_text(v) for v in r):
            continue
        target = offset + i
        if 0 <= target < EXCLUSION_ROWS:
            fitted[target] = r
        else:
            problems.append(Problem("P045", "advarsel", f"Rad {first_row + i} i tabellen «{EXCLUSION_TITLE}» på "
                                    f"{SHEET_SETUP} får ikke plass i den nye masteren og er ikke ført videre.",
                                    f"Tabellen har plass til {EXCLUSION_ROWS} rader; slå sammen eller slett rader.",
                                    sheet=SHEET_SETUP, value=" / ".join(_text(v) for v in r)))
    if not any(any(_text(v) for v in r) for r in fitted):
        return [], problems
    return [Block(SHEET_SETUP, f"{col(1)}{EXCLUSION_FIRST_ROW}", fitted)], problems




# --------------------------------------------------------------------------------------------
# municipalities and selection


def resolve_kommuner(year: int, kommuner: Any, state: MasterState | None,
                     definitions: Path | None = None) -> list[Kommune]:
    """Expected municipalities: the argument, else the existing master's rows, else the year's list."""
    from ..kommuner import KommunelisteFeil, default_path, load_kommuner
    try:
        year_list = {k.kommunenummer: k for k in load_kommuner(year, default_path(year, definitions))}
    except (KommunelisteFeil, ValueError):
        year_list = {}
    if isinstance(kommuner, (str, Path)):
        try:
            return load_kommuner(year, Path(kommuner))
        except KommunelisteFeil as exc:
            raise UpdateError("Kommunelisten kan ikke brukes:\n" + "\n".join(exc.messages)) from None
    if kommuner is None and state is not None and state.kommuner:
        kommuner = state.kommuner
    if kommuner is None:
        if not year_list:
            raise UpdateError(f"Fant ingen kommuneliste for {year}. Korreksjon: oppgi --kommuner.")
        return list(year_list.values())
    out = []
    for k in kommuner:
        if isinstance(k, Kommune):
            known = year_list.get(k.kommunenummer)
            if k.imdi_malgruppe is None and known is not None and known.imdi_malgruppe is not None:
                k = dataclasses.replace(k, imdi_malgruppe=known.imdi_malgruppe)
            out.append(k)
            continue
        nr, navn = kommune_pairs(year, [k])[0]
        known = year_list.get(nr)
        out.append(known if known is not None else Kommune(nr, navn, FORMS))
    return out


def choose(report: IntakeReport) -> dict[tuple[str, str], FileResult]:
    """(skjema, kommunenummer) -> the submission that counts, as the intake decided it
    (``intake.selection``: the used file, else the newest rejected one, shown as rejected)."""
    return {key: c.chosen for key, c in report.choices.items() if key[0] in FORMS and c.chosen is not None}


# --------------------------------------------------------------------------------------------
# the update


def prepare_update(year: int, submissions_dir: Path, kommuner: Any = None, master_path: Path | None = None,
                   now: dt.datetime | None = None, progress: Any = None,
                   state: MasterState | None = None, definitions: Path | None = None,
                   registerdata: Path | None = None) -> Update:
    """Check ``submissions_dir``, choose the submissions that count and build every block.

    The existing master's state: ``state`` as parsed by the caller (the add-in parses the live
    workbook's grids with ``parse_master_state``), else read from the saved ``master_path``.
    ``registerdata``: a CSV file of register figures (``pipeline.registerdata``) put over the
    master's *Registerdata*; a file with problems stops the run (``UpdateError``)."""
    say = progress or (lambda _msg: None)
    folder = Path(submissions_dir)
    if state is None and master_path is not None and Path(master_path).exists():
        state = read_master_state(master_path)
    if state is not None and state.year is not None and state.year != year:
        raise UpdateError(f"Masteren gjelder {state.year}, men året som er oppgitt er {year}. "
                          "Korreksjon: bruk riktig år eller en master for året.")
    expected_list = resolve_kommuner(year, kommuner, state, definitions)
    reconciled = reconcile_parameters(year, state, now, definitions)
    params, problems = reconciled.params, list(reconciled.problems)
    log_carry, log_new = changelog_blocks(state, reconciled.log_rows)
    excluded: dict[tuple[str, str], str] = {}
    carry_over: list[Block] = []
    if state is not None:
        excluded, table_problems = parse_exclusions(state.exclusions, expected_list, state.exclusion_first_row)
        carry_over, carry_problems = exclusion_block(state.exclusions, state.exclusion_first_row)
        problems += table_problems + carry_problems
        if state.last_year is not None:
            fjor, fjor_problems = fjorar_blocks(state.last_year, year, [k.kommunenummer for k in expected_list])
            carry_over += fjor
            problems += fjor_problems
    register = registers.from_state(state.registerdata if state is not None else {})
    if registerdata is not None:
        try:
            register = registers.merged(register, registers.read_csv(Path(registerdata), expected_list))
        except registers.RegisterError as exc:
            raise UpdateError(f"Registerdatafilen kan ikke brukes: {exc}") from None
    numbers = [k.kommunenummer for k in expected_list]
    carry_over += registers.carry_block(register, numbers)
    forms = resolve_forms(year, None, definitions)
    say(f"Kontrollerer innleveringene i {folder}")
    try:
        report = check_folder(folder, year=year, kommuner=expected_list,
                              settings=Settings(templates_dir=definitions) if definitions else None)
    except IntakeUsageError as exc:
        raise UpdateError(str(exc)) from None
    chosen = choose(report)
    expected = {k.kommunenummer for k in expected_list}
    say("Henter verdiene")
    for (form_id, nr), _reason in excluded.items():
        sub = chosen.get((form_id, nr))
        if sub is None or sub.status not in ACCEPTED_STATUSES:
            problems.append(Problem("P046", "info", f"Kommune {nr} ({form_id}) står i tabellen «{EXCLUSION_TITLE}» "
                                    f"på {SHEET_SETUP}, men har ingen godkjent innlevering; raden endrer ingenting "
                                    "nå.", "Ingen handling nødvendig; raden gjelder også senere innleveringer.",
                                    sheet=SHEET_SETUP, value=nr))
    known_forms = {f: form for f, form in forms.items() if form is not None}
    corrections, correction_problems, correction_status = parse_corrections(
        state.corrections if state else [], expected_list, known_forms,
        state.corrections_first_row if state else CORRECTION_FIRST_ROW)
    corrected, applied, applied_problems = apply_corrections(chosen, corrections, known_forms, correction_status)
    problems += correction_problems + applied_problems
    if state is not None:
        carried, carry_problems = carry_block(state.corrections, state.corrections_first_row)
        carry_over += carried
        problems += carry_problems
    pulled = pull(year, expected_list, forms, list(corrected.values()), folder=str(folder), now=now,
                  excluded=excluded)
    problems += pulled.problems
    columns = {f: [c.id for c in cols] for f, cols in field_columns(year, forms).items()}
    model_result, model, model_problems = run_model_result(pulled.rows, columns, params, year, register.frame())
    problems += model_problems
    pairs = [(k.kommunenummer, k.navn) for k in expected_list]
    trace_block = trace.sporbarhet_block(
        trace.submission_rows(pairs, {k.kommunenummer: k.skjema for k in expected_list}, report.files, chosen,
                              excluded, {key: c.reason for key, c in report.choices.items()}),
        trace.value_rows(year, forms, pulled.blocks, corrected) + registers.trace_rows(register, numbers),
        clear_to_row=state.trace_last_row if state else 0,
        corrections=trace.correction_rows(applied, known_forms))
    blocks = [b for b in pulled.blocks if b.sheet != SHEET_TRACE] + [
        trace_block, model_block(model),
        pulled_block(applied, correction_status, state.corrections_first_row if state else CORRECTION_FIRST_ROW),
        status_block(status_rows(report, expected_list), state.status_last_row if state else 0)] + log_new
    carry_over += log_carry
    files = [_file_dict(f, chosen.get((f.form_id or "", f.kommunenummer or "")), expected, excluded)
             for f in report.files]
    summary = _summary(year, folder, report, files, pulled.rows, problems)
    summary["holdt_utenfor"] = [{"kommunenummer": nr, "skjema": form_id, "begrunnelse": reason}
                                for (form_id, nr), reason in excluded.items()]
    summary["korreksjoner"] = [{"rad": a.correction.row, "kommunenummer": a.correction.kommunenummer,
                                "skjema": a.correction.form_id, "felt": a.correction.field_id,
                                "innrapportert": a.submitted, "korrigert": a.correction.value,
                                "begrunnelse": a.correction.reason} for a in applied]
    return Update(year, folder, blocks, files, summary, report, expected_list, forms, params, model, pulled.rows,
                  chosen, problems, excluded, carry_over, model_result)


def status_block(rows: list[dict[str, Any]], clear_to_row: int = 0) -> Block:
    """*Innleveringer*: the intake's status table (header + rows), padded with blank rows down to
    ``clear_to_row`` so that a longer table from an earlier pull is cleared."""
    grid = status_grid(rows)
    width = len(grid[0])
    while STATUS_SHEET_FIRST_ROW + len(grid) - 1 < clear_to_row:
        grid.append([None] * width)
    return Block(SHEET_STATUS, f"A{STATUS_SHEET_FIRST_ROW}", grid)


def _file_dict(f: FileResult, chosen: FileResult | None, expected: set[str],
               excluded: dict[tuple[str, str], str] | None = None) -> dict[str, Any]:
    reason = trace.why_not_included(f, chosen, expected, excluded)
    return {"fil": f.file, "status": f.status, "kommunenummer": f.kommunenummer, "kommunenavn": f.kommunenavn,
            "skjema": f.form_id, "counts": dict(f.counts), "sha256": f.sha256, "inkludert": reason is None,
            "erstattet_av": f.replaced_by, "grunn": reason}


def _summary(year: int, folder: Path, report: IntakeReport, files: list[dict[str, Any]],
             rows: dict[str, list[list[Any]]], problems: list[Problem]) -> dict[str, Any]:
    inkl = STATUS_KEYS.index("inkludert")
    status = STATUS_KEYS.index("status")
    return {
        "aar": year, "mappe": str(folder), "filer": len(files),
        "inkludert": sum(1 for f in files if f["inkludert"]),
        "godkjent": sum(1 for f in files if f["status"] == "godkjent"),
        "advarsler": sum(1 for f in files if f["status"] == "advarsler"),
        "feil": sum(1 for f in files if f["status"] == "feil"),
        "avvist": sum(1 for f in files if f["status"] == "avvist"),
        "erstattet": sum(1 for f in files if f["erstattet_av"]),
        "inkludert_per_skjema": {f: sum(1 for r in rows[f] if r[inkl] == 1) for f in FORMS},
        "ikke_mottatt": {f: [r[0] for r in rows[f] if r[status] == "ikke mottatt"] for f in FORMS},
        "problemer": [p.to_dict() for p in report.problems + problems],
    }


# --------------------------------------------------------------------------------------------
# the reference model on the included rows


def model_frames(rows: dict[str, list[list[Any]]], columns: dict[str, list[str]]) -> dict[str, pd.DataFrame]:
    """The included Innrapportert rows as the model's input frames (index kommunenummer)."""
    frames = {}
    for form_id in FORMS:
        df = pd.DataFrame(rows[form_id], columns=STATUS_KEYS + columns[form_id])
        df = df[df["inkludert"] == 1].set_index("kommunenummer")
        df = df.drop(columns=[k for k in STATUS_KEYS if k != "kommunenummer"])
        for c in df.columns:
            converted = pd.to_numeric(df[c], errors="coerce")
            if converted.notna().sum() == df[c].notna().sum():
                df[c] = converted
        frames[form_id] = df
    return frames


def run_model(rows: dict[str, list[list[Any]]], columns: dict[str, list[str]], params: Parameters,
              year: int, register: pd.DataFrame | None = None) -> tuple[dict[str, float | None], list[Problem]]:
    _, out, problems = run_model_result(rows, columns, params, year, register)
    return out, problems


def run_model_result(rows: dict[str, list[list[Any]]], columns: dict[str, list[str]], params: Parameters,
                     year: int, register: pd.DataFrame | None = None
                     ) -> tuple[ModelResult | None, dict[str, float | None], list[Problem]]:
    """The model on the included rows: its frames, its results by name (None where undefined) and
    a P030 record when it could not run."""
    frames = model_frames(rows, columns)
    try:
        result = compute(frames["adm"], frames["norsk"], params, year=year, register=register)
    except Exception as exc:  # noqa: BLE001 - a record, not a traceback
        return None, {}, [Problem("P030", "feil", f"Referansemodellen kunne ikke regne ({type(exc).__name__}: "
                                  f"{exc}).", "Sjekk at minst én innlevering per skjema er inkludert.")]
    out: dict[str, float | None] = {}
    for name, value in result.results.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[name] = float(value) if math.isfinite(value) else None
    return result, out, []
