"""Which Python the button starts: by default the one the build runs under.

The template's VBA runs plain `python` when the config sheet names no interpreter: on current
macOS there is only `python3` (and the AppleScript that starts it sources only
`~/.bash_profile`, xlwings #1312), on Windows `python` must be on Excel's PATH (else the Store
stub or "not recognized"). So the builder writes `sys.executable` into `Interpreter_Win` (built
on Windows) or `Interpreter_Mac` (built elsewhere), and, in a conda environment, `Conda Path`
and `Conda Env` (the Windows VBA activates the environment first, xlwings #954; the macOS VBA
ignores them, the full path is enough there).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import Mapping


@dataclass(frozen=True)
class Interpreter:
    win: str | None = None
    mac: str | None = None
    conda_path: str | None = None
    conda_env: str | None = None

    def rows(self) -> list[tuple[str, str]]:
        """Config-sheet rows for the keys that have a value (key names as the VBA reads them)."""
        pairs = (("Interpreter_Win", self.win), ("Interpreter_Mac", self.mac),
                 ("Conda Path", self.conda_path), ("Conda Env", self.conda_env))
        return [(k, v.strip()) for k, v in pairs if v is not None and v.strip()]


def current(executable: str | None = None, prefix: str | None = None, platform: str | None = None,
            environ: Mapping[str, str] | None = None) -> Interpreter:
    """The interpreter running this build, as config settings for the platform it runs on."""
    executable = executable if executable is not None else sys.executable
    prefix = prefix if prefix is not None else sys.prefix
    platform = platform if platform is not None else sys.platform
    environ = environ if environ is not None else os.environ
    windows = platform.startswith("win")
    conda_path, conda_env = conda_settings(prefix, environ, windows) if windows else (None, None)
    return Interpreter(win=executable if windows else None, mac=None if windows else executable,
                       conda_path=conda_path, conda_env=conda_env)


def conda_settings(prefix: str, environ: Mapping[str, str], windows: bool = True) -> tuple[str | None, str | None]:
    """(Conda Path, Conda Env) when `prefix` is a conda environment, else (None, None).
    Conda Path is the base installation (it has `condabin`), Conda Env "base" or the
    environment's full path (the VBA accepts a path)."""
    pure = PureWindowsPath if windows else Path
    env = pure(prefix)
    if not Path(prefix, "conda-meta").is_dir():
        return None, None
    exe = environ.get("CONDA_EXE")
    if exe:                                   # <base>\Scripts\conda.exe or <base>/bin/conda
        base = pure(exe).parent.parent
    elif env.parent.name.lower() == "envs":
        base = env.parent.parent
    else:
        base = env
    return str(base), ("base" if str(base).lower() == str(env).lower() else str(env))


def personal_path_note(path: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """A Norwegian note when `path` lies in the builder's own user folder: cmd expands
    `%LOCALAPPDATA%` before the builder sees it, so the add-in then works for this user only."""
    if not path:
        return None
    environ = environ if environ is not None else os.environ
    for var in ("LOCALAPPDATA", "APPDATA", "USERPROFILE"):
        folder = environ.get(var)
        if folder and path.lower().startswith(folder.lower().rstrip("\\/") + "\\"):
            return (f"Merk: stien {path} ligger i din egen brukermappe ({folder}); tillegget finner da Python "
                    f"bare for deg. Skal andre bruke samme fil, skriv %{var}% i stien (i cmd: ^%{var}^%, i "
                    "PowerShell med enkle anførselstegn), eller la hver bruker bygge sitt eget tillegg.")
    return None
