"""`kalk-excel skjema`: generate the locked survey workbooks for a year — one per survey per
municipality in the kommune list — with a progress bar on stderr and a summary line.

Exit codes: 0 ok, 2 unusable input (definition fails lint, bad kommune list, bad option).
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..config import ConfigError, fingerprint_key, protection_password
from ..kommuner import KommunelisteFeil, default_path, load_kommuner
from ..workbook.batch import build_all, load_forms, planned
from ..workbook.errors import WorkbookBuildError
from .options import definitions_option

FORM_IDS = ("adm", "norsk")


def parse_deadline(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        deadline = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"«{value}» er ikke en dato på formen ÅÅÅÅ-MM-DD.") from None
    if deadline < date.today():
        click.echo(f"Advarsel: svarfristen {deadline:%d.%m.%Y} er allerede passert; den står slik på forsiden. "
                   "Korreksjon: oppgi en ny frist med --frist hvis det ikke var meningen.", err=True)
    return deadline


@click.command(name="skjema")
@click.option("--aar", type=int, required=True, help="Kartleggingsåret, f.eks. 2024.")
@click.option("--kommuner", "kommuner_fil", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Kommuneliste (CSV). Standard: årets innebygde liste.")
@click.option("--skjema", type=click.Choice(FORM_IDS), default=None, help="Bare dette skjemaet.")
@click.option("--ut", type=click.Path(file_okay=False, path_type=Path), required=True, help="Mappe for arbeidsbøkene.")
@click.option("--frist", callback=parse_deadline, default=None, help="Svarfrist (ÅÅÅÅ-MM-DD), vises på forsiden.")
@click.option("--passord-fil", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Fil med passordet for arkbeskyttelsen (går foran KALK_EXCEL_PASSORD).")
@click.option("--nokkel-fil", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Fil med nøkkelen for kontrollsummen (ellers KALK_EXCEL_NOKKEL; mangler begge, lages NOKKEL.txt).")
@click.option("--kontakt", default=None, help="Sekretariatets kontaktinformasjon på forsiden.")
@definitions_option
def command(aar: int, kommuner_fil: Path | None, skjema: str | None, ut: Path, frist: date | None,
            passord_fil: Path | None, nokkel_fil: Path | None, kontakt: str | None, definisjoner: Path | None) -> None:
    """Lag låste kartleggingsskjemaer (xlsx), ett per skjema per kommune."""
    err = Console(stderr=True, soft_wrap=True)
    try:
        kommuner = load_kommuner(aar, kommuner_fil or default_path(aar, definisjoner))
    except KommunelisteFeil as exc:
        for message in exc.messages:
            err.print(f"{exc.path}: {message}", markup=False, highlight=False)
        raise SystemExit(2) from None
    wanted = [skjema] if skjema else sorted({fid for k in kommuner for fid in k.skjema}, key=FORM_IDS.index)
    loaded = load_forms(aar, wanted, definisjoner)
    for warning in loaded.warnings:
        err.print(str(warning), markup=False, highlight=False)
    if loaded.errors:
        for message in loaded.errors:
            err.print(message, markup=False, highlight=False)
        err.print("Skjemadefinisjonen har feil; ingen arbeidsbøker er laget.", markup=False)
        raise SystemExit(2)
    jobs = planned(kommuner, list(loaded.forms))
    if not jobs:
        err.print("Ingen kommuner i lista skal ha de valgte skjemaene; ingen arbeidsbøker er laget.", markup=False)
        raise SystemExit(2)
    try:
        password = protection_password(passord_fil, ut)
        secret = fingerprint_key(nokkel_fil, ut, generate=True)
    except ConfigError as exc:
        err.print(str(exc), markup=False)
        raise SystemExit(2) from None

    started = time.perf_counter()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=False) as progress:
        task = progress.add_task(f"Lager skjemaer for {aar}", total=len(jobs))
        try:
            paths = build_all(loaded.forms, kommuner, ut, password=password, deadline=frist, contact=kontakt,
                              progress=lambda p: progress.advance(task), fingerprint_key=secret)
        except WorkbookBuildError as exc:
            err.print(str(exc), markup=False)
            raise SystemExit(2) from None
    elapsed = time.perf_counter() - started
    counts = Counter(fid for fid, _ in jobs)
    per_form = ", ".join(f"{fid}: {n}" for fid, n in counts.items())
    seconds = f"{elapsed:.1f}".replace(".", ",")
    err.print(f"Laget {len(paths)} arbeidsbøker for {aar} i {ut} ({per_form}) på {seconds} s.",
              markup=False, highlight=False)
