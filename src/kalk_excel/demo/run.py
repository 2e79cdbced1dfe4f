"""`kalk-excel demo`: the whole job on the built-in 2024 demo data, through the very pipeline
`kalk-excel beregn` and the add-in use. The 2024 survey workbooks are built and filled with the
demo answers (`innleveringer/`, as municipalities would return them), a new master is created,
and ``pipeline.run.run_beregn`` checks the files (intake), pulls them (with Sporbarhet), lets
LibreOffice recalculate the master headless, reads the results back by name and runs the
reference model. The report's published values stand beside them (``shared/referansedata`` when
present, else the copy shipped in ``demo/data/rapport_2024.csv``). Before the run the new master's
*Fjorår* sheet gets the 2023 values from the 2024 report (``demo/data/fjorar_2024.csv``: vedlegg 6,
vedlegg 10, tabell 10), which ``run_beregn`` carries over, so tabell 10 and vedlegg 6 and 10 on
*Resultat* are filled.

The register figures per municipality (*Registerdata*: kvalifiseringsstønad, funksjon 281) are
written to ``registerdata_2024.csv`` and imported the way ``kalk-excel beregn --registerdata`` does.

Output folder: ``innleveringer/``, ``registerdata_2024.csv``, ``master_2024.xlsx`` (the master; Excel calculates on open),
``beregnet/master_2024.xlsx`` (the recalculated copy, with values).
"""

from __future__ import annotations

import csv
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..config import KEY_ENV, fingerprint_key
from ..master import build_master
from ..master.layout import FORMS
from ..pipeline.blocks import write_blocks_openpyxl
from ..pipeline.results import Comparison
from ..pipeline.run import BeregnResult, run_beregn
from ..pipeline.update import LastYear, fjorar_blocks

YEAR = 2024

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


@dataclass
class DemoResult:
    """The demo's outcome: the `beregn` result plus the rows shown, grouped as in the report."""

    beregn: BeregnResult
    rows: list[tuple[str, str, Comparison]]     # (report table, label, comparison)

    @property
    def agree(self) -> bool:
        return self.beregn.agree

    @property
    def matches_report(self) -> bool:
        return self.beregn.matches_report is True

    def verdict(self) -> dict[str, Any]:
        return self.beregn.verdict()

    def to_json(self) -> dict[str, Any]:
        return self.beregn.to_json()


def _kommuner() -> pd.DataFrame:
    from .data import demo_kommuner
    return demo_kommuner()


def write_submissions(folder: Path, kommuner: list[Any], password: str | None = None) -> Path:
    """Build the 2024 survey workbooks of ``kommuner`` (``Kommune``; each gets the surveys it
    lists) and fill them with the demo answers into ``folder``, as municipalities return them."""
    from ..definition import load_form
    from ..workbook import build_workbook, fill_workbook, workbook_filename
    from ..workbook.protection import make_key
    from .inputs import raw_inputs

    forms = {f: load_form(YEAR, f) for f in FORMS}
    password = password or os.environ.get("KALK_EXCEL_PASSORD") or secrets.token_urlsafe(12)
    key = make_key(password)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kalk-excel-demo-") as tmp:
        for k in kommuner:
            for form_id in k.skjema:
                name = workbook_filename(YEAR, form_id, k.kommunenummer, k.navn)
                src = build_workbook(forms[form_id], k, Path(tmp) / name, password=password, key=key)
                fill_workbook(src, raw_inputs(k.kommunenummer, forms[form_id]), folder / name)
    return folder


def make_submissions(outdir: Path) -> tuple[Path, list[Any]]:
    """All 24 demo municipalities' workbooks into ``outdir/innleveringer``; returns the folder and
    the municipalities (``Kommune``)."""
    kommuner = demo_kommuner()
    return write_submissions(outdir / "innleveringer", kommuner), kommuner


def demo_kommuner() -> list[Any]:
    """The 24 demo municipalities (``Kommune``) with the surveys each sends."""
    from ..definition.model import Kommune

    return [Kommune(kommunenummer=str(nr), navn=str(rec["kommunenavn"]),
                    skjema=tuple(f for f in FORMS if str(rec.get(f, "ja")).strip().lower() == "ja"))
            for nr, rec in _kommuner().iterrows()]


def last_year_values() -> LastYear:
    """The 2023 values of the 2024 report as shipped in ``data/fjorar_2024.csv``."""
    from importlib import resources
    out = LastYear()
    with resources.files("kalk_excel.demo").joinpath("data", "fjorar_2024.csv").open("r", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            def num(key: str, rec: dict[str, str] = rec) -> float | None:
                return float(rec[key]) if rec[key].strip() else None
            if rec["blokk"] == "omrade":
                out.areas[rec["nokkel"]] = (num("snitt_per_person"), rec["kilde"])
            elif rec["blokk"] == "historikk":
                out.history[int(rec["nokkel"])] = (num("deltakere"), num("undervisningstimer"), rec["kilde"])
            elif rec["blokk"] == "kommune":
                out.kommuner[rec["nokkel"]] = (num("deltakere"), num("undervisningstimer"), rec["kilde"])
    return out


def fill_last_year(master: Path, kommuner: list[Any]) -> None:
    """Write the 2023 values into the freshly built ``master``'s *Fjorår* sheet. Municipalities of
    the 2023 sample that are not in the 2024 demo have no row and are left out (no record needed)."""
    blocks, _not_in_2024 = fjorar_blocks(last_year_values(), YEAR, [k.kommunenummer for k in kommuner])
    write_blocks_openpyxl(master, blocks, master)


def write_registerdata(path: Path) -> Path:
    """The demo's register figures as the CSV file ``beregn --registerdata`` reads (as a user would)."""
    from .data import demo_registerdata
    demo_registerdata().to_csv(path, lineterminator="\n")
    return path


def run_demo(outdir: str | Path) -> DemoResult:
    """Run the demo into ``outdir`` (a previous demo's master and backups there are replaced)."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    master = outdir / f"master_{YEAR}.xlsx"
    master.unlink(missing_ok=True)   # a demo starts from a fresh master (no earlier parameter edits)
    shutil.rmtree(outdir / "sikkerhetskopi", ignore_errors=True)
    shutil.rmtree(outdir / "innleveringer", ignore_errors=True)
    if fingerprint_key() is None:   # the demo signs and checks in this process: one new key for both
        os.environ[KEY_ENV] = fingerprint_key(outdir=outdir, generate=True) or ""
    folder, kommuner = make_submissions(outdir)
    build_master(YEAR, master, kommuner=kommuner)
    fill_last_year(master, kommuner)
    register = outdir / f"registerdata_{YEAR}.csv"
    write_registerdata(register)
    result = run_beregn(master, folder, YEAR, kommuner, keep_recalculated=outdir / "beregnet" / master.name,
                        compare_report=True, registerdata=register)
    if result.backup is not None:    # the backup is of the empty master built just above: not worth keeping
        shutil.rmtree(result.backup.parent, ignore_errors=True)
        result.backup = None
    by_name = {row.name: row for row in result.rows}
    rows = [(group, label, by_name[name]) for group, name, label in SHOWN if name in by_name]
    return DemoResult(result, rows)
