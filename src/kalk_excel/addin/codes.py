"""Catalogue of the add-in's codes (X = Excel add-in and its build), described in addin/README.md.

The names below are what the add-in's modules raise (``errors.fail(CODE, variant, **values)``,
which takes the message and fix from here); every stop is ``feil``."""

from __future__ import annotations

from kalk_excel.codes import CodeInfo, Text, catalogue

TEMPLATE_MISSING = "X001"
XLWINGS_VERSION = "X002"
TEMPLATE_CHANGED = "X003"
ADDIN_NAME = "X004"
OPPSETT_NAME = "X010"
OPPSETT_YEAR = "X011"
OPPSETT_FOLDER = "X012"
NOT_A_MASTER = "X013"
STATE_TOO_LARGE = "X014"
CORE_MISSING = "X020"
CORE_FAILED = "X021"
BLOCK_INVALID = "X030"
SHEET_MISSING = "X031"
UNPROTECT_FAILED = "X032"
WRITE_FAILED = "X033"
RESTORE_FAILED = "X034"
PROTECT_FAILED = "X035"
FORMULA_IN_TARGET = "X036"
AFTER_WRITE_FAILED = "X037"
ALREADY_RUNNING = "X040"
BOOK_CHANGED = "X041"
NO_ACTIVE_BOOK = "X042"
UNEXPECTED = "X099"

# Fixes several codes share.
_START_EXCEL = ("Start Excel, åpne masterarbeidsboka og klikk i den, og kjør kommandoen igjen i et vanlig terminalvindu "
                "(ikke som administrator) på samme maskin og med samme bruker som Excel.")
_DONT_TOUCH = ("Ikke lukk, lagre eller rediger masteren før sammendraget vises. Åpne masteren på nytt og trykk "
               "«Beregn dekningsgrad» igjen.")
_TRY_AGAIN = "Rett feilen og trykk «Beregn dekningsgrad» igjen."
_TELL_MAINTAINER = "Meld fra til den som vedlikeholder kalk-excel."
_RIGHT_XLWINGS = "Installer xlwings-versjonen tillegget er laget for."
_SET_PASSWORD = ("Sett miljøvariabelen {env} til passordet masteren er beskyttet med, start Excel på nytt og prøv igjen "
                 "(se «Passord» i addin/README.md).")

CODES = catalogue([
    CodeInfo(TEMPLATE_MISSING, "feil", "Bygging: xlwings-malen mangler",
             Text("Python-pakken xlwings er ikke installert.", 'Installer den med: pip install "xlwings=={pinned}"'),
             {"mal": Text("Fant ikke malen {template} i xlwings-pakken ({folder}).",
                          'Installer xlwings på nytt: pip install --force-reinstall "xlwings=={pinned}"')}),
    CodeInfo(XLWINGS_VERSION, "feil", "Bygging: feil xlwings-versjon",
             Text("Installert xlwings er versjon {version}, men tillegget bygges fra versjon {pinned}.",
                  'Installer riktig versjon: pip install "xlwings=={pinned}"')),
    CodeInfo(TEMPLATE_CHANGED, "feil", "Bygging: xlwings-malen er endret",
             Text("Malen {template} mangler forventede deler: {missing}.", _RIGHT_XLWINGS),
             {"vba": Text("VBA-prosjektet i {template} har ikke prosedyren {callback}, som knappen skal kalle.",
                          _RIGHT_XLWINGS)}),
    CodeInfo(ADDIN_NAME, "feil", "Bygging: tillegget må hete beregningsutvalget.xlam",
             Text("Tillegget kan ikke hete «{name}». Knappen kjører Python-modulen med samme navn som fila (uten "
                  ".xlam), så «{name}» ville lete etter en modul «{module}» som ikke finnes.",
                  "Bruk navnet {addin_file} (utelat --navn). Gi heller ikke fila nytt navn etterpå, og pass på at en "
                  "nedlastet kopi ikke heter «{addin_module} (1).xlam».")),
    CodeInfo(OPPSETT_NAME, "feil", "Oppsett: navn mangler eller er feil",
             Text("Masterarbeidsboka mangler navnet «{field}».", "Bruk masterarbeidsboka som er laget med kalk-excel master.")),
    CodeInfo(OPPSETT_YEAR, "feil", "Oppsett: årstallet mangler eller er feil",
             Text("Året i Oppsett ({field}) er ikke et gyldig årstall: {value!r}.",
                  "Skriv årstallet for kartleggingen, f.eks. 2024, i Oppsett.")),
    CodeInfo(OPPSETT_FOLDER, "feil", "Oppsett: innleveringsmappen mangler eller finnes ikke",
             Text("Innleveringsmappa i Oppsett ({field}) er tom.", "Skriv stien til mappa med innleverte skjema i Oppsett."),
             {"relativ": Text("Innleveringsmappa «{value}» er en relativ sti, men masterarbeidsboka ligger ikke i en "
                              "vanlig mappe (ikke lagret, eller åpnet fra OneDrive/SharePoint).",
                              "Lagre masteren i en mappe på disken, eller skriv en fullstendig sti i Oppsett."),
              "finnes_ikke": Text("Fant ikke innleveringsmappa {folder}.", "Kontroller stien i Oppsett (innleveringsmappe).")}),
    CodeInfo(NOT_A_MASTER, "feil", "Den aktive arbeidsboka er ikke en master",
             Text("Den aktive arbeidsboka «{book}» er ikke en masterarbeidsbok fra kalk-excel (mangler {missing}). "
                  "Knappen virker på arbeidsboka som er aktiv. Ingenting er skrevet.",
                  "Klikk i masterarbeidsboka (laget med kalk-excel master) slik at den er den aktive, og trykk "
                  "«Beregn dekningsgrad» igjen.")),
    CodeInfo(STATE_TOO_LARGE, "feil", "Et ark i masteren er i bruk langt utenfor tabellen",
             Text("Arket «{sheet}» i «{book}» er i bruk ned til rad {rows} og kolonne {cols} ({cells} celler); "
                  "tillegget leser ikke så mye. Ingenting er skrevet.",
                  "Trykk Ctrl+End på arket for å se den siste cellen i bruk, slett radene og kolonnene utenfor "
                  "tabellen (også tomme rader med formatering), lagre og prøv igjen.")),
    CodeInfo(CORE_MISSING, "feil", "Beregningsdelen av kalk-excel mangler",
             Text("Beregningsdelen av kalk-excel mangler i denne installasjonen ({error}).",
                  'Installer kalk-excel på nytt: pip install --upgrade "kalk-excel[addin]"')),
    CodeInfo(CORE_FAILED, "feil", "Kontrollen av innleveringene stoppet",
             Text("Kontrollen av innleveringene stoppet: {error}. Ingenting er skrevet til masteren.", _TRY_AGAIN)),
    CodeInfo(BLOCK_INVALID, "feil", "Beregningen ga en blokk eller verdi som ikke passer masteren",
             Text("Blokk {block} fra beregningen kan ikke skrives ({error}). Ingenting er skrevet.", _TELL_MAINTAINER)),
    CodeInfo(SHEET_MISSING, "feil", "Et ark mangler i masteren",
             Text("Masterarbeidsboka har ikke arket «{sheet}».",
                  "Bruk masterarbeidsboka som er laget for dette året (kalk-excel master).")),
    CodeInfo(UNPROTECT_FAILED, "feil", "Arkbeskyttelsen kunne ikke oppheves",
             Text("Klarte ikke å oppheve arkbeskyttelsen på arket «{sheet}» (passordet i {env} passer ikke; {error}). "
                  "Ingenting er skrevet.", _SET_PASSWORD),
             {"uten_passord": Text("Klarte ikke å oppheve arkbeskyttelsen på arket «{sheet}» (miljøvariabelen {env} er "
                                   "ikke satt; {error}). Ingenting er skrevet.", _SET_PASSWORD)}),
    CodeInfo(WRITE_FAILED, "feil", "Skrivingen feilet, satt tilbake",
             Text("Skrivingen til {where} feilet ({error}). Alt som var skrevet er satt tilbake ({regions} område(r)); "
                  "masteren er som før.", _TRY_AGAIN)),
    CodeInfo(RESTORE_FAILED, "feil", "Skrivingen feilet og kunne ikke settes helt tilbake",
             Text("Skrivingen til {where} feilet ({error}), og disse områdene kunne ikke settes tilbake: {failed}.",
                  "Lukk masterarbeidsboka uten å lagre for å være sikker på at den er uendret.")),
    CodeInfo(PROTECT_FAILED, "feil", "Et ark kunne ikke beskyttes igjen",
             Text("Klarte ikke å beskytte arket «{sheet}» igjen ({error}).",
                  "Beskytt arket manuelt (Se gjennom → Beskytt ark) før masteren lagres.")),
    CodeInfo(FORMULA_IN_TARGET, "feil", "Formel i en celle tillegget skal skrive i",
             Text("Cellen {cell} har en formel, men beregningen skal skrive verdier der. Ingenting er skrevet.",
                  "Kontroller at den aktive arbeidsboka er masteren for året, laget med kalk-excel master, og at "
                  "formelen ikke er lagt inn i et inndataområde.")),
    CodeInfo(AFTER_WRITE_FAILED, "feil", "Alt er skrevet, men beregningen etterpå feilet",
             Text("{message}", "{fix}")),   # the stop's own words; add-in/summary.py says what was written
    CodeInfo(ALREADY_RUNNING, "feil", "En beregning kjører allerede",
             Text("Beregningen kjører allerede. Denne gangen er ingenting gjort.",
                  "Vent til sammendraget fra den første beregningen vises. Ikke lukk, lagre eller rediger masteren så "
                  "lenge."),
             {"startet": Text("Beregningen kjører allerede (startet {started}). Denne gangen er ingenting gjort.",
                              "Vent til sammendraget fra den første beregningen vises. Ikke lukk, lagre eller rediger "
                              "masteren så lenge."),
              "startet_for": Text("Beregningen kjører allerede (startet {started} for «{book}»). Denne gangen er "
                                  "ingenting gjort.", "Vent til sammendraget fra den første beregningen vises. Ikke "
                                  "lukk, lagre eller rediger masteren så lenge.")}),
    CodeInfo(BOOK_CHANGED, "feil", "Masteren ble lukket eller fikk nytt navn under beregningen",
             Text("Masterarbeidsboka «{book}» ble lukket mens beregningen pågikk ({error}).", _DONT_TOUCH),
             {"nytt_navn": Text("Masterarbeidsboka «{book}» ble lukket eller lagret under et annet navn («{name}») mens "
                                "beregningen pågikk.", _DONT_TOUCH)}),
    CodeInfo(NO_ACTIVE_BOOK, "feil", "Fant ingen aktiv arbeidsbok",
             Text("Excel har ingen aktiv arbeidsbok (eller den er åpnet i beskyttet visning).",
                  _START_EXCEL + " Er masteren åpnet i beskyttet visning, trykk «Aktiver redigering» først."),
             {"xlwings": Text("Python-pakken xlwings mangler i denne installasjonen ({error}).",
                              'Installer kalk-excel med tilleggsdelen: pip install "kalk-excel[addin]"'),
              "excel": Text("Excel kjører ikke.", _START_EXCEL),
              "feil": Text("Fant ikke en åpen arbeidsbok i Excel ({error}).",
                           _START_EXCEL + " Lukk åpne dialogbokser i Excel først."),
              "knappen": Text("Fant ikke arbeidsboka knappen ble trykket i ({error}).",
                              "Åpne masterarbeidsboka, klikk i den (ikke i beskyttet visning: trykk «Aktiver "
                              "redigering») og trykk «Beregn dekningsgrad» igjen.")}),
    CodeInfo(UNEXPECTED, "feil", "Uventet feil",
             Text("Uventet feil: {error}", "Meld fra til den som vedlikeholder kalk-excel, med denne meldingen og loggfila.")),
])
