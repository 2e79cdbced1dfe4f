"""Pipeline tests: `original` is a folder of filled demo submissions for three municipalities
(module scope), `folder` a fresh copy of it per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_pipeline_update import make_submissions


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("innleveringer")
    make_submissions(base / "inn")
    return base


@pytest.fixture
def folder(original: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "inn"
    shutil.copytree(original / "inn", dst)   # copy2 keeps the file times
    return dst
