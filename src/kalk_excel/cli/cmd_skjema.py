"""`kalk-excel skjema` (placeholder until its issue lands: fails loudly, never pretends)."""

import click


@click.command(name="skjema", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def command(args: tuple[str, ...]) -> None:
    """Ikke implementert ennå."""
    raise click.ClickException("kalk-excel skjema er ikke implementert ennå.")
