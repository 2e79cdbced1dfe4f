"""The list of utvalgskommuner for a survey year: ``workbook_templates/<year>/kommuner.csv``.

Columns (header row, comma or semicolon separated, UTF-8): ``kommunenummer, navn, skjema``
(``adm;norsk`` or ``adm`` ...) required; ``imdi_malgruppe``, ``kontaktperson``, ``epost`` optional;
other columns are kept in ``Kommune.extra``. Kommunenummer is kept as 4-digit text ("0301").
Every problem in the file is collected and raised together as ``KommunelisteFeil`` with
Norwegian messages naming line and column.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from .definition.model import Kommune

REQUIRED = ("kommunenummer", "navn", "skjema")
OPTIONAL = ("imdi_malgruppe", "kontaktperson", "epost")
FORMS = ("adm", "norsk")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class KommunelisteFeil(ValueError):
    """The municipality list has problems; ``messages`` lists each one (Norwegian, with line)."""

    def __init__(self, path: Path, messages: list[str]):
        self.path = path
        self.messages = messages
        super().__init__("\n".join(f"{path}: {m}" for m in messages))


KOMMUNENUMMER_RE = re.compile(r"\d{3,4}")


def kommunenummer(value: Any) -> str | None:
    """The one normalisation of a kommunenummer: four digits as text ("301", 301, 301.0 -> "0301").

    ``None`` for anything that is not three or four digits (text with other characters, a
    fraction, a negative number, empty): the caller reports it where it was read."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip() if value is not None else ""
    return text.zfill(4) if KOMMUNENUMMER_RE.fullmatch(text) else None


def kommunenummer_or_text(value: Any) -> str:
    """``kommunenummer(value)`` when it is one, else the value as written (stripped text; "" for
    None): a key or a message that shows what was read, and never matches a real municipality."""
    return kommunenummer(value) or ("" if value is None else str(value).strip())


def default_path(year: int, definitions: Path | str | None = None) -> Path:
    """The year's built-in list, or the one in the user's definitions folder."""
    from .paths import definition_file
    return definition_file(year, "kommuner.csv", definitions)


def load_kommuner(year: int | None = None, path: Path | str | None = None) -> list[Kommune]:
    """Read and validate the municipality list (``path``, or the default file for ``year``)."""
    if path is None:
        if year is None:
            raise ValueError("Oppgi enten år eller sti til kommunelisten.")
        path = default_path(year)
    path = Path(path)
    if not path.is_file():
        raise KommunelisteFeil(path, [f"Fant ikke kommunelisten {path}. Korreksjon: lag fila eller oppgi --kommuner."])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise KommunelisteFeil(path, ["Fila er ikke UTF-8. Korreksjon: lagre den som CSV UTF-8."]) from None
    return parse_kommuner(text, path)


def parse_kommuner(text: str, path: Path) -> list[Kommune]:
    if not text.strip():
        raise KommunelisteFeil(path, ["Fila er tom. Korreksjon: skriv en overskriftsrad og én rad per kommune."])
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    messages: list[str] = []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise KommunelisteFeil(path, [f"linje 1: mangler kolonnen {', '.join(missing)}. "
                                      f"Korreksjon: overskriftsraden skal ha {', '.join(REQUIRED)}."])
    index = {name: i for i, name in enumerate(header)}
    kommuner: list[Kommune] = []
    seen: dict[str, int] = {}
    for line_no, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            messages.append(f"linje {line_no}: {len(row)} kolonner, overskriften har {len(header)}. "
                            "Korreksjon: sjekk skilletegn og anførselstegn.")
            continue
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in index.items()}
        problems = []
        nummer = kommunenummer_or_text(cells["kommunenummer"])
        if not KOMMUNENUMMER_RE.fullmatch(nummer):
            problems.append(f"linje {line_no}, kolonne kommunenummer: «{nummer}» er ikke et kommunenummer. "
                            "Korreksjon: skriv fire sifre, f.eks. 0301.")
        else:
            if nummer in seen:
                problems.append(f"linje {line_no}, kolonne kommunenummer: {nummer} står også på linje {seen[nummer]}. "
                                "Korreksjon: fjern den doble raden.")
            seen.setdefault(nummer, line_no)
        if not cells["navn"]:
            problems.append(f"linje {line_no}, kolonne navn: navnet mangler. Korreksjon: skriv kommunens navn.")
        skjema = tuple(s.strip().lower() for s in re.split(r"[;,\s]+", cells["skjema"]) if s.strip())
        bad = [s for s in skjema if s not in FORMS]
        if not skjema or bad:
            problems.append(f"linje {line_no}, kolonne skjema: «{cells['skjema']}» er ugyldig. "
                            "Korreksjon: skriv adm, norsk eller adm;norsk.")
        imdi = None
        raw = cells.get("imdi_malgruppe", "")
        if raw:
            try:
                imdi = float(raw.replace(" ", "").replace("\u00a0", "").replace(",", "."))
                if imdi < 0:
                    raise ValueError
            except ValueError:
                problems.append(f"linje {line_no}, kolonne imdi_malgruppe: «{raw}» er ikke et tall. "
                                "Korreksjon: skriv antall personer, f.eks. 1234.")
                imdi = None
        epost = cells.get("epost") or None
        if epost and not EMAIL_RE.match(epost):
            problems.append(f"linje {line_no}, kolonne epost: «{epost}» er ikke en e-postadresse. "
                            "Korreksjon: rett adressen eller la feltet stå tomt.")
        if problems:
            messages.extend(problems)
            continue
        extra = {k: v for k, v in cells.items() if k not in REQUIRED + OPTIONAL and v}
        kommuner.append(Kommune(kommunenummer=nummer, navn=cells["navn"], skjema=tuple(dict.fromkeys(skjema)),
                                imdi_malgruppe=imdi, kontaktperson=cells.get("kontaktperson") or None,
                                epost=epost, extra=extra))
    if messages:
        raise KommunelisteFeil(path, messages)
    if not kommuner:
        raise KommunelisteFeil(path, ["Ingen kommuner i lista. Korreksjon: legg til én rad per kommune."])
    return kommuner
