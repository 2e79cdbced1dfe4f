"""Catalogue of the codes of `kalk-excel beregn` and the Excel button: pull of the accepted
submissions, the master's own sheets (Parametre, Utelatt, Fjorår, Registerdata, Korreksjoner) and the check
against the reference model, with their messages (``kalk_excel.codes.problem`` fills them).
Described in docs/master.md and docs/sporbarhet.md. The corrections' P080-P085 name the finding
only; ``pipeline.corrections`` puts the sheet and row before it and ``ROW_NOT_USED`` after it."""

from __future__ import annotations

from kalk_excel.codes import CodeInfo, Text, catalogue

ROW_NOT_USED = "Raden er ikke brukt."

CODES = catalogue([
    # pull (pipeline/pull.py)
    CodeInfo("P010", "advarsel", "Innlevering fra kommune som ikke er i kommunelisten",
             Text("Innleveringen fra kommune {nr} ({form_id}) er ikke i kommunelisten og er ikke hentet inn.",
                  "Sjekk kommunelisten for året eller om filen tilhører en annen kartlegging.")),
    CodeInfo("P011", "advarsel", "To innleveringer for samme kommune og skjema",
             Text("To innleveringer fra kommune {nr} ({form_id}); den siste er brukt.", "Fjern den gamle filen fra mappen.")),
    # the Parametre sheet against parametre.yaml (pipeline/paramlog.py)
    CodeInfo("P020", "info", "Parameter på arket Parametre som ikke finnes i parametre.yaml",
             Text("Parameteren {field} på arket {sheet} finnes ikke i parametre.yaml for {year} og brukes ikke.",
                  "Fjern raden eller legg parameteren inn i parametre.yaml.")),
    CodeInfo("P021", "feil", "Parameterverdi på arket Parametre er ikke et tall",
             Text("Parameteren {field} («{label}») på arket {sheet} er ikke et tall ({value!r}); forrige verdi "
                  "({previous}) er brukt.", "Skriv et tall i kolonne C.")),
    CodeInfo("P070", "advarsel", "Ny standardverdi i parametre.yaml, masteren har sin egen verdi",
             Text("Standardverdien for {field} («{label}») er endret i parametre.yaml fra {old} til {new} («{new_source}»), "
                  "men masteren har sin egen verdi {own} («{own_source}»), som brukes.",
                  "Vurder verdien på arket Parametre: behold den, eller skriv inn den nye standardverdien med kilde.")),
    CodeInfo("P071", "info", "Ny standardverdi i parametre.yaml tatt i bruk",
             Text("Standardverdien for {field} («{label}») er endret i parametre.yaml fra {old} («{old_source}») til "
                  "{new} («{new_source}»); masteren brukte standardverdien og bruker nå den nye.",
                  "Ingen handling nødvendig; endringen står i Endringslogg.")),
    CodeInfo("P072", "feil", "Parameter på arket Parametre mangler kilde",
             Text("Parameteren {field} («{label}») på arket {sheet} har ingen kilde; forrige kilde («{previous}») er brukt.",
                  "Skriv hvor verdien er hentet fra i kolonne E.")),
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
    CodeInfo("P050", "feil", "Registerdata: CSV-filen kan ikke leses",
             Text("Registerdatafilen {file} kan ikke leses ({error}).", "Oppgi en CSV-fil i UTF-8 med --registerdata.")),
    CodeInfo("P051", "feil", "Registerdata: kolonne mangler i CSV-filen",
             Text("Registerdatafilen {file} mangler kolonnen {missing}.",
                  "Første linje skal ha kolonnene {required} (og gjerne kilde).")),
    CodeInfo("P052", "feil", "Registerdata: ukjent kommunenummer",
             Text("{where}: kommunenummer «{value}» er ikke en av kommunene i masteren.",
                  "Skriv kommunenummeret med fire sifre, slik det står på arket «Kommuner», eller fjern linjen.")),
    CodeInfo("P053", "feil", "Registerdata: beløpet er ikke et tall",
             Text("{where}: {field} «{value}» er ikke et beløp (et tall, 0 eller mer).",
                  "Skriv beløpet i hele kroner uten tekst, for eksempel 1234567.")),
    CodeInfo("P054", "feil", "Registerdata: samme kommune to ganger",
             Text("{where}: kommune {value} står også på linje {line}.", "Slå sammen linjene til én per kommune.")),
    # corrections (Korreksjoner) (pipeline/corrections.py)
    CodeInfo("P080", "feil", "Korreksjon: ukjent kommunenummer",
             Text("kommunenummer «{shown}» er ikke en av kommunene i masteren.",
                  "Skriv kommunenummeret med fire sifre, slik det står på «Innrapportert adm».")),
    CodeInfo("P081", "feil", "Korreksjon: ukjent skjema", Text("skjema «{shown}» er ukjent.", "Skriv adm eller norsk.")),
    CodeInfo("P082", "feil", "Korreksjon: ukjent felt",
             Text("feltet «{shown}» finnes ikke i skjemaet {form_id}.",
                  "Skriv felt-id-en slik den står i rad 4 på «Innrapportert {form_id}».")),
    CodeInfo("P083", "feil", "Korreksjon: beregnet felt",
             Text("{what} er et beregnet felt og kan ikke rettes direkte.",
                  "Rett i stedet de innfylte feltene det regnes fra; det beregnede feltet regnes da på nytt.")),
    CodeInfo("P084", "feil", "Korreksjon: begrunnelse mangler",
             Text("begrunnelse mangler for {what}.",
                  "Skriv hvorfor tallet er rettet (f.eks. «avtalt med kommunen etter besøk 12.3.»).")),
    CodeInfo("P085", "feil", "Korreksjon: ny verdi mangler eller kan ikke brukes",
             Text("ny verdi mangler for {what}.", "Skriv den nye verdien."),
             {"ugyldig": Text("ny verdi for {what} kan ikke brukes: {why}.",
                              "Skriv verdien slik feltet krever (tall uten enhet, ja/nei eller et av valgene).")}),
    CodeInfo("P086", "info", "Korreksjon: samme felt rettet igjen, den siste gjelder",
             Text("{where}: {what} for kommune {nr} er også rettet på rad {earlier}; denne raden (den siste) brukes.",
                  "Slett raden som ikke lenger gjelder.")),
    CodeInfo("P087", "advarsel", "Korreksjon venter på godkjent innlevering",
             Text("{sheet}, rad {row}: kommune {nr} har ingen godkjent innlevering av skjema {form_id}; korreksjonen "
                  "er ikke brukt nå.", "Raden brukes når en godkjent innlevering er kommet inn.")),
    CodeInfo("P088", None, "Kontroll feiler etter korreksjonene",
             Text("Etter korreksjonene for kommune {nr} ({form_id}) feiler en kontroll i skjemaet ved {shown}: {check}",
                  "Kontroller korreksjonen på arket «Korreksjoner» mot kommunens tall.")),
    CodeInfo("P089", "advarsel", "Korreksjonsrad uten plass i den nye masteren",
             Text("Rad {row} på {sheet} får ikke plass i den nye masteren og er ikke ført videre.",
                  "Tabellen har plass til {rows} rader; slett rader som ikke gjelder.")),
])
