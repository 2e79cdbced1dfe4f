"""Every kind of package the project writes validates against the Office Open XML schemas and
semantic rules (openxml-audit, a Python port of the Open XML SDK validator).

Allowed findings (harmless, documented in docs/arkitektur.md "Skjemavalidering"):
- openpyxl writes the children of ``<font>`` in styles.xml in another order than the schema's
  sequence (b, i, ..., color, sz, u, ...). Excel, LibreOffice and the SDK's own reader accept it;
  the finding is "Unexpected element '<child>' found" at /styleSheet/fonts/font.
- Cells written as inline strings (``t="inlineStr"``) without a shared-strings part: valid
  OOXML; Excel moves them to a shared-strings table the next time it saves the file.
Anything else fails the test with the part, path and description.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kalk_excel.cli.main import cli

openxml_audit = pytest.importorskip("openxml_audit")

FONT_ORDER = re.compile(r"^Unexpected element '(b|i|strike|condense|extend|outline|shadow|u|vertAlign|sz|color|"
                        r"name|family|charset|scheme)' found$")
FONT_PATH = re.compile(r"^/styleSheet\[1\]/fonts\[1\]/font\[\d+\]$")
INLINE_STRINGS = re.compile(r"has \d+ inline-string cell\(s\) \(`<c t=\"inlineStr\">`\) but the package has no "
                            r"populated `xl/sharedStrings.xml`")


def allowed(finding) -> bool:  # noqa: ANN001 (openxml_audit.ValidationError)
    if finding.part_uri == "/xl/styles.xml" and FONT_PATH.match(finding.path or "") \
            and FONT_ORDER.match(finding.description):
        return True
    return str(finding.error_type).endswith("SEMANTIC") and bool(INLINE_STRINGS.search(finding.description))


def findings(path: Path) -> list[str]:
    result = openxml_audit.OpenXmlValidator(max_errors=0).validate(str(path))
    return [f"{f.severity.name} {f.part_uri} {f.path}: {f.description}" for f in result.errors if not allowed(f)]


def _cli(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code in (0, 1), result.output   # 1 = kontroller found errors (expected below)


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One file of every kind the project writes without LibreOffice, made through the CLI."""
    base = tmp_path_factory.mktemp("pakker")
    kommuner = base / "kommuner.csv"
    kommuner.write_text("kommunenummer,navn,skjema\n0301,Oslo,adm;norsk\n", encoding="utf-8")
    out: dict[str, Path] = {}
    for year in ("2011", "2024"):
        _cli("skjema", "--aar", year, "--kommuner", str(kommuner), "--ut", str(base / year))
        for form in ("adm", "norsk"):
            out[f"skjema {year} {form}"] = next((base / year).glob(f"{year}_{form}_0301_*.xlsx"))
    _cli("master", "--aar", "2024", "--ut", str(base / "master.xlsx"))
    out["master"] = base / "master.xlsx"
    inn = base / "inn"
    inn.mkdir()
    shutil.copy2(out["skjema 2024 adm"], inn)            # returned empty: errors, so feedback is written
    _cli("kontroller", str(inn), "--aar", "2024", "--kommuner", str(kommuner),
         "--rapport", str(base / "kontroll.xlsx"), "--tilbakemelding", str(base / "tb"))
    out["kontrollrapport"] = base / "kontroll.xlsx"
    out["tilbakemelding"] = next((base / "tb").rglob("*_tilbakemelding.xlsx"))
    _cli("addin", "--ut", str(base / "addin"), "--uten-python")
    out["tillegg"] = base / "addin" / "beregningsutvalget.xlam"
    return out


KINDS = ["skjema 2011 adm", "skjema 2011 norsk", "skjema 2024 adm", "skjema 2024 norsk", "master",
         "kontrollrapport", "tilbakemelding", "tillegg"]


@pytest.mark.parametrize("kind", KINDS)
def test_package_is_valid_open_xml(packages: dict[str, Path], kind: str) -> None:
    assert findings(packages[kind]) == []


@pytest.mark.slow
def test_master_after_beregn_is_valid_open_xml(soffice: str, tmp_path: Path) -> None:
    from kalk_excel.demo.run import demo_kommuner, write_submissions
    from kalk_excel.pipeline.run import run_beregn
    inn = write_submissions(tmp_path / "inn", demo_kommuner()[:3])   # three municipalities are enough
    master = tmp_path / "master.xlsx"
    run_beregn(master, inn, year=2024)
    assert findings(master) == []


def test_the_allow_list_lets_nothing_else_through() -> None:
    class F:
        def __init__(self, part: str, path: str, description: str, kind: str = "SCHEMA") -> None:
            self.part_uri, self.path, self.description, self.error_type = part, path, description, kind
    assert allowed(F("/xl/styles.xml", "/styleSheet[1]/fonts[1]/font[3]", "Unexpected element 'sz' found"))
    assert not allowed(F("/xl/styles.xml", "/styleSheet[1]/fills[1]/fill[3]", "Unexpected element 'sz' found"))
    assert not allowed(F("/xl/styles.xml", "/styleSheet[1]/fonts[1]/font[3]", "Unexpected element 'foo' found"))
    assert not allowed(F("/xl/worksheets/sheet1.xml", "/worksheet[1]/sheetData[1]", "Unexpected element 'c' found"))
    assert allowed(F("/xl/worksheets/sheet1.xml", "", "Worksheet sheet1.xml has 3 inline-string cell(s) "
                     "(`<c t=\"inlineStr\">`) but the package has no populated `xl/sharedStrings.xml`.", "SEMANTIC"))
