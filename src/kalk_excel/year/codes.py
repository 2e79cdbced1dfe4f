"""Catalogue of the codes of `kalk-excel nytt-aar` (setting up next year), described in
docs/aarssyklus.md."""

from __future__ import annotations

from kalk_excel.codes import CodeInfo, Text, catalogue

CODES = catalogue([
    CodeInfo("Y004", "advarsel", "Fjorårets resultater kunne ikke regnes fra masteren",
             Text("Fjorårets resultater kunne ikke regnes fra masteren ({error}); «Fjorår» i den nye masteren er tom.",
                  "Kjør «kalk-excel beregn» på fjorårets master først, eller fyll inn «Fjorår» for hånd.")),
])
