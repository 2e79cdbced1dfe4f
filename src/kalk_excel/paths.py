"""Where the project's folders are: the repository root and the committee's shared material.

The shared material (the reports and their tables as CSV) lives outside the repository, in a
folder ``shared/`` beside the clone. ``shared_dir()`` finds it from ``KALK_SHARED``, then
``<repo>/../shared``, then ``/work/shared``; it returns None when none exists.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def shared_dir() -> Path | None:
    candidates = []
    if os.environ.get("KALK_SHARED"):
        candidates.append(Path(os.environ["KALK_SHARED"]))
    candidates += [REPO_ROOT.parent / "shared", Path("/work/shared")]
    for candidate in candidates:
        if (candidate / "referansedata").is_dir() or (candidate / "seeds").is_dir():
            return candidate
    return None


def reference_dir(year: int) -> Path | None:
    """``shared/referansedata/<year>`` if present."""
    base = shared_dir()
    path = base / "referansedata" / str(year) if base else None
    return path if path and path.is_dir() else None
