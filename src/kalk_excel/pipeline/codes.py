"""Catalogue of the codes of `kalk-excel beregn` and the Excel button: pull of the accepted
submissions, the master's own sheets (Parametre, Utelatt, Fjorår, Registerdata, Korreksjoner) and the check
against the reference model. Described in docs/master.md and docs/sporbarhet.md."""

from __future__ import annotations

from kalk_excel.codes import CodeInfo, catalogue

CODES = catalogue([
    # pull (pipeline/pull.py)
    CodeInfo("P010", "advarsel", "Innlevering fra kommune som ikke er i kommunelisten"),
    CodeInfo("P011", "advarsel", "To innleveringer for samme kommune og skjema"),
    # the Parametre sheet against parametre.yaml (pipeline/paramlog.py)
    CodeInfo("P020", "info", "Parameter på arket Parametre som ikke finnes i parametre.yaml"),
    CodeInfo("P021", "feil", "Parameterverdi på arket Parametre er ikke et tall"),
    CodeInfo("P070", "advarsel", "Ny standardverdi i parametre.yaml, masteren har sin egen verdi"),
    CodeInfo("P071", "info", "Ny standardverdi i parametre.yaml tatt i bruk"),
    CodeInfo("P072", "feil", "Parameter på arket Parametre mangler kilde"),
    # the reference model (pipeline/update.py)
    CodeInfo("P030", "feil", "Referansemodellen kunne ikke regne"),
    # exclusions (Utelatt) and last year (Fjorår) (pipeline/update.py)
    CodeInfo("P040", "feil", "Utelatt: ukjent kommunenummer"),
    CodeInfo("P041", "feil", "Utelatt: ukjent skjema"),
    CodeInfo("P042", "feil", "Utelatt: begrunnelse mangler"),
    CodeInfo("P043", "info", "Utelatt: kommunen skal ikke levere dette skjemaet"),
    CodeInfo("P044", "info", "Utelatt: samme kommune og skjema to ganger"),
    CodeInfo("P045", "advarsel", "Utelatt: rad fra gammel tabell har ikke plass"),
    CodeInfo("P046", "info", "Utelatt: ingen godkjent innlevering nå"),
    CodeInfo("P047", "advarsel", "Fjorår: verdi uten plass i den nye masteren"),
    # register data (Registerdata) from a CSV file (pipeline/registerdata.py)
    CodeInfo("P050", "feil", "Registerdata: CSV-filen kan ikke leses"),
    CodeInfo("P051", "feil", "Registerdata: kolonne mangler i CSV-filen"),
    CodeInfo("P052", "feil", "Registerdata: ukjent kommunenummer"),
    CodeInfo("P053", "feil", "Registerdata: beløpet er ikke et tall"),
    CodeInfo("P054", "feil", "Registerdata: samme kommune to ganger"),
    # corrections (Korreksjoner) (pipeline/corrections.py)
    CodeInfo("P080", "feil", "Korreksjon: ukjent kommunenummer"),
    CodeInfo("P081", "feil", "Korreksjon: ukjent skjema"),
    CodeInfo("P082", "feil", "Korreksjon: ukjent felt"),
    CodeInfo("P083", "feil", "Korreksjon: beregnet felt"),
    CodeInfo("P084", "feil", "Korreksjon: begrunnelse mangler"),
    CodeInfo("P085", "feil", "Korreksjon: ny verdi mangler eller kan ikke brukes"),
    CodeInfo("P086", "info", "Korreksjon: samme felt rettet igjen, den siste gjelder"),
    CodeInfo("P087", "advarsel", "Korreksjon venter på godkjent innlevering"),
    CodeInfo("P088", None, "Kontroll feiler etter korreksjonene"),
    CodeInfo("P089", "advarsel", "Korreksjonsrad uten plass i den nye masteren"),
])
