"""Catalogue of the codes for the parameter file (workbook_templates/<år>/parametre.yaml),
raised by ``kalk_excel.model.parameters.load_parameters``. Described in docs/beregning.md."""

from __future__ import annotations

from kalk_excel.codes import CodeInfo, catalogue

CODES = catalogue([
    CodeInfo("P001", "feil", "YAML-feil i parameterfila"),
    CodeInfo("P002", "feil", "Parameterfila har feil form eller feil år"),
    CodeInfo("P003", "feil", "En parameter er ikke en tabell"),
    CodeInfo("P004", "feil", "En parameter mangler nøkler"),
    CodeInfo("P005", "feil", "Verdien til en parameter har feil type"),
    CodeInfo("P006", "feil", "Parameter oppgitt to ganger"),
    CodeInfo("P007", "feil", "Parameter som beregningen trenger, mangler"),
])
