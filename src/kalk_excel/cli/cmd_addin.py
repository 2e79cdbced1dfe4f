"""`kalk-excel addin` (placeholder until its issue lands: fails loudly, never pretends)."""

import click


@click.command(name="addin", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def command(args: tuple[str, ...]) -> None:
    """Ikke implementert ennå."""
    raise click.ClickException("kalk-excel addin er ikke implementert ennå.")
