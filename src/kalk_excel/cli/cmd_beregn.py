"""`kalk-excel beregn --master FIL.xlsx --innleveringer MAPPE [--aar ÅR] [--registerdata FIL.csv] [--json]`: check the
submissions, pull them into a new master (the old one kept as a dated backup, replaced
atomically), recalculate it headless in LibreOffice, read the results by name and compare them
with the reference model (and, with ``--sammenlign-rapport``, the report's published values).

Never destroys work: an open master (``~$<navn>``, ``.~lock.<navn>#``), a missing or empty folder
stop the run before anything is done (exit 2); a new master that is worse than the old one is
kept beside it for inspection and the old one stays (exit 1).

Exit 0 Excel and model agree and the master status is OK; 1 they do not, the master status is not
OK (e.g. a submission from a kommune not on the list) or the new master was not used; 2 the run
could not be done (the old master is unchanged). Progress goes to stderr; ``--json`` alone to stdout.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..pipeline.run import BeregnError, BeregnResult, run_beregn
from ..text import terminal_text
from .errors import fail
from .format import finish, fmt_report, fmt_value
from .options import definitions_option


@click.command(name="beregn")
@click.option("--master", "master", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Masterarbeidsboken som oppdateres (lages hvis den ikke finnes).")
@click.option("--aktiv-arbeidsbok", "aktiv", is_flag=True,
              help="Oppdater masteren som er åpen og aktiv i Excel (som knappen «Beregn dekningsgrad», "
                   "uten knappen; se addin/README.md «Når knappen er blokkert»).")
@click.option("--innleveringer", "innleveringer", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Mappen med innleverte skjemaer (standard: mappen som står på «Oppsett» i masteren).")
@click.option("--aar", type=int, default=None, help="Kartleggingsåret (standard: året i masteren).")
@click.option("--kommuner", "kommuner", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Kommunelisten (CSV); standard: kommunene i masteren, ellers årets liste.")
@click.option("--registerdata", "registerdata", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="CSV med registertall per kommune (kommunenummer, kvalifiseringsstonad, "
                                 "ikke_klientfort_281, kilde) til arket «Registerdata».")
@click.option("--sammenlign-rapport", "sammenlign", is_flag=True,
              help="Sammenlign også med rapportens publiserte tall (demoåret 2024, eller et år der "
                   "rapporttabellene ligger i den delte mappen).")
@click.option("--json", "as_json", is_flag=True,
              help="Skriv ett JSON-objekt (excel, modell, rapport, verdikt, filer, oppsummering).")
@definitions_option
def command(master: Path | None, aktiv: bool, innleveringer: Path | None, aar: int | None, kommuner: Path | None,
            registerdata: Path | None, sammenlign: bool, as_json: bool, definisjoner: Path | None) -> None:
    """Hent innleveringene inn i masteren, regn om og sammenlign med referansemodellen."""
    if aktiv:
        from ..addin.attach import command_active

        raise SystemExit(command_active(master, innleveringer, aar, kommuner, as_json))
    if master is None:
        fail("Oppgi masteren med --master FIL.xlsx, eller --aktiv-arbeidsbok for masteren som er åpen i Excel.",
             "se «kalk-excel beregn --help».")
    if master.suffix.lower() != ".xlsx":
        fail(f"Masteren {master.name} må ha filendelsen .xlsx.", "oppgi masterarbeidsboken (.xlsx).")
    try:
        result = run_beregn(master, innleveringer, year=aar, kommuner=kommuner, compare_report=sammenlign,
                            progress=lambda msg: click.echo(msg, err=True), definitions=definisjoner,
                            registerdata=registerdata)
    except BeregnError as exc:
        text = str(exc)
        message, _, fix = text.partition(" Korreksjon:")
        fail(message, fix.strip() or "rett det som er nevnt og kjør kommandoen på nytt; masteren er ikke endret.")
    finish(result, as_json, _print)


def fmt_cell(value: object) -> str:
    """A compared cell's value: «tom» for blank, numbers with two decimals."""
    if value is None or value == "":
        return "tom"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,.2f}".replace(",", " ")
    return str(value)


def _print(result: BeregnResult) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else 140)
    with_report = bool(result.rapport)
    table = Table(title=f"Dekningsgrad {result.update.year} – Excel (LibreOffice) mot modell"
                        + (" og rapport" if with_report else ""))
    cols = ["Størrelse", "Excel", "Modell"] + (["Rapport"] if with_report else []) + ["Excel=modell"] \
        + (["Som rapporten"] if with_report else [])
    for c in cols:
        table.add_column(c, justify="right" if c in ("Excel", "Modell", "Rapport") else "left")
    for r in result.rows:
        cells = [r.label, fmt_value(r.name, r.excel), fmt_value(r.name, r.modell)]
        if with_report:
            cells.append(fmt_report(r.name, r.rapport))
        cells.append("ja" if r.ok else "NEI")
        if with_report:
            cells.append("–" if r.ok_rapport is None else ("ja" if r.ok_rapport else "NEI"))
        table.add_row(*cells)
    console.print(table)
    files = Table(title="Innleveringer")
    for c in ("Fil", "Kommune", "Skjema", "Status", "Inkludert", "Merknad"):
        files.add_column(c)
    for f in result.update.files:
        files.add_row(terminal_text(f["fil"]), terminal_text(f"{f['kommunenummer'] or ''} {f['kommunenavn'] or ''}".strip()),
                      terminal_text(f["skjema"] or ""), f["status"], "ja" if f["inkludert"] else "nei",
                      terminal_text((f["grunn"] or "")[:90]))
    console.print(files)
    s = result.update.summary
    console.print(f"Filer: {s['filer']}, inkludert {s['inkludert']}, feil {s['feil']}, avvist {s['avvist']}, "
                  f"erstattet {s['erstattet']}.")
    for p in result.update.problems:
        console.print(f"[yellow]{p.severity}[/]: {terminal_text(p.message)}")
    for sheet, cell, value in result.readback.errors[:10]:
        console.print(f"[red]Feilverdi[/] {sheet}!{cell}: {value}")
    for d in result.cells.diffs[:20]:
        console.print("[red]Avvik[/] " + terminal_text(f"{d.sheet}!{d.cell} ({d.what}): Excel {fmt_cell(d.excel)}, "
                                                       f"modell {fmt_cell(d.modell)}"))
    if len(result.cells.diffs) > 20:
        console.print(f"… og {len(result.cells.diffs) - 20} avvik til (alle står i --json under verdikt.avvik_celler).")
    v = result.verdict()
    colour = "green" if result.agree else "red"
    status = result.readback.master_status
    if result.warnings:
        status = "ADVARSEL – " + "; ".join(result.warnings) + f" (masteren selv: {status})"
    console.print(f"[bold {colour}]Verdikt: {v['tekst']}.[/] Masterstatus: {terminal_text(str(status))}.")
    if result.replaced:
        console.print(terminal_text(f"Master: {result.master}"
                                    + (f" (forrige versjon: {result.backup})" if result.backup else "")))
    else:
        console.print("[bold red]Masteren er IKKE erstattet:[/] " + terminal_text(
            f"{result.master}: den nye er dårligere (" + "; ".join(result.not_used_reasons) + "). Den nye ligger til "
            f"gjennomsyn i {result.not_used}. Korreksjon: sjekk innleveringsmappen og meldingene over, og kjør "
            "beregn på nytt."))
