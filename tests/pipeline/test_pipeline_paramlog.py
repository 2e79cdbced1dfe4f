"""reconcile_parameters: the master's Parametre against the year's defaults, with a record.

Expected values are the numbers the tests type themselves (and the YAML's own rows)."""

from __future__ import annotations

import datetime as dt

from kalk_excel.model import load_parameters
from kalk_excel.pipeline.paramlog import changelog_blocks, reconcile_parameters
from kalk_excel.pipeline.state import MasterState

NOW = dt.datetime(2025, 3, 1, 9, 30)
YAML = load_parameters(2024)


def state(values: dict | None = None, sources: dict | None = None, defaults: dict | None = None,
          changelog: list | None = None) -> MasterState:
    """A master as built from the YAML, with the given cells changed."""
    params = {p.id: (list(p.value) if isinstance(p.value, tuple) else p.value) for p in YAML.rows()}
    src = {p.id: p.source for p in YAML.rows()}
    dflt = {p.id: (params[p.id], p.source) for p in YAML.rows()}
    params.update(values or {})
    src.update(sources or {})
    dflt.update(defaults or {})
    return MasterState(2024, [], params, None, 0, sources=src, defaults=dflt, changelog=changelog or [])


def test_untouched_master_uses_the_defaults_and_logs_nothing() -> None:
    done = reconcile_parameters(2024, state(), NOW)
    assert dict(done.params) == dict(YAML)
    assert done.log_rows == [] and done.problems == []


def test_an_edit_is_used_logged_once_and_not_again() -> None:
    old = YAML["kultur_fastsatt"]
    edited = state({"kultur_fastsatt": old + 100}, {"kultur_fastsatt": "Ny kilde"})
    done = reconcile_parameters(2024, edited, NOW)
    assert done.params["kultur_fastsatt"] == old + 100
    assert done.params.meta("kultur_fastsatt").source == "Ny kilde"
    assert [r[1] for r in done.log_rows] == ["kultur_fastsatt"]
    row = done.log_rows[0]
    assert row[0] == NOW and row[3:7] == [old, old + 100, YAML.meta("kultur_fastsatt").source, "Ny kilde"]
    # next run: the log carries the change, nothing new is recorded
    again = state({"kultur_fastsatt": old + 100}, {"kultur_fastsatt": "Ny kilde"}, changelog=done.log_rows)
    assert reconcile_parameters(2024, again, NOW).log_rows == []


def test_changed_yaml_default_is_adopted_when_the_master_followed_it() -> None:
    yaml_value = YAML["eldretilskudd"]
    # the master was built when the default was 1000 lower and still uses that default
    older = state({"eldretilskudd": yaml_value - 1000}, {"eldretilskudd": "gammel kilde"},
                  {"eldretilskudd": (yaml_value - 1000, "gammel kilde")})
    done = reconcile_parameters(2024, older, NOW)
    assert done.params["eldretilskudd"] == yaml_value
    assert [p.code for p in done.problems] == ["P071"]
    assert done.log_rows[0][3:5] == [yaml_value - 1000, yaml_value]


def test_changed_yaml_default_under_an_override_is_said_not_ignored() -> None:
    yaml_value = YAML["eldretilskudd"]
    overridden = state({"eldretilskudd": 5.0}, {"eldretilskudd": "eget vedtak"},
                       {"eldretilskudd": (yaml_value - 1000, "gammel kilde")},
                       changelog=[[NOW, "eldretilskudd", "", yaml_value - 1000, 5.0, "gammel kilde", "eget vedtak", ""]])
    done = reconcile_parameters(2024, overridden, NOW)
    assert done.params["eldretilskudd"] == 5.0
    assert [p.code for p in done.problems] == ["P070"]
    assert "Korreksjon" not in done.problems[0].message and done.problems[0].fix
    assert done.log_rows == []


def test_bad_value_and_missing_source_are_records_and_the_previous_is_used() -> None:
    bad = state({"kultur_fastsatt": "mye"}, {"kultur_fastsatt": ""})
    done = reconcile_parameters(2024, bad, NOW)
    assert sorted(p.code for p in done.problems) == ["P021", "P072"]
    assert done.params["kultur_fastsatt"] == YAML["kultur_fastsatt"]
    assert done.log_rows == []


def test_list_parameter_edits_are_compared_as_kommunenummer() -> None:
    edited = state({"em_ekskludert": list(YAML["em_ekskludert"]) + [1103.0, None]})
    done = reconcile_parameters(2024, edited, NOW)
    assert done.params["em_ekskludert"] == tuple(YAML["em_ekskludert"]) + ("1103",)
    assert done.log_rows[0][4].endswith("1103")


def test_old_log_is_carried_and_new_rows_go_under_it() -> None:
    old = [[NOW, "a", "", 1, 2, "x", "y", ""]] * 3
    carry, new = changelog_blocks(state(changelog=old), [[NOW, "b", "", 1, 2, "x", "y", ""]])
    assert carry[0].top_left == "A5" and len(carry[0].values) == 3
    assert new[0].top_left == "A8"
