"""Procedures declared in a VBA project (`vbaProject.bin`), listed with oletools' olevba.

Used by the build as a self-check that the ribbon's `onAction` names an existing, callable
procedure. oletools is a test dependency: without it the check is skipped (and logged).
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

_DECL = re.compile(r"^[ \t]*(?:(Public|Private|Friend)[ \t]+)?(?:Static[ \t]+)?(?:Sub|Function)[ \t]+(\w+)[ \t]*\(",
                   re.I | re.M)


def public_procedures(vba_bin: bytes) -> set[str] | None:
    """`Module.Procedure` for every non-private Sub/Function, or None without oletools."""
    try:
        from oletools.olevba import VBA_Parser
    except ImportError:
        log.info("oletools er ikke installert: hopper over kontrollen av VBA-prosedyrer")
        return None
    parser = VBA_Parser("vbaProject.bin", data=vba_bin)
    try:
        found: set[str] = set()
        for _file, _stream, vba_filename, code in parser.extract_macros():
            module = vba_filename.rsplit(".", 1)[0]
            for scope, name in _DECL.findall(code or ""):
                if scope.lower() != "private":
                    found.add(f"{module}.{name}")
        return found
    finally:
        parser.close()
