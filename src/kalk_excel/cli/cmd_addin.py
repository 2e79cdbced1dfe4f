"""`kalk-excel addin --ut DIR`: build the Excel add-in `beregningsutvalget.xlam` (ribbon tab
«Beregningsutvalget», button «Beregn dekningsgrad») from the pinned xlwings ribbon template."""

from __future__ import annotations

from pathlib import Path

import click


class _UsageError(click.ClickException):
    exit_code = 2


@click.command(name="addin")
@click.option("--ut", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Mappe tillegget skrives til (beregningsutvalget.xlam).")
@click.option("--python-win", default=None, metavar="STI",
              help=r"Full sti til python.exe på Windows (nøkkelen Interpreter_Win), "
                   r"f.eks. %LOCALAPPDATA%\Programs\Python\Python311\python.exe.")
@click.option("--python-mac", default=None, metavar="STI",
              help="Full sti til python på macOS (nøkkelen Interpreter_Mac).")
def command(out_dir: Path, python_win: str | None, python_mac: str | None) -> None:
    """Bygg Excel-tillegget «Beregn dekningsgrad» (beregningsutvalget.xlam)."""
    from kalk_excel.addin.build import build_addin
    from kalk_excel.addin.errors import AddinError

    if out_dir.exists() and not out_dir.is_dir():
        raise _UsageError(f"{out_dir} finnes allerede og er ikke en mappe. Korreksjon: Oppgi en mappe med --ut.")
    try:
        path = build_addin(out_dir, interpreter_win=python_win, interpreter_mac=python_mac)
    except AddinError as exc:
        p = exc.problem
        raise _UsageError(f"{p.message} {('Korreksjon: ' + p.fix) if p.fix else ''}".strip()) from None
    except OSError as exc:
        raise _UsageError(f"Kunne ikke skrive tillegget til {out_dir}: {exc.strerror or exc}") from None
    click.echo(f"Skrev {path}", err=True)
    click.echo("Installer med: xlwings addin install -f " + str(path), err=True)
