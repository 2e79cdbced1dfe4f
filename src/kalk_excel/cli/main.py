"""The ``kalk-excel`` command line: one click group; each sub-command lives in its own module.

Exit codes everywhere (README, «Avslutningskoder»): 0 ok, 1 the data has errors or the result is
not to be trusted as it is (e.g. a submission with feil, Excel and model disagree, a master kept
because the new one was worse), 2 usage, unreadable input or nothing done. Every failure is one
Norwegian line with «Korreksjon:» on stderr (``errors.NorskGroup``), never a traceback. Progress
and logs go to stderr; ``--json`` output alone goes to stdout.
"""

from __future__ import annotations

import click

from . import cmd_addin, cmd_beregn, cmd_demo, cmd_felt, cmd_kontroller, cmd_master, cmd_nytt_aar, cmd_skjema
from .errors import NorskGroup


@click.group(name="kalk-excel", cls=NorskGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kalk-excel", message="%(prog)s, versjon %(version)s")
def cli() -> None:
    """Beregningsutvalgets kartlegging: skjema, mottakskontroll, master og dekningsgrad."""


for _module in (cmd_skjema, cmd_felt, cmd_kontroller, cmd_master, cmd_demo, cmd_beregn, cmd_addin, cmd_nytt_aar):
    cli.add_command(_module.command)


if __name__ == "__main__":  # pragma: no cover
    cli()
