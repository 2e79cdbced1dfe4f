"""`kalk-excel demo`: the whole job on the 2024 demo data, end to end.

Survey workbooks are built and filled with the demo answers (``innleveringer/``), then checked
and pulled through the same core as `kalk-excel beregn` and the add-in
(``pipeline.update.prepare_update``: intake, pull blocks, the reference model on the pulled
values, Sporbarhet). The blocks go into a new master, LibreOffice recalculates it headless, the
results are read back by their names and set beside the model's and the report's numbers.
When a piece of that path is missing or stops, the demo data's calculation fields are pulled
directly instead (path ``beregningsfelt``), and the result says why.
"""

from __future__ import annotations

import csv
import math
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..engine.libreoffice import recalculate
from ..master import build_master
from ..master.layout import FORMS
from ..master.readback import error_cells, read_names
from ..pipeline.blocks import write_blocks_openpyxl
from ..pipeline.pull import model_block, pull
from ..pipeline.update import model_frames
from ..problems import Problem

YEAR = 2024
SHARED = Path("/work/shared/referansedata") / str(YEAR)
FALLBACK = Path(__file__).with_name("data") / f"rapport_{YEAR}.csv"
TOL_KR, TOL_ANDEL = 1.0, 0.0001
REPORT_TOL_KR = 5.0

# What the demo prints: (group, result name, label).
SHOWN = [
    ("Tabell 1", "adm_utgift_fem_aar", "Integreringstiltak og administrasjon (fem år)"),
    ("Tabell 1", "introstonad_fem_aar", "Introduksjonsstønad (fem årskull)"),
    ("Tabell 1", "sosialhjelp_fem_aar", "Sosialhjelp (fem årskull)"),
    ("Tabell 1", "ventestonad_per_person", "Ventestønad inkl. etablering"),
    ("Tabell 1", "helse_per_person", "Helsetjenester"),
    ("Tabell 1", "utgift_per_person_fem_aar", "Utgift per person (fem år)"),
    ("Tabell 2", "tilskudd_per_person_fem_aar", "Beregnet tilskudd (fem år)"),
    ("Tabell 2", "dekningsgrad_integreringstilskudd", "Dekningsgrad integreringstilskudd"),
    ("Tabell 3", "utgift_per_em_fem_aar", "EM: utgift per EM (fem år)"),
    ("Tabell 4", "tilskudd_per_em_fem_aar", "EM: beregnet tilskudd (fem år)"),
    ("Tabell 4", "dekningsgrad_em", "EM: samlet dekningsgrad"),
    ("Tabell 5", "norsk_utgifter_sum", "Norsk: samlede utgifter"),
    ("Tabell 5", "norsk_inntekter_sum", "Norsk: samlede inntekter"),
    ("Tabell 5", "dekningsgrad_norsk", "Norsk: dekningsgrad"),
    ("Pris per time", "utgift_per_undervisningstime", "Norsk: utgift per undervisningstime"),
    ("Vedlegg 5", "adm_utgift_per_person_aar", "Utgift per person per år (adm.)"),
]
RATIOS = {"dekningsgrad_integreringstilskudd", "dekningsgrad_em", "dekningsgrad_norsk"}


@dataclass
class Row:
    group: str
    name: str
    label: str
    excel: float | None
    modell: float | None
    rapport: float | None
    kilde: str
    ok_modell: bool
    ok_rapport: bool | None


@dataclass
class DemoResult:
    path: str                                   # "skjema" (workbooks -> intake -> pull) or "beregningsfelt"
    master: Path
    recalculated: Path
    rows: list[Row]
    excel: dict[str, Any]
    modell: dict[str, Any]
    rapport: dict[str, dict[str, Any]]
    errors: list[tuple[str, str, str]]
    master_status: Any
    problems: list[Problem] = field(default_factory=list)

    @property
    def disagreements(self) -> list[str]:
        """Every result both sides computed that differs by more than 1 kr / 0.0001."""
        out = []
        for name, model in self.modell.items():
            excel = self.excel.get(name)
            tol = TOL_ANDEL if name.startswith("dekningsgrad") else TOL_KR
            if excel is not None and (not isinstance(excel, (int, float)) or abs(excel - model) > tol):
                out.append(name)
        return out + [r.name for r in self.rows if not r.ok_modell and r.name not in out]

    @property
    def agree(self) -> bool:
        return not self.disagreements and not self.errors

    @property
    def matches_report(self) -> bool:
        return all(r.ok_rapport is not False for r in self.rows)

    def verdict(self) -> dict[str, Any]:
        text = ("Excel og modellen er enige" if self.agree else "Excel og modellen er IKKE enige")
        text += "; rapportens tall gjenskapes" if self.matches_report else "; rapportens tall gjenskapes IKKE"
        return {"excel_modell_enige": self.agree, "avvik": self.disagreements, "rapport_gjenskapt": self.matches_report,
                "feilverdier_i_master": len(self.errors), "sti": self.path, "tekst": text}

    def to_json(self) -> dict[str, Any]:
        return {"excel": self.excel, "modell": self.modell, "rapport": self.rapport, "verdikt": self.verdict(),
                "master": str(self.recalculated), "masterstatus": self.master_status,
                "problemer": [p.to_dict() for p in self.problems]}


# --------------------------------------------------------------------------------------------
# the report's published values


def report_values() -> dict[str, dict[str, Any]]:
    """name -> {verdi, enhet, kilde}: from shared/referansedata when present, else the shipped CSV."""
    wanted = {}
    with FALLBACK.open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            wanted[rec["navn"]] = rec
    table = SHARED / "tabell1_til_5_resultater.csv"
    annex = SHARED / "vedlegg5_6_utgiftsomrade.csv"
    out: dict[str, dict[str, Any]] = {}
    if table.exists() and annex.exists():
        with table.open(encoding="utf-8") as fh:
            published = {(r["tabell"], r["storrelse"]): r for r in csv.DictReader(fh)}
        with annex.open(encoding="utf-8") as fh:
            areas = {r["utgiftsomrade"]: r for r in csv.DictReader(fh)}
        for name, rec in wanted.items():
            if rec["tabell"] == "vedlegg 5":
                src = areas.get(rec["storrelse"])
                if src:
                    out[name] = {"verdi": float(src[f"snitt_{YEAR}"]), "enhet": rec["enhet"],
                                 "kilde": f"{annex.name}: {rec['storrelse']}"}
                continue
            src = published.get((rec["tabell"], rec["storrelse"]))
            if src and src.get(f"verdi_{YEAR}"):
                out[name] = {"verdi": float(src[f"verdi_{YEAR}"]), "enhet": src["enhet"],
                             "kilde": f"{table.name}: tabell {rec['tabell']}, {rec['storrelse']}"}
    for name, rec in wanted.items():
        out.setdefault(name, {"verdi": float(rec["verdi"]), "enhet": rec["enhet"], "kilde": rec["kilde"]})
    return out


# --------------------------------------------------------------------------------------------
# submissions


def _kommuner() -> pd.DataFrame:
    from .data import demo_kommuner
    return demo_kommuner()


def make_submissions(outdir: Path) -> tuple[Path, list[Any]]:
    """Build the 2024 survey workbooks and fill them with the demo answers into
    ``outdir/innleveringer``; return the folder and the municipalities (``Kommune``)."""
    from ..definition import load_form
    from ..definition.model import Kommune
    from ..workbook import build_workbook, fill_workbook, workbook_filename
    from ..workbook.protection import make_key
    from .inputs import raw_inputs

    forms = {f: load_form(YEAR, f) for f in FORMS}
    password = os.environ.get("KALK_EXCEL_PASSORD") or secrets.token_urlsafe(12)
    key = make_key(password)
    folder = outdir / "innleveringer"
    folder.mkdir(parents=True, exist_ok=True)
    kommuner = []
    with tempfile.TemporaryDirectory(prefix="kalk-excel-demo-") as tmp:
        for nr, rec in _kommuner().iterrows():
            skjema = tuple(f for f in FORMS if str(rec.get(f, "ja")).strip().lower() == "ja")
            k = Kommune(kommunenummer=str(nr), navn=str(rec["kommunenavn"]), skjema=skjema)
            kommuner.append(k)
            for form_id in skjema:
                name = workbook_filename(YEAR, form_id, k.kommunenummer, k.navn)
                src = build_workbook(forms[form_id], k, Path(tmp) / name, password=password, key=key)
                fill_workbook(src, raw_inputs(k.kommunenummer, forms[form_id]), folder / name)
    return folder, kommuner


@dataclass
class Pulled:
    """What goes into the master: municipalities, forms, parameters, blocks, model values."""
    kommuner: Any
    forms: Any
    params: Any
    blocks: list[Any]
    modell: dict[str, float]
    problems: list[Problem]


def pull_workbooks(outdir: Path) -> Pulled:
    """The real path: workbooks -> intake -> pull (+ model, Sporbarhet) through
    ``pipeline.update.prepare_update``, the same core as `kalk-excel beregn` and the add-in."""
    from ..pipeline.update import prepare_update
    folder, kommuner = make_submissions(outdir)
    update = prepare_update(YEAR, folder, kommuner=kommuner)
    modell = {k: v for k, v in update.model.items() if v is not None}
    return Pulled(update.kommuner, update.forms, update.params, update.blocks, modell, list(update.problems))


def pull_fields(params: Any) -> Pulled:
    """The shortcut: the demo data's calculation fields pulled directly as accepted submissions."""
    from ..master.inputs import field_columns
    subs, ctx = submissions_from_fields()
    pulled = pull(YEAR, ctx["kommuner"], ctx["forms"], subs)
    columns = {f: [c.id for c in cols] for f, cols in field_columns(YEAR, ctx["forms"]).items()}
    modell = run_model(model_frames(pulled.rows, columns), params)
    return Pulled(ctx["kommuner"], ctx["forms"], params, pulled.blocks + [model_block(modell)], modell,
                  list(pulled.problems))


def submissions_from_fields() -> tuple[dict[tuple[str, str], dict[str, Any]], dict[str, Any]]:
    """The demo data's calculation fields as accepted submissions (no workbooks)."""
    from .data import demo_adm, demo_norsk
    kommuner = _kommuner()
    subs: dict[tuple[str, str], dict[str, Any]] = {}
    for form_id, frame in (("adm", demo_adm()), ("norsk", demo_norsk())):
        for nr, rec in frame.iterrows():
            if str(kommuner.loc[nr].get(form_id, "ja")).strip().lower() != "ja":
                continue
            subs[(form_id, str(nr))] = {k: _plain(v) for k, v in rec.items()}
    pairs = [(str(nr), str(r["kommunenavn"])) for nr, r in kommuner.iterrows()]
    return subs, {"forms": {"adm": None, "norsk": None}, "kommuner": pairs, "folder": None}


def _plain(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v.item() if hasattr(v, "item") else v


# --------------------------------------------------------------------------------------------
# the run


def run_model(frames: dict[str, pd.DataFrame], params: Any) -> dict[str, float]:
    from ..model import compute
    result = compute(frames["adm"], frames["norsk"], params, year=YEAR)
    return {k: float(v) for k, v in result.results.items() if isinstance(v, (int, float))}


def run_demo(outdir: str | Path, path: str = "auto") -> DemoResult:
    """Run the demo into ``outdir``; ``path`` "auto" | "skjema" | "beregningsfelt"."""
    from ..model import load_parameters

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    problems: list[Problem] = []
    chosen = "beregningsfelt" if path == "beregningsfelt" else "skjema"
    pulled = None
    if chosen == "skjema":
        try:
            pulled = pull_workbooks(outdir)
        except Exception as exc:  # noqa: BLE001 - a missing or unfinished piece: say so, take the other path
            if path == "skjema":
                raise
            shutil.rmtree(outdir / "innleveringer", ignore_errors=True)
            problems.append(Problem("D001", "advarsel", f"Skjemaveien (arbeidsbøker -> mottakskontroll -> henting) "
                                    f"stoppet: {type(exc).__name__}: {exc}. Beregningsfeltene i demodataene er "
                                    "hentet direkte i stedet.", "Kjør med --sti skjema for å se feilen."))
            chosen = "beregningsfelt"
    if pulled is None:
        pulled = pull_fields(load_parameters(YEAR))
    problems += pulled.problems

    params = pulled.params.rows() if hasattr(pulled.params, "rows") else pulled.params
    empty = build_master(YEAR, outdir / "_master_tom.xlsx", kommuner=pulled.kommuner, forms=pulled.forms,
                         params=params)
    master = write_blocks_openpyxl(empty, pulled.blocks, outdir / f"master_{YEAR}.xlsx")
    empty.unlink()
    recalculated = recalculate(master, outdir / "beregnet")[0]
    modell = pulled.modell
    names = sorted({n for _, n, _ in SHOWN} | set(modell) | {"master_status"})
    values = read_names(recalculated, names)
    excel = {k: v for k, v in values.items() if k != "master_status" and v is not None}
    rapport = report_values()
    rows = [_row(g, n, label, excel.get(n), modell.get(n), rapport.get(n)) for g, n, label in SHOWN]
    return DemoResult(chosen, master, recalculated, rows, excel, modell, rapport, error_cells(recalculated),
                      values.get("master_status"), problems)


def _row(group: str, name: str, label: str, excel: Any, modell: Any, rap: dict[str, Any] | None) -> Row:
    ratio = name in RATIOS
    num = excel if isinstance(excel, (int, float)) else None
    ok_m = num is not None and modell is not None and abs(num - modell) <= (TOL_ANDEL if ratio else TOL_KR)
    ok_r = None
    if rap is not None and num is not None:
        ok_r = (round(num * 100, 1) == rap["verdi"]) if ratio else abs(num - rap["verdi"]) <= REPORT_TOL_KR
    return Row(group, name, label, num, modell, rap["verdi"] if rap else None, rap["kilde"] if rap else "",
               ok_m, ok_r)
