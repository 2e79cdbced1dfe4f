"""The built add-in `beregningsutvalget.xlam`, checked against the installed xlwings template:
same zip members, only the ribbon and the config sheet changed, VBA byte-identical, every
ribbon callback an existing VBA procedure, config keys as the template's VBA reads them."""

from __future__ import annotations

import importlib
import re
import sys
import zipfile
from pathlib import Path

import pytest
import xlwings
from click.testing import CliRunner
from defusedxml import ElementTree as ET
from oletools.olevba import VBA_Parser

from kalk_excel.addin import template
from kalk_excel.addin.build import build_addin
from kalk_excel.addin.errors import AddinError
from kalk_excel.cli.main import cli

TEMPLATE = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
CUI = "{http://schemas.microsoft.com/office/2006/01/customui}"
SML = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CHANGED = {"customUI/customUI.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"}
PYTHON_WIN = r"%LOCALAPPDATA%\Programs\Python\Python311\python.exe"


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture(scope="module", params=["python-win", "default"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built with an explicit Windows interpreter, and with the default options (this machine's
    interpreter): every structural check below holds for both."""
    if request.param == "default":
        return build_addin(tmp_path_factory.mktemp("addin-default"))
    return build_addin(tmp_path_factory.mktemp("addin"), interpreter_win=PYTHON_WIN)


@pytest.fixture(scope="module")
def vba_procedures() -> dict[str, dict[str, str]]:
    """module -> {procedure name (lower case): declaration line}, from the template's VBA."""
    parser = VBA_Parser("vbaProject.bin", data=_members(TEMPLATE)["xl/vbaProject.bin"])
    found: dict[str, dict[str, str]] = {}
    decl = re.compile(r"^[ \t]*((?:(?:Public|Private|Friend)[ \t]+)?(?:Static[ \t]+)?(?:Sub|Function)[ \t]+(\w+)[ \t]*\(.*)$",
                      re.I | re.M)
    for _f, _s, vba_filename, code in parser.extract_macros():
        module = vba_filename.rsplit(".", 1)[0]
        found.setdefault(module, {}).update({name.lower(): line for line, name in decl.findall(code or "")})
    parser.close()
    return found


def test_template_is_the_installed_packages_own(built: Path) -> None:
    assert template.template_path().resolve() == TEMPLATE.resolve()
    assert built.name == "beregningsutvalget.xlam"


def test_zip_members_equal_the_templates_and_only_ribbon_and_config_differ(built: Path) -> None:
    with zipfile.ZipFile(TEMPLATE) as zt, zipfile.ZipFile(built) as zb:
        assert zb.namelist() == zt.namelist()
        assert zb.testzip() is None
    tpl, new = _members(TEMPLATE), _members(built)
    assert {name for name in tpl if tpl[name] != new[name]} == CHANGED
    assert new["xl/vbaProject.bin"] == tpl["xl/vbaProject.bin"]


def test_workbook_xml_differs_only_in_the_config_sheets_name(built: Path) -> None:
    tpl, new = _members(TEMPLATE)["xl/workbook.xml"], _members(built)["xl/workbook.xml"]
    assert new == tpl.replace(b'name="_myaddin.conf"', b'name="myaddin.conf"')
    sheets = ET.fromstring(new).find(f"{SML}sheets")
    assert [s.get("name") for s in sheets] == ["myaddin.conf"]


def test_ribbon_has_the_tab_and_the_large_button(built: Path) -> None:
    root = ET.fromstring(_members(built)["customUI/customUI.xml"])
    tabs = root.findall(f".//{CUI}tab")
    assert [t.get("label") for t in tabs] == ["Beregningsutvalget"]
    assert tabs[0].get("idQ", "").split(":")[0] in {"bu"}  # qualified id, shareable between add-ins
    buttons = root.findall(f".//{CUI}button")
    assert len(buttons) == 1
    b = buttons[0]
    assert (b.get("label"), b.get("size"), b.get("imageMso")) == ("Beregn dekningsgrad", "large", "CalculateNow")
    assert "innleverte skjema" in b.get("supertip") and b.get("screentip")


def test_every_on_action_names_a_callable_vba_procedure(built: Path,
                                                        vba_procedures: dict[str, dict[str, str]]) -> None:
    root = ET.fromstring(_members(built)["customUI/customUI.xml"])
    actions = [el.get("onAction") for el in root.iter() if el.get("onAction") is not None]
    assert actions
    for action in actions:
        module, _, proc = action.rpartition(".")
        if module:
            assert module in vba_procedures, f"VBA-modulen {module} finnes ikke"
            line = vba_procedures[module].get(proc.lower())
        else:
            line = next((m[proc.lower()] for m in vba_procedures.values() if proc.lower() in m), None)
        assert line is not None, f"prosedyren {action} finnes ikke i VBA-prosjektet"
        assert not line.lower().lstrip().startswith("private"), line
        assert re.search(r"\(\s*\w+\s+As\s+IRibbonControl\s*\)", line, re.I), line  # a ribbon callback


def test_callback_imports_the_module_named_like_the_file(vba_procedures: dict[str, dict[str, str]]) -> None:
    parser = VBA_Parser("vbaProject.bin", data=_members(TEMPLATE)["xl/vbaProject.bin"])
    code = next(c for _f, _s, name, c in parser.extract_macros() if name.startswith("RibbonMyAddin"))
    parser.close()
    assert "ThisWorkbook.Name" in code and '".main()"' in code
    module = importlib.import_module("beregningsutvalget")  # what `import beregningsutvalget` gets
    from kalk_excel.addin.entry import main
    assert module.main is main


def _config(members: dict[str, bytes]) -> list[tuple[str, str | None]]:
    """Rows A:B of the sheet named myaddin.conf from A1 down to the first blank A cell (as the VBA reads)."""
    wb = ET.fromstring(members["xl/workbook.xml"])
    sheet = next(s for s in wb.find(f"{SML}sheets") if s.get("name") == "myaddin.conf")
    rels = ET.fromstring(members["xl/_rels/workbook.xml.rels"])
    target = next(r.get("Target") for r in rels.findall(f"{PKG_REL}Relationship") if r.get("Id") == sheet.get(f"{REL}id"))
    strings = ["".join(t.text or "" for t in si.iter(f"{SML}t"))
               for si in ET.fromstring(members["xl/sharedStrings.xml"]).findall(f"{SML}si")]
    cells: dict[str, str] = {}
    for c in ET.fromstring(members[f"xl/{target}"]).iter(f"{SML}c"):
        v = c.find(f"{SML}v")
        if v is not None:
            cells[c.get("r")] = strings[int(v.text)] if c.get("t") == "s" else v.text
    rows, r = [], 1
    while cells.get(f"A{r}"):
        rows.append((cells[f"A{r}"], cells.get(f"B{r}")))
        r += 1
    return rows


def test_config_sheet_holds_only_keys_with_values(built: Path) -> None:
    rows = _config(_members(built))
    keys = {k.upper(): v for k, v in rows}
    interpreter = ({"INTERPRETER_WIN": PYTHON_WIN} if built.parent.name.startswith("addin0")
                   else {"INTERPRETER_MAC": sys.executable})          # built here, not on Windows
    assert keys == {"ADD_WORKBOOK_TO_PYTHONPATH": "false", **interpreter}
    # the template's empty keys would win over the user's config file (and break `Use UDF Server`)
    assert all(v for _k, v in rows)


def test_config_without_interpreter_keeps_the_default(tmp_path: Path) -> None:
    keys = {k.upper() for k, _v in _config(_members(build_addin(tmp_path, detect=False)))}
    assert keys == {"ADD_WORKBOOK_TO_PYTHONPATH"}  # Interpreter falls back to `python` on PATH


def _vba_code() -> str:
    parser = VBA_Parser("vbaProject.bin", data=_members(TEMPLATE)["xl/vbaProject.bin"])
    try:
        return "\n".join(c or "" for _f, _s, _n, c in parser.extract_macros())
    finally:
        parser.close()


def test_default_build_writes_the_interpreter_it_runs_under(tmp_path: Path) -> None:
    """Built here (not Windows): the macOS key, with this very interpreter; the template's VBA
    reads that key on a Mac."""
    result = CliRunner().invoke(cli, ["addin", "--ut", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rows = dict(_config(_members(tmp_path / "beregningsutvalget.xlam")))
    assert rows == {"ADD_WORKBOOK_TO_PYTHONPATH": "false", "Interpreter_Mac": sys.executable}
    assert f"Interpreter_Mac = {sys.executable}" in result.output
    assert 'GetConfig("INTERPRETER_MAC"' in _vba_code()


def test_windows_build_in_a_conda_environment_writes_the_conda_settings(tmp_path: Path) -> None:
    from kalk_excel.addin.interpreter import conda_settings, current

    base = tmp_path / "miniconda3"
    env = base / "envs" / "kalk"
    (env / "conda-meta").mkdir(parents=True)
    (base / "conda-meta").mkdir()
    assert conda_settings(str(env), {}, windows=False) == (str(base), str(env))
    assert conda_settings(str(base), {}, windows=False) == (str(base), "base")
    assert conda_settings(str(env), {"CONDA_EXE": str(base / "bin" / "conda")}, windows=False) == (str(base), str(env))
    assert conda_settings(str(tmp_path), {}, windows=False) == (None, None)        # a venv: no conda
    win = current(executable=r"C:\Users\ola\miniconda3\envs\kalk\python.exe", prefix=str(env),
                  platform="win32", environ={})
    assert win.win.endswith("python.exe") and win.mac is None and win.conda_env and win.conda_path
    rows = dict(_config(_members(build_addin(tmp_path / "ut", interpreter_win=win.win,
                                             conda_path=win.conda_path, conda_env=win.conda_env))))
    assert rows["Interpreter_Win"] == win.win
    assert (rows["Conda Path"], rows["Conda Env"]) == (win.conda_path, win.conda_env)
    code = _vba_code()                      # the keys as the template's VBA asks for them
    assert 'GetConfig("CONDA PATH")' in code and 'GetConfig("CONDA ENV")' in code


@pytest.mark.parametrize("args", [["--navn", "annet.xlam"], ["--navn", "beregningsutvalget (1).xlam"]])
def test_another_file_name_is_refused_in_norwegian(tmp_path: Path, args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["addin", "--ut", str(tmp_path), *args])
    assert result.exit_code == 2 and f"Tillegget kan ikke hete «{args[1]}»" in result.output
    assert "Korreksjon: Bruk navnet beregningsutvalget.xlam" in result.output
    assert list(tmp_path.iterdir()) == []


def test_ut_may_name_the_file_itself(tmp_path: Path) -> None:
    refused = CliRunner().invoke(cli, ["addin", "--ut", str(tmp_path / "annet.xlam")])
    assert refused.exit_code == 2 and "«annet.xlam»" in refused.output
    ok = CliRunner().invoke(cli, ["addin", "--ut", str(tmp_path / "beregningsutvalget.xlam")])
    assert ok.exit_code == 0 and (tmp_path / "beregningsutvalget.xlam").is_file()
    with pytest.raises(AddinError) as err:
        build_addin(tmp_path, name="Beregningsutvalget.xlam")
    assert err.value.problem.code == "X004"


def test_a_path_in_the_builders_own_user_folder_is_pointed_out(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\ola\AppData\Local")
    typed = r"C:\Users\ola\AppData\Local\Programs\Python\Python311\python.exe"  # cmd expanded %LOCALAPPDATA%
    result = CliRunner().invoke(cli, ["addin", "--ut", str(tmp_path), "--python-win", typed])
    assert result.exit_code == 0 and "ligger i din egen brukermappe" in result.output
    assert "^%LOCALAPPDATA^%" in result.output


def test_cli_builds_the_same_file(tmp_path: Path, built: Path) -> None:
    args = ["--python-win", PYTHON_WIN] if built.parent.name.startswith("addin0") else []
    result = CliRunner().invoke(cli, ["addin", "--ut", str(tmp_path), *args])
    assert result.exit_code == 0, result.output
    assert _members(tmp_path / "beregningsutvalget.xlam") == _members(built)


def test_wrong_xlwings_version_is_a_norwegian_record(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(template.importlib.metadata, "version", lambda _name: "0.30.0")
    with pytest.raises(AddinError) as err:
        build_addin(tmp_path)
    assert err.value.problem.code == "X002" and "0.37.8" in err.value.problem.message
    assert not (tmp_path / "beregningsutvalget.xlam").exists()
    result = CliRunner().invoke(cli, ["addin", "--ut", str(tmp_path)])
    assert result.exit_code == 2 and "versjon 0.30.0" in result.output


def test_cli_refuses_a_file_as_output_folder_in_norwegian(tmp_path: Path) -> None:
    target = tmp_path / "fil.txt"
    target.write_text("x")
    result = CliRunner().invoke(cli, ["addin", "--ut", str(target)])
    assert result.exit_code == 2 and "er ikke en mappe" in result.output
