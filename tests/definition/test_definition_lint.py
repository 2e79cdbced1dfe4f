"""The definition linter: a broken definition gives located, coded messages, never a traceback."""

from pathlib import Path

import pytest

from kalk_excel.definition import DefinitionError, load_form, load_path
from kalk_excel.definition.evaluate import compute, missing_required, run_checks

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "definitions"
GOOD = FIXTURES / "2024" / "adm.yaml"


def _broken(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = GOOD.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "2024" / "adm.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_fixture_definition_is_clean() -> None:
    form, messages = load_path(GOOD)
    assert form is not None and messages == []
    assert form.period.text == "1.1.2020–31.12.2024"


@pytest.mark.parametrize("old, new, code", [
    ("mg_avvik == 0", "mg_avvk == 0", "L008"),
    ("type: ja_nei", "type: janei", "L006"),
    ('sheet: "3 Sosial"', 'sheet: "3 Sosial: rådgivning"', "L010"),
    ("    prefix: mg\n", "    prefx: mg\n", "L002"),
    ("id: mg_antall_3112", "id: mg_antall_0101", "L005"),
    ("id: mg_antall_3112", "id: MG_antall_3112", "L004"),
    ("mg_avvik == 0", "mg_avvik == = 0", "L007"),
    ("Antall per 1.1.{aar}", "Antall per 1.1.{aaar}", "L013"),
    ('version: "2024.1"', 'version: "v1"', "L015"),
    ("field: mg_avvik", "field: mg_avvikk", "L017"),
    ("herav: {mg: samlet}", "herav: {mg: total}", "L016"),
    ('calculate: "{brutto} - {inntekt}"', 'calculate: "{brutto} - {netto}"', "L009"),
    ("type: ja_nei, required: true}", "type: ja_nei, required: true, min: 5, max: 1}", None),
    ('label: "Antall per 1.1.{aar}"', 'label: "Antall per 1.1.{aar} (mg_antall_3112)"', "L018"),
    ('message: "Avviket', 'message: "mg_avvik == 0: Avviket', "L018"),
    ("type: ja_nei, required: true}", "type: ja_nei, required: true, blank_zero: true}", "L019"),
])
def test_each_lint_rule_is_located(tmp_path: Path, old: str, new: str, code: str | None) -> None:
    path = _broken(tmp_path, (old, new))
    form, messages = load_path(path)
    if code is None:  # bounds on a non-numeric type are ignored, not an error
        assert form is not None
        return
    assert form is None
    hits = [m for m in messages if m.code == code]
    assert hits, [str(m) for m in messages]
    assert all(m.location.line for m in hits)
    assert str(hits[0]).startswith(f"{path}:{hits[0].location.line}: {code} ")
    assert "Korreksjon:" in str(hits[0])


def test_yaml_syntax_error_is_a_message(tmp_path: Path) -> None:
    path = _broken(tmp_path, ("parts:\n", "parts: [\n"))
    form, messages = load_path(path)
    assert form is None and messages[0].code == "L001" and messages[0].location.line


def test_load_form_raises_with_all_messages(tmp_path: Path) -> None:
    _broken(tmp_path, ("mg_avvik == 0", "mg_avvk == 0"), ("type: ja_nei", "type: janei"))
    with pytest.raises(DefinitionError) as exc:
        load_form(2024, "adm", templates_dir=tmp_path)
    assert sorted(m.code for m in exc.value.messages) == ["L006", "L008"]


def test_rule_engine_on_the_fixture() -> None:
    form, _ = load_path(GOOD)
    values = compute(form, {"mg_antall_0101": 100, "mg_forstegangsbosatt": 20, "mg_innflyttet": 5,
                            "mg_utflyttet": 3, "mg_antall_3112": 122, "sos_eksakt": "nei", "sos_andel": 10,
                            "sos_lonn_samlet": 1000, "sos_andre_samlet": 500, "sos_inntekt_samlet": 300})
    assert values["mg_avvik"] == 100 + 20 + 5 - 3 - 122
    # (1000 + 500 - 300) * 10 % = 120, by hand
    assert values["sos_utgift_mg"] == pytest.approx(120)
    failed = {r.check.id for r in run_checks(form, values) if r.relevant and r.passed is False}
    assert failed == set()
    assert "sos_andel" not in missing_required(form, values)
    values["sos_andel"] = None
    assert "sos_andel" in missing_required(form, values)
    values["sos_eksakt"] = "ja"
    assert "sos_andel" not in missing_required(form, values)  # routed away by 3.2
