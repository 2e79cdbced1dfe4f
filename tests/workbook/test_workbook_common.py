"""Shared helpers for the workbook tests (definitions to test, building, reading the XML
independently of the generator), plus tests of the helpers' own assumptions.

The real definitions under workbook_templates/ are included when they exist and skipped when a
year/form has not landed yet.
"""

from __future__ import annotations

import base64
import hashlib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from kalk_excel.definition import load_path
from kalk_excel.definition.loader import TEMPLATES_DIR
from kalk_excel.definition.model import Form, Kommune
from kalk_excel.workbook import build_workbook
from support import TEST_PASSWORD

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "definitions"
FIXTURE_DEFINITIONS = [FIXTURES / "2024" / "adm.yaml", FIXTURES / "alle_typer" / "2030" / "adm.yaml"]
REAL_DEFINITIONS = [TEMPLATES_DIR / str(year) / f"{form_id}.yaml" for year in (2011, 2024) for form_id in ("adm", "norsk")]
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
EXCEL_ERRORS = ("#DIV/0!", "#NAME?", "#REF!", "#VALUE!", "#N/A", "#NUM!", "#NULL!", "Err:")
KOMMUNE = Kommune(kommunenummer="0301", navn="Oslo", skjema=("adm", "norsk"), imdi_malgruppe=1234.0)


def definition_id(path: Path) -> str:
    if path in FIXTURE_DEFINITIONS:
        return f"fixture-{path.parent.parent.name}-{path.parent.name}-{path.stem}"
    return f"{path.parent.name}-{path.stem}"


def definition_params(real: bool = True) -> list:
    params = [pytest.param(p, id=definition_id(p)) for p in FIXTURE_DEFINITIONS]
    if real:
        for p in REAL_DEFINITIONS:
            params.append(pytest.param(p, id=definition_id(p), marks=pytest.mark.skipif(
                not p.exists(), reason=f"{p.parent.name}/{p.name} finnes ikke ennå")))
    return params


def load(path: Path) -> Form:
    form, messages = load_path(path)
    assert form is not None, "\n".join(str(m) for m in messages)
    return form


def build(path: Path, outdir: Path, kommune: Kommune = KOMMUNE) -> tuple[Form, Path]:
    form = load(path)
    out = outdir / f"{form.year}_{form.id}_{kommune.kommunenummer}.xlsx"
    build_workbook(form, kommune, out, password=TEST_PASSWORD, deadline="2025-03-15", contact="Sekretariatet")
    return form, out


def expected_hash(password: str, salt_b64: str, spin_count: int) -> str:
    """MS-OFFCRYPTO ISO write-protection hash, written out here independently of the generator."""
    h = hashlib.sha512(base64.b64decode(salt_b64) + password.encode("utf-16-le")).digest()
    for iteration in range(spin_count):
        h = hashlib.sha512(h + iteration.to_bytes(4, "little")).digest()
    return base64.b64encode(h).decode("ascii")


class XlsxXml:
    """The parts of a saved xlsx read with ElementTree (not openpyxl)."""

    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path)
        self.workbook = ET.fromstring(self.zip.read("xl/workbook.xml"))
        rels = ET.fromstring(self.zip.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        self.sheets: dict[str, tuple[str, str]] = {}   # name -> (state, part path)
        for s in self.workbook.find("m:sheets", NS):
            target = targets[s.get(f"{{{NS['r']}}}id")].lstrip("/")
            self.sheets[s.get("name")] = (s.get("state", "visible"), target if target.startswith("xl/") else f"xl/{target}")

    def sheet(self, name: str) -> ET.Element:
        return ET.fromstring(self.zip.read(self.sheets[name][1]))

    def defined_names(self) -> dict[str, str]:
        node = self.workbook.find("m:definedNames", NS)
        """Workbook-scope names only (sheet-scope ones like _xlnm.Print_Area carry localSheetId)."""
        return {} if node is None else {d.get("name"): d.text for d in node if d.get("localSheetId") is None}


def test_expected_hash_depends_on_every_input() -> None:
    salt = base64.b64encode(bytes(range(16))).decode()
    base = expected_hash("passord", salt, 10)
    assert base != expected_hash("Passord", salt, 10)
    assert base != expected_hash("passord", salt, 11)
    assert base != expected_hash("passord", base64.b64encode(bytes(16)).decode(), 10)
    assert len(base64.b64decode(base)) == 64


def test_fixture_definitions_lint_clean() -> None:
    for path in FIXTURE_DEFINITIONS:
        form, messages = load_path(path)
        assert form is not None and not [m for m in messages if m.severity == "feil"], messages
