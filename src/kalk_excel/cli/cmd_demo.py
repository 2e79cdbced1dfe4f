"""`kalk-excel demo [--ut DIR] [--json]`: the whole job on the 2024 demo data — survey
workbooks, intake, pull into a new master, LibreOffice recalculation, reference model — with
Excel, model and the report side by side. Exit code 1 when Excel and the model disagree."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..demo.run import DemoResult, run_demo
from .errors import fail, os_error_text
from .format import finish, fmt_report, fmt_value


@click.command(name="demo")
@click.option("--ut", "ut", type=click.Path(file_okay=False, path_type=Path), default=Path("ut"),
              show_default=True, help="Mappe for innleveringer, master og omregnet master.")
@click.option("--json", "as_json", is_flag=True, help="Skriv ett JSON-objekt (excel, modell, rapport, verdikt).")
def command(ut: Path, as_json: bool) -> None:
    """Kjør hele jobben på demodataene for 2024 og sammenlign med rapporten."""
    try:
        result = run_demo(ut)
    except OSError as exc:
        message, fix = os_error_text(exc, str(ut))
        fail(f"Demoen stoppet: {message}", fix)
    except Exception as exc:  # noqa: BLE001 - the user gets a record, not a traceback
        text = str(exc)
        message, _, fix = text.partition(" Korreksjon:")
        fail(f"Demoen stoppet: {message}", fix.strip() or "sjekk at LibreOffice er installert (make setup), og "
             "meld fra til den som vedlikeholder kalk-excel hvis feilen står igjen.")
    finish(result, as_json, _print)


def _print(result: DemoResult) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else 132)
    table = Table(title="Demo 2024 – Excel (LibreOffice) mot modell og rapport")
    for col in ("Tabell", "Størrelse", "Excel", "Modell", "Rapport", "Excel=modell", "Som rapporten"):
        table.add_column(col, justify="right" if col in ("Excel", "Modell", "Rapport") else "left")
    for group, label, r in result.rows:
        table.add_row(group, label, fmt_value(r.name, r.excel), fmt_value(r.name, r.modell),
                      fmt_report(r.name, r.rapport), "ja" if r.ok else "NEI",
                      "–" if r.ok_rapport is None else ("ja" if r.ok_rapport else "NEI"))
    console.print(table)
    b = result.beregn
    s = b.update.summary
    console.print(f"Innleveringer: {s['filer']} filer, {s['inkludert']} inkludert, {s['advarsler']} med advarsler, "
                  f"{s['feil']} med feil, {s['avvist']} avvist (detaljer: kalk-excel kontroller).")
    for p in b.update.problems:
        console.print(f"[yellow]{p.severity}[/]: {p.message}")
    colour = "green" if result.agree and result.matches_report else "red"
    console.print(f"[bold {colour}]Verdikt: {result.verdict()['tekst']}.[/] Masterstatus: "
                  f"{b.readback.master_status}. Master: {b.master} (omregnet kopi: {b.recalculated})")
