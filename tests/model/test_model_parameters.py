"""Parameter file: the 2024 file loads and matches the report's tables; bad files give records."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kalk_excel.model.parameters import ParameterError, load_parameters, required_ids

REF = Path("/work/shared/referansedata/2024")


def _csv(name: str) -> list[dict[str, str]]:
    if not REF.exists():
        pytest.skip("/work/shared/referansedata/2024 finnes ikke på denne maskinen")
    with open(REF / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_2024_file_has_every_required_id_and_metadata() -> None:
    p = load_parameters(2024)
    for pid in required_ids(2024):
        assert pid in p
        meta = p.meta(pid)
        assert meta.label and meta.unit and meta.source and meta.group
    assert p["em_ekskludert"] == ("0301",)
    assert p["deflator_2024"] == 0.052


def test_2024_rates_equal_tabell_14_15() -> None:
    rows = {(r["kategori"], r["ar_etter_bosetting"]): float(r["sats_2024"]) for r in _csv("tabell14_16_satser.csv")}
    p = load_parameters(2024)
    assert p["tilskudd_ar1_enslige_voksne"] == rows[("enslige voksne", "1")]
    assert p["tilskudd_ar1_em"] == rows[("enslige mindreårige", "1")]
    assert p["tilskudd_ar1_andre"] == rows[("andre (voksne og barn)", "1")]
    for year in range(2, 6):
        assert p[f"tilskudd_ar{year}"] == rows[("alle", str(year))]
    assert p["eldretilskudd"] == rows[("eldretilskudd per person over 60 år", "engang")]
    assert p["barnehagetilskudd"] == rows[("barnehagetilskudd per barn 0-5 år", "engang")]


def test_2024_cohorts_equal_tabell_6_7() -> None:
    rows = {r["bosettingsar"]: r for r in _csv("tabell6_7_sosialhjelp_intro_per_kull.csv")}
    p = load_parameters(2024)
    for kull in range(1, 6):
        year = str(2025 - kull)  # kull 1 = settled 2024
        assert p[f"sosialhjelp_kull_{kull}"] == float(rows[year]["sosialhjelp_2024"])
        assert p[f"introstonad_kull_{kull}"] == float(rows[year]["introduksjonsstonad_2024"])


def test_2024_imdi_counts_equal_tabell_13() -> None:
    rows = {r["storrelse"]: float(r["verdi_2024"]) for r in _csv("tabell13_malgruppe.csv")}
    p = load_parameters(2024)
    assert p["imdi_forstegang_familier"] == rows["- hvorav personer i familier"]
    assert p["imdi_forstegang_enslige_voksne"] == rows["- hvorav enslige voksne"]
    assert p["imdi_forstegang_em"] == rows["- hvorav enslige mindreårige"]


def test_helse_and_kultur_are_last_years_published_amounts_and_the_reports_fixed_2024_figures() -> None:
    """2023 from the report (tabell 1 helse, vedlegg 6 kultur); 2024's chain 2023 × (1 + 5.2 %) gives
    42 937 and 1 729, not the printed 42 978 and 1 715, so those are fixed amounts marked as such."""
    t1 = {r["storrelse"]: r for r in _csv("tabell1_til_5_resultater.csv")}
    v5 = {r["utgiftsomrade"]: r for r in _csv("vedlegg5_6_utgiftsomrade.csv")}
    p = load_parameters(2024)
    assert p["kultur_fjorar"] == float(v5["Kultur- og ungdomstiltak"]["snitt_2023"])
    assert p["kultur_fastsatt"] == float(v5["Kultur- og ungdomstiltak"]["snitt_2024"])
    assert p["helse_fastsatt"] == float(t1["Utgifter til helsetjenester"]["verdi_2024"])
    assert p["helse_fjorar"] == float(t1["Utgifter til helsetjenester"]["verdi_2023"])
    for pid in ("helse", "kultur"):
        assert round(p[f"{pid}_fjorar"] * (1 + p["deflator_2024"])) != p[f"{pid}_fastsatt"]
        assert p.meta(f"{pid}_fastsatt").source.startswith("FAST BELØP")
    assert not any(pid.startswith("deflator_") and pid != "deflator_2024" for pid in p)
    assert "helse_basis_1997" not in p


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "parametre.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def _full_body(extra: str = "", drop: str | None = None, year: int = 2024) -> str:
    lines = [f"year: {year}", "parameters:"]
    for pid in required_ids(2024):
        if pid == drop:
            continue
        value = '["0301"]' if pid == "em_ekskludert" else "1"
        lines.append(f"  - {{id: {pid}, label: x, value: {value}, unit: kr, source: test, group: metode}}")
    return "\n".join(lines) + "\n" + extra


def test_minimal_valid_file_loads(tmp_path: Path) -> None:
    p = load_parameters(2024, _write(tmp_path, _full_body()))
    assert p["tilskudd_ar2"] == 1.0
    assert p.with_values(tilskudd_ar2=5)["tilskudd_ar2"] == 5


def test_problems_are_records_naming_id_and_line(tmp_path: Path) -> None:
    extra = ("  - {id: tilskudd_ar2, label: x, value: 2, unit: kr, source: s, group: g}\n"
             "  - {id: kapitalslit_ny, label: x, value: 'to prosent', unit: andel, source: s, group: g}\n")
    path = _write(tmp_path, _full_body(extra=extra, drop="swaprente_5aar"))
    with pytest.raises(ParameterError) as info:
        load_parameters(2024, path)
    problems = info.value.problems
    codes = sorted(p.code for p in problems)
    assert codes == ["P005", "P006", "P007"]
    dup = next(p for p in problems if p.code == "P006")
    n_lines = len(required_ids(2024)) - 1  # header lines 1-2, then one line per parameter
    assert dup.field == "tilskudd_ar2" and f"parametre.yaml:{n_lines + 3}" in dup.message
    assert "to ganger" in dup.message
    assert any(p.field == "swaprente_5aar" and "mangler" in p.message for p in problems)
    assert all(p.severity == "feil" and p.fix for p in problems)


def test_wrong_year_bad_yaml_and_bad_exclusion_list(tmp_path: Path) -> None:
    with pytest.raises(ParameterError) as info:
        load_parameters(2024, _write(tmp_path, _full_body(year=2023)))
    assert [p.code for p in info.value.problems] == ["P002"]
    with pytest.raises(ParameterError) as info:
        load_parameters(2024, _write(tmp_path, "year: 2024\nparameters: [\n"))
    assert info.value.problems[0].code == "P001"
    body = _full_body().replace('["0301"]', "[301]")
    with pytest.raises(ParameterError) as info:
        load_parameters(2024, _write(tmp_path, body))
    assert [p.field for p in info.value.problems] == ["em_ekskludert", "em_ekskludert"]
