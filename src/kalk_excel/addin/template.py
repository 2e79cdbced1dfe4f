"""The ribbon add-in template shipped inside the pinned xlwings package
(`xlwings/quickstart_addin_ribbon.xlam`): where it is, and that it is the version we pin."""

from __future__ import annotations

import importlib.metadata
import importlib.util
from pathlib import Path

from .errors import TEMPLATE_MISSING, XLWINGS_VERSION, fail

PINNED_XLWINGS = "0.37.8"
TEMPLATE_NAME = "quickstart_addin_ribbon.xlam"


def xlwings_folder() -> Path:
    """Folder of the installed xlwings package, found without importing it (no Excel needed)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.origin:
        raise fail(TEMPLATE_MISSING, pinned=PINNED_XLWINGS)
    return Path(spec.origin).parent


def template_path() -> Path:
    """Path of the pinned version's ribbon template; errors (as records) if absent or wrong version."""
    version = importlib.metadata.version("xlwings")
    if version != PINNED_XLWINGS:
        raise fail(XLWINGS_VERSION, version=version, pinned=PINNED_XLWINGS)
    path = xlwings_folder() / TEMPLATE_NAME
    if not path.is_file():
        raise fail(TEMPLATE_MISSING, "mal", template=TEMPLATE_NAME, folder=path.parent, pinned=PINNED_XLWINGS)
    return path
