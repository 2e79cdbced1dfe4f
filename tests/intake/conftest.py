"""Intake tests: a fixture form definition (`defs_dir`, `form`, `settings`), a `maker` that builds and
fills survey workbooks for it (templates cached for the session) and the hostile `corpus`."""

from __future__ import annotations

from pathlib import Path

import pytest
from intake_helpers import EXTRA_CHECKS, FIXTURE, Maker, build_corpus

from kalk_excel.definition import load_form
from kalk_excel.definition.model import Form
from kalk_excel.intake import Settings


@pytest.fixture(scope="session")
def defs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("defs")
    (root / "2024").mkdir()
    (root / "2024" / "adm.yaml").write_text(FIXTURE.read_text(encoding="utf-8").rstrip("\n") + "\n" + EXTRA_CHECKS,
                                            encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def form(defs_dir: Path) -> Form:
    return load_form(2024, "adm", defs_dir)


@pytest.fixture(scope="session")
def settings(defs_dir: Path) -> Settings:
    return Settings(templates_dir=defs_dir, workers=1)


@pytest.fixture(scope="session")
def maker(form: Form, tmp_path_factory: pytest.TempPathFactory) -> Maker:
    return Maker(form, tmp_path_factory.mktemp("maker"))


@pytest.fixture(scope="session")
def corpus(maker: Maker, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("corpus") / "mottatt"
    return folder, build_corpus(maker, folder)
