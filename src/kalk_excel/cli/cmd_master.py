"""`kalk-excel master --aar 2024 --ut FIL.xlsx [--kommuner FIL.csv] [--erstatt]`: write an empty
master workbook for the year (parameters, the municipalities and form definitions; no submissions
pulled yet). The kommune list given here is stored in the master (Innrapportert rows, IMDi counts
and contact e-mails on *Kommuner*) and is the one ``beregn`` and the add-in use afterwards.

Never destroys work: an existing FIL is refused (exit 2, nothing changed) unless ``--erstatt`` is
given; then the old file is first copied to ``sikkerhetskopi/`` with a date, as ``beregn`` does,
and a master open in Excel/LibreOffice is refused before anything is written.
Exit codes: 0 written, 2 usage or unusable input (nothing changed).
"""

from __future__ import annotations

from pathlib import Path

import click

from ..kommuner import KommunelisteFeil, load_kommuner
from ..master import FieldError, MasterInputError, ParameterError, build_master
from ..pipeline.atomic import ReplaceError, replace_atomically
from ..pipeline.run import MasterBusy, check_replaceable
from .errors import fail
from .options import definitions_option


@click.command(name="master")
@click.option("--aar", type=int, required=True, help="Kartleggingsåret, f.eks. 2024.")
@click.option("--ut", "ut", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Filen masterarbeidsboken skrives til (.xlsx). Finnes den, avbrytes kommandoen.")
@click.option("--kommuner", "kommuner", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Kommunelisten for året (CSV: kommunenummer, navn, skjema, imdi_malgruppe, kontaktperson, "
                   "epost). Lagres i masteren. Standard: årets innebygde liste.")
@click.option("--erstatt", is_flag=True,
              help="Erstatt en master som finnes. Den gamle kopieres først til sikkerhetskopi/ med dato.")
@definitions_option
def command(aar: int, ut: Path, kommuner: Path | None, erstatt: bool, definisjoner: Path | None) -> None:
    """Lag masterarbeidsboken (beregningen i Excel-formler) for et kartleggingsår."""
    if ut.suffix.lower() != ".xlsx":
        fail(f"Masterarbeidsboken {ut.name} må ha filendelsen .xlsx.", "oppgi et filnavn som slutter på .xlsx.")
    if ut.exists() and not erstatt:
        fail(f"{ut} finnes allerede og er ikke endret.",
             "oppgi et nytt filnavn, eller bruk --erstatt for å erstatte den (den gamle kopieres da først til "
             "sikkerhetskopi/).")
    try:
        check_replaceable(ut)
    except MasterBusy as exc:
        fail(str(exc).split(" Korreksjon:")[0], str(exc).split("Korreksjon:")[-1].strip())
    liste = None
    if kommuner is not None:
        try:
            liste = load_kommuner(aar, kommuner)
        except KommunelisteFeil as exc:
            fail(f"Kommunelisten {kommuner.name} kan ikke brukes: " + " ".join(m.split(" Korreksjon:")[0]
                                                                            for m in exc.messages),
                 "rett linjene som er nevnt og kjør kommandoen på nytt.")
    try:
        ut.parent.mkdir(parents=True, exist_ok=True)
        backup = replace_atomically(ut, lambda tmp: build_master(aar, tmp, kommuner=liste, definitions=definisjoner))
    except (ParameterError, MasterInputError, FieldError, ReplaceError) as exc:
        fail(f"Kunne ikke lage masteren: {exc}", "rett det som er nevnt og kjør kommandoen på nytt.")
    click.echo(f"Skrev {ut}" + (f" (forrige versjon: {backup})" if backup else ""), err=True)
