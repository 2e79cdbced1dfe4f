"""`kalk-excel demo` (placeholder until its issue lands: fails loudly, never pretends)."""

import click


@click.command(name="demo", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def command(args: tuple[str, ...]) -> None:
    """Ikke implementert ennå."""
    raise click.ClickException("kalk-excel demo er ikke implementert ennå.")
