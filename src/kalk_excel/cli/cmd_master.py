"""`kalk-excel master --aar 2024 --ut FIL.xlsx`: write an empty master workbook for the year
(parameters, the year's municipalities and form definitions; no submissions pulled yet)."""

from __future__ import annotations

from pathlib import Path

import click

from ..master import FieldError, MasterInputError, ParameterError, build_master


@click.command(name="master")
@click.option("--aar", type=int, required=True, help="Kartleggingsåret, f.eks. 2024.")
@click.option("--ut", "ut", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Filen masterarbeidsboken skrives til (.xlsx).")
def command(aar: int, ut: Path) -> None:
    """Lag masterarbeidsboken (beregningen i Excel-formler) for et kartleggingsår."""
    if ut.suffix.lower() != ".xlsx":
        raise click.UsageError("Masterarbeidsboken må ha filendelsen .xlsx.")
    try:
        path = build_master(aar, ut)
    except (ParameterError, MasterInputError, FieldError) as exc:
        click.echo(f"Feil: {exc}", err=True)
        raise SystemExit(2) from None
    except Exception as exc:  # noqa: BLE001 - a record for the user, not a traceback
        messages = getattr(exc, "messages", None) or getattr(exc, "problems", None)
        click.echo(f"Feil: kunne ikke lage masteren: {exc}", err=True)
        if messages:
            for m in messages:
                click.echo(f"  {getattr(m, 'message', m)}", err=True)
        raise SystemExit(2) from None
    click.echo(f"Skrev {path}", err=True)
