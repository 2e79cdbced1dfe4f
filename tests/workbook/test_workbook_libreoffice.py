"""Generated workbooks in the real engine (LibreOffice).

(a) A Python-UNO script run against ``soffice --headless`` loads the workbook, asserts every sheet
    is protected, checks that a wrong password does not lift a sheet's protection while the right
    one (with æøå) does — so LibreOffice accepts our SHA-512 hash —, types a number into an input
    cell through the UI dispatcher (must be accepted, and the dependent formula must follow) and
    tries to type into a locked formula cell (must be refused). Needs ``python3-uno``.
(b) A LibreOffice round trip keeps ``sheetProtection`` and the unlocked input cells, which still
    accept values written afterwards.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_workbook_common import FIXTURE_DEFINITIONS, build

from kalk_excel.definition.evaluate import compute
from kalk_excel.engine import libreoffice
from kalk_excel.workbook import fill_workbook, read_field_table
from support import TEST_PASSWORD

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

UNO_SCRIPT = r'''
import json, os, subprocess, sys, tempfile, time
import uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

soffice, path, password, input_name, locked_name = sys.argv[1:6]
profile = tempfile.mkdtemp(prefix="kalk-uno-")
pipe = "kalkuno%d" % os.getpid()
proc = subprocess.Popen([soffice, "-env:UserInstallation=file://" + profile, "--headless", "--invisible",
                         "--norestore", "--nologo", "--nodefault", "--accept=pipe,name=%s;urp;" % pipe],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
out = {}
desktop = None
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    ctx = None
    for _ in range(240):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.25)
    smgr = ctx.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, (prop("Hidden", True),))
    sheets = doc.Sheets
    out["protected"] = {sheets.getByIndex(i).Name: bool(sheets.getByIndex(i).isProtected()) for i in range(sheets.Count)}
    # passwords first, on a sheet the UI is not used on: LibreOffice 7.4 headless can abort in an
    # idle handler when a sheet is unprotected after dispatcher edits on it
    front = sheets.getByIndex(0)
    try:
        front.unprotect("feil-passord")
    except Exception as exc:
        out["wrong_password_error"] = type(exc).__name__
    out["protected_after_wrong_password"] = bool(front.isProtected())
    try:
        front.unprotect(password)
    except Exception as exc:
        out["right_password_error"] = type(exc).__name__
    out["protected_after_right_password"] = bool(front.isProtected())

    ctrl = doc.getCurrentController()
    frame = ctrl.getFrame()
    dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)

    def named_cell(name):
        cell = doc.NamedRanges.getByName(name).getReferredCells().getCellByPosition(0, 0)
        addr = cell.CellAddress
        col, n = "", addr.Column + 1
        while n:
            n, r = divmod(n - 1, 26)
            col = chr(65 + r) + col
        return cell, sheets.getByIndex(addr.Sheet), "%s%d" % (col, addr.Row + 1)

    def type_into(sheet, a1, text):   # as a user would: go to the cell, enter text
        ctrl.setActiveSheet(sheet)
        dispatcher.executeDispatch(frame, ".uno:GoToCell", "", 0, (prop("ToPoint", a1),))
        dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, (prop("StringName", text),))

    icell, isheet, ia1 = named_cell(input_name)
    lcell, lsheet, la1 = named_cell(locked_name)
    out["input_locked"] = bool(icell.CellProtection.IsLocked)
    out["locked_locked"] = bool(lcell.CellProtection.IsLocked)
    out["locked_formula_before"] = lcell.getFormula()
    type_into(isheet, ia1, "4242")
    out["input_after"] = icell.getValue()
    out["locked_value_after"] = lcell.getValue()
    type_into(lsheet, la1, "9999")
    out["locked_formula_after"] = lcell.getFormula()
    out["still_protected"] = bool(lsheet.isProtected()) and bool(isheet.isProtected())
    doc.close(True)
finally:
    try:
        if desktop is not None:
            desktop.terminate()
    except Exception:
        pass
    try:
        proc.wait(timeout=30)
    except Exception:
        proc.kill()
print("RESULT " + json.dumps(out))
'''


def uno_python() -> str | None:
    """A Python interpreter that can ``import uno`` (Debian: /usr/bin/python3 with python3-uno)."""
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and Path(candidate).exists():
            ok = subprocess.run([candidate, "-c", "import uno"], capture_output=True).returncode == 0
            if ok:
                return candidate
    return None


@pytest.mark.parametrize("definition", FIXTURE_DEFINITIONS, ids=lambda p: p.parent.name)
def test_libreoffice_ui_honours_protection(soffice: str, definition: Path, tmp_path: Path) -> None:
    python = uno_python()
    if python is None:
        if os.environ.get("CI"):
            pytest.fail("python3-uno mangler i CI: installer det sammen med libreoffice-calc-nogui")
        pytest.skip("python3-uno er ikke installert")
    form, path = build(definition, tmp_path)
    computed = next(f for f in form.computed() if f.type in ("heltall", "belop"))
    source = next(f for f in form.inputs() if f.id in computed.calculate and f.type in ("heltall", "belop"))
    script = tmp_path / "uno_probe.py"
    script.write_text(UNO_SCRIPT, encoding="utf-8")
    proc = subprocess.run([python, str(script), soffice, str(path), TEST_PASSWORD, source.id, computed.id],
                          capture_output=True, text=True, timeout=180)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    assert line, proc.stderr[-2000:]
    out = json.loads(line[len("RESULT "):])
    assert out["protected"] and all(out["protected"].values()), out["protected"]
    assert set(out["protected"]) >= {p.sheet for p in form.parts} | {"Kontroll", "_meta"}
    assert out["input_locked"] is False and out["locked_locked"] is True
    assert out["input_after"] == 4242                                       # accepted
    assert out["locked_formula_after"] == out["locked_formula_before"]      # refused
    assert out["locked_formula_before"].startswith("=")
    assert out["locked_value_after"] == pytest.approx(compute(form, {source.id: 4242})[computed.id])
    assert out["protected_after_wrong_password"] is True and "wrong_password_error" in out
    assert out["protected_after_right_password"] is False and "right_password_error" not in out
    assert out["still_protected"] is True


def test_round_trip_keeps_protection_and_unlocked_inputs(soffice: str, tmp_path: Path) -> None:
    form, path = build(FIXTURE_DEFINITIONS[0], tmp_path / "mal")
    [saved] = libreoffice.recalculate(path, tmp_path / "lo")
    with zipfile.ZipFile(saved) as z:
        sheet_xml = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheet_xml) == len(load_workbook(path).sheetnames)
    for xml in sheet_xml:
        match = re.search(r"<sheetProtection\b[^>]*>", xml)
        assert match and re.search(r'\bsheet="(1|true)"', match.group(0)), xml[:300]
    table = read_field_table(path)
    wb = load_workbook(saved)
    for fid, (sheet, cell, _t, computed) in table.items():
        assert wb[sheet][cell].protection.locked is computed, fid
    values = {f.id: 7 for f in form.inputs() if f.type == "heltall"}
    refilled = fill_workbook(saved, values, tmp_path / "fylt" / "etter_lo.xlsx")
    wb = load_workbook(refilled)
    for fid, value in values.items():
        sheet, cell, _t, _c = table[fid]
        assert wb[sheet][cell].value == value
