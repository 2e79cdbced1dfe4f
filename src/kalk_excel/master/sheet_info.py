"""*Les meg* (what the master is, how it runs, the names policy, decisions, keeping a municipality
out, tracing), *Oppsett* (year, submission folder, pull status and time — named cells — and the
input table «Holdes utenfor beregningen», name ``oppsett_utelatt``) and *Sporbarhet*."""

from __future__ import annotations

from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .layout import (
    EXCLUSION_COLUMNS,
    EXCLUSION_FIRST_ROW,
    EXCLUSION_FORMS,
    EXCLUSION_HEADER_ROW,
    EXCLUSION_NAME,
    EXCLUSION_ROWS,
    EXCLUSION_TITLE,
    EXCLUSION_TITLE_ROW,
    SETUP_FIRST_ROW,
    SETUP_ROWS,
    SETUP_VALUE_COL,
    exclusion_range,
)
from .refs import quote
from .style import BOLD, WRAP, bulk_sheet, header, print_setup, protect, status_and_title, unlock

README = """\
Hva dette er
Masterarbeidsboken for Beregningsutvalgets kartlegging {aar}: den samler innleveringene fra
utvalgskommunene og regner ut dekningsgradene med Excel-formler, slik at revisorer og utvalget kan
se hver formel og spore hvert tall tilbake til en innlevert celle.

Slik brukes den
1. Generer boken: kalk-excel master --aar {aar} --ut master.xlsx (ark og formler lages fra
   parametrene og skjemadefinisjonene for året).
2. Hent innleveringene: Excel-tillegget («Beregn dekningsgrad») eller kommandolinjen leser de
   kontrollerte innleveringene og skriver verdiene inn på arkene «Innrapportert adm» og
   «Innrapportert norsk» (én rad per kommune, én kolonne per felt-id), status på «Oppsett» og
   modellens tall på «Kontroll».
3. Excel (eller LibreOffice uten skjerm) regner om. Resultatene står på «Resultat».
4. Se masterstatus øverst på hvert ark. Er den ikke OK, viser «Kontroll» hvilken kontroll som feiler.
   Før første henting er ingen kommuner inkludert, og statusen er FEIL (summene deler på null).

Slik går beregningen
Innrapportert (bare verdier) -> Skjemaberegning adm/norsk (skjemaets beregnede felt regnet på nytt
med de samme formlene som i kommunens skjema, fra de innrapporterte verdiene; avvik mot
mottakskontrollens verdier vises på Kontroll) -> Beregning per kommune (én formel per kolonne, kopiert nedover:
N, de 13 utgiftsområdene med utvalgets fradrag, total, snitt, EM- og norskfelt, flagg)
-> Beregning (summer med SUMPRODUCT og inkludert-flagget, medianer, femårsbeløp, helse, tilskudd,
dekningsgrader; hvert resultat i en navngitt celle) -> Resultat (rapportens tabeller og diagrammer)
-> Kontroll (masterkontroller og sammenligning med Python-referansemodellen).
Metoden er beskrevet i docs/beregning.md; Python-modellen (kalk_excel.model) er skrevet uavhengig
fra samme beskrivelse og skal gi samme tall innenfor 1 krone / 0,0001.

Navnepolicy
- Navn (arbeidsbok-nivå) brukes for: parametre (navn = parameter-id på «Parametre»), resultater
  (navn = resultatnavnet i docs/beregning.md, på «Beregning»), cellene på «Oppsett»
  (oppsett_aar, oppsett_innleveringsmappe, oppsett_status, oppsett_sist_hentet, og tabellen
  oppsett_utelatt), fjorårets tall på «Fjorår» (fjor_snitt_omrade, fjor_norsk_kommune,
  historikk_norsk), masterstatus (master_status) og kolonnene formlene bruker:
  adm_<felt-id> og norsk_<felt-id> (kolonnen på «Innrapportert», også adm_inkludert o.l.),
  beregnet_adm_<felt-id> (kolonnen på «Skjemaberegning adm») og per_kommune_<kolonne> (kolonnen
  på «Beregning per kommune»).
- Et kolonnenavn i en formel på en kommunerad betyr verdien på samme rad (Excel viser det som
  @adm_<felt-id>); i SUMPRODUCT, MEDIAN og SUM betyr det hele kolonnen.
- Ellers bare referanser til kolonner på samme ark, med felt-id i rad 4 og tekst i rad 5. Ingen
  kolonnebokstaver til andre ark i beregningsarkene (Skjemaberegning, Beregning per kommune, Beregning).
- Ingen formel i beregningsarkene er lengre enn 150 tegn: lange formler er delt i hjelpekolonner
  (hjelp_1, hjelp_2 … lengst til høyre på «Skjemaberegning», laget fra skjemadefinisjonen) eller
  i egne mellomresultater med navn.
- Ingen tallkonstanter i beregningsformler (bare 0, 1 og 100): alle satser og beløp er parametre.
- Bare funksjoner som finnes i Excel 2007 (SUM, SUMPRODUCT, MEDIAN, PRODUCT, IF, ...): boken
  regner likt i Excel og i LibreOffice, uten _xlfn.-prefikser.
- Ingen eksterne koblinger: innleveringer kommer inn som verdier gjennom hentingen.

Beslutninger (docs/beregning.md)
- Fradrag for statlig rammefinansiering (kvalifiseringsprogram, skole, barnehage) kan høyst fjerne
  områdets utgift; området blir aldri negativt (MAX(0; ...)).
- Bare kommuner med inkludert = 1 (godkjent innlevering, ikke holdt utenfor på «Oppsett») teller.
  Flyttere teller et halvt år
  (flytter_andel_aar). Ventestønad regnes bare for år 1.
- EM-utvalget: vedtak om å bosette EM = ja, ikke i em_ekskludert, antall EM > 0.
- Norsk: inkluderte innleveringer med «undervist» = ja.
- Ingen avrunding i beregningen; rapporten avrunder ved visning.

Holde en kommune utenfor beregningen
Skal en kommune holdes utenfor selv om innleveringen er godkjent (for eksempel fordi tallene er under
avklaring etter et oppfølgingsspørsmål), skriv den i tabellen «Holdes utenfor beregningen» på
«Oppsett» (navnet oppsett_utelatt): kommunenummer med fire sifre, skjema (adm, norsk eller begge) og
en begrunnelse, som må fylles ut. Lagre masteren før du trykker «Beregn dekningsgrad» (hentingen
leser den lagrede filen). Hentingen setter da inkludert = 0 for kommunen og skjemaet, og
«Sporbarhet» viser Inkludert = nei med «Holdt utenfor av sekretariatet: <begrunnelse>». Tabellen føres
videre til den nye masteren ved hver henting, så beslutningen står til raden slettes. Å sette
inkludert = 0 direkte på «Innrapportert» varer bare til neste henting. En rad med ukjent
kommunenummer, ukjent skjema eller uten begrunnelse brukes ikke; hentingen melder den som et problem.

Fjorårets tall
Tabell 10, vedlegg 6 og vedlegg 10 på «Resultat» sammenligner årets tall med tall fra tidligere år.
Skriv dem i de gule cellene på «Fjorår» (fra fjorårets rapport, med kilde): snitt per person per
utgiftsområde, deltakere og undervisningstimer per kommune i fjor, og totalene for de fire foregående
årene. Tomme celler betyr «ikke oppgitt»; da står endringen tom. Lagre masteren før henting: tallene
føres videre til den nye masteren (kommunene etter kommunenummer).

Prognose, historikk og 100 % dekning
«Prognose» regner rapportens tabell 12 (kapittel 9): utgift per person, tilskudd og dekningsgrad i
kartleggingsåret og de tre neste årene, for tre anslag for sosialhjelpen side om side, med figur 19 og
21. Alle forutsetninger (prisvekst, nedjustering av fratrekket for særskilt tilskudd, beløp per kull og
år, satsene) står på «Parametre» i gruppen «prognose». «Historikk» har tidligere års publiserte
resultater (fra historikk.csv for året; «kalk-excel nytt-aar» fører årets resultater inn i neste års
fil) og figur 7. Varige rettelser i historikken skrives i historikk.csv: «Beregn dekningsgrad» lager
arket på nytt fra fila. Nederst på «Resultat» står hva som skal til for 100 % dekning: faktoren på alle
integreringstilskuddssatsene, faktoren på satsene for år 1 alene, og dekningsgraden med faktorene du
skriver på «Parametre» (gruppe «dekning»).

Slik spores et tall
Et resultat på «Resultat» peker til en navngitt celle på «Beregning» (Formler > Navnebehandling).
Den cellen summerer kolonner på «Beregning per kommune» med navn (per_kommune_total osv.); hver celle
der bruker navnene beregnet_adm_<felt-id> («Skjemaberegning adm», beregnede felt) og adm_<felt-id> /
norsk_<felt-id> («Innrapportert», innrapporterte felt) på samme rad, og parametre. «Skjemaberegning»
regner skjemaets formler fra adm_<felt-id> på samme rad (lange formler via hjelpekolonnene). Raden på
«Innrapportert» viser kommunenummer, fil og SHA-256 for innleveringen; felt-id i rad 4 er navnet på
cellen i kommunens skjema. Arket «Sporbarhet» (del 2, med filter) viser felt-id -> ark og celle i
innleveringen: filtrer på «Ark i masteren» og «Celle i masteren».
"""


def build_readme(ws: Worksheet, year: int) -> None:
    status_and_title(ws, f"Les meg – masterarbeidsbok for kartleggingen {year}")
    row = 4
    headings = {"Hva dette er", "Slik brukes den", "Slik går beregningen", "Navnepolicy",
                "Beslutninger (docs/beregning.md)", "Holde en kommune utenfor beregningen", "Fjorårets tall",
                "Prognose, historikk og 100 % dekning", "Slik spores et tall"}
    for line in README.format(aar=year).splitlines():
        c = ws.cell(row, 1, line)
        if line in headings:
            c.font = BOLD
        row += 1
    ws.column_dimensions["A"].width = 110
    print_setup(ws, landscape=False)
    protect(ws)


def build_setup(ws: Worksheet, year: int) -> dict[str, str]:
    status_and_title(ws, "Oppsett")
    ws.cell(3, 1, "Gule celler kan endres. Status og tid skrives av hentingen.")
    names = {}
    for i, (name, label) in enumerate(SETUP_ROWS):
        row = SETUP_FIRST_ROW + i
        ws.cell(row, 1, label).font = BOLD
        ws.cell(row, 3, name)
        names[name] = f"{quote(ws.title)}!${SETUP_VALUE_COL}${row}"
    ws[f"{SETUP_VALUE_COL}{SETUP_FIRST_ROW}"] = year
    ws[f"{SETUP_VALUE_COL}{SETUP_FIRST_ROW + 2}"] = "ikke hentet"
    unlock(ws[f"{SETUP_VALUE_COL}{SETUP_FIRST_ROW + 1}"])
    names.update(_build_exclusions(ws))
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 70
    print_setup(ws)
    protect(ws)
    return names


EXCLUSION_HELP = (
    "Kommuner og skjema som skal holdes utenfor beregningen selv om innleveringen er godkjent (for "
    "eksempel fordi tallene er under avklaring etter et oppfølgingsspørsmål).",
    "Én rad per kommune: kommunenummer (fire sifre), skjema adm, norsk eller begge, og begrunnelse (må "
    "fylles ut). Hentingen setter inkludert = 0 og viser begrunnelsen på «Sporbarhet». Tabellen føres "
    "videre ved hver henting; slett raden når kommunen skal tas med igjen.",
)


def _build_exclusions(ws: Worksheet) -> dict[str, str]:
    """The input table «Holdes utenfor beregningen» (name ``oppsett_utelatt``)."""
    ws.cell(EXCLUSION_TITLE_ROW, 1, EXCLUSION_TITLE).font = BOLD
    for i, text in enumerate(EXCLUSION_HELP, start=1):
        ws.cell(EXCLUSION_TITLE_ROW + i, 1, text)
    header(ws, EXCLUSION_HEADER_ROW, [label for _, label in EXCLUSION_COLUMNS])
    last = EXCLUSION_FIRST_ROW + EXCLUSION_ROWS - 1
    for row in range(EXCLUSION_FIRST_ROW, last + 1):
        for column in range(1, len(EXCLUSION_COLUMNS) + 1):
            unlock(ws.cell(row, column))
        ws.cell(row, 1).number_format = "@"     # 0301 keeps its leading zero
    forms = DataValidation(type="list", formula1='"' + ",".join(EXCLUSION_FORMS) + '"', allow_blank=True,
                           showErrorMessage=True, errorTitle="Ukjent skjema",
                           error="Skriv adm, norsk eller begge.")
    forms.add(f"B{EXCLUSION_FIRST_ROW}:B{last}")
    ws.add_data_validation(forms)
    first, end = exclusion_range().split(":")
    return {EXCLUSION_NAME: f"{quote(ws.title)}!{_absolute(first)}:{_absolute(end)}"}


def _absolute(cell: str) -> str:
    letters = cell.rstrip("0123456789")
    return f"${letters}${cell[len(letters):]}"


TRACE_FIRST_ROW = 3   # the pull writes the trace as one block from here (header row included)


def build_trace(ws: Worksheet) -> None:
    status_and_title(ws, "Sporbarhet – hvor hvert innrapportert tall står i kommunens fil")
    ws.cell(TRACE_FIRST_ROW, 1, "Fylles av hentingen: hver innlevering (fil, SHA-256, status) og hvert "
                                "innrapportert felt (skjema, kommune, felt-id, ark og celle i filen).").alignment = WRAP
    for letter, width in zip("ABCDEFG", (14, 16, 34, 24, 34, 66, 20), strict=False):
        ws.column_dimensions[letter].width = width
    protect(ws)
    bulk_sheet(ws, None)   # the pull sets the filter over part 2 (``pipeline.blocks``)


def build_status(ws: Worksheet, n_rows: int = 0) -> None:
    """*Innleveringer*: who has returned what (the pull writes the table from row 4: header, then
    about ``n_rows`` rows, which get the date format for the two time columns)."""
    from ..intake.report import STATUS_TABLE

    status_and_title(ws, "Innleveringer – hvem har levert hva, og hvilken fil som gjelder")
    ws.cell(3, 1, "Fylles av hentingen: én rad per forventet kommune og skjema med status (eller «ikke "
                  "mottatt»), filen som gjelder og hvorfor, og filene den erstatter.").alignment = WRAP
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(STATUS_TABLE))
    header(ws, 4, [h for _, h in STATUS_TABLE])
    ws.row_dimensions[4].height = 30
    for letter, width in zip("ABCDEFGHIJKLM", (11, 18, 7, 22, 34, 50, 17, 17, 9, 6, 10, 34, 34), strict=False):
        ws.column_dimensions[letter].width = width
    for row in range(5, 5 + n_rows + 50):
        for column in (7, 8):
            ws.cell(row, column).number_format = "dd.mm.yyyy hh:mm"
    ws.freeze_panes = "D5"
    print_setup(ws)
    protect(ws)


__all__ = ["build_readme", "build_setup", "build_status", "build_trace"]
