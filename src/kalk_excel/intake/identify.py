"""Which survey, year, form version and municipality a returned file is, from the metadata the
generator writes (``_meta`` sheet and ``kalk_*`` custom document properties), and whether that
is a form this run accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kalk_excel.definition import DefinitionError, Form, load_form
from kalk_excel.kommuner import kommunenummer_or_text
from kalk_excel.problems import Problem
from kalk_excel.workbook.metadata import PROPERTY_KEYS  # custom property -> _meta key, as written

from .codes import problem
from .reader import OpenedWorkbook
from .safety import Rejected

REQUIRED = ("skjema", "aar", "versjon", "kommunenummer")
# The names the generator gives files (workbook.naming.workbook_filename): 2024_adm_0301_oslo.xlsx
_NAMED = re.compile(r"^(\d{4})_([a-z0-9]+)_(\d{4})_")


@dataclass(frozen=True)
class Identity:
    form_id: str
    year: int
    version: str
    kommunenummer: str
    kommunenavn: str
    fingerprint: str | None
    fingerprint_method: str | None


def identify(wb: OpenedWorkbook) -> tuple[Identity, list[Problem]]:
    """Identity from ``_meta`` (checked against the document properties); raises ``Rejected``."""
    props = {key: wb.custom[prop] for prop, key in PROPERTY_KEYS.items() if prop in wb.custom}
    if not wb.has_meta_sheet and not props:
        raise Rejected(problem("A001"))
    if not wb.has_meta_sheet:
        raise Rejected(problem("A005", detail="arket _meta er slettet eller har fått nytt navn"))
    meta = wb.meta
    missing = [k for k in REQUIRED if not meta.get(k)]
    if missing:
        raise Rejected(problem("A005", detail="mangler " + ", ".join(missing)))
    if not wb.field_table:
        raise Rejected(problem("A005", detail="feltkartet i _meta er tomt"))
    problems = []
    differ = [f"{k}: «{meta.get(k, '')}» / «{v}»" for k, v in props.items() if meta.get(k, "") != v]
    if differ:
        problems.append(problem("A006", detail="arket _meta og dokumentegenskapene er ulike (" + "; ".join(differ) + ")"))
    try:
        year = int(meta["aar"])
    except ValueError:
        raise Rejected(problem("A005", detail=f"ugyldig år «{meta['aar']}»")) from None
    number = kommunenummer_or_text(meta["kommunenummer"])
    return Identity(meta["skjema"], year, meta["versjon"], number, meta.get("kommunenavn", ""),
                    meta.get("fingerprint") or None, meta.get("fingerprint_metode") or None), problems


@lru_cache(maxsize=32)
def _load(year: int, form_id: str, templates_dir: str | None) -> Form:
    return load_form(year, form_id, Path(templates_dir) if templates_dir else None)


def form_for(ident: Identity, templates_dir: Path | None) -> Form:
    """The form definition for the file's survey and year, or ``Rejected`` (A004)."""
    try:
        return _load(ident.year, ident.form_id, str(templates_dir) if templates_dir else None)
    except DefinitionError as exc:
        raise Rejected(problem("A004", form=ident.form_id, year=ident.year,
                               detail=f"definisjonen har {len(exc.messages)} feil")) from None
    except (FileNotFoundError, OSError, ValueError, KeyError) as exc:
        raise Rejected(problem("A004", form=ident.form_id, year=ident.year, detail=str(exc)[:120])) from None


def check_year(ident: Identity, expected_year: int | None) -> None:
    if expected_year is not None and ident.year != expected_year:
        raise Rejected(problem("A002", found=ident.year, expected=expected_year, value=ident.year))


def check_version(ident: Identity, form: Form) -> None:
    if ident.version != form.version:
        raise Rejected(problem("A003", found=ident.version, expected=form.version, value=ident.version))


def check_file_name(ident: Identity, file_name: str) -> list[Problem]:
    """A file named as the generator names them (year_skjema_kommunenummer_...) must say what its
    metadata says: a renamed file from another municipality is a clear problem (A013)."""
    m = _NAMED.match(file_name.lower())
    if m is None:
        return []
    named = (int(m.group(1)), m.group(2), m.group(3))
    inside = (ident.year, ident.form_id.lower(), ident.kommunenummer)
    if named == inside:
        return []
    return [problem("A013", found=f"{named[0]}, skjema {named[1]}, kommune {named[2]}",
                    expected=f"{inside[0]}, skjema {inside[1]}, kommune {inside[2]} {ident.kommunenavn}".strip(),
                    value=file_name)]
