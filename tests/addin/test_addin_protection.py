"""Sheet protection around the add-in's writes: lifted before the first write to a sheet, put
back (with the same options and the password from KALK_EXCEL_PASSORD) after the last one, also
when a write fails; the Windows (COM) and macOS (appscript) calls checked on recording fakes of
those objects, the order on real xlwings objects (remote engine)."""

from __future__ import annotations

import os
from types import SimpleNamespace
from typing import Any

import pytest
from test_addin_remote import SHEETS, _book
from xlwings import mac_dict

from kalk_excel.addin import protection
from kalk_excel.addin.errors import AddinError
from kalk_excel.addin.protection import (
    ALLOW_OPTIONS,
    ComProtector,
    MacProtector,
    ProtectionState,
    UnsupportedProtector,
    protector_for,
)
from kalk_excel.addin.session import ExcelSession
from kalk_excel.addin.writer import write_blocks
from kalk_excel.pipeline.blocks import Block


@pytest.fixture
def pw() -> str:
    return os.environ["KALK_EXCEL_PASSORD"]  # set for every test by conftest.py


class FakeComSheet:
    """The parts of Excel's Worksheet COM object the protector uses."""

    def __init__(self, password: str | None, protected: bool = True, **allow: bool) -> None:
        self.name = "Innrapportert adm"
        self.ProtectContents = protected
        self.ProtectDrawingObjects = True
        self.ProtectScenarios = False
        self.Protection = SimpleNamespace(**{o: allow.get(o, False) for o in ALLOW_OPTIONS})
        self._password = password
        self.calls: list[tuple] = []

    @property
    def api(self) -> "FakeComSheet":
        return self

    def Unprotect(self, Password: str | None = None) -> None:  # noqa: N802,N803
        self.calls.append(("Unprotect", Password))
        if self._password and Password != self._password:
            raise RuntimeError("Passordet du oppga, er feil.")
        self.ProtectContents = False

    def Protect(self, Password: str | None = None, **options: bool) -> None:  # noqa: N802,N803
        self.calls.append(("Protect", Password, options))
        self.ProtectContents = True


def test_com_protector_restores_the_same_options_and_password(pw: str) -> None:
    sheet = FakeComSheet(pw, AllowFormattingCells=True, AllowSorting=True)
    p = ComProtector(pw)
    state = p.unprotect(sheet)
    assert state.protected and not sheet.ProtectContents
    p.protect(sheet, state)
    assert sheet.calls[0] == ("Unprotect", pw)
    name, password, options = sheet.calls[1]
    assert (name, password) == ("Protect", pw)
    assert options["DrawingObjects"] is True and options["Scenarios"] is False and options["Contents"] is True
    assert options["AllowFormattingCells"] is True and options["AllowSorting"] is True
    assert options["AllowDeletingRows"] is False and set(ALLOW_OPTIONS) <= set(options)


def test_com_protector_leaves_an_unprotected_sheet_alone(pw: str) -> None:
    sheet = FakeComSheet(None, protected=False)
    p = ComProtector(pw)
    p.protect(sheet, p.unprotect(sheet))
    assert sheet.calls == []


def test_wrong_password_is_a_norwegian_record(pw: str) -> None:
    with pytest.raises(AddinError) as err:
        ComProtector("feil").unprotect(FakeComSheet(pw))
    assert err.value.problem.code == "X032" and "KALK_EXCEL_PASSORD" in err.value.problem.fix
    assert "«Innrapportert adm»" in err.value.problem.message


# --- macOS: a stand-in that knows only xlwings' AppleScript terminology (mac_dict) ----------------
# A name the protector uses must be in xlwings' own dictionary; properties whose four-letter code
# starts with "CB"/"Cb" belong to command bars, not worksheets (e.g. `protection`, b"CBPt"), and
# command keywords must be parameters of that command there.
_PROPS: dict[str, set[bytes]] = {}
for _name, _code in mac_dict.properties:
    _PROPS.setdefault(_name, set()).add(_code)
_COMMANDS = {name: {p for p, _c in params} for name, _code, params in mac_dict.commands}
_ALLOW = sorted(p for p in _COMMANDS["protect_worksheet"] if p.startswith("allow_"))
_OMITTED = object()


class _Prop:
    def __init__(self, value: Any) -> None:
        self.value = value

    def get(self) -> Any:
        return self.value


class _AppleProtection:
    """The worksheet's Protection object (class Xpot): its allow_* properties."""

    def __init__(self, allowed: set[str]) -> None:
        self.allowed = allowed

    def __getattr__(self, name: str) -> _Prop:
        if name not in _PROPS or name not in _ALLOW:
            raise AttributeError(f"Protection has no AppleScript property {name!r}")
        return _Prop(name in self.allowed)


class AppleScriptSheet:
    """The appscript reference of a worksheet, strict about names (see above)."""

    def __init__(self, password: str | None = None) -> None:
        self.name = "Sporbarhet"
        self.state = {"protect_contents": True, "protect_drawing_objects": False, "protect_scenarios": True}
        self._password = password
        self.calls: list[tuple] = []
        self.prompts = 0

    @property
    def api(self) -> "AppleScriptSheet":
        return self

    def __getattr__(self, name: str) -> Any:
        if name in _COMMANDS:
            return lambda **kw: self._command(name, kw)
        codes = _PROPS.get(name)
        if codes is None:
            raise AttributeError(f"{name!r} is not in xlwings' AppleScript dictionary")
        if any(c[:2].upper() == b"CB" for c in codes):
            raise AttributeError(f"{name!r} is a command bar property, not a worksheet's")
        if name == "protection_object":
            return _AppleProtection({"allow_filtering"})
        if name in self.state:
            return _Prop(self.state[name])
        raise AttributeError(f"the stand-in does not model {name!r}")

    def _command(self, name: str, kw: dict[str, Any]) -> None:
        unknown = set(kw) - _COMMANDS[name]
        if unknown:
            raise TypeError(f"{name} has no parameter(s) {sorted(unknown)} in xlwings' dictionary")
        self.calls.append((name, kw))
        if name == "unprotect":
            given = kw.get("password", _OMITTED)
            if given is _OMITTED and self._password:
                self.prompts += 1            # Excel asks the user; they type it
                given = self._password
            if self._password and given != self._password:
                raise RuntimeError("The password you supplied is not correct.")
            self.state["protect_contents"] = False
        elif name == "protect_worksheet":
            self.state["protect_contents"] = True
            self._password = kw.get("password") or None


def test_mac_protector_round_trip_uses_xlwings_applescript_names(pw: str) -> None:
    sheet = AppleScriptSheet(pw)
    p = MacProtector(pw)
    p.protect(sheet, p.unprotect(sheet))
    assert sheet.calls[0] == ("unprotect", {"password": pw})
    name, kwargs = sheet.calls[1]
    assert name == "protect_worksheet" and kwargs["password"] == pw and kwargs["worksheet_contents"] is True
    assert kwargs["scenarios"] is True and kwargs["drawing_objects"] is False
    assert kwargs["allow_filtering"] is True and kwargs["allow_sorting"] is False
    assert {k for k in kwargs if k.startswith("allow_")} == set(_ALLOW)  # every option put back
    assert sheet._password == pw and sheet.prompts == 0


def test_mac_protector_without_password_does_not_prompt() -> None:
    sheet = AppleScriptSheet("hemmelig")
    with pytest.raises(AddinError) as err:
        MacProtector(None).unprotect(sheet)
    assert err.value.problem.code == "X032" and "er ikke satt" in err.value.problem.message
    assert sheet.prompts == 0 and sheet.state["protect_contents"] and sheet._password == "hemmelig"


class PromptingComSheet(FakeComSheet):
    """Excel's Worksheet.Unprotect: without the Password argument on a sheet with a password, Excel
    shows a prompt (the user types it); Protect without Password protects with none."""

    def __init__(self, password: str | None) -> None:
        super().__init__(password)
        self.prompts = 0

    def Unprotect(self, Password: Any = _OMITTED) -> None:  # noqa: N802,N803
        self.calls.append(("Unprotect", Password))
        if Password is _OMITTED and self._password:
            self.prompts += 1
            Password = self._password
        if self._password and Password != self._password:
            raise RuntimeError("Passordet du oppga, er feil.")
        self.ProtectContents = False

    def Protect(self, Password: str | None = None, **options: bool) -> None:  # noqa: N802,N803
        super().Protect(Password, **options)
        self._password = Password or None


def test_com_protector_without_password_refuses_instead_of_prompting() -> None:
    sheet = PromptingComSheet("hemmelig")
    with pytest.raises(AddinError) as err:
        ComProtector(None).unprotect(sheet)
    assert err.value.problem.code == "X032" and "KALK_EXCEL_PASSORD er ikke satt" in err.value.problem.message
    assert sheet.prompts == 0 and sheet.ProtectContents and sheet._password == "hemmelig"


def test_com_protector_without_password_handles_a_sheet_without_one() -> None:
    sheet = PromptingComSheet(None)
    p = ComProtector(None)
    p.protect(sheet, p.unprotect(sheet))
    assert sheet.prompts == 0 and sheet.calls[0] == ("Unprotect", "") and sheet.ProtectContents


def test_protector_is_chosen_by_engine_and_platform(monkeypatch: pytest.MonkeyPatch, pw: str) -> None:
    book = SimpleNamespace(app=SimpleNamespace(engine=SimpleNamespace(name="excel")))
    monkeypatch.setattr(protection.sys, "platform", "win32")
    p = protector_for(book, protection.password())
    assert isinstance(p, ComProtector) and p.password == pw  # from KALK_EXCEL_PASSORD
    monkeypatch.setattr(protection.sys, "platform", "darwin")
    assert isinstance(protector_for(book, None), MacProtector)
    book.app.engine.name = "remote"
    assert isinstance(protector_for(book, None), UnsupportedProtector)
    monkeypatch.delenv("KALK_EXCEL_PASSORD")
    assert protection.password() is None


class RecordingProtector:
    supported = True

    def __init__(self, events: list[tuple[str, str]]) -> None:
        self.events = events

    def unprotect(self, sheet: Any) -> ProtectionState:
        self.events.append(("unprotect", sheet.name))
        return ProtectionState(True, {})

    def protect(self, sheet: Any, state: ProtectionState) -> None:
        assert state.protected
        self.events.append(("protect", sheet.name))


def _recording_book(xw: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, refuse: str | None = None):
    book, _ = _book(xw, tmp_path)
    events: list[tuple[str, str]] = []
    record = book.impl.append_json_action

    def spy(**kwargs: Any) -> None:
        if kwargs.get("func") == "setValues":
            sheet = SHEETS[kwargs["sheet_position"]]
            if sheet == refuse:
                raise RuntimeError("nektet")
            events.append(("write", sheet))
        record(**kwargs)

    monkeypatch.setattr(book.impl, "append_json_action", spy)
    return book, events


BLOCKS = [Block("Innrapportert adm", "A6", [[1, 2]]), Block("Sporbarhet", "A2", [[3]]),
          Block("Innrapportert adm", "A9", [[4]])]


def _check_order(events: list[tuple[str, str]]) -> None:
    for sheet in {s for _e, s in events}:
        idx = [i for i, e in enumerate(events) if e[1] == sheet]
        kinds = [events[i][0] for i in idx]
        assert kinds[0] == "unprotect" and kinds[-1] == "protect", (sheet, kinds)
        assert kinds.count("unprotect") == kinds.count("protect") == 1


def test_sheets_are_unprotected_around_their_writes(xw: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    book, events = _recording_book(xw, tmp_path, monkeypatch)
    result = write_blocks(ExcelSession(book), BLOCKS, RecordingProtector(events))
    assert (result.blocks, result.cells) == (3, 4)
    assert [e for e in events if e[0] == "write"] == [("write", "Innrapportert adm"), ("write", "Sporbarhet"),
                                                     ("write", "Innrapportert adm")]
    _check_order(events)


def test_protection_is_put_back_after_a_failed_write_and_its_restore(xw: Any, tmp_path: Any,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    book, events = _recording_book(xw, tmp_path, monkeypatch, refuse="Sporbarhet")
    with pytest.raises(AddinError) as err:
        write_blocks(ExcelSession(book), BLOCKS, RecordingProtector(events))
    assert err.value.problem.code == "X033"
    writes = [e for e in events if e[0] == "write"]
    assert writes == [("write", "Innrapportert adm"), ("write", "Innrapportert adm")]  # the write, then its restore
    _check_order(events)
    assert events[-2:] == [("protect", "Innrapportert adm"), ("protect", "Sporbarhet")]
