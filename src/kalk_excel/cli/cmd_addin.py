"""`kalk-excel addin --ut DIR`: build the Excel add-in `beregningsutvalget.xlam` (ribbon tab
«Beregningsutvalget», button «Beregn dekningsgrad») from the pinned xlwings ribbon template.

The button starts the Python this command runs under (written into the add-in), unless
`--python-win`/`--python-mac` name another or `--uten-python` leaves it to the VBA's `python`.
The file name is fixed: `--navn` or an `--ut` ending in another `.xlam` name is refused."""

from __future__ import annotations

from pathlib import Path

import click

from .errors import fail


class _UsageError(click.ClickException):
    exit_code = 2

    def show(self, file: object = None) -> None:
        click.echo(f"Feil: {self.format_message()}", err=True)


@click.command(name="addin")
@click.option("--ut", "out_dir", required=True, type=click.Path(path_type=Path),
              help="Mappe tillegget skrives til (beregningsutvalget.xlam).")
@click.option("--navn", default=None, metavar="FILNAVN",
              help="Filnavnet; må være beregningsutvalget.xlam (knappen importerer modulen med filens navn).")
@click.option("--python-win", default=None, metavar="STI",
              help=r"Full sti til python.exe på Windows (nøkkelen Interpreter_Win); standard: Pythonen "
                   r"som kjører denne kommandoen.")
@click.option("--python-mac", default=None, metavar="STI",
              help="Full sti til python på macOS (nøkkelen Interpreter_Mac); standard som over.")
@click.option("--uten-python", is_flag=True,
              help="Skriv ingen Python-sti (Excel bruker da «python» fra PATH).")
def command(out_dir: Path, navn: str | None, python_win: str | None, python_mac: str | None,
            uten_python: bool) -> None:
    """Bygg Excel-tillegget «Beregn dekningsgrad» (beregningsutvalget.xlam)."""
    try:
        import xlwings  # noqa: F401 - the optional part this command needs

        from kalk_excel.addin import interpreter
        from kalk_excel.addin.build import ADDIN_FILE, build_addin, check_name
        from kalk_excel.addin.errors import AddinError
    except ImportError as exc:
        fail(f"Excel-tillegget trenger tilleggspakken xlwings, som ikke er installert ({exc.name or exc}).",
             "installer kalk-excel med tillegget: pip install \"<kalk_excel-wheel>.whl[addin]\" (eller "
             "pip install \".[addin]\" i prosjektmappen), og kjør kommandoen på nytt.")

    def refuse(exc: AddinError) -> _UsageError:
        p = exc.problem
        return _UsageError(f"{p.message} {('Korreksjon: ' + p.fix) if p.fix else ''}".strip())

    if out_dir.suffix.lower() == ".xlam":       # --ut given as a file
        navn = navn or out_dir.name
        out_dir = out_dir.parent
    try:
        check_name(navn or ADDIN_FILE)
    except AddinError as exc:
        raise refuse(exc) from None
    if uten_python and (python_win or python_mac):
        raise _UsageError("--uten-python kan ikke brukes sammen med --python-win/--python-mac. "
                          "Korreksjon: Velg én av dem.")
    if out_dir.exists() and not out_dir.is_dir():
        raise _UsageError(f"{out_dir} finnes allerede og er ikke en mappe. Korreksjon: Oppgi en mappe med --ut.")
    try:
        path = build_addin(out_dir, interpreter_win=python_win, interpreter_mac=python_mac, detect=not uten_python)
    except AddinError as exc:
        raise refuse(exc) from None
    except OSError as exc:
        raise _UsageError(f"Kunne ikke skrive tillegget til {out_dir}: {exc.strerror or exc}") from None
    click.echo(f"Skrev {path}", err=True)
    settings = _settings(path)
    if settings:
        for key, value in settings:
            click.echo(f"  {key} = {value}", err=True)
    else:
        click.echo("  Ingen Python-sti: Excel bruker «python» fra PATH.", err=True)
    note = interpreter.personal_path_note(python_win)
    if note:
        click.echo(note, err=True)
    click.echo("Installer med: xlwings addin install -f " + str(path), err=True)


def _settings(path: Path) -> list[tuple[str, str]]:
    """The interpreter rows written into the add-in (read back from what the build wrote)."""
    from kalk_excel.addin.config import read_rows

    return [(k, v) for k, v in read_rows(path) if k.upper() != "ADD_WORKBOOK_TO_PYTHONPATH"]
