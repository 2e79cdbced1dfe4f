"""`kalk-excel nytt-aar`: set up next year's survey from this year's master (issue 10).

``roll_forward(master, year, out, deflator)`` writes, into ``out``:

- ``definisjoner/<år>/adm.yaml``, ``norsk.yaml``: last year's definitions with ``year`` and
  ``version`` moved on (``<år>.1``); everything else, the decisions included, is kept. The period
  on the cover follows from the year (``period_years``), so it moves on too.
- ``definisjoner/<år>/parametre.yaml``: last year's parameters as the master used them (the
  secretariat's edits on *Parametre* included), rolled forward: an amount marked
  ``fremskrives: deflator`` becomes last year's value × (1 + deflator), rounded to whole kroner
  (decision: the committee publishes whole kroner); a carried-forward amount (helse, kultur: the
  row marked ``fjorar_av: helse_per_person``) becomes this year's published amount (what the
  master used: the fixed amount, or last year's × (1 + deflator); whole kroner), and the fixed
  amount (``fast_belop: true``) is set to 0, so next year's master computes last year's amount ×
  (1 + next year's deflator) (docs/beregning.md); the year's deflator ``deflator_<år>`` is replaced
  by the new year's (the value given to ``nytt-aar``); a parameter marked with an update
  source (``kilde: statsbudsjett | ssb | imdi``) keeps last year's value but is marked
  ``ikke_oppdatert: true`` with a source text starting «IKKE OPPDATERT», which the master's check
  «parametre_oppdatert» counts until the secretariat writes this year's value and source.
- ``definisjoner/<år>/kommuner.csv``: last year's municipalities (the master's list, with the extra
  columns of last year's CSV; IMDi's count emptied, as it is new each year), to edit.
- ``definisjoner/<år>/historikk.csv``: *Historikk* of last year's master (earlier years' published
  results, edits included) with last year's results appended (``master.sheet_historikk``); the new
  master's *Historikk* is filled from it.
- ``master_<år>.xlsx``: the new year's master with *Fjorår* filled from last year's master:
  per service area the average per person (vedlegg 5, from the reference model on last year's
  included submissions, which the master's formulas agree with), the norsk history (the four years
  before, last year's totals added) and per municipality last year's participants and teaching hours.

Every other command runs the new year from the definitions folder with
``KALK_DEFINISJONER=<ut>/definisjoner`` (``definition.loader.year_dir``); nothing in the
repository changes. Nothing in ``out`` is overwritten: an existing year folder or master stops the
run (``RolloverError``, Norwegian, with «Korreksjon:»).
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from ..codes import problem
from ..definition import load_form
from ..definition.loader import DEFINITIONS_ENV, year_dir
from ..definition.model import Kommune
from ..definition.yamlsource import YamlError, read_yaml
from ..kommuner import kommunenummer_or_text
from ..master.layout import FIRST_DATA_ROW, FORMS, HEADER_ID_ROW, LASTYEAR_HISTORY_YEARS, SHEET_INPUT, STATUS_KEYS
from ..master.perkommune_spec import AREAS as MASTER_AREAS
from ..master.sheet_historikk import HISTORY_FILE, next_year_history, write_history
from ..problems import Problem

FORM_LINE = re.compile(r"^(\s+)(year|version):\s*(.*?)\s*$")
UPDATE_SOURCES = {"statsbudsjett": "statsbudsjettet", "ssb": "SSB", "imdi": "IMDi"}
NOT_UPDATED = "IKKE OPPDATERT"
KULL_RE = re.compile(r"_kull_(\d+)$")


class RolloverError(ValueError):
    """The new year cannot be set up; Norwegian message with «Korreksjon:»."""


@dataclass
class Rollover:
    year: int
    from_year: int
    definitions: Path                 # <out>/definisjoner (KALK_DEFINISJONER)
    master: Path
    carried: dict[str, tuple[float, float]] = field(default_factory=dict)   # id -> (last year, new)
    not_updated: list[str] = field(default_factory=list)                   # ids marked ikke_oppdatert
    problems: list[Problem] = field(default_factory=list)


def roll_form_text(text: str, from_year: int, year: int) -> str:
    """The definition with ``year`` and ``version`` in its ``form:`` block moved on."""
    out, in_form = [], False
    for line in text.splitlines(keepends=True):
        if re.match(r"^form:\s*$", line):
            in_form = True
        elif in_form and re.match(r"^\S", line):
            in_form = False
        m = FORM_LINE.match(line) if in_form else None
        if m and m.group(2) == "year":
            line = f"{m.group(1)}year: {year}\n"
        elif m and m.group(2) == "version":
            line = f'{m.group(1)}version: "{year}.1"\n'
        out.append(line)
    return "".join(out)


def _yaml_scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_yaml_scalar(x) for x in v) + "]"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    if isinstance(v, (int, float)):
        return repr(v)
    return json.dumps(str(v), ensure_ascii=False)


def _param_line(node: dict[str, Any]) -> str:
    return "  - {" + ", ".join(f"{k}: {_yaml_scalar(v)}" for k, v in node.items()) + "}\n"


def published_amount(effective: dict[str, Any], what: str, from_year: int) -> float:
    """This year's published helse or kultur amount per person, as the master computed it."""
    from ..model.per_kommune import carried_amount
    return float(round(carried_amount(effective, what, from_year)))


def roll_parameters(nodes: list[dict[str, Any]], effective: dict[str, Any], from_year: int, year: int,
                    deflator: float) -> tuple[list[dict[str, Any]], dict[str, tuple[float, float]], list[str]]:
    """The new year's parameter rows (see the module docstring), the carried-forward amounts
    (id -> (last year's value, new value)) and the ids marked not updated."""
    out: list[dict[str, Any]] = []
    carried: dict[str, tuple[float, float]] = {}
    not_updated: list[str] = []
    for node in nodes:
        node = {k: v for k, v in dict(node).items()}
        pid = str(node.get("id"))
        value = effective.get(pid, node.get("value"))
        if isinstance(value, tuple):
            value = list(value)
        node["value"] = value
        node.pop("ikke_oppdatert", None)
        if pid == f"deflator_{from_year}":       # the year's deflator gives way to the new year's
            node.update(id=f"deflator_{year}", label=re.sub(str(from_year), str(year), str(node.get("label"))),
                        value=deflator, source=f"oppgitt ved kalk-excel nytt-aar (kommunal deflator {year})")
        elif node.get("fjorar_av") and isinstance(value, (int, float)):
            name = str(node["fjorar_av"])
            new = published_amount(effective, name.removesuffix("_per_person"), from_year)
            carried[pid] = (float(value), new)
            node["value"] = new
            node["label"] = re.sub(rf"\({from_year - 1}\)", f"({from_year})", str(node.get("label")))
            node["source"] = (f"publisert for {from_year}: {name} = {_yaml_scalar(new)} kr (beløpet masteren "
                              f"for {from_year} brukte, hele kroner; kalk-excel nytt-aar)")
        elif node.get("fast_belop") and isinstance(value, (int, float)):
            node["value"] = 0
            node["source"] = (f"ikke fastsatt for {year}: 0 = fjorårets beløp × (1 + deflator_{year}) "
                              "(kalk-excel nytt-aar)")
        elif node.get("fremskrives") == "deflator" and isinstance(value, (int, float)):
            new = float(round(value * (1 + deflator)))
            carried[pid] = (float(value), new)
            node["value"] = new
            node["source"] = (f"fremskrevet fra {from_year}: {_yaml_scalar(value)} × (1 + {deflator}) "
                              "(kommunal deflator), avrundet til hele kroner (kalk-excel nytt-aar)")
        elif node.get("kilde") in UPDATE_SOURCES:
            node["ikke_oppdatert"] = True
            old = re.sub(rf"^{NOT_UPDATED}[^:]*:\s*", "", str(node.get("source", "")))
            node["source"] = (f"{NOT_UPDATED} for {year}: verdien er fra {from_year} ({old}). Skriv årets verdi "
                              f"fra {UPDATE_SOURCES[node['kilde']]} og kilden.")
            not_updated.append(pid)
            m = KULL_RE.search(pid)
            if m:   # «bosatt 2024 (kull 1)» -> «bosatt 2025 (kull 1)»
                node["label"] = re.sub(r"\b(19|20)\d{2}\b", str(year - int(m.group(1)) + 1), str(node["label"]), count=1)
        out.append(node)
    ids = {str(n.get("id")) for n in out}
    if f"deflator_{year}" not in ids:
        out.append({"id": f"deflator_{year}", "label": f"Kommunal deflator (lønnskomponent) {year}",
                    "value": deflator, "unit": "andel",
                    "source": f"oppgitt ved kalk-excel nytt-aar (kommunal deflator {year})", "group": "deflator"})
    return out, carried, not_updated


def _master_rows(master: Path) -> tuple[dict[str, list[list[Any]]], dict[str, list[str]]]:
    """The Innrapportert rows and field columns of a saved master (values only)."""
    wb = load_workbook(master, read_only=True, data_only=True)
    try:
        rows: dict[str, list[list[Any]]] = {}
        columns: dict[str, list[str]] = {}
        for form_id in FORMS:
            ws = wb[SHEET_INPUT[form_id]]
            grid = [list(r) for r in ws.iter_rows(min_row=HEADER_ID_ROW, values_only=True)]
            head = [str(v) if v is not None else "" for v in grid[0]] if grid else []
            n_status = len(STATUS_KEYS)
            fields = [h for h in head[n_status:] if h]
            width = n_status + len(fields)
            columns[form_id] = fields
            data = grid[FIRST_DATA_ROW - HEADER_ID_ROW:]
            rows[form_id] = [(r + [None] * width)[:width] for r in data if r and r[0] not in (None, "")]
    finally:
        wb.close()
    return rows, columns


def last_year_values(master: Path, state: Any, from_year: int, params: Any) -> tuple[Any, list[Problem]]:
    """What *Fjorår* of the new master holds, from last year's master (``update.LastYear``)."""
    from ..model import compute
    from ..pipeline.update import LastYear, model_frames

    rows, columns = _master_rows(master)
    frames = model_frames(rows, columns)
    try:
        from ..pipeline.registerdata import from_state
        result = compute(frames["adm"], frames["norsk"], params, year=from_year,
                         register=from_state(state.registerdata).frame())
    except Exception as exc:  # noqa: BLE001 - e.g. nothing included: a record, the sheet stays empty
        return LastYear(), [problem("Y004", error=type(exc).__name__)]
    source = f"{from_year}: kalk-excel nytt-aar fra masteren"
    out = LastYear()
    labels = {key: label for key, label, _ in MASTER_AREAS}
    for key, row in result.vedlegg5.iterrows():
        label = "Sum" if key == "sum" else labels.get(str(key))
        if label is not None and _finite(row["snitt"]):
            out.areas[label] = (round(float(row["snitt"]), 2), f"{source} (vedlegg 5)")
    history = dict(state.last_year.history) if state.last_year is not None else {}
    for y, vals in history.items():
        if from_year + 1 - LASTYEAR_HISTORY_YEARS <= y < from_year:   # the new window: the years before the new year
            out.history[y] = vals
    d, t = result.results.get("norsk_deltakere_sum"), result.results.get("norsk_timer_sum")
    if _finite(d) or _finite(t):
        out.history[from_year] = (d, t, f"{source} (tabell 10)")
    norsk = frames["norsk"]
    for nr, r in norsk.iterrows():
        delt, timer = r.get("no_deltakere_sum"), r.get("no_timer")
        if _finite(delt) or _finite(timer):
            out.kommuner[str(nr)] = (delt if _finite(delt) else None, timer if _finite(timer) else None, source)
    return out, []


def _results(master: Path, from_year: int, params: Any, state: Any = None) -> dict[str, float] | None:
    """Last year's named results (the reference model on the master's included submissions and its
    *Registerdata*), for *Historikk*; None when they cannot be computed (then the history gets no row
    for the year)."""
    from ..model import compute
    from ..pipeline.registerdata import from_state
    from ..pipeline.update import model_frames

    rows, columns = _master_rows(master)
    frames = model_frames(rows, columns)
    register = from_state(state.registerdata).frame() if state is not None else None
    try:
        return compute(frames["adm"], frames["norsk"], params, year=from_year, register=register).results
    except Exception:  # noqa: BLE001 - nothing included: last_year_values reports it (Y004)
        return None


def write_kommuner(path: Path, kommuner: list[Kommune], previous: Path) -> None:
    """The new year's list to edit: last year's master's municipalities (in its order), with the
    extra columns of last year's CSV kept, except IMDi's count, which is emptied (a new count per
    year; the intake compares against it)."""
    import csv

    extra: dict[str, dict[str, str]] = {}
    fields = ["kommunenummer", "navn", "skjema"]
    if previous.is_file():
        with previous.open(encoding="utf-8-sig", newline="") as fh:
            sample = fh.read(4096)
            fh.seek(0)
            reader = csv.DictReader(fh, delimiter=";" if sample.count(";") > sample.count(",") else ",")
            fields += [f for f in (reader.fieldnames or []) if f and f not in fields]
            for row in reader:
                raw = (row.get("kommunenummer") or "").strip()
                nr = kommunenummer_or_text(raw)
                extra[nr] = {k: v for k, v in row.items() if k}
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for k in kommuner:
            row = dict(extra.get(k.kommunenummer, {}))
            row.update(kommunenummer=k.kommunenummer, navn=k.navn, skjema=";".join(k.skjema))
            if "imdi_malgruppe" in row:
                row["imdi_malgruppe"] = ""
            writer.writerow(row)


def _finite(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def roll_forward(master: Path | str, year: int, out: Path | str, deflator: float) -> Rollover:
    """See the module docstring."""
    from ..master import build_master
    from ..pipeline.blocks import write_blocks_openpyxl
    from ..pipeline.paramlog import reconcile_parameters
    from ..pipeline.state import UpdateError, read_master_state
    from ..pipeline.update import fjorar_blocks

    master, out = Path(master), Path(out)
    if not master.is_file():
        raise RolloverError(f"Fant ikke masteren {master}. Korreksjon: oppgi fjorårets master med --fra.")
    try:
        state = read_master_state(master)
    except UpdateError as exc:
        raise RolloverError(str(exc)) from None
    from_year = state.year
    if from_year is None:
        raise RolloverError(f"{master.name} sier ikke hvilket år den gjelder (Oppsett). Korreksjon: bruk en master "
                            "laget med «kalk-excel master» eller «kalk-excel beregn».")
    if year != from_year + 1:
        raise RolloverError(f"Masteren gjelder {from_year}; nytt år må være {from_year + 1}, ikke {year}. "
                            f"Korreksjon: bruk --aar {from_year + 1}, eller masteren for {year - 1}.")
    if not (-0.2 < deflator < 0.3):
        raise RolloverError(f"Deflatoren {deflator} er ikke en andel (for eksempel 0.041 for 4,1 %). "
                            "Korreksjon: oppgi deflatoren som andel.")
    src = year_dir(from_year)
    definitions = out / "definisjoner"
    target = definitions / str(year)
    new_master = out / f"master_{year}.xlsx"
    for path in (target, new_master):
        if path.exists():
            raise RolloverError(f"{path} finnes allerede og overskrives ikke. Korreksjon: velg en ny --ut-mappe "
                                "eller flytt den gamle.")
    missing = [name for name in ("adm.yaml", "norsk.yaml", "parametre.yaml") if not (src / name).is_file()]
    if missing:
        raise RolloverError(f"Definisjonene for {from_year} mangler {', '.join(missing)} i {src}. Korreksjon: sett "
                            f"{DEFINITIONS_ENV} til mappen med {from_year}-definisjonene.")
    try:
        params_from = reconcile_parameters(from_year, state).params
        data: Any = read_yaml(src / "parametre.yaml")
        nodes = data["parameters"]
    except (YamlError, KeyError, TypeError, ValueError) as exc:
        raise RolloverError(f"Parametrene for {from_year} kan ikke leses ({exc}). Korreksjon: rett "
                            f"{src / 'parametre.yaml'}.") from None
    target.mkdir(parents=True)
    try:
        for form_id in FORMS:
            text = (src / f"{form_id}.yaml").read_text(encoding="utf-8")
            (target / f"{form_id}.yaml").write_text(roll_form_text(text, from_year, year), encoding="utf-8")
        effective = {p.id: p.value for p in params_from.rows()}
        rolled, carried, not_updated = roll_parameters([dict(n) for n in nodes], effective, from_year, year, deflator)
        head = (f"# Parametre for beregningen {year}, satt opp med «kalk-excel nytt-aar» fra {from_year}-masteren\n"
                f"# {master.name}. Helse og kultur: fjorårets publiserte beløp (fjorar_av) × (1 + deflator_{year} ="
                f" {deflator});\n"
                f"# parametre merket ikke_oppdatert: true må få årets verdi og kilde (masterens kontroll sier fra).\n")
        (target / "parametre.yaml").write_text(head + f"year: {year}\nparameters:\n" +
                                               "".join(_param_line(n) for n in rolled), encoding="utf-8")
        write_kommuner(target / "kommuner.csv", state.kommuner, src / "kommuner.csv")
        forms = {f: load_form(year, f, definitions) for f in FORMS}
        from ..kommuner import load_kommuner
        from ..model import load_parameters

        kommuner: list[Kommune] = load_kommuner(year, target / "kommuner.csv")
        params_new = load_parameters(year, target / "parametre.yaml")
        last, problems = last_year_values(master, state, from_year, params_from)
        write_history(target / HISTORY_FILE, next_year_history(master, from_year, _results(master, from_year,
                      params_from, state), f"{from_year}: kalk-excel nytt-aar fra masteren (tabell 1, 2 og 6)"))
        previous = os.environ.get(DEFINITIONS_ENV)
        os.environ[DEFINITIONS_ENV] = str(definitions)     # the new year's defaults on Parametre
        try:
            build_master(year, new_master, kommuner=kommuner, forms=forms, params=params_new)
        finally:
            if previous is None:
                os.environ.pop(DEFINITIONS_ENV, None)
            else:
                os.environ[DEFINITIONS_ENV] = previous
        blocks, lost = fjorar_blocks(last, year, [k.kommunenummer for k in kommuner])
        write_blocks_openpyxl(new_master, blocks, new_master)
    except RolloverError:
        raise
    except Exception as exc:  # noqa: BLE001 - leave nothing half-made behind, say what happened
        shutil.rmtree(target, ignore_errors=True)
        new_master.unlink(missing_ok=True)
        raise RolloverError(f"Det nye året kunne ikke settes opp ({type(exc).__name__}: {exc}). Ingenting er "
                            "skrevet. Korreksjon: rett det meldingen nevner og kjør på nytt.") from None
    return Rollover(year, from_year, definitions, new_master, carried, not_updated, problems + lost)
