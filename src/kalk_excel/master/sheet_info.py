"""*Les meg* (what the master is, how it runs, the names policy, decisions, tracing) and
*Oppsett* (year, submission folder, pull status and time — named cells) and *Sporbarhet*."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from .layout import SETUP_FIRST_ROW, SETUP_ROWS, SETUP_VALUE_COL
from .refs import quote
from .style import BOLD, WRAP, protect, status_and_title, unlock

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
  (oppsett_aar, oppsett_innleveringsmappe, oppsett_status, oppsett_sist_hentet), masterstatus
  (master_status) og de innrapporterte feltkolonnene (adm_<felt-id> og norsk_<felt-id>).
- Inne i de radkonsistente blokkene (Beregning per kommune, tabellene per kommune på Resultat)
  brukes vanlige relative referanser til samme rad, slik at én formel gjelder hele kolonnen.
- Ingen tallkonstanter i beregningsformler (bare 0, 1 og 100): alle satser og beløp er parametre.
- Bare funksjoner som finnes i Excel 2007 (SUM, SUMPRODUCT, MEDIAN, PRODUCT, IF, ...): boken
  regner likt i Excel og i LibreOffice, uten _xlfn.-prefikser.
- Ingen eksterne koblinger: innleveringer kommer inn som verdier gjennom hentingen.

Beslutninger (docs/beregning.md)
- Fradrag for statlig rammefinansiering (kvalifiseringsprogram, skole, barnehage) kan høyst fjerne
  områdets utgift; området blir aldri negativt (MAX(0; ...)).
- Bare kommuner med inkludert = 1 (godkjent innlevering) teller. Flyttere teller et halvt år
  (flytter_andel_aar). Ventestønad regnes bare for år 1.
- EM-utvalget: vedtak om å bosette EM = ja, ikke i em_ekskludert, antall EM > 0.
- Norsk: inkluderte innleveringer med «undervist» = ja.
- Ingen avrunding i beregningen; rapporten avrunder ved visning.

Slik spores et tall
Et resultat på «Resultat» peker til en navngitt celle på «Beregning» (Formler > Navnebehandling).
Den cellen summerer kolonner på «Beregning per kommune»; hver celle der peker til samme rad på
«Skjemaberegning» (beregnede felt) eller «Innrapportert adm/norsk» (innrapporterte felt) og til
parametre; «Skjemaberegning» peker videre til de innrapporterte verdiene på samme rad. Raden på «Innrapportert» viser kommunenummer, fil og
SHA-256 for innleveringen; felt-id i rad 4 er navnet på cellen i kommunens skjema. Arket
«Sporbarhet» viser felt-id -> ark og celle i innleveringen.
"""


def build_readme(ws: Worksheet, year: int) -> None:
    status_and_title(ws, f"Les meg – masterarbeidsbok for kartleggingen {year}")
    row = 4
    headings = {"Hva dette er", "Slik brukes den", "Slik går beregningen", "Navnepolicy",
                "Beslutninger (docs/beregning.md)", "Slik spores et tall"}
    for line in README.format(aar=year).splitlines():
        c = ws.cell(row, 1, line)
        if line in headings:
            c.font = BOLD
        row += 1
    ws.column_dimensions["A"].width = 110
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
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 30
    protect(ws)
    return names


TRACE_FIRST_ROW = 3   # the pull writes the trace as one block from here (header row included)


def build_trace(ws: Worksheet) -> None:
    status_and_title(ws, "Sporbarhet – hvor hvert innrapportert tall står i kommunens fil")
    ws.cell(TRACE_FIRST_ROW, 1, "Fylles av hentingen: hver innlevering (fil, SHA-256, status) og hvert "
                                "innrapportert felt (skjema, kommune, felt-id, ark og celle i filen).").alignment = WRAP
    for letter, width in zip("ABCDEFG", (14, 16, 34, 24, 34, 66, 20)):
        ws.column_dimensions[letter].width = width
    protect(ws)


__all__ = ["build_readme", "build_setup", "build_trace"]
