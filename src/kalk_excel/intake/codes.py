"""The catalogue of intake problem codes: severity, Norwegian message and fix templates.

Every problem the intake produces is made here with ``problem(code, ...)`` so a code always has
the same meaning, severity and wording. Codes are stable; ``docs/kontroll.md`` lists them all
(a test keeps the two in step). Prefixes: S package safety, A identification, I integrity,
V field values, R rules of the form definition, C comparisons, K the run as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kalk_excel.problems import Problem, Severity


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: str          # short Norwegian name (report headings, docs)
    message: str        # template, str.format with keyword arguments
    fix: str            # template for the "Korreksjon:" line
    rejects: bool = False  # the file cannot be used at all (status avvist)


_SEND_XLSX = "Send den originale .xlsx-filen dere fikk tilsendt, fylt ut i Excel og lagret som Excel-arbeidsbok (.xlsx)."

_CODES = [
    # --- S: the package, before anything is parsed ---
    Code("S001", "feil", "Tom fil", "Filen er tom (0 byte).", _SEND_XLSX, True),
    Code("S002", "feil", "For stor fil", "Filen er {size_mb} MB, mer enn grensen på {limit_mb} MB. Den er ikke åpnet.",
         "Send skjemaet uten vedlegg eller bilder lagt inn i arbeidsboken. " + _SEND_XLSX, True),
    Code("S003", "feil", "Ikke en Excel-fil", "Filen er ikke en Excel-arbeidsbok (innholdet er ikke et .xlsx-format).",
         _SEND_XLSX, True),
    Code("S004", "feil", "Gammelt Excel-format (.xls)", "Filen er lagret i det gamle Excel-formatet (.xls, Excel 97-2003).",
         "Åpne filen i Excel, velg Fil > Lagre som > Excel-arbeidsbok (*.xlsx), og send den nye filen.", True),
    Code("S005", "feil", "Passordbeskyttet fil", "Filen er kryptert med passord og kan ikke leses.",
         "Fjern passordet (Fil > Info > Beskytt arbeidsbok > Krypter med passord, tøm feltet), lagre og send filen på nytt.",
         True),
    Code("S006", "feil", "Makroer", "Filen inneholder makroer (VBA-prosjekt), som ikke tas imot.",
         "Lagre som Excel-arbeidsbok uten makroer (.xlsx), eller bruk den originale filen, og send på nytt.", True),
    Code("S007", "feil", "OpenDocument-regneark (.ods)", "Filen er et OpenDocument-regneark (.ods), ikke en Excel-arbeidsbok.",
         "Skjemaet må fylles ut og lagres i Excel-format. " + _SEND_XLSX, True),
    Code("S008", "feil", "Skadet fil", "Filen er skadet og kan ikke pakkes ut ({detail}).",
         "Lagre skjemaet på nytt i Excel og send det igjen. Sjekk at filen ikke ble avkortet i e-posten.", True),
    Code("S009", "feil", "Mistenkelig komprimering", "Filen pakker seg ut til langt mer enn et skjema kan være ({detail}). Den er ikke lest.",
         _SEND_XLSX, True),
    Code("S010", "feil", "XML med DTD/entiteter", "Filen inneholder XML med dokumenttypedefinisjon eller entiteter ({detail}), som ikke tillates.",
         _SEND_XLSX, True),
    Code("S011", "feil", "Ugyldig XML", "En del av filen kan ikke leses ({detail}).",
         "Lagre skjemaet på nytt i Excel og send det igjen.", True),
    Code("S012", "feil", "Eksterne koblinger", "Arbeidsboken har koblinger til andre filer ({detail}).",
         "Fjern koblingene (Data > Rediger koblinger > Bryt kobling) eller skriv inn verdiene, lagre og send på nytt."),
    Code("S013", "feil", "For mange deler", "Filen har {count} deler, mer enn grensen på {limit}.", _SEND_XLSX, True),
    Code("S014", "feil", "Ikke et regneark", "Filen er en Office-fil, men ikke en Excel-arbeidsbok ({detail}).", _SEND_XLSX, True),
    Code("S015", "feil", "Kan ikke lese filen", "Filen kunne ikke leses ({detail}).", "Send filen på nytt.", True),
    Code("S016", "advarsel", "Navn som ikke er UTF-8", "Navnet «{name}» har tegn som ikke er UTF-8 (vist som �); "
         "det kommer trolig fra et eldre tegnsett (f.eks. et zip-arkiv laget i Windows).",
         "Gi filen eller mappen et nytt navn (skriv æ, ø og å på nytt), eller pakk ut arkivet med et program "
         "som bruker UTF-8. Innholdet er kontrollert som vanlig."),
    Code("S017", "feil", "Ugyldig delnavn", "Filen har en del med et navn Excel ikke bruker ({detail}).", _SEND_XLSX, True),
    Code("S018", "feil", "Deler med nesten samme navn",
         "Filen har to deler som ulike programmer kan lese som den samme ({detail}).", _SEND_XLSX, True),
    Code("S019", "feil", "Ukjent komprimering",
         "En del av filen er komprimert med en metode Excel ikke bruker ({detail}).", _SEND_XLSX, True),
    Code("S020", "feil", "Innholdsfortegnelsen mangler eller er skadet",
         "Filens innholdsfortegnelse ([Content_Types].xml) mangler eller kan ikke leses ({detail}).",
         "Lagre skjemaet på nytt i Excel og send det igjen.", True),
    Code("S021", "feil", "Celle med to verdier", "En celle har mer enn én lagret verdi ({detail}); programmer kan vise ulike tall.",
         "Lagre skjemaet på nytt i Excel og send det igjen.", True),
    Code("S022", "feil", "Ukjent celletype", "En celle har en type Excel ikke kjenner ({detail}).",
         "Lagre skjemaet på nytt i Excel og send det igjen.", True),
    Code("S023", "feil", "Tall med andre tegn enn 0-9", "En celle har et lagret tall med andre tegn enn vanlige sifre ({detail}).",
         "Lagre skjemaet på nytt i Excel og send det igjen.", True),
    Code("S024", "feil", "For mange rader", "Arket har {count} rader, mer enn grensen på {limit} ({detail}). Filen er ikke lest.",
         _SEND_XLSX, True),
    # --- A: identification ---
    Code("A001", "feil", "Ikke vårt skjema", "Filen er en Excel-arbeidsbok, men ikke et skjema fra Beregningsutvalget (mangler skjemaets metadata).",
         "Bruk arbeidsboken dere fikk tilsendt. Tallene kan kopieres inn i den med Lim inn spesial > Verdier.", True),
    Code("A002", "feil", "Feil år", "Skjemaet gjelder {found}, men denne kontrollen gjelder {expected}.",
         "Bruk skjemaet for {expected} som dere fikk tilsendt.", True),
    Code("A003", "feil", "Feil skjemaversjon", "Skjemaet er versjon {found}, men gjeldende versjon er {expected}.",
         "Be om den nye versjonen av skjemaet, og flytt tallene over til den.", True),
    Code("A004", "feil", "Ukjent skjema", "Skjemaet «{form}» for {year} finnes ikke i skjemadefinisjonene ({detail}).",
         "Kontakt sekretariatet.", True),
    Code("A005", "feil", "Metadata mangler", "Skjemaets skjulte metadata er ufullstendige ({detail}).",
         "Bruk den originale filen dere fikk tilsendt; ikke kopier ark mellom arbeidsbøker.", True),
    Code("A006", "feil", "Metadata stemmer ikke", "Skjemaets metadata stemmer ikke overens: {detail}.",
         "Bruk den originale filen dere fikk tilsendt."),
    Code("A007", "advarsel", "Erstattet av nyere fil", "Kommunen har sendt mer enn én fil for dette skjemaet. Denne filen brukes ikke; {winner} brukes ({reason}).",
         "Ingen handling om {winner} er riktig versjon. Ellers: send riktig fil på nytt."),
    Code("A008", "info", "Flere filer fra kommunen", "Kommunen har sendt {count} filer for dette skjemaet. Denne filen brukes ({reason}).",
         "Ingen handling om dette er riktig versjon."),
    Code("A009", "advarsel", "Kommunen er ikke i utvalget", "Kommunenummer {kommunenummer} finnes ikke i kommunelisten.",
         "Kontroller kommunenummeret i skjemaet og kommunelisten."),
    Code("A011", "advarsel", "Lagringstidspunkt i fremtiden",
         "Filen oppgir at den ble lagret {time}, som er senere enn nå ({now}). Tidspunktet er ikke brukt til å "
         "velge hvilken fil som gjelder; filens tidsstempel er brukt i stedet.",
         "Sjekk klokken på PC-en som lagret filen. Send filen på nytt om en annen fil enn denne skulle gjelde."),
    Code("A012", "advarsel", "Lagret før skjemaet ble laget",
         "Filen oppgir at den ble lagret {time}, før skjemaet ble laget ({generated}). Tidspunktet er ikke brukt "
         "til å velge hvilken fil som gjelder; filens tidsstempel er brukt i stedet.",
         "Sjekk klokken på PC-en som lagret filen. Send filen på nytt om en annen fil enn denne skulle gjelde."),
    Code("A010", "info", "Kommunenavn avviker", "Kommunenavnet i skjemaet («{found}») avviker fra kommunelisten («{expected}»).",
         "Ingen handling om kommunenummeret er riktig."),
    Code("A013", "feil", "Filnavnet viser et annet skjema", "Filnavnet sier {found}, men skjemaet i filen gjelder {expected}.",
         "Kontroller at dere har sendt riktig fil. Bruk skjemaet dere fikk tilsendt for deres kommune, og gi det ikke nytt navn."),
    # --- I: integrity of the locked content ---
    Code("I001", "feil", "Ark mangler", "Arket «{sheet}» mangler (slettet eller gitt nytt navn).",
         "Bruk den originale filen; ark må ikke slettes eller gis nytt navn."),
    Code("I002", "feil", "Ekstra ark", "Arbeidsboken har et ark som ikke var i skjemaet: «{sheet}».",
         "Slett arket, eller flytt innholdet til kommentarfeltet."),
    Code("I003", "feil", "Låst innhold endret", "Det låste innholdet i skjemaet er endret (kontrollsummen stemmer ikke).",
         "Bruk den originale filen og fyll bare ut de gule cellene. Endrede celler er listet under."),
    Code("I004", "feil", "Celle endret", "Cellen er endret: var «{expected}», er nå «{found}».",
         "Sett inn den opprinnelige verdien/formelen igjen, eller flytt tallene til den originale filen."),
    Code("I005", "feil", "Felt flyttet", "Feltet står ikke der skjemaet plasserte det ({detail}).",
         "Rader eller kolonner er satt inn eller slettet. Bruk den originale filen."),
    Code("I006", "feil", "Mange endringer", "{count} celler til er endret (bare de første {shown} er listet).",
         "Bruk den originale filen og fyll bare ut de gule cellene."),
    Code("I007", "feil", "Formel i utfyllingscelle", "Cellen inneholder en formel («={formula}»). Formler i utfyllingsceller tas ikke imot.",
         "Skriv inn selve tallet{suggestion}."),
    Code("I008", "feil", "Ekstern referanse", "Cellen viser til en annen arbeidsbok («={formula}»).",
         "Skriv inn verdien i stedet for koblingen."),
    Code("I009", "feil", "DDE-formel", "Cellen inneholder en DDE-/kommandoformel («={formula}»), som ikke tillates.",
         "Slett innholdet og skriv inn teksten uten likhetstegn først."),
    Code("I010", "feil", "HYPERLINK-formel", "Cellen inneholder en HYPERLINK-formel («={formula}»).",
         "Skriv inn teksten eller adressen som vanlig tekst."),
    Code("I011", "advarsel", "Kontrollsum mangler", "Skjemaets kontrollsum mangler eller har ukjent metode ({detail}); låst innhold er ikke kontrollert.",
         "Bruk den originale filen dere fikk tilsendt."),
    Code("I012", "info", "Endrede celler ikke navngitt", "Kunne ikke lage skjemaet på nytt for å finne de endrede cellene ({detail}).",
         "Sekretariatet sammenligner filen med originalen manuelt."),
    Code("I013", "advarsel", "Kontrollsummen kan ikke verifiseres",
         "Skjemaets kontrollsum er laget med sekretariatets nøkkel, men nøkkelen er ikke satt opp for denne kontrollen; "
         "låst innhold og skjult metadata er ikke kontrollert.",
         "Sekretariatet: sett KALK_EXCEL_NOKKEL (eller KALK_EXCEL_NOKKEL_FIL) til nøkkelen fra NOKKEL.txt som ble laget "
         "sammen med skjemaene, og kontroller på nytt."),
    Code("I014", "advarsel", "Kontrollsum uten nøkkel",
         "Skjemaet har en kontrollsum av den gamle typen (v1, uten nøkkel). Den viser utilsiktede endringer, men ikke "
         "endringer der kontrollsummen er regnet ut på nytt.",
         "Ingen handling om skjemaet ble sendt ut før kontrollsummen fikk nøkkel; ellers: bruk den originale filen."),
    Code("I015", "feil", "Skjult metadata endret",
         "Skjemaets skjulte metadata (kommune, år, skjema, feltkart), navnene på cellene eller dokumentegenskapene er endret.",
         "Bruk den originale filen dere fikk tilsendt; ikke kopier ark eller innhold mellom arbeidsbøker."),
    Code("I016", "feil", "Celle avviker fra malen", "Cellen avviker fra skjemaet laget på nytt: der står «{expected}», i filen «{found}».",
         "Skjemaet har en kontrollsum uten nøkkel (v1), som hvem som helst kan regne ut på nytt, og låst innhold "
         "avviker fra skjemaet. Bruk den originale filen dere fikk tilsendt."),
    # --- V: values against field properties ---
    Code("V001", "feil", "Tekst i tallcelle", "Feltet skal ha et tall, men inneholder teksten «{text}».",
         "Skriv bare tallet, uten tekst eller enhet."),
    Code("V002", "feil", "Tall skrevet som tekst", "Tallet er lagret som tekst («{text}»).",
         "Skriv tallet på nytt som tall, uten mellomrom: {number}."),
    Code("V003", "feil", "Dato i tallcelle", "Feltet skal ha et tall, men inneholder en dato ({text}).",
         "Skriv tallet på nytt; sjekk at cellen ikke er formatert som dato."),
    Code("V004", "feil", "Ikke et heltall", "Feltet skal ha et helt tall, men inneholder {number}.",
         "Skriv et helt tall (uten desimaler)."),
    Code("V005", "feil", "For lav verdi", "Verdien {number} er lavere enn laveste tillatte verdi {limit}.",
         "Rett verdien. Negative beløp er bare tillatt der skjemaet sier det."),
    Code("V006", "feil", "For høy verdi", "Verdien {number} er høyere enn høyeste tillatte verdi {limit}.",
         "Rett verdien (sjekk enheten: kroner, ikke tusen kroner; prosent 0-100)."),
    Code("V007", "feil", "Ugyldig tall", "Feltet inneholder et ugyldig tall ({text}).", "Skriv inn et vanlig tall."),
    Code("V008", "feil", "Ugyldig valg", "«{text}» er ikke et gyldig svar. Gyldige svar: {choices}.",
         "Velg et av svarene i nedtrekkslisten: {choices}."),
    Code("V009", "feil", "For lang tekst", "Teksten har {length} tegn; høyst {limit} er tillatt.",
         "Korte ned teksten til {limit} tegn."),
    Code("V010", "feil", "Mangler svar", "Feltet «{label}» skal fylles ut, men er tomt.",
         "{hint}"),
    Code("V011", "advarsel", "Svar i del som skal hoppes over", "Feltet er fylt ut, men skal ikke fylles ut etter svarene i skjemaet ({text}).",
         "Sjekk svaret som styrer hoppet. Er hoppet riktig, slett tallet; ellers rett svaret som styrer hoppet."),
    Code("V012", "feil", "Feilverdi i celle", "Cellen inneholder en feilverdi ({text}).", "Skriv inn verdien på nytt."),
    Code("V013", "info", "Tekst gjort ufarlig", "Teksten begynner med et tegn som kan tolkes som formel; den lagres med ' foran.",
         "Ingen handling nødvendig."),
    Code("V015", "advarsel", "Andel i prosentfelt", "Verdien {number} ser ut som en andel, men feltet skal ha prosent (0-100).",
         "Mente dere {percent} %? Skriv prosenttallet (f.eks. 50 for 50 %), ikke andelen."),
    Code("V016", "feil", "Tall utenfor datoområdet", "Cellen er formatert som dato, men inneholder {text}, som ikke er en gyldig dato (Excel viser ####).",
         "Fjern datoformatet (Hjem > Tallformat > Generelt) og skriv tallet på nytt."),
    Code("V014", "feil", "Sannhetsverdi", "Feltet inneholder sannhetsverdien {text}.", "Skriv inn et tall eller velg fra listen."),
    Code("V017", "feil", "Del ikke utfylt", "Del {del_nr} er ikke utfylt: ingen felt i delen har svar.",
         "Fyll ut delen. Har kommunen ingen utgifter eller tilfeller av et slag, skriv 0; svar nei der spørsmålet gir den muligheten."),
    # --- R: rules of the form definition ---
    Code("R001", "feil", "Kontroll", "{text}", "{fixtext}"),
    Code("R002", "feil", "Herav større enn total", "{text}", "{fixtext}"),
    Code("R003", "advarsel", "Uvanlig verdi", "{text}", "{fixtext}"),
    Code("R004", "advarsel", "Kontroll kunne ikke beregnes", "Kontrollen «{check}» kunne ikke beregnes ({detail}).",
         "Sjekk tallene kontrollen bruker."),
    Code("R005", "info", "Beregnet verdi avviker", "Arbeidsboken viser {found}, men beregnet på nytt fra tallene blir det {expected}.",
         "Ingen handling; sekretariatet bruker verdien beregnet på nytt."),
    # --- C: comparisons ---
    Code("C001", "advarsel", "Målgruppen avviker fra IMDi", "Antall i målgruppen per 31.12 er {found}, IMDi har registrert {expected}.",
         "Kontroller antallet mot IMDis liste. Forklar avviket i kommentarfeltet for del 1."),
    Code("C002", "advarsel", "Stor endring fra i fjor", "{area}: {found} kr per person i år mot {expected} kr i fjor ({ratio}).",
         "Kontroller tallene for området. Er de riktige, forklar endringen i kommentarfeltet."),
    Code("C003", "info", "Uvanlig endring (HB)", "{area}: endringen fra i fjor ({expected} til {found} kr per person) skiller seg ut fra de andre kommunene.",
         "Kontroller tallene for området."),
    Code("C004", "advarsel", "Langt fra medianen", "{area}: {found} kr per person, {ratio} medianen for de andre kommunene ({expected} kr).",
         "Kontroller tallene for området. Er de riktige, forklar dem i kommentarfeltet."),
    Code("C005", "advarsel", "Overleveringen mellom skjemaene stemmer ikke",
         "Lokalutgiftene til introduksjonsprogrammet er {found} kr i administrasjonsskjemaet (4.4) og {expected} kr i "
         "norskskjemaet (spm 30).",
         "Beløpet skal være det samme i begge skjemaene. Avtal med den som fyller ut det andre skjemaet, og rett det som er feil."),
    # --- K: the run ---
    Code("K001", "advarsel", "Fjorårsfil", "Fjorårsfilen {file}: {detail}.", "Rett filen (kommunenummer, felt, verdi_per_person)."),
    Code("K002", "info", "Skjema mangler", "Ingen fil mottatt fra {kommunenummer} {navn} for skjemaet {form}.",
         "Purr på kommunen."),
    Code("K003", "info", "Fil hoppet over", "Filen {file} er hoppet over ({detail}).", "Ingen handling."),
]

CODES: dict[str, Code] = {c.code: c for c in _CODES}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def problem(code: str, *, file: str | None = None, sheet: str | None = None, cell: str | None = None,
            field: str | None = None, value: Any = None, part: str | None = None,
            question: str | None = None, severity: Severity | None = None, **fmt: Any) -> Problem:
    """Build the ``Problem`` for ``code`` with its templates filled from ``fmt``."""
    c = CODES[code]
    args = _Blank({"file": file, "sheet": sheet, "cell": cell, "field": field, **fmt})
    return Problem(code=code, severity=severity or c.severity, message=c.message.format_map(args),
                   fix=c.fix.format_map(args), file=file, sheet=sheet, cell=cell, field=field,
                   value=value, part=part, question=question)


def rejects(p: Problem) -> bool:
    c = CODES.get(p.code)
    return bool(c and c.rejects)


def catalogue_markdown() -> str:
    """The code table for docs/kontroll.md (a test keeps the document equal to this)."""
    lines = ["| kode | alvorlighet | navn | avviser filen | melding | Korreksjon: |",
             "| --- | --- | --- | --- | --- | --- |"]
    for c in _CODES:
        cells = (c.code, c.severity, c.title, "ja" if c.rejects else "nei", c.message, c.fix)
        lines.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
    return "\n".join(lines)
