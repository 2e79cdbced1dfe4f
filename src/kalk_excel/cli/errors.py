"""The command line's one error boundary: Norwegian usage and path errors, no tracebacks, the
documented exit codes (README, «Avslutningskoder»).

- ``NorskGroup`` is the ``kalk-excel`` group: it runs a command with click's standalone mode off
  and turns every failure into ONE Norwegian line on stderr with «Korreksjon: …» (usage errors,
  path errors, a missing optional part, anything unexpected), exit 2; a command's own
  ``SystemExit`` passes through.
- click's own texts (``--help``, its messages) are Norwegian: ``install_norwegian()`` points the
  ``gettext`` function click's modules use at the table ``CLICK_NB``.
- ``fail(message, fix)`` is how a command stops with a usage/input error; ``os_error_text`` words
  an ``OSError`` (no permission, read-only, disk full, folder where a file is expected …).
- ``check_args`` refuses a path argument that is not valid UTF-8 before any work.
"""

from __future__ import annotations

import re
import sys
from typing import Any, NoReturn

import click

from ..fileerrors import os_error_text

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

# click's message ids (click 8.1/8.2) -> bokmål. Placeholders as in click.
CLICK_NB = {
    "Usage:": "Bruk:",
    "Options": "Valg",
    "Commands": "Kommandoer",
    "Positional arguments": "Argumenter",
    "Show this message and exit.": "Vis denne hjelpen og avslutt.",
    "Show the version and exit.": "Vis versjonen og avslutt.",
    "%(prog)s, version %(version)s": "%(prog)s, versjon %(version)s",
    "default: {default}": "standard: {default}",
    "required": "påkrevd",
    "env var: {var}": "miljøvariabel: {var}",
    "Error: {message}": "Feil: {message}",
    "Try '{command} {option}' for help.": "Se «{command} {option}» for hjelp.",
    "Missing argument": "Mangler argument",
    "Missing option": "Mangler valget",
    "Missing parameter": "Mangler parameter",
    "Missing command.": "Mangler kommando.",
    "Missing {param_type}": "Mangler {param_type}",
    "Missing parameter: {param_name}": "Mangler parameter: {param_name}",
    "argument": "argument",
    "option": "valg",
    "parameter": "parameter",
    "No such command {name!r}.": "Ukjent kommando {name!r}.",
    "No such option: {name}": "Ukjent valg: {name}",
    "No such option {name!r}.": "Ukjent valg {name!r}.",
    "Did you mean {possibility}?": "Mente du {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Mente du en av: {possibilities}?)",
    "Option {name!r} requires an argument.": "Valget {name!r} trenger en verdi.",
    "Option {name!r} requires {nargs} arguments.": "Valget {name!r} trenger {nargs} verdier.",
    "Option {name!r} does not take a value.": "Valget {name!r} tar ingen verdi.",
    "Got unexpected extra argument ({args})": "Uventet ekstra argument ({args})",
    "Got unexpected extra arguments ({args})": "Uventede ekstra argumenter ({args})",
    "Invalid value for {param_hint}: {message}": "Ugyldig verdi for {param_hint}: {message}",
    "Invalid value: {message}": "Ugyldig verdi: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} er ikke et gyldig tall.",
    "{value} is not in the range {range}.": "{value} er utenfor området {range}.",
    "{value!r} is not {choice}.": "{value!r} er ikke {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} er ikke en av {choices}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} er ikke ja/nei. Gyldige verdier: "
                                                                     "{states}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} finnes ikke.",
    "{name} {filename!r} is a file.": "{name} {filename!r} er en fil, ikke en mappe.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} er en mappe, ikke en fil.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} kan ikke leses (ingen tilgang).",
    "{name} {filename!r} is not writable.": "{name} {filename!r} kan ikke skrives (ingen tilgang).",
    "{name} {filename!r} is not executable.": "{name} {filename!r} kan ikke kjøres.",
    "file": "fil",
    "directory": "mappe",
    "path": "sti",
    "Aborted!": "Avbrutt.",
    "unknown error": "ukjent feil",
    "Could not open file {filename!r}: {message}": "Kunne ikke åpne filen {filename!r}: {message}",
}

_CLICK_MODULES = ("core", "exceptions", "formatting", "types", "parser", "decorators", "termui")


def _nb(message: str) -> str:
    return CLICK_NB.get(message, message)


def _nb_plural(singular: str, plural: str, n: int) -> str:
    return _nb(singular if n == 1 else plural)


METAVARS_NB = [(re.compile(rf"(?<![\w-]){en}(?![\w-])( *)"), width, nb) for en, width, nb in (
    (r"\[OPTIONS\]", 9, "[VALG]"), (r"COMMAND \[ARGS\]\.\.\.", 17, "KOMMANDO [ARGUMENTER]..."),
    ("INTEGER", 7, "HELTALL"), ("FLOAT", 5, "TALL"), ("TEXT", 4, "TEKST"), ("PATH", 4, "STI"),
    ("DIRECTORY", 9, "MAPPE"), ("FILE", 4, "FIL"), ("BOOLEAN", 7, "JA/NEI"))]


def _metavar(nb: str, width: int) -> Any:
    """Replace a metavar, keeping the help columns aligned (spaces after it absorb the change)."""
    def repl(m: re.Match[str]) -> str:
        spaces = len(m.group(1))
        if spaces and len(nb) > width:
            spaces = max(spaces - (len(nb) - width), 1)
        elif not spaces and m.end() == len(m.string):
            return nb.ljust(width)
        return nb + " " * spaces
    return repl


class NorskHelpFormatter(click.HelpFormatter):
    """click's help layout with the type names (metavars) in bokmål."""

    def write(self, string: str) -> None:
        for pattern, width, nb in METAVARS_NB:
            string = pattern.sub(_metavar(nb, width), string)
        super().write(string)


def install_norwegian() -> None:
    """Make click's own texts (help, usage errors) bokmål."""
    import importlib
    click.Context.formatter_class = NorskHelpFormatter
    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:   # pragma: no cover - a click without that module
            continue
        if hasattr(module, "_"):
            module._ = _nb            # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _nb_plural   # type: ignore[attr-defined]


class CommandFailed(click.ClickException):
    """A command stops: one Norwegian line with «Korreksjon:», exit code ``code``."""

    def __init__(self, message: str, fix: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.fix = fix
        self.exit_code = code  # type: ignore[misc]  # click declares it on the class; ours varies per failure

    def line(self) -> str:
        return one_line(self.message, self.fix)


def fail(message: str, fix: str, code: int = EXIT_USAGE) -> NoReturn:
    raise CommandFailed(message, fix, code)


def one_line(message: str, fix: str | None) -> str:
    text = " ".join(str(message).split())
    if not text.startswith("Feil:"):
        text = f"Feil: {text}"
    if fix and "Korreksjon:" not in text:
        text = f"{text.rstrip()} Korreksjon: {' '.join(fix.split())}"
    return text


def printable(value: Any) -> str:
    """A path as text that can always be printed (bytes that are not UTF-8 as \\xNN)."""
    text = str(value)
    if not has_bad_bytes(text):
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def has_bad_bytes(text: str) -> bool:
    """True when ``text`` came from bytes that are not UTF-8 (Python keeps them as surrogates)."""
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def check_args(args: list[str]) -> None:
    for arg in args:
        if has_bad_bytes(arg):
            fail(f"Stien {printable(arg)} inneholder tegn som ikke er gyldig UTF-8.",
                 "gi fila eller mappa et navn med vanlige tegn (æ, ø og å går fint) og prøv igjen.")


def _fix_for_usage(exc: click.UsageError) -> str:
    ctx = exc.ctx
    path = ctx.command_path if ctx is not None else "kalk-excel"
    if isinstance(exc, click.NoSuchOption) and exc.possibilities:
        return f"bruk et av valgene i «{path} --help»."
    if isinstance(exc, click.MissingParameter):
        return f"oppgi det som mangler; se «{path} --help»."
    return f"se «{path} --help»."


class NorskGroup(click.Group):
    """The ``kalk-excel`` group: Norwegian errors, one line, no traceback, documented exit codes."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        install_norwegian()
        argv = list(sys.argv[1:] if args is None else args)
        try:
            check_args(argv)
            result = super().main(argv, prog_name or "kalk-excel", complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:          # --help, --version
            sys.exit(exc.exit_code)
        except click.exceptions.NoArgsIsHelpError as exc:   # «kalk-excel» alone: the help
            click.echo(exc.ctx.get_help() if exc.ctx is not None else "", err=True)
            sys.exit(EXIT_USAGE)
        except CommandFailed as exc:
            _say(exc.line())
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            _say(one_line(exc.format_message(), _fix_for_usage(exc)))
            sys.exit(EXIT_USAGE)
        except click.ClickException as exc:
            _say(one_line(exc.format_message(), "se «kalk-excel --help»."))
            sys.exit(exc.exit_code if exc.exit_code else EXIT_USAGE)
        except click.Abort:
            _say("Feil: avbrutt. Korreksjon: kjør kommandoen på nytt.")
            sys.exit(EXIT_USAGE)
        except KeyboardInterrupt:
            _say("Feil: avbrutt med Ctrl+C. Korreksjon: kjør kommandoen på nytt; filer som var under arbeid, "
                 "er ikke tatt i bruk.")
            sys.exit(130)
        except OSError as exc:
            message, fix = os_error_text(exc)
            _say(one_line(message, fix))
            sys.exit(EXIT_USAGE)
        except Exception as exc:  # noqa: BLE001 - the boundary: a record for the user, never a traceback
            from ..paths import InstallationError
            if isinstance(exc, InstallationError):
                _say(one_line(str(exc), None))
            else:
                _say(one_line(f"Uventet feil ({type(exc).__name__}: {printable(exc)}).",
                              "meld fra til den som vedlikeholder kalk-excel, med denne linja og kommandoen."))
            sys.exit(EXIT_USAGE)
        if standalone_mode:
            sys.exit(result if isinstance(result, int) else EXIT_OK)
        return result


install_norwegian()   # before the commands' decorators run (help texts made at import)


def _say(line: str) -> None:
    click.echo(printable(line), err=True)
