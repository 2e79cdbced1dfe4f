"""Form definitions: the one declarative source of truth per survey and year.

Public API: ``load_form(year, form_id)``, ``load_path(path)``, the dataclasses in ``model``,
the expression language in ``expr`` and the rule engine in ``evaluate``.
"""

from .loader import available_years, load_form, load_path, template_path
from .model import Check, DefinitionError, Field, Form, LintMessage, Part

__all__ = ["Check", "DefinitionError", "Field", "Form", "LintMessage", "Part", "available_years",
           "load_form", "load_path", "template_path"]
