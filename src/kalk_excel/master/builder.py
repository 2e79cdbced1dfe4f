"""Build the master workbook: sheets in order, workbook-scope names, calculation on open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.properties import CalcProperties

from ..model.parameters import Parameters
from ..model.prognosis import COMPONENTS
from . import params as params_mod
from . import (
    sheet_calc,
    sheet_changelog,
    sheet_checks,
    sheet_corrections,
    sheet_fjorar,
    sheet_historikk,
    sheet_info,
    sheet_inputs,
    sheet_kommuner,
    sheet_params,
    sheet_perkommune,
    sheet_prognose,
    sheet_registerdata,
    sheet_results,
    sheet_skjemaberegning,
)
from .inputs import MasterInputError, expected_forms, field_columns, kommune_pairs, kommune_records
from .layout import (
    FORMS,
    SHEET_CALC,
    SHEET_CHANGELOG,
    SHEET_CHECKS,
    SHEET_CORRECTIONS,
    SHEET_FORMCALC,
    SHEET_HISTORY,
    SHEET_INPUT,
    SHEET_KOMMUNER,
    SHEET_LASTYEAR,
    SHEET_ORDER,
    SHEET_PARAMS,
    SHEET_PER_KOMMUNE,
    SHEET_PROGNOSE,
    SHEET_README,
    SHEET_REGISTER,
    SHEET_RESULTS,
    SHEET_SETUP,
    SHEET_STATUS,
    SHEET_TRACE,
)
from .refs import Refs


def build_master(year: int, path: str | Path, kommuner: Any = None, forms: Any = None,
                 params: Parameters | None = None, changelog: Any = None, definitions: Any = None,
                 registerdata: Any = None) -> Path:
    """Write the master workbook for ``year`` to ``path``; return the path.

    ``kommuner``: expected municipalities (None = the year's list); ``forms``: mapping form id ->
    definition ``Form`` (None = the year's definitions); ``params``: parameters (None = the
    year's parametre.yaml; their defaults, shown beside them on Parametre, are always the year's
    parametre.yaml); ``changelog``: rows of *Endringslogg* carried from an earlier master;
    ``definitions``: the user's definitions folder (``kalk_excel.paths``; None = built in);
    ``registerdata``: kommunenummer -> {field: value} for *Registerdata* (None = empty). Raises
    ``ParameterError``/``MasterInputError``/``FieldError`` with
    Norwegian messages for bad input.
    """
    shown = params_mod.load(year, params, definitions)
    items, defaults = shown.rows, shown.defaults
    pairs = kommune_pairs(year, kommuner, definitions)
    expected = expected_forms(year, kommuner, definitions)
    fields = field_columns(year, forms, definitions)
    refs = Refs.build(len(pairs), fields)

    wb = Workbook()
    wb.remove(wb.active)
    ws = {name: wb.create_sheet(name) for name in SHEET_ORDER}
    names: dict[str, str] = {}
    sheet_info.build_readme(ws[SHEET_README], year)
    names.update(sheet_info.build_setup(ws[SHEET_SETUP], year))
    names.update(sheet_params.build(ws[SHEET_PARAMS], items, defaults))
    names.update(sheet_fjorar.build(ws[SHEET_LASTYEAR], year, pairs))
    names.update(sheet_corrections.build(ws[SHEET_CORRECTIONS]))
    records = kommune_records(year, kommuner, definitions)
    names.update(sheet_registerdata.build(ws[SHEET_REGISTER], pairs, records, registerdata))
    for form_id in FORMS:
        sheet_inputs.build(ws[SHEET_INPUT[form_id]], form_id, pairs, refs, expected)
        sheet_skjemaberegning.build(ws[SHEET_FORMCALC[form_id]], form_id, refs)
    sheet_perkommune.build(ws[SHEET_PER_KOMMUNE], refs)
    names.update(sheet_calc.build(ws[SHEET_CALC], refs, year))
    area_first, _ = sheet_calc.area_rows(refs, year)
    names.update(sheet_results.build(ws[SHEET_RESULTS], refs, area_first))
    names.update(sheet_results.coverage_block(ws[SHEET_RESULTS], ws[SHEET_RESULTS].max_row + 2))
    sheet_results.print_area(ws[SHEET_RESULTS])        # after every block on the sheet
    names.update(sheet_prognose.build(ws[SHEET_PROGNOSE], year, refs))
    history_names, history_first, history_last = sheet_historikk.build(
        ws[SHEET_HISTORY], year, sheet_historikk.load_history(year, definitions))
    names.update(history_names)
    sheet_prognose.add_charts(ws[SHEET_PROGNOSE], ws[SHEET_HISTORY], history_first, history_last,
                              {k: sheet_historikk.column_of(k) for k in ("utgift", "p1", "p2", "p3", *COMPONENTS)})
    names.update(sheet_checks.build(ws[SHEET_CHECKS], refs, ws[SHEET_CALC].max_row,
                                    ws[SHEET_RESULTS].max_row))
    sheet_info.build_status(ws[SHEET_STATUS], 2 * len(pairs))
    sheet_info.build_trace(ws[SHEET_TRACE])
    sheet_changelog.build(ws[SHEET_CHANGELOG], changelog or ())
    sheet_kommuner.build(ws[SHEET_KOMMUNER], records)
    for name, ref in refs.column_names().items():   # the formulas use these: a clash would be a wrong number
        if name in names:
            raise MasterInputError(f"Navnet «{name}» brukes både av en kolonne på «Innrapportert» eller "
                                   "«Skjemaberegning» og av en parameter eller et resultat. Korreksjon: gi "
                                   "parameteren eller feltet en annen id.")
        names[name] = ref
    for name, ref in names.items():
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    wb.calculation = CalcProperties(fullCalcOnLoad=True)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path

