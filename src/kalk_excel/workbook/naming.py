"""File names of survey workbooks: ``<aar>_<skjema>_<kommunenummer>_<navn-slug>.xlsx``."""

from __future__ import annotations

import re
import unicodedata

_TRANSLIT = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a",
                           "ŋ": "n", "Ŋ": "n", "đ": "d", "Đ": "d", "ŧ": "t", "Ŧ": "t"})  # + Sámi letters


def slug(name: str) -> str:
    """ASCII slug: æ→ae, ø→o, å→a, other accents dropped, lower case, words joined by '-'."""
    text = name.translate(_TRANSLIT)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "kommune"


def workbook_filename(year: int, form_id: str, kommunenummer: str, navn: str) -> str:
    return f"{year}_{form_id}_{kommunenummer}_{slug(navn)}.xlsx"
