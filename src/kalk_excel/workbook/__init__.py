"""Survey workbook generator: one locked, self-checking xlsx per municipality and survey, plus
``fill_workbook`` (write values through the defined names) and the ``_meta`` readers.

Public API: ``build_workbook``, ``build_all`` / ``load_forms`` (a year's batch), ``fill_workbook``,
``read_field_map``, ``read_meta``, ``read_field_table``, ``template_arguments`` (rebuild the
template a file came from), ``fingerprint``, ``normalise_formula``, ``workbook_filename``, ``slug``,
``FillError``, ``WorkbookBuildError``.
"""

from .batch import build_all, load_forms
from .builder import WorkbookBuildError, build_workbook
from .fill import FillError, fill_workbook
from .fingerprint import fingerprint, normalise_formula
from .metadata import read_field_map, read_field_table, read_meta, template_arguments
from .naming import slug, workbook_filename

__all__ = ["FillError", "WorkbookBuildError", "build_all", "build_workbook", "fill_workbook", "fingerprint",
           "load_forms", "normalise_formula", "read_field_map", "read_field_table", "read_meta", "slug",
           "template_arguments", "workbook_filename"]
