"""`kalk-excel nytt-aar --fra MASTER.xlsx --aar ÅR --ut MAPPE [--deflator 0.041]`: set up next year's
survey from this year's master (``kalk_excel.year.rollover``). The deflator is asked for when it is
not given. Exit 0 done, 2 when the year cannot be set up (nothing is left half-made)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from kalk_excel.year.rollover import RolloverError, roll_forward


@click.command(name="nytt-aar")
@click.option("--fra", "fra", type=click.Path(path_type=Path), required=True,
              help="Fjorårets master (etter «kalk-excel beregn»).")
@click.option("--aar", type=int, required=True, help="Det nye kartleggingsåret (fjorårets år + 1).")
@click.option("--ut", type=click.Path(path_type=Path), required=True,
              help="Mappe for det nye året: definisjoner/<år>/ og master_<år>.xlsx.")
@click.option("--deflator", type=float, default=None,
              help="Kommunal deflator for det nye året som andel (0.041 = 4,1 %). Spørres om når den mangler.")
def command(fra: Path, aar: int, ut: Path, deflator: float | None) -> None:
    """Sett opp neste års kartlegging fra årets master."""
    err = Console(stderr=True)
    if deflator is None:
        deflator = click.prompt(f"Kommunal deflator for {aar} som andel (for eksempel 0.041 for 4,1 %)", type=float,
                                err=True)
    try:
        result = roll_forward(fra, aar, ut, deflator)
    except RolloverError as exc:
        err.print(f"[red]{exc}[/]", markup=True, highlight=False)
        sys.exit(2)
    out = Console()
    if not out.is_terminal:
        out = Console(width=200)
    out.print(f"Nytt år {result.year} satt opp fra {result.from_year}:", highlight=False)
    out.print(f"  definisjoner: {result.definitions / str(result.year)}", highlight=False)
    out.print(f"  master:       {result.master}", highlight=False)
    for pid, (old, new) in result.carried.items():
        out.print(f"  fremskrevet:  {pid} {old:g} -> {new:g}", highlight=False)
    if result.not_updated:
        out.print(f"  IKKE OPPDATERT ({len(result.not_updated)} parametre, må få årets verdi og kilde): "
                  + ", ".join(result.not_updated), highlight=False)
    for p in result.problems:
        out.print(f"  {p.code} {p.message} Korreksjon: {p.fix}", highlight=False)
    out.print(f"Bruk det nye året i alle kommandoer med: export KALK_DEFINISJONER={result.definitions}",
              highlight=False)
