"""`kalk-excel kontroller MAPPE`: check returned survey workbooks and tell each municipality
exactly what to fix (intake, issue 3). Exit 0 no file has errors, 1 some do, 2 usage or an
unreadable folder. ``--json`` prints one JSON object on stdout; progress goes to stderr.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from kalk_excel.config import ConfigError, fingerprint_key
from kalk_excel.definition.model import Kommune
from kalk_excel.intake import IntakeUsageError, Settings, check_folder
from kalk_excel.intake.feedback import write_round
from kalk_excel.intake.report import STATUS_TEXT, expected_kommuner, report_dict, write_xlsx_report
from kalk_excel.kommuner import default_path
from kalk_excel.pipeline.state import UpdateError, read_master_state
from kalk_excel.text import terminal_text

from .errors import fail, os_error_text
from .options import definitions_option

DEFAULTS = Settings()


@click.command(name="kontroller")
@click.argument("mappe", type=click.Path(file_okay=False, path_type=Path))
@click.option("--aar", type=int, default=None, help="Undersøkelsesåret (standard: året de fleste filene gjelder).")
@click.option("--master", "master", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Masterarbeidsboken: kommunelisten (og året) hentes derfra når --kommuner ikke er gitt.")
@click.option("--kommuner", "kommuner", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Kommunelisten (CSV med kommunenummer, navn, skjema, imdi_malgruppe).")
@click.option("--fjorar", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Fjorårets beløp per person (CSV: kommunenummer, felt, verdi_per_person).")
@click.option("--rapport", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Samlerapport (.xlsx); en .json med samme navn skrives ved siden av.")
@click.option("--tilbakemelding", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Mappe for tilbakemeldingene: hver kjøring er en ny datert runde (runde_<dato>), "
                   "og utsendt.csv logger hva som er laget.")
@click.option("--tilbakemelding-alle", is_flag=True,
              help="Lag tilbakemelding også for filer som fikk det i en tidligere runde.")
@click.option("--json", "as_json", is_flag=True, help="Skriv ett JSON-objekt på stdout.")
@click.option("--maks-mb", type=float, default=DEFAULTS.max_file_bytes / 2**20, show_default=True,
              help="Største filstørrelse som åpnes (MB).")
@click.option("--imdi-toleranse", type=float, default=DEFAULTS.imdi_tolerance_rel, show_default=True,
              help="Tillatt avvik fra IMDis antall, andel (0,10 = 10 %).")
@click.option("--imdi-toleranse-antall", type=float, default=DEFAULTS.imdi_tolerance_abs, show_default=True,
              help="Tillatt avvik fra IMDis antall, personer (det største av de to gjelder).")
@click.option("--fjorar-grense", type=float, default=DEFAULTS.fjorar_ratio_high, show_default=True,
              help="Flagg beløp per person som er over grense x eller under 1/grense x fjorårets.")
@click.option("--median-grense", type=float, default=DEFAULTS.median_factor_warn, show_default=True,
              help="Advarsel når beløp per person er grense x over/under medianen av de andre.")
@click.option("--arbeidere", type=int, default=DEFAULTS.workers, show_default=True, help="Antall prosesser.")
@click.option("--nokkel-fil", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Fil med nøkkelen for kontrollsummen (ellers KALK_EXCEL_NOKKEL).")
@definitions_option
def command(mappe: Path, master: Path | None, aar: int | None, kommuner: Path | None, fjorar: Path | None,
            rapport: Path | None,
            tilbakemelding: Path | None, tilbakemelding_alle: bool, as_json: bool, maks_mb: float, imdi_toleranse: float,
            imdi_toleranse_antall: float, fjorar_grense: float, median_grense: float, arbeidere: int,
            nokkel_fil: Path | None, definisjoner: Path | None) -> None:
    """Kontroller innsendte skjemaer i MAPPE og lag tilbakemeldinger."""
    err = Console(stderr=True)
    if fjorar_grense <= 1 or median_grense <= 1 or maks_mb <= 0 or arbeidere < 1:
        fail("Ugyldig grense.", "--fjorar-grense og --median-grense må være over 1, --maks-mb over 0 og "
             "--arbeidere minst 1.")
    if rapport is not None and rapport.suffix.lower() != ".xlsx":
        fail(f"Samlerapporten {rapport.name} skrives som Excel-arbeidsbok, men navnet slutter ikke på .xlsx.",
             "oppgi et filnavn som slutter på .xlsx (JSON-utgaven skrives ved siden av, med .json).")
    liste: Path | list[Kommune] | None = kommuner
    which: str | None = None
    if kommuner is not None:
        which = f"kommunelisten {kommuner}"
    elif master is not None:
        try:
            state = read_master_state(master)
        except UpdateError as exc:
            message, _, fix = str(exc).partition(" Korreksjon:")
            fail(message, fix.strip() or "oppgi en master laget med «kalk-excel master».")
        liste, which = state.kommuner, f"kommunelisten i masteren {master.name}"
        aar = aar or state.year
    elif aar is not None:
        liste, which = default_path(aar, definisjoner), f"den innebygde kommunelisten for {aar}"
    settings = replace(DEFAULTS, max_file_bytes=int(maks_mb * 2**20), imdi_tolerance_rel=imdi_toleranse,
                       imdi_tolerance_abs=imdi_toleranse_antall, fjorar_ratio_high=fjorar_grense,
                       fjorar_ratio_low=1 / fjorar_grense, median_factor_warn=median_grense,
                       median_factor_info=min(DEFAULTS.median_factor_info, median_grense),
                       workers=arbeidere, templates_dir=definisjoner)
    try:
        settings = replace(settings, fingerprint_key=fingerprint_key(nokkel_fil))
    except ConfigError as exc:
        err.print(str(exc), markup=False)
        sys.exit(2)
    total = _count(mappe)
    with Progress(TextColumn("Kontrollerer"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  console=err, transient=True) as progress:
        task = progress.add_task("", total=total)
        try:
            report = check_folder(mappe, year=aar, kommuner=liste, fjorar=fjorar, settings=settings,
                                  progress=lambda r: progress.update(task, advance=1, description=terminal_text(r.file)))
        except IntakeUsageError as exc:
            progress.stop()
            message, _, fix = str(exc).partition(" Korreksjon:")
            fail(message, fix.strip() or "rett det som er nevnt og kjør kommandoen på nytt.")
    expected = expected_kommuner(report)
    if which is None:
        which = (f"den innebygde kommunelisten for {report.year}" if expected is not None and report.year
                 else "ingen kommuneliste (året er ukjent; bare det som er mottatt vises)")
    err.print(f"Kommuneliste: {which}.", markup=False, highlight=False)
    if tilbakemelding is not None:
        try:
            fb = write_round(report, tilbakemelding, all_files=tilbakemelding_alle, templates_dir=definisjoner)
        except OSError as exc:
            message, fix = os_error_text(exc, str(tilbakemelding))
            fail(f"Tilbakemeldingene kunne ikke skrives til {tilbakemelding}: {message}", fix)
        if fb.written:
            err.print(f"{len(fb.written)} tilbakemeldinger skrevet til {fb.folder} (logget i {fb.log})")
        else:
            err.print(f"Ingen nye tilbakemeldinger (logg: {fb.log})")
        if fb.skipped:
            err.print(f"{len(fb.skipped)} filer fikk tilbakemelding i en tidligere runde og er hoppet over "
                      "(--tilbakemelding-alle tar dem med).")
    if rapport is not None:
        write_xlsx_report(report, rapport, expected)
        err.print(f"Samlerapport: {rapport} og {rapport.with_suffix('.json')}")
    if as_json:
        click.echo(json.dumps(report_dict(report, expected), ensure_ascii=False))
    else:
        out = Console()
        if not out.is_terminal:
            out = Console(width=200)
        _print_summary(report, out)
    sys.exit(1 if report.has_errors() else 0)


def _count(folder: Path) -> int | None:
    try:
        return sum(1 for p in folder.iterdir() if not p.name.startswith("."))
    except OSError:
        return None


def _print_summary(report, console: Console) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=f"Mottakskontroll {report.year or ''} – {len(report.files)} filer")
    table.add_column("Fil", no_wrap=True)
    for col in ("Kommune", "Status", "Feil", "Advarsler", "Info", "Første merknad"):
        table.add_column(col)
    for r in report.files:
        first = next((p for p in r.problems if p.severity == "feil"), r.problems[0] if r.problems else None)
        table.add_row(terminal_text(r.file), terminal_text(f"{r.kommunenummer or ''} {r.kommunenavn or ''}".strip()),
                      STATUS_TEXT[r.status],
                      str(r.counts.get("feil", 0)), str(r.counts.get("advarsel", 0)), str(r.counts.get("info", 0)),
                      terminal_text(f"{first.code} {first.message}"[:80]) if first else "", )
    console.print(table)
    for p in report.problems:
        console.print(terminal_text(f"{p.code} {p.message}"))
