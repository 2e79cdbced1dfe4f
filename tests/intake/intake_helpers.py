"""Helpers for the intake tests: a test definition (the fixture form plus checks of every
severity), generated and filled survey workbooks, zip surgery for bad files, and the bad-input
corpus built by the tests themselves (no binary fixtures are committed).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import Callable

from kalk_excel.definition.model import Form, Kommune
from kalk_excel.workbook import build_workbook, fill_workbook, read_field_map

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "definitions" / "2024" / "adm.yaml"
PASSWORD = "Test-passord-æøå-2024"

# Checks added to the fixture so every severity of a written check exists (question 3.5).
EXTRA_CHECKS = """
        checks:
          - id: sos_inntekt_mindre
            severity: advarsel
            assert: "sos_inntekt_mg <= sos_brutto_mg"
            field: sos_inntekt_mg
            message: "Inntektene for målgruppen er større enn utgiftene."
            fix: "Kontroller inntektene, eller forklar i kommentarfeltet."
          - id: sos_kommentar_stor
            severity: info
            assert: "utfylt(sos_kommentar) or sos_utgift_mg < 1000000"
            field: sos_kommentar
            message: "Utgiften er over 1 mill. kr uten forklaring."
            fix: "En kort forklaring i kommentarfeltet hjelper utvalget."
"""

KOMMUNER = [Kommune("0301", "Oslo", ("adm",), imdi_malgruppe=122),
            Kommune("4601", "Bergen", ("adm",), imdi_malgruppe=80),
            Kommune("5001", "Trondheim", ("adm",), imdi_malgruppe=61)]


def good_values(scale: float = 1.0, n0101: int = 100) -> dict:
    """A consistent filling: 1.1 + first settled + moved in − moved out = 31.12 (100+20+5−3 = 122)."""
    return {
        "mg_antall_0101": n0101, "mg_forstegangsbosatt": 20, "mg_innflyttet": 5, "mg_utflyttet": 3,
        "mg_antall_3112": n0101 + 22,
        "mg_kontakt_navn": "Kari Nordmann", "mg_kontakt_telefon": "22 33 44 55", "mg_kontakt_epost": "kari@kommune.no",
        "sos_eksakt": "ja",
        "sos_lonn_samlet": round(1_000_000 * scale), "sos_lonn_mg": round(400_000 * scale),
        "sos_andre_samlet": round(500_000 * scale), "sos_andre_mg": round(100_000 * scale),
        "sos_inntekt_samlet": round(200_000 * scale), "sos_inntekt_mg": round(50_000 * scale),
        "sos_kommentar": "Tall fra regnskapet.",
        "sos_kontakt_navn": "Per Hansen", "sos_kontakt_telefon": "22 33 44 56", "sos_kontakt_epost": "per@kommune.no",
    }


class Maker:
    """Generates one template per municipality (cached) and fills copies of it."""

    def __init__(self, form: Form, root: Path):
        self.form = form
        self.root = root
        self.templates: dict[str, Path] = {}

    def template(self, knr: str = "0301") -> Path:
        if knr not in self.templates:
            k = next(k for k in KOMMUNER if k.kommunenummer == knr) if any(
                k.kommunenummer == knr for k in KOMMUNER) else Kommune(knr, f"Kommune {knr}", ("adm",))
            self.templates[knr] = build_workbook(self.form, k, self.root / "maler" / f"mal_{knr}.xlsx",
                                                 password=PASSWORD)
        return self.templates[knr]

    def filled(self, dst: Path, values: dict | None = None, knr: str = "0301", **changes) -> Path:
        vals = dict(good_values() if values is None else values)
        vals.update(changes)
        return fill_workbook(self.template(knr), vals, dst)

    def field_map(self, knr: str = "0301") -> dict[str, tuple[str, str]]:
        return read_field_map(self.template(knr))


# ----------------------------------------------------------------------------------------------
# zip surgery
# ----------------------------------------------------------------------------------------------

def rewrite_zip(src: Path, dst: Path, replace: dict[str, bytes | Callable[[bytes], bytes] | None] | None = None,
                add: dict[str, bytes] | None = None) -> Path:
    """Copy a zip, replacing (bytes or function of the old bytes), dropping (None) or adding members."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename in replace:
                new = replace[info.filename]
                if new is None:
                    continue
                data = new(data) if callable(new) else new
            zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def sheet_part(path: Path, sheet: str) -> str:
    """The zip member of a sheet, by name (via workbook.xml and its rels)."""
    with zipfile.ZipFile(path) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet[^>]*name="' + re.escape(sheet) + r'"[^>]*r:id="(rId\d+)"', wb)
    if rid is None:
        rid = re.search(r'<sheet[^>]*r:id="(rId\d+)"[^>]*name="' + re.escape(sheet) + '"', wb)
    target = re.search(r'Id="' + rid.group(1) + r'"[^>]*Target="([^"]+)"', rels) or re.search(
        r'Target="([^"]+)"[^>]*Id="' + rid.group(1) + '"', rels)
    t = target.group(1).lstrip("/")
    return t if t.startswith("xl/") else "xl/" + t


def set_cell_xml(path: Path, dst: Path, sheet: str, cell: str, inner: str, t: str | None = "n") -> Path:
    """Replace the XML of one (existing) cell: ``inner`` is what goes inside <c>, e.g. '<v>NaN</v>'."""
    part = sheet_part(path, sheet)

    def edit(data: bytes) -> bytes:
        text = data.decode()
        pattern = re.compile(r'<c r="' + cell + r'"([^>]*?)(/>|>.*?</c>)', re.S)
        m = pattern.search(text)
        assert m, f"cell {cell} not in {part}"
        attrs = re.sub(r'\s+t="[^"]*"', "", m.group(1))
        new = f'<c r="{cell}"{attrs}' + (f' t="{t}"' if t else "") + f">{inner}</c>"
        return (text[: m.start()] + new + text[m.end():]).encode()

    return rewrite_zip(path, dst, {part: edit})


def set_meta(path: Path, dst: Path, key: str, value: str) -> Path:
    """Change one key of _meta and the matching custom property (consistently)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["_meta"]
    for row in ws.iter_rows(min_row=2, max_col=2):
        if row[0].value == key:
            row[1].value = value
    for prop in wb.custom_doc_props.props:
        if prop.name == f"kalk_{key}":
            prop.value = value
    wb.save(dst)
    return dst


def set_core_modified(path: Path, dst: Path, stamp: str | None) -> Path:
    def edit(data: bytes) -> bytes:
        text = data.decode()
        if stamp is None:
            return re.sub(r"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", "", text).encode()
        return re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", r"\g<1>" + stamp + r"\g<2>", text).encode()

    return rewrite_zip(path, dst, {"docProps/core.xml": edit})


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">&lol3;</Properties>"""


def ole_bytes(streams: list[str]) -> bytes:
    """An OLE compound file header plus directory entry names (enough to be recognised)."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
    body = b"".join(name.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64 for name in ["Root Entry", *streams])
    return header + body + b"\x00" * 2048


# ----------------------------------------------------------------------------------------------
# the corpus: good files and every bad case, with the code each must produce
# ----------------------------------------------------------------------------------------------

SPARSE_SIZE = 600 * 1024 * 1024


def build_corpus(maker: Maker, folder: Path) -> dict[str, str]:
    """Write the corpus into ``folder``; returns file name -> expected code ('' = no feil)."""
    folder.mkdir(parents=True, exist_ok=True)
    work = folder.parent / (folder.name + "_work")
    work.mkdir(exist_ok=True)
    fmap = maker.field_map()
    expect: dict[str, str] = {}

    def good(name: str, knr: str, scale: float = 1.0) -> Path:
        k = next(k for k in KOMMUNER if k.kommunenummer == knr)
        values = good_values(scale * k.imdi_malgruppe / 122, n0101=int(k.imdi_malgruppe) - 22)
        p = maker.filled(folder / name, values, knr=knr)
        expect[name] = ""
        return p

    base = good("2024_adm_0301_oslo.xlsx", "0301")
    good("2024_adm_4601_bergen.xlsx", "4601")
    good("2024_adm_5001_trondheim.xlsx", "5001")

    (folder / "tom.xlsx").write_bytes(b"")
    expect["tom.xlsx"] = "S001"
    (folder / "tilfeldig.xlsx").write_bytes(os.urandom(5000))
    expect["tilfeldig.xlsx"] = "S003"
    data = base.read_bytes()
    (folder / "avkortet.xlsx").write_bytes(data[: len(data) // 2])
    expect["avkortet.xlsx"] = "S008"
    (folder / "gammel.xls").write_bytes(ole_bytes(["Workbook", "SummaryInformation"]))
    expect["gammel.xls"] = "S004"
    (folder / "kryptert.xlsx").write_bytes(ole_bytes(["EncryptionInfo", "EncryptedPackage", "DataSpaces"]))
    expect["kryptert.xlsx"] = "S005"
    rewrite_zip(base, folder / "makro.xlsm", add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 100})
    expect["makro.xlsm"] = "S006"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", "<office:document-content/>")
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    (folder / "regneark.ods").write_bytes(buf.getvalue())
    expect["regneark.ods"] = "S007"
    rewrite_zip(base, folder / "zipbombe.xlsx", add={"xl/media/bombe.bin": b"\x00" * (20 * 1024 * 1024)})
    expect["zipbombe.xlsx"] = "S009"
    rewrite_zip(base, folder / "entiteter.xlsx", replace={"docProps/custom.xml": BILLION_LAUGHS})
    expect["entiteter.xlsx"] = "S010"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    (folder / "dokument.xlsx").write_bytes(buf.getvalue())
    expect["dokument.xlsx"] = "S014"
    with open(folder / "enorm.xlsx", "wb") as fh:   # sparse: no disk space used
        fh.truncate(SPARSE_SIZE)
    expect["enorm.xlsx"] = "S002"

    import openpyxl

    other = openpyxl.Workbook()
    other.active["A1"] = "Kommune"
    other.active["B1"] = 1234
    other.save(folder / "annet_verktoy.xlsx")
    expect["annet_verktoy.xlsx"] = "A001"
    set_meta(maker.filled(work / "aar.xlsx", knr="4601"), folder / "fjorarets_skjema.xlsx", "aar", "2023")
    expect["fjorarets_skjema.xlsx"] = "A002"
    set_meta(maker.filled(work / "ver.xlsx", knr="5001"), folder / "gammel_versjon.xlsx", "versjon", "2024.0")
    expect["gammel_versjon.xlsx"] = "A003"

    wb = openpyxl.load_workbook(maker.filled(work / "slett.xlsx", knr="9001"))
    del wb["3 Sosial"]
    wb.save(folder / "slettet_ark.xlsx")
    expect["slettet_ark.xlsx"] = "I001"
    wb = openpyxl.load_workbook(maker.filled(work / "omdop.xlsx", knr="9002"))
    wb["3 Sosial"].title = "Sosialt"
    wb.save(folder / "omdoept_ark.xlsx")
    expect["omdoept_ark.xlsx"] = "I002"
    wb = openpyxl.load_workbook(maker.filled(work / "rad.xlsx", knr="9003"))
    wb["1 Målgruppen"].insert_rows(5)
    wb.save(folder / "innsatt_rad.xlsx")
    expect["innsatt_rad.xlsx"] = "I003"

    sheet, cell = fmap["mg_antall_0101"]
    set_cell_xml(maker.filled(work / "f.xlsx", knr="9004"), folder / "formel.xlsx", sheet, cell,
                 "<f>50+50</f><v>100</v>")
    expect["formel.xlsx"] = "I007"
    sheet, cell = fmap["sos_kommentar"]
    ext = set_cell_xml(maker.filled(work / "e.xlsx", knr="9005"), work / "e2.xlsx", sheet, cell,
                       "<f>[1]Ark1!A1</f><v>0</v>")
    rewrite_zip(ext, folder / "ekstern.xlsx", add={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    expect["ekstern.xlsx"] = "I008"
    set_cell_xml(maker.filled(work / "d.xlsx", knr="9006"), folder / "dde.xlsx", sheet, cell,
                 "<f>cmd|'/C calc'!A0</f><v>0</v>")
    expect["dde.xlsx"] = "I009"
    set_cell_xml(maker.filled(work / "h.xlsx", knr="9007"), folder / "hyperlenke.xlsx", sheet, cell,
                 '<f>HYPERLINK("http://example.com","klikk")</f><v>klikk</v>', t="str")
    expect["hyperlenke.xlsx"] = "I010"
    sheet, cell = fmap["sos_lonn_samlet"]
    set_cell_xml(maker.filled(work / "n.xlsx", knr="9008"), folder / "nan.xlsx", sheet, cell, "<v>NaN</v>")
    expect["nan.xlsx"] = "V007"
    maker.filled(folder / "enorme_tall.xlsx", knr="9009", sos_lonn_samlet=1e300)
    expect["enorme_tall.xlsx"] = "V006"
    maker.filled(folder / "negativt.xlsx", knr="9010", sos_andre_samlet=-5000)
    expect["negativt.xlsx"] = "V005"
    maker.filled(folder / "tall_som_tekst.xlsx", knr="9011", sos_lonn_samlet="1 234,50")
    expect["tall_som_tekst.xlsx"] = "V002"
    maker.filled(folder / "dato.xlsx", knr="9012", mg_antall_0101=date(2024, 1, 1))
    expect["dato.xlsx"] = "V003"
    # a duplicate: an older file from Oslo (the good one is newer)
    # (its save time, 2020, is before the form was generated: A012, so the file times decide,
    # and it was also received a day earlier)
    old = set_core_modified(maker.filled(work / "gml.xlsx", knr="0301"), folder / "oslo_forste_versjon.xlsx",
                            "2020-01-01T10:00:00Z")
    day_ago = time.time() - 86400
    os.utime(old, (day_ago, day_ago))
    expect["oslo_forste_versjon.xlsx"] = "A007"
    (folder / "~$2024_adm_0301_oslo.xlsx").write_bytes(b"\x00" * 165)
    shutil.rmtree(work)
    return expect


