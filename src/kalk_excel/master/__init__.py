"""The master workbook: submissions in, the 2024 method in Excel formulas, results and checks out.

Public API: ``build_master(year, path, kommuner=None, forms=None, params=None)``; the fixed
layout the pull writes into is in ``layout``; ``readback.read_results`` reads named results
from a recalculated copy.
"""

from ..model.parameters import ParameterError
from .builder import build_master
from .fields import FieldError
from .inputs import MasterInputError

__all__ = ["FieldError", "MasterInputError", "ParameterError", "build_master"]
