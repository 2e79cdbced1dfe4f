"""Build `beregningsutvalget.xlam` from the pinned xlwings ribbon template.

Only `customUI/customUI.xml`, the config sheet (`xl/worksheets/sheet1.xml`,
`xl/sharedStrings.xml`) and the sheet's name in `xl/workbook.xml` change; every other zip member,
`xl/vbaProject.bin` above all, is copied byte for byte (VBA cannot be compiled here). The file's
base name is the Python module the ribbon imports: `import beregningsutvalget; beregningsutvalget.main()`.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

from . import config, ribbon, vba
from .errors import TEMPLATE_CHANGED, fail
from .template import template_path

ADDIN_MODULE = "beregningsutvalget"
ADDIN_FILE = f"{ADDIN_MODULE}.xlam"
RIBBON_PART = "customUI/customUI.xml"
VBA_PART = "xl/vbaProject.bin"
CHANGED_PARTS = (RIBBON_PART, config.SHEET_PART, config.STRINGS_PART, config.WORKBOOK_PART)


def build_addin(out_dir: Path, interpreter_win: str | None = None, interpreter_mac: str | None = None,
                template: Path | None = None) -> Path:
    """Write `<out_dir>/beregningsutvalget.xlam` (atomically) and return its path."""
    source = Path(template) if template else template_path()
    with zipfile.ZipFile(source) as zin:
        members = {info.filename: zin.read(info) for info in zin.infolist()}
        infos = zin.infolist()
    missing = [p for p in (*CHANGED_PARTS, VBA_PART) if p not in members]
    if missing:
        raise fail(TEMPLATE_CHANGED, f"Malen {source.name} mangler forventede deler: {', '.join(missing)}.",
                   "Installer xlwings-versjonen tillegget er laget for.")
    _check_callback(members[VBA_PART], source)

    rows = config.config_rows(interpreter_win, interpreter_mac)
    replaced = {
        RIBBON_PART: ribbon.custom_ui_xml(),
        config.SHEET_PART: config.sheet_xml(members[config.SHEET_PART], rows),
        config.STRINGS_PART: config.shared_strings_xml(rows),
        config.WORKBOOK_PART: config.workbook_xml(members[config.WORKBOOK_PART]),
    }
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / ADDIN_FILE
    fd, tmp = tempfile.mkstemp(prefix=".beregningsutvalget-", suffix=".xlam", dir=out_dir)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w") as zout:
            for info in infos:  # same order, names, dates and compression as the template
                zout.writestr(info, replaced.get(info.filename, members[info.filename]))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _check_callback(vba_bin: bytes, source: Path) -> None:
    procedures = vba.public_procedures(vba_bin)
    if procedures is not None and ribbon.CALLBACK not in procedures:
        raise fail(TEMPLATE_CHANGED, f"VBA-prosjektet i {source.name} har ikke prosedyren {ribbon.CALLBACK}, "
                   "som knappen skal kalle.", "Installer xlwings-versjonen tillegget er laget for.")
