"""Options shared by several commands, so they have the same name and meaning everywhere."""

from __future__ import annotations

from pathlib import Path

import click

definitions_option = click.option(
    "--definisjoner", "definisjoner", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
    help="Egen mappe med skjemadefinisjoner (adm.yaml, norsk.yaml, parametre.yaml, kommuner.csv), med én "
         "undermappe per år eller årets filer direkte. Standard: definisjonene som følger med kalk-excel.")
