"""The Python reference model of the calculation method (docs/beregning.md), in pandas.

Public API: ``compute(adm, norsk, params) -> ModelResult``, ``load_parameters(year, path=None)``,
``AREAS`` (area keys -> vedlegg 5 labels). Pure functions; no Excel.
"""

from .parameters import ParameterError, Parameters, load_parameters
from .per_kommune import AREAS
from .result import ModelResult, compute

__all__ = ["AREAS", "ModelResult", "ParameterError", "Parameters", "compute", "load_parameters"]
