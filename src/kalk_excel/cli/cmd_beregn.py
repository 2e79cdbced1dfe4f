"""`kalk-excel beregn --master FIL.xlsx --innleveringer MAPPE [--aar ÅR] [--json]`: check the
submissions, pull them into a new master (the old one kept as a dated backup, replaced
atomically), recalculate it headless in LibreOffice, read the results by name and compare them
with the reference model (and the report, when its tables are available).

Exit 0 Excel and model agree, 1 they do not (or the master has error values), 2 the run could
not be done (the old master is unchanged). Progress goes to stderr; ``--json`` alone to stdout.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..pipeline.run import BeregnError, BeregnResult, run_beregn
from ..text import terminal_text
from .format import finish, fmt_report, fmt_value


@click.command(name="beregn")
@click.option("--master", "master", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Masterarbeidsboken som oppdateres (lages hvis den ikke finnes).")
@click.option("--aktiv-arbeidsbok", "aktiv", is_flag=True,
              help="Oppdater masteren som er åpen og aktiv i Excel (som knappen «Beregn dekningsgrad», "
                   "uten knappen; se addin/README.md «Når knappen er blokkert»).")
@click.option("--innleveringer", "innleveringer", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Mappen med innleverte skjemaer (standard: mappen som står på «Oppsett» i masteren).")
@click.option("--aar", type=int, default=None, help="Kartleggingsåret (standard: året i masteren).")
@click.option("--kommuner", "kommuner", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Kommunelisten (CSV); standard: kommunene i masteren, ellers årets liste.")
@click.option("--json", "as_json", is_flag=True,
              help="Skriv ett JSON-objekt (excel, modell, rapport, verdikt, filer, oppsummering).")
def command(master: Path | None, aktiv: bool, innleveringer: Path | None, aar: int | None, kommuner: Path | None,
            as_json: bool) -> None:
    """Hent innleveringene inn i masteren, regn om og sammenlign med referansemodellen."""
    if aktiv:
        from ..addin.attach import command_active

        raise SystemExit(command_active(master, innleveringer, aar, kommuner, as_json))
    if master is None:
        click.echo("Feil: oppgi masteren med --master FIL.xlsx, eller --aktiv-arbeidsbok for masteren som er "
                   "åpen i Excel. Korreksjon: se «kalk-excel beregn --help».", err=True)
        raise SystemExit(2)
    try:
        result = run_beregn(master, innleveringer, year=aar, kommuner=kommuner,
                            progress=lambda msg: click.echo(msg, err=True))
    except BeregnError as exc:
        click.echo(f"Feil: {exc}", err=True)
        raise SystemExit(2) from None
    except Exception as exc:  # noqa: BLE001 - the user gets a record, not a traceback
        click.echo(f"Feil: beregningen stoppet uventet: {type(exc).__name__}: {exc}. Masteren er ikke endret "
                   "med mindre den nye versjonen allerede var skrevet (se sikkerhetskopi/).", err=True)
        raise SystemExit(2) from None
    finish(result, as_json, _print)


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
    v = result.verdict()
    colour = "green" if result.agree else "red"
    console.print(f"[bold {colour}]Verdikt: {v['tekst']}.[/] Masterstatus: {result.readback.master_status}.")
    console.print(terminal_text(f"Master: {result.master}" + (f" (forrige versjon: {result.backup})" if result.backup else "")))
