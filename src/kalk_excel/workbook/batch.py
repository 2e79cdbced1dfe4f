"""Generate every survey workbook of a year: one file per survey per municipality, as the
municipality list says. Shared by ``kalk-excel skjema`` and ``build_workbooks.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from ..definition.loader import load_path, template_path
from ..definition.model import Form, Kommune, LintMessage
from .builder import build_workbook, preflight
from .naming import workbook_filename


@dataclass
class FormLoad:
    forms: dict[str, Form] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)      # located lint errors / missing files
    warnings: list[LintMessage] = field(default_factory=list)


def load_forms(year: int, form_ids: list[str], templates_dir: Path | None = None) -> FormLoad:
    """Load and lint the definitions; every problem collected, none raised."""
    result = FormLoad()
    for form_id in form_ids:
        path = template_path(year, form_id, templates_dir)
        if not path.is_file():
            result.errors.append(f"{path}: definisjonen finnes ikke. Korreksjon: legg inn {form_id}.yaml for {year}, "
                                 "eller velg et annet skjema med --skjema.")
            continue
        form, messages = load_path(path)
        result.errors.extend(str(m) for m in messages if m.severity == "feil")
        result.warnings.extend(m for m in messages if m.severity != "feil")
        if form is not None:
            result.forms[form_id] = form
    return result


def planned(kommuner: list[Kommune], form_ids: list[str]) -> list[tuple[str, Kommune]]:
    """(form id, kommune) pairs to generate, in list order."""
    return [(fid, k) for k in kommuner for fid in k.skjema if fid in form_ids]


def build_all(forms: dict[str, Form], kommuner: list[Kommune], outdir: Path, *, password: str,
              deadline: date | str | None = None, contact: str | None = None,
              progress: Callable[[Path], None] | None = None, fingerprint_key: str | None = None) -> list[Path]:
    """Build every planned workbook into ``outdir``; ``progress`` is called after each file."""
    for form in forms.values():
        preflight(form)                    # fail before the first file, not half-way
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for form_id, kommune in planned(kommuner, list(forms)):
        form = forms[form_id]
        path = outdir / workbook_filename(form.year, form.id, kommune.kommunenummer, kommune.navn)
        build_workbook(form, kommune, path, password=password, deadline=deadline,
                       contact=contact, fingerprint_key=fingerprint_key)
        paths.append(path)
        if progress is not None:
            progress(path)
    return paths

