"""`kalk-excel kontroller` (placeholder until its issue lands: fails loudly, never pretends)."""

import click


@click.command(name="kontroller", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def command(args: tuple[str, ...]) -> None:
    """Ikke implementert ennå."""
    raise click.ClickException("kalk-excel kontroller er ikke implementert ennå.")
