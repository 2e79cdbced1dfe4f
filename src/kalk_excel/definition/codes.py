"""Catalogue of the lint codes for form definitions (workbook_templates/<år>/*.yaml).

The loader (structure) and ``lint`` (meaning) raise them as ``LintMessage``; the registry in
``kalk_excel.codes`` joins this with the other families. Described in docs/skjemadefinisjon.md.
"""

from __future__ import annotations

from kalk_excel.codes import CodeInfo, catalogue

CODES = catalogue([
    CodeInfo("L001", "feil", "YAML-syntaks"),
    CodeInfo("L002", "feil", "Ukjent nøkkel"),
    CodeInfo("L003", "feil", "Manglende nøkkel eller feil form"),
    CodeInfo("L004", "feil", "Ugyldig id eller prefiks"),
    CodeInfo("L005", "feil", "Id brukt før (også ved bare store/små bokstaver)"),
    CodeInfo("L006", "feil", "Ukjent felttype, alvorlighet, skjema eller år"),
    CodeInfo("L007", "feil", "Syntaksfeil i uttrykk"),
    CodeInfo("L008", "feil", "Uttrykk viser til ukjent felt"),
    CodeInfo("L009", "feil", "Sirkel blant beregnede felt"),
    CodeInfo("L010", "feil", "Arknavn ugyldig eller ark delt av deler som ikke står etter hverandre"),
    CodeInfo("L011", "feil", "Grenser (min/max)"),
    CodeInfo("L012", "advarsel", "Tekst for lang for Excel"),
    CodeInfo("L013", "feil", "Ukjent plassholder"),
    CodeInfo("L014", "feil", "Valgliste"),
    CodeInfo("L015", "feil", "Versjon, år eller filnavn"),
    CodeInfo("L016", "feil", "Tabellreferanse"),
    CodeInfo("L017", "feil", "Kontroll viser til ukjent felt"),
    CodeInfo("L018", "feil", "Tekst utfylleren ser, inneholder id, identifikator eller uttrykk"),
    CodeInfo("L019", "feil", "«Tomt regnes som 0» (blank_zero) på feil felt eller sammen med «obligatorisk»"),
])
