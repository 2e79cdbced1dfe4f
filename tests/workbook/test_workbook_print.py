"""The survey workbooks print like a professional form: every 2024 workbook is rendered to PDF by
LibreOffice, and on every page the footer names kommune and skjema with "Side x av y", the median
text height is at least that of 8 pt text (measured on a reference workbook printed the same way,
so the check does not depend on how a font's box relates to its size), and the
administrasjonsskjema prints in at most 30 pages.

Text positions come from poppler's ``pdftotext -bbox`` (Debian package poppler-utils, installed
by ``make`` with LibreOffice). The workbooks use Calibri; LibreOffice prints it with the
metric-compatible Carlito (fonts-crosextra-carlito, also installed by ``make``), so pages and
sizes are what Excel users get.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font
from test_workbook_common import KOMMUNE

from kalk_excel.definition import load_form
from kalk_excel.workbook import build_workbook
from support import TEST_PASSWORD

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')


def pdftotext() -> str:
    path = shutil.which("pdftotext")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext (poppler-utils) mangler i CI")
        pytest.skip("pdftotext (poppler-utils) er ikke installert")
    return path


def to_pdf(soffice: str, paths: list[Path], outdir: Path) -> list[Path]:
    profile = outdir / "lo-profil"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(outdir), *map(str, paths)],
                   check=True, capture_output=True, timeout=600, stdin=subprocess.DEVNULL)
    return [outdir / p.with_suffix(".pdf").name for p in paths]


def pages(pdf: Path) -> list[tuple[float, str]]:
    """(median word height in points, text) per page."""
    xml = subprocess.run([pdftotext(), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = []
    for page in re.findall(r"<page[^>]*>(.*?)</page>", xml, re.S):
        words = WORD.findall(page)
        heights = [float(y1) - float(y0) for y0, y1, _ in words]
        out.append((statistics.median(heights) if heights else 0.0, " ".join(w for _, _, w in words)))
    return out


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[float, str]]]:
    from kalk_excel.engine import libreoffice
    soffice = libreoffice.soffice_path()
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) mangler i CI")
        pytest.skip("LibreOffice er ikke installert")
    pdftotext()
    tmp = tmp_path_factory.mktemp("print")
    paths = [build_workbook(load_form(2024, f), KOMMUNE, tmp / f"2024_{f}_0301_oslo.xlsx", password=TEST_PASSWORD)
             for f in ("adm", "norsk")]
    ref = Workbook()                       # the yardstick: 8 pt text printed at 100 %
    for r in range(1, 30):
        ref.active.cell(row=r, column=1, value="Referansetekst i åtte punkter skrevet ut").font = Font(name="Calibri",
                                                                                                   size=8)
    ref.save(tmp / "referanse.xlsx")
    pdfs = to_pdf(soffice, [*paths, tmp / "referanse.xlsx"], tmp / "pdf")
    return {name: pages(pdf) for name, pdf in zip(("adm", "norsk", "referanse"), pdfs, strict=False)}


@pytest.mark.parametrize("form_id", ["adm", "norsk"])
def test_every_page_has_footer_and_readable_text(printed, form_id: str) -> None:
    eight_pt = statistics.median(h for h, _ in printed["referanse"])
    form = load_form(2024, form_id)
    result = printed[form_id]
    n = len(result)
    for i, (height, text) in enumerate(result, start=1):
        assert f"Side {i} av {n}" in text, i
        assert f"{KOMMUNE.navn} ({KOMMUNE.kommunenummer}) – {form.short_title} {form.year}" in text, i
        assert height >= 0.97 * eight_pt, (i, height, eight_pt, text[:80])


def test_adm_prints_in_at_most_30_pages(printed) -> None:
    assert len(printed["adm"]) <= 30
