"""Fixed layout of the master workbook: sheet names, header rows and the fixed cells that the
pull code (``kalk_excel.pipeline``) and the add-in write into, the Oppsett table of
municipalities the secretariat keeps out of the calculation, and the input blocks of last year's
values on *Fjorår*. One place, read by both sides."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

SHEET_README = "Les meg"
SHEET_SETUP = "Oppsett"
SHEET_PARAMS = "Parametre"
SHEET_LASTYEAR = "Fjorår"
SHEET_CORRECTIONS = "Korreksjoner"      # the secretariat's corrections of submitted values (input)
SHEET_REGISTER = "Registerdata"         # SSB/KOSTRA/IMDi figures per municipality (input; sheet_registerdata)
SHEET_INPUT = {"adm": "Innrapportert adm", "norsk": "Innrapportert norsk"}
SHEET_FORMCALC = {"adm": "Skjemaberegning adm", "norsk": "Skjemaberegning norsk"}
SHEET_PER_KOMMUNE = "Beregning per kommune"
SHEET_CALC = "Beregning"
SHEET_RESULTS = "Resultat"
SHEET_PROGNOSE = "Prognose"             # chapter 9: tabell 12 and the scenarios (issue 14)
SHEET_HISTORY = "Historikk"             # earlier years' published results (input), figures 19/21/7
SHEET_CHECKS = "Kontroll"
SHEET_TRACE = "Sporbarhet"
SHEET_STATUS = "Innleveringer"          # who has returned what (written by the pull, like Sporbarhet)
SHEET_CHANGELOG = "Endringslogg"
SHEET_KOMMUNER = "Kommuner"

SHEET_ORDER = [SHEET_README, SHEET_SETUP, SHEET_PARAMS, SHEET_LASTYEAR, SHEET_CORRECTIONS, SHEET_REGISTER,
               SHEET_INPUT["adm"],
               SHEET_INPUT["norsk"], SHEET_FORMCALC["adm"], SHEET_FORMCALC["norsk"], SHEET_PER_KOMMUNE, SHEET_CALC,
               SHEET_RESULTS, SHEET_PROGNOSE, SHEET_HISTORY, SHEET_CHECKS, SHEET_STATUS, SHEET_TRACE, SHEET_CHANGELOG,
               SHEET_KOMMUNER]

FORMS = ("adm", "norsk")

# Row 1 of every sheet shows the master status; row 2 the sheet title.
STATUS_ROW = 1
TITLE_ROW = 2

# Innrapportert sheets and Beregning per kommune share row numbers: municipality i (0-based) is
# on row FIRST_DATA_ROW + i on all three sheets, so formulas use plain same-row references.
HEADER_ID_ROW = 4
HEADER_LABEL_ROW = 5
FIRST_DATA_ROW = 6

# Status/flag columns first on the Innrapportert sheets: (key, Norwegian header).
STATUS_COLUMNS = [
    ("kommunenummer", "Kommunenummer"),
    ("kommune", "Kommune"),
    ("mottatt", "Mottatt (filtid)"),
    ("status", "Status fra mottakskontrollen"),
    ("inkludert", "Inkludert i beregningen (1/0)"),
    ("fil", "Fil"),
    ("sha256", "SHA-256 av filen"),
]
STATUS_KEYS = [k for k, _ in STATUS_COLUMNS]
ACCEPTED_STATUSES = ("godkjent", "advarsler")

# Oppsett: label in A, value in B.
SETUP_ROWS = [
    ("oppsett_aar", "Kartleggingsår"),
    ("oppsett_innleveringsmappe", "Mappe med innleveringer"),
    ("oppsett_status", "Status for siste henting"),
    ("oppsett_sist_hentet", "Sist hentet"),
]
SETUP_FIRST_ROW = 4
SETUP_VALUE_COL = "B"


def setup_cell(name: str) -> str:
    """The cell (e.g. ``B4``) on Oppsett that holds ``name``."""
    keys = [k for k, _ in SETUP_ROWS]
    return f"{SETUP_VALUE_COL}{SETUP_FIRST_ROW + keys.index(name)}"


# Oppsett: the secretariat's table «Holdes utenfor beregningen» (municipality/survey pairs left out
# of the calculation even when the submission is accepted). Input cells A:C, one row per pair.
EXCLUSION_NAME = "oppsett_utelatt"
EXCLUSION_TITLE = "Holdes utenfor beregningen"
EXCLUSION_TITLE_ROW = 9
EXCLUSION_HEADER_ROW = 12
EXCLUSION_FIRST_ROW = 13
EXCLUSION_ROWS = 30
EXCLUSION_COLUMNS = [
    ("kommunenummer", "Kommunenummer"),
    ("skjema", "Skjema (adm / norsk / begge)"),
    ("begrunnelse", "Begrunnelse (må fylles ut)"),
]
EXCLUSION_FORMS = ("adm", "norsk", "begge")


def exclusion_range() -> str:
    """The table's input cells on Oppsett, e.g. ``A13:C42`` (the name ``oppsett_utelatt``)."""
    last = EXCLUSION_FIRST_ROW + EXCLUSION_ROWS - 1
    return f"A{EXCLUSION_FIRST_ROW}:{get_column_letter(len(EXCLUSION_COLUMNS))}{last}"


# Fjorår: last year's values (inputs; empty = not given). Three blocks, each a workbook-scope name
# over its value cells; column A is the key (area label, year, kommunenummer), the last column the
# source. The per-municipality block is last because its length follows the kommune list.
LASTYEAR_AREA_NAME = "fjor_snitt_omrade"       # B: average per person last year, per area + Sum
LASTYEAR_AREA_FIRST_ROW = 7                    # 13 areas + Sum (the order of vedlegg 5)
LASTYEAR_HISTORY_NAME = "historikk_norsk"      # B:C participants, teaching hours in year-4 .. year-1
LASTYEAR_HISTORY_YEARS = 4
LASTYEAR_KOMMUNE_NAME = "fjor_norsk_kommune"   # C:D participants, teaching hours last year
LASTYEAR_AREA_COLUMNS = ["Utgiftsområde", "Snitt per person i fjor (kr)", "Kilde"]
LASTYEAR_HISTORY_COLUMNS = ["År", "Deltakere", "Undervisningstimer", "Kilde"]
LASTYEAR_KOMMUNE_COLUMNS = ["Kommunenummer", "Kommune", "Deltakere i fjor", "Undervisningstimer i fjor",
                            "Kilde"]


def lastyear_rows(n_areas: int) -> dict[str, int]:
    """Rows of the Fjorår blocks: title, header and first data row of each block."""
    area_last = LASTYEAR_AREA_FIRST_ROW + n_areas       # the Sum row
    history_title = area_last + 2
    history_first = history_title + 2
    kommune_title = history_first + LASTYEAR_HISTORY_YEARS + 1
    return {"area_title": LASTYEAR_AREA_FIRST_ROW - 2, "area_first": LASTYEAR_AREA_FIRST_ROW,
            "area_last": area_last, "history_title": history_title, "history_first": history_first,
            "kommune_title": kommune_title, "kommune_first": kommune_title + 2}


# Korreksjoner: the secretariat's corrections of submitted values, one per row (input cells A:H under
# the workbook-scope name ``korreksjoner``); the pull writes I:J (the submitted value and whether the
# row is used). Applied on top of the pulled values by ``pipeline.corrections``.
CORRECTION_NAME = "korreksjoner"
CORRECTION_HEADER_ROW = 4
CORRECTION_FIRST_ROW = 5
CORRECTION_ROWS = 200
CORRECTION_COLUMNS = [
    ("kommunenummer", "Kommunenummer"),
    ("skjema", "Skjema (adm / norsk)"),
    ("felt", "Felt-id"),
    ("ny_verdi", "Ny verdi"),
    ("begrunnelse", "Begrunnelse (må fylles ut)"),
    ("kilde", "Kilde (f.eks. e-post fra kommunen, KOSTRA)"),
    ("dato", "Dato"),
    ("registrert_av", "Registrert av"),
]
CORRECTION_PULLED_COLUMNS = ["Innrapportert verdi", "Brukt i beregningen"]


def correction_range() -> str:
    """The input cells of *Korreksjoner*, e.g. ``A5:H204`` (the name ``korreksjoner``)."""
    last = CORRECTION_FIRST_ROW + CORRECTION_ROWS - 1
    return f"A{CORRECTION_FIRST_ROW}:{get_column_letter(len(CORRECTION_COLUMNS))}{last}"


# Innleveringer: the intake's status table (``intake.report.STATUS_TABLE``: header, then one row per
# expected kommune x skjema), written from this row by the pull.
STATUS_SHEET_FIRST_ROW = 4

# Kommuner: the year's kommune list kept in the master (input cells; header on row 4).
KOMMUNE_LIST_FIRST_ROW = 5
KOMMUNE_LIST_SPARE_ROWS = 20
KOMMUNE_LIST_COLUMNS = [("kommunenummer", "Kommunenummer"), ("navn", "Kommune"), ("skjema", "Skjema"),
                        ("imdi_malgruppe", "IMDis tall for målgruppen"), ("kontaktperson", "Kontaktperson"),
                        ("epost", "E-post")]

# Endringslogg: one row per change of a parameter between runs, appended by the pull.
CHANGELOG_HEADER_ROW = 4
CHANGELOG_FIRST_ROW = 5
CHANGELOG_COLUMNS = ["Tidspunkt", "Id (navn)", "Beskrivelse", "Gammel verdi", "Ny verdi", "Gammel kilde",
                     "Ny kilde", "Merknad"]


# Kontroll: the block compared with the Python reference model. (result name, label, kind)
MODEL_CHECK = [
    ("antall_malgruppe_sum", "Antall i målgruppen (korrigert), sum", "kr"),
    ("adm_utgifter_sum", "Sum utgifter (adm.), alle områder", "kr"),
    ("adm_utgift_per_person_aar", "Utgift per person per år (adm.)", "kr"),
    ("adm_utgift_fem_aar", "Utgift til integreringstiltak og adm. (fem år)", "kr"),
    ("sosialhjelp_fem_aar", "Sosialhjelp (fem årskull)", "kr"),
    ("introstonad_fem_aar", "Introduksjonsstønad (fem årskull)", "kr"),
    ("ventestonad_per_person", "Ventestønad inkl. etablering", "kr"),
    ("helse_per_person", "Helsetjenester", "kr"),
    ("utgift_per_person_fem_aar", "Utgift per person (fem år)", "kr"),
    ("tilskudd_per_person_fem_aar", "Beregnet tilskudd per person (fem år)", "kr"),
    ("dekningsgrad_integreringstilskudd", "Dekningsgrad integreringstilskudd", "andel"),
    ("adm_utgift_per_em_aar", "EM: utgift per EM per år (adm.)", "kr"),
    ("utgift_per_em_fem_aar", "EM: utgift per EM (fem år)", "kr"),
    ("sarskilt_per_em_aar", "EM: særskilt tilskudd per EM per år", "kr"),
    ("tilskudd_per_em_fem_aar", "EM: beregnet tilskudd per EM (fem år)", "kr"),
    ("dekningsgrad_em", "EM: samlet dekningsgrad", "andel"),
    ("norsk_utgifter_sum", "Norsk: samlede utgifter", "kr"),
    ("norsk_inntekter_sum", "Norsk: samlede inntekter", "kr"),
    ("dekningsgrad_norsk", "Norsk: dekningsgrad", "andel"),
    ("utgift_per_undervisningstime", "Norsk: utgift per undervisningstime", "kr"),
    ("norsk_deltakere_sum", "Norsk: sum deltakere", "kr"),
    ("norsk_timer_sum", "Norsk: sum undervisningstimer", "kr"),
]
MODEL_FIRST_ROW = 24          # first row of the model block on Kontroll
MODEL_VALUE_COL = "D"         # column the pipeline fills with the model's values
MODEL_UNDEFINED = "kan ikke beregnes"   # written there when the model's result is undefined (NaN)

RESULT_NAMES = [name for name, _, _ in MODEL_CHECK]


def col(index: int) -> str:
    """1-based column index -> letter."""
    return get_column_letter(index)
