"""Template metadata: the veryHidden ``_meta`` sheet (key/value rows in A:B, the field id -> cell
map in D:H) and the custom document properties, as specified in docs/arkitektur.md; and the
readers intake, tests and ``fill_workbook`` use to get them back.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timezone
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook.workbook import Workbook

from .. import __version__
from ..definition.model import Form, Kommune
from .fingerprint import METHOD, identity_lines
from .layout import Placement

META_SHEET = "_meta"
KEYS = ("template_id", "skjema", "aar", "versjon", "kommunenummer", "kommunenavn", "generert", "generator",
        "fingerprint", "fingerprint_metode")
# Addition after the contracted rows: every other build argument the visible content depends on, so
# intake can regenerate the identical template (``template_arguments``) and name changed cells.
BUILD_KEYS = ("frist", "kontakt", "imdi_malgruppe", "kommune_kontaktperson", "kommune_epost")
MAP_HEADER = ("felt_id", "ark", "celle", "type", "beregnet")
MAP_FIRST_COL = 4   # D
PROPERTY_KEYS = {"kalk_template_id": "template_id", "kalk_skjema": "skjema", "kalk_aar": "aar",
                 "kalk_versjon": "versjon", "kalk_kommunenummer": "kommunenummer",
                 "kalk_kommunenavn": "kommunenavn", "kalk_fingerprint": "fingerprint"}


# What a v2 fingerprint covers of _meta and the document properties: everything but the
# fingerprint itself (workbook/fingerprint.py).
SIGNED_KEYS = tuple(k for k in KEYS + BUILD_KEYS if k != "fingerprint")
SIGNED_PROPERTIES = tuple(p for p, k in PROPERTY_KEYS.items() if k != "fingerprint")


def signed_identity(meta: Mapping[str, str], properties: Mapping[str, str],
                    fields: Mapping[str, tuple[str, str, str, bool]],
                    names: Mapping[str, tuple[str, str] | None]) -> list[str]:
    """The identity lines of a v2 fingerprint from ``_meta`` values, document properties, the
    field map and the defined names' targets (the generator and intake both call this)."""
    return identity_lines({k: meta.get(k, "") for k in SIGNED_KEYS}, fields, names,
                          {p: properties.get(p, "") for p in SIGNED_PROPERTIES})


def meta_values(form: Form, kommune: Kommune, fingerprint: str, generated: datetime | None = None, *,
                deadline: date | str | None = None, contact: str | None = None,
                method: str = METHOD) -> dict[str, str]:
    generated = generated or datetime.now(timezone.utc)
    imdi = kommune.imdi_malgruppe
    return {
        "frist": str(deadline) if deadline else "", "kontakt": contact or "",
        "imdi_malgruppe": "" if imdi is None else repr(float(imdi)),
        "kommune_kontaktperson": kommune.kontaktperson or "", "kommune_epost": kommune.epost or "",
        "template_id": form.template_id, "skjema": form.id, "aar": str(form.year), "versjon": form.version,
        "kommunenummer": kommune.kommunenummer, "kommunenavn": kommune.navn,
        "generert": generated.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "generator": f"kalk-excel {__version__}", "fingerprint": fingerprint, "fingerprint_metode": method,
    }


def write_meta(wb: Workbook, form: Form, placement: Placement, values: dict[str, str]) -> None:
    """Create the veryHidden ``_meta`` sheet and the custom document properties."""
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "veryHidden"
    ws["A1"], ws["B1"] = "nokkel", "verdi"
    for i, key in enumerate(KEYS + BUILD_KEYS, start=2):
        ws.cell(row=i, column=1, value=key)
        if values[key]:
            ws.cell(row=i, column=2, value=values[key]).data_type = "s"   # all metadata as text
    for j, header in enumerate(MAP_HEADER):
        ws.cell(row=1, column=MAP_FIRST_COL + j, value=header)
    for i, f in enumerate(form.fields.values(), start=2):
        sheet, coord = placement.cells[f.id]
        for j, value in enumerate((f.id, sheet, coord, f.type, 0 if f.is_input else 1)):
            ws.cell(row=i, column=MAP_FIRST_COL + j, value=value)
    for prop, key in PROPERTY_KEYS.items():
        wb.custom_doc_props.append(StringProperty(name=prop, value=values[key]))


def _read(path: Path) -> tuple[dict[str, str], dict[str, tuple[str, str, str, bool]]]:
    wb = load_workbook(path, read_only=True)
    try:
        if META_SHEET not in wb.sheetnames:
            raise ValueError(f"{Path(path).name} mangler arket {META_SHEET}: fila er ikke laget av kalk-excel.")
        meta: dict[str, str] = {}
        fields: dict[str, tuple[str, str, str, bool]] = {}
        for row in wb[META_SHEET].iter_rows(min_row=2, max_col=MAP_FIRST_COL + len(MAP_HEADER) - 1, values_only=True):
            key, value = row[0], row[1]
            if key:
                meta[str(key)] = "" if value is None else str(value)
            fid, sheet, cell, ftype, computed = row[MAP_FIRST_COL - 1: MAP_FIRST_COL - 1 + len(MAP_HEADER)]
            if fid:
                fields[str(fid)] = (str(sheet), str(cell), str(ftype), bool(int(computed or 0)))
        return meta, fields
    finally:
        wb.close()


def read_meta(path: Path | str) -> dict[str, str]:
    """The key/value rows of ``_meta`` (template_id, skjema, aar, ..., fingerprint)."""
    return _read(Path(path))[0]


def read_field_map(path: Path | str) -> dict[str, tuple[str, str]]:
    """``{field_id: (sheet, cell)}`` from the ``_meta`` sheet of a generated workbook."""
    return {fid: (sheet, cell) for fid, (sheet, cell, _t, _c) in _read(Path(path))[1].items()}


def read_field_table(path: Path | str) -> dict[str, tuple[str, str, str, bool]]:
    """``{field_id: (sheet, cell, type, computed)}`` from ``_meta``."""
    return _read(Path(path))[1]


def template_arguments(meta: dict[str, str]) -> dict[str, object]:
    """Keyword arguments that rebuild the template a workbook came from:
    ``build_workbook(form, path=..., password=..., **template_arguments(read_meta(file)))``."""
    imdi = meta.get("imdi_malgruppe") or None
    kommune = Kommune(kommunenummer=meta.get("kommunenummer", ""), navn=meta.get("kommunenavn", ""),
                      skjema=(meta.get("skjema", ""),), imdi_malgruppe=float(imdi) if imdi else None,
                      kontaktperson=meta.get("kommune_kontaktperson") or None,
                      epost=meta.get("kommune_epost") or None)
    return {"kommune": kommune, "deadline": meta.get("frist") or None, "contact": meta.get("kontakt") or None}
