"""Fixed layout of the master workbook: sheet names, header rows and the fixed cells that the
pull code (``kalk_excel.pipeline``) and the add-in write into, and the Oppsett table of
municipalities the secretariat keeps out of the calculation. One place, read by both sides."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

SHEET_README = "Les meg"
SHEET_SETUP = "Oppsett"
SHEET_PARAMS = "Parametre"
SHEET_INPUT = {"adm": "Innrapportert adm", "norsk": "Innrapportert norsk"}
SHEET_FORMCALC = {"adm": "Skjemaberegning adm", "norsk": "Skjemaberegning norsk"}
SHEET_PER_KOMMUNE = "Beregning per kommune"
SHEET_CALC = "Beregning"
SHEET_RESULTS = "Resultat"
SHEET_CHECKS = "Kontroll"
SHEET_TRACE = "Sporbarhet"

SHEET_ORDER = [SHEET_README, SHEET_SETUP, SHEET_PARAMS, SHEET_INPUT["adm"], SHEET_INPUT["norsk"],
               SHEET_FORMCALC["adm"], SHEET_FORMCALC["norsk"], SHEET_PER_KOMMUNE, SHEET_CALC, SHEET_RESULTS, SHEET_CHECKS, SHEET_TRACE]

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
]
MODEL_FIRST_ROW = 24          # first row of the model block on Kontroll
MODEL_VALUE_COL = "D"         # column the pipeline fills with the model's values

RESULT_NAMES = [name for name, _, _ in MODEL_CHECK]


def col(index: int) -> str:
    """1-based column index -> letter."""
    return get_column_letter(index)
