"""Register data per municipality (*Registerdata*, ``master.sheet_registerdata``): read from the
master's state, imported from a CSV file (``kalk-excel beregn --registerdata FIL.csv``), carried
into the next master, given to the reference model and traced on *Sporbarhet*.

CSV format (UTF-8, comma or semicolon): a header with ``kommunenummer`` and the register fields
(``kvalifiseringsstonad``, ``ikke_klientfort_281``), optionally ``kilde``; one row per
municipality. An empty cell leaves the master's value as it was. Every problem in the file is a
record (P050-P054, all ``feil``); a file with problems is not used and the run stops before anything
is written (``RegisterError``), so half a file never enters the calculation.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..codes import problem
from ..definition.model import Kommune
from ..kommuner import kommunenummer
from ..master.layout import FIRST_DATA_ROW, SHEET_REGISTER
from ..master.sheet_registerdata import INPUT_KEYS, SOURCE_KEY, column
from ..model.per_kommune import REGISTER_FIELDS
from ..problems import Problem
from .blocks import Block

MASTER_SOURCE = "masteren"
REQUIRED_COLUMNS = ("kommunenummer", *REGISTER_FIELDS)


class RegisterError(ValueError):
    """The register CSV cannot be used; carries every problem (Norwegian)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(" ".join(f"{p.code}: {p.message} Korreksjon: {p.fix}" for p in problems))


@dataclass
class Origin:
    """Where a register value came from: the CSV file (name, SHA-256, line) or a cell of the master."""
    file: str
    sha256: str | None = None
    line: int | None = None


@dataclass
class Register:
    """kommunenummer -> {field or ``kilde``: value}, and per (kommunenummer, field) its origin."""
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)

    def frame(self) -> pd.DataFrame:
        """The amounts as the model's ``register`` frame (index kommunenummer)."""
        rows = {nr: {k: v.get(k) for k in REGISTER_FIELDS} for nr, v in self.values.items()}
        out = pd.DataFrame.from_dict(rows, orient="index", columns=list(REGISTER_FIELDS))
        out.index = out.index.astype(str)
        return out


def _number(v: Any) -> float | None:
    """A register amount: a number, or text like «1 234 567» / «1234,5»; None if it is none."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    text = str(v).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def from_state(values: Mapping[str, Mapping[str, Any]]) -> Register:
    """The register as the master had it (``MasterState.registerdata``); origin = the master."""
    reg = Register()
    for nr, row in values.items():
        kept = {k: v for k, v in row.items() if k in INPUT_KEYS and v not in (None, "")}
        if not kept:
            continue
        reg.values[nr] = kept
        for key in REGISTER_FIELDS:
            if key in kept:
                reg.origins[(nr, key)] = Origin(MASTER_SOURCE)
    return reg


def read_csv(path: Path, kommuner: Iterable[Kommune]) -> Register:
    """The CSV file's values (see the module docstring); raises ``RegisterError`` with every problem."""
    path = Path(path)
    name = path.name
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegisterError([problem("P050", file=name, error=type(exc).__name__)]) from None
    sha = hashlib.sha256(raw).hexdigest()
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    heads = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in heads]
    if missing:
        raise RegisterError([problem("P051", file=name, missing=", ".join(missing),
                                     required=", ".join(REQUIRED_COLUMNS))])
    known = {k.kommunenummer for k in kommuner}
    problems: list[Problem] = []
    reg = Register()
    seen: dict[str, int] = {}
    for i, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): v for k, v in row.items()}
        if not any(str(v or "").strip() for v in row.values()):
            continue
        where = f"{name}, linje {i}"
        raw_nr = (row.get("kommunenummer") or "").strip()
        nr = kommunenummer(raw_nr)
        if nr is None or nr not in known:
            problems.append(problem("P052", file=name, cell=f"linje {i}", value=raw_nr, where=where))
            continue
        if nr in seen:
            problems.append(problem("P054", file=name, cell=f"linje {i}", value=nr, where=where, line=seen[nr]))
            continue
        seen[nr] = i
        values: dict[str, Any] = {}
        for key in REGISTER_FIELDS:
            cell = (row.get(key) or "").strip()
            if not cell:
                continue
            number = _number(cell)
            if number is None or number < 0:
                problems.append(problem("P053", file=name, cell=f"linje {i}", field=key, value=cell, where=where))
                continue
            values[key] = number
            reg.origins[(nr, key)] = Origin(name, sha, i)
        given = (row.get(SOURCE_KEY) or "").strip()
        values[SOURCE_KEY] = f"{name}: {given}" if given else name
        reg.values[nr] = values
    if problems:
        raise RegisterError(problems)
    return reg


def merged(base: Register, new: Register) -> Register:
    """``base`` (the master's) with ``new`` (a CSV file) on top: a value given in the file replaces
    the master's; an empty cell in the file keeps it."""
    out = Register({nr: dict(v) for nr, v in base.values.items()}, dict(base.origins))
    for nr, values in new.values.items():
        out.values.setdefault(nr, {}).update(values)
    out.origins.update(new.origins)
    return out


def carry_block(reg: Register, kommunenumre: list[str]) -> list[Block]:
    """The input cells of *Registerdata* for a fresh master whose rows are ``kommunenumre``
    (none when the register is empty)."""
    if not any(nr in reg.values for nr in kommunenumre):
        return []
    rows = [[reg.values.get(nr, {}).get(k) for k in INPUT_KEYS] for nr in kommunenumre]
    return [Block(SHEET_REGISTER, f"{column(INPUT_KEYS[0])}{FIRST_DATA_ROW}", rows)]


def trace_rows(reg: Register, kommunenumre: list[str]) -> list[list[Any]]:
    """Rows for part 2 of *Sporbarhet* (``trace.VALUE_HEADER``): per register value the master cell
    and where it came from (the CSV file and line, or the cell in the master it was typed in)."""
    out = []
    for i, nr in enumerate(kommunenumre):
        row = FIRST_DATA_ROW + i
        for key in REGISTER_FIELDS:
            value = reg.values.get(nr, {}).get(key)
            if value in (None, ""):
                continue
            cell = f"{column(key)}{row}"
            origin = reg.origins.get((nr, key), Origin(MASTER_SOURCE))
            if origin.file == MASTER_SOURCE:
                source = [f"{MASTER_SOURCE} (ført inn på arket)", None, SHEET_REGISTER, cell]
            else:
                source = [origin.file, origin.sha256, None, f"linje {origin.line}, kolonne {key}"]
            out.append(["register", nr, key, "nei", SHEET_REGISTER, cell, *source, value])
    return out
