"""`kalk-excel felt`: print the field catalogue of a year's definitions (CSV or JSON) to stdout, or
the secretariat's Markdown document of decisions, fields and controls (``--format md``).

Exit codes: 0 ok, 2 a definition is missing or fails lint.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..definition.catalogue import field_catalogue, to_csv, to_json, to_markdown
from ..definition.loader import template_path
from ..workbook.batch import load_forms
from ..workbook.builder import field_cells
from ..workbook.errors import WorkbookBuildError
from .options import definitions_option

FORM_IDS = ("adm", "norsk")


@click.command(name="felt")
@click.option("--aar", type=int, required=True, help="Kartleggingsåret, f.eks. 2024.")
@click.option("--skjema", type=click.Choice(FORM_IDS), default=None, help="Bare dette skjemaet.")
@click.option("--format", "fmt", type=click.Choice(("csv", "json", "md")), default="csv", show_default=True)
@definitions_option
def command(aar: int, skjema: str | None, fmt: str, definisjoner: Path | None) -> None:
    """Feltkatalogen: id, skjema, del, spørsmål, ark og celle i skjemaet, etikett, type, enhet, krav, relevans,
    formel, KOSTRA, kontroller."""
    if skjema:
        wanted = [skjema]
    else:
        wanted = [fid for fid in FORM_IDS if template_path(aar, fid, definisjoner).is_file()]
        if not wanted:
            click.echo(f"Fant ingen skjemadefinisjoner for {aar}.", err=True)
            raise SystemExit(2)
    loaded = load_forms(aar, wanted, definisjoner)
    if loaded.errors:
        for message in loaded.errors:
            click.echo(message, err=True)
        raise SystemExit(2)
    if fmt == "md":
        sys.stdout.write(to_markdown([loaded.forms[fid] for fid in wanted]))
        return
    try:
        rows = [row for fid in wanted for row in field_catalogue(loaded.forms[fid], field_cells(loaded.forms[fid]))]
    except WorkbookBuildError as exc:   # the definition cannot be laid out as a workbook
        click.echo(str(exc), err=True)
        raise SystemExit(2) from None
    sys.stdout.write(to_csv(rows) if fmt == "csv" else to_json(rows))
