"""Build `beregningsutvalget.xlam` from the pinned xlwings ribbon template.

Only `customUI/customUI.xml`, the config sheet (`xl/worksheets/sheet1.xml`,
`xl/sharedStrings.xml`) and the sheet's name in `xl/workbook.xml` change; every other zip member,
`xl/vbaProject.bin` above all, is copied byte for byte (VBA cannot be compiled here). The file's
base name is the Python module the ribbon imports: `import beregningsutvalget; beregningsutvalget.main()`,
so the file must be named exactly `beregningsutvalget.xlam` (another name is refused, X004).
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

from . import config, ribbon, vba
from . import interpreter as interp
from .errors import ADDIN_NAME, TEMPLATE_CHANGED, fail
from .interpreter import Interpreter
from .template import template_path

ADDIN_MODULE = "beregningsutvalget"
ADDIN_FILE = f"{ADDIN_MODULE}.xlam"
RIBBON_PART = "customUI/customUI.xml"
VBA_PART = "xl/vbaProject.bin"
CHANGED_PARTS = (RIBBON_PART, config.SHEET_PART, config.STRINGS_PART, config.WORKBOOK_PART)


def check_name(name: str) -> None:
    """The file name must be `beregningsutvalget.xlam`: the VBA imports the file's base name."""
    if name != ADDIN_FILE:
        module = name[:-5] if name.lower().endswith(".xlam") else name
        raise fail(ADDIN_NAME, name=name, module=module, addin_file=ADDIN_FILE, addin_module=ADDIN_MODULE)


def build_addin(out_dir: Path, interpreter_win: str | None = None, interpreter_mac: str | None = None,
                template: Path | None = None, conda_path: str | None = None, conda_env: str | None = None,
                detect: bool = True, name: str = ADDIN_FILE) -> Path:
    """Write `<out_dir>/beregningsutvalget.xlam` (atomically) and return its path. Without any
    interpreter setting given, the one this build runs under is written (`detect=False`: none,
    the VBA's default `python`)."""
    check_name(name)
    settings = Interpreter(interpreter_win, interpreter_mac, conda_path, conda_env)
    if detect and not settings.rows():
        settings = interp.current()
    source = Path(template) if template else template_path()
    with zipfile.ZipFile(source) as zin:
        members = {info.filename: zin.read(info) for info in zin.infolist()}
        infos = zin.infolist()
    missing = [p for p in (*CHANGED_PARTS, VBA_PART) if p not in members]
    if missing:
        raise fail(TEMPLATE_CHANGED, template=source.name, missing=", ".join(missing))
    _check_callback(members[VBA_PART], source)

    rows = config.config_rows(settings)
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
        raise fail(TEMPLATE_CHANGED, "vba", template=source.name, callback=ribbon.CALLBACK)
