"""*Prognose*: chapter 9 of the report (tabell 12) as formulas: the survey year and the next three
years, per expense component of tabell 1, with up to three scenarios for social assistance, side
by side; figures 19 and 21 (history from *Historikk* plus the prognoses).

Every assumption is a parameter on *Parametre* (group «prognose»; ids in
``kalk_excel.model.prognosis``), shown again at the top; the reference model
``kalk_excel.model.prognosis.project`` computes the same. Column B is the survey year (the named
results of *Beregning*), C:E the prognosis years 1-3. Workbook-scope names: ``prognose_<row>_<c>``
for the rows common to the scenarios (adm, intro, vente, helse, tilskudd) and
``prognose_p<s>_<row>_<c>`` (sosialhjelp, utgift, dekningsgrad) per scenario, c = 0 (survey year)..3.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from ..model.prognosis import COMPONENTS as COMPONENT_KEYS
from ..model.prognosis import (
    CUT,
    CUT_PRICED,
    KULL,
    PRICE,
    RATE_FACTOR,
    REAL,
    SCENARIO_NAMES,
    SCENARIOS,
    TABLE12_ROWS,
    YEARS,
    intro_id,
    sosialhjelp_id,
)
from .refs import Refs, quote
from .style import BOLD, FMT_FRACTION, FMT_KR, FMT_RATIO, header, print_setup, protect, status_and_title

COLS = "BCDE"                  # B = survey year, C:E = prognosis years 1..3
INTRO = ("Prognose for utgift per person, tilskudd og dekningsgrad i kartleggingsåret og de tre neste årene "
         "(rapportens kapittel 9 og tabell 12). Alle forutsetninger står på «Parametre» (gruppe «prognose») og "
         "vises her; kartleggingsåret (kolonne B) er årets resultater fra «Beregning». Prognose 1-3 skiller seg "
         "bare i utbetalt sosialhjelp. Metoden: docs/beregning.md, «Prognose».")
ASSUMPTIONS = [
    ("Prisvekst (deflator / KPI)", PRICE, FMT_RATIO),
    ("Vekst utover prisveksten i utgifter til integreringstiltak", REAL, FMT_RATIO),
    ("Nedjustering av fratrekket for særskilt tilskudd EM", CUT, FMT_RATIO),
    ("Fratrekket for særskilt tilskudd prisjusteres (1 = ja, 0 = nei)", CUT_PRICED, "0"),
    ("Tilskuddssatsene, faktor mot året før (1 = nominell videreføring)", RATE_FACTOR, FMT_FRACTION),
]
FIRST_ROW = 5


def name(key: str, column: int, scenario: int | None = None) -> str:
    """The workbook-scope name of a tabell 12 cell (column 0 = survey year)."""
    return f"prognose_p{scenario}_{key}_{column}" if scenario else f"prognose_{key}_{column}"


def build(ws: Worksheet, year: int, refs: Refs) -> dict[str, str]:
    """Write the sheet for survey year ``year``; return name -> absolute reference."""
    status_and_title(ws, "Prognose – utgifter, tilskudd og dekningsgrad fremover (kapittel 9, tabell 12)")
    ws.cell(3, 1, INTRO)
    sheet = quote(ws.title)
    names: dict[str, str] = {}
    row = FIRST_ROW

    def years_header(r: int, first: str) -> None:
        header(ws, r, [first, f"{year} (kartlagt)", *(f"Prognose {year + k}" for k in range(1, YEARS + 1))])

    # Assumptions (references to Parametre)
    ws.cell(row, 1, "Forutsetninger (fra «Parametre»)").font = BOLD
    years_header(row + 1, "Forutsetning")
    row += 2
    at: dict[str, int] = {}
    for label, ids, fmt in ASSUMPTIONS:
        ws.cell(row, 1, label)
        for k, pid in enumerate(ids, start=1):
            ws.cell(row, k + 2, f"={pid}").number_format = fmt
        at[ids[0]] = row
        row += 1
    price, real, cut, priced, factor = (at[ids[0]] for _, ids, _ in ASSUMPTIONS)
    row += 1

    # Integreringstiltak split into the measures (T) and the særskilt-tilskudd deduction (S)
    ws.cell(row, 1, "Utgifter til integreringstiltak per person per år").font = BOLD
    years_header(row + 1, "Størrelse")
    t_row, s_row = row + 2, row + 3
    inkl, sarskilt = refs.calc_range("inkludert"), refs.calc_range("sarskilt_em")
    ws.cell(t_row, 1, "Integreringstiltak og administrasjon før fratrekket for særskilt tilskudd")
    ws.cell(t_row, 2, f"=adm_utgift_per_person_aar+B{s_row}")
    ws.cell(s_row, 1, "Fratrekk for særskilt tilskudd EM (vedlegg 5, med motsatt fortegn)")
    ws.cell(s_row, 2, f"=-SUMPRODUCT({inkl},{sarskilt})/antall_malgruppe_sum")
    for c in range(1, YEARS + 1):
        col, prev = COLS[c], COLS[c - 1]
        ws.cell(t_row, c + 2, f"={prev}{t_row}*(1+{col}{price})*(1+{col}{real})")
        ws.cell(s_row, c + 2, f"={prev}{s_row}*(1-{col}{cut})*(1+{col}{price}*{col}{priced})")
    for r in (t_row, s_row):
        for c in range(YEARS + 1):
            ws.cell(r, c + 2).number_format = FMT_KR
    row = s_row + 2

    # Per-cohort amounts: introduksjonsstønad (common), sosialhjelp per scenario
    def cohort_grid(title: str, survey_id: str, ids: list[list[str]]) -> tuple[int, int]:
        nonlocal row
        ws.cell(row, 1, title).font = BOLD
        years_header(row + 1, "Kull (kull 1 = bosatt samme år)")
        first = row + 2
        for j in range(1, KULL + 1):
            r = first + j - 1
            ws.cell(r, 1, f"Kull {j}")
            ws.cell(r, 2, f"={survey_id}_kull_{j}").number_format = FMT_KR
            for k in range(1, YEARS + 1):
                ws.cell(r, k + 2, f"={ids[k - 1][j - 1]}").number_format = FMT_KR
        row = first + KULL + 1
        return first, first + KULL - 1

    intro_grid = cohort_grid("Utbetalt introduksjonsstønad per person, per kull", "introstonad",
                             [[intro_id(k, j) for j in range(1, KULL + 1)] for k in range(1, YEARS + 1)])
    sos_grids = [cohort_grid(f"Utbetalt sosialhjelp per person, per kull – {SCENARIO_NAMES[s - 1]}", "sosialhjelp",
                             [[sosialhjelp_id(s, k, j) for j in range(1, KULL + 1)] for k in range(1, YEARS + 1)])
                 for s in range(1, SCENARIOS + 1)]

    # Tabell 12 per scenario
    table_rows: dict[int, dict[str, int]] = {}
    for s in range(1, SCENARIOS + 1):
        ws.cell(row, 1, f"Tabell 12 – {SCENARIO_NAMES[s - 1]}").font = BOLD
        years_header(row + 1, "Kroner per person over fem år")
        first = row + 2
        rows = {key: first + i for i, (key, _) in enumerate(TABLE12_ROWS)}
        table_rows[s] = rows
        common = table_rows[1]
        for key, label in TABLE12_ROWS:
            ws.cell(rows[key], 1, label)
        for c in range(YEARS + 1):
            col, prev = COLS[c], COLS[c - 1] if c else ""
            formulas = {
                "sosialhjelp": f"=SUM({col}{sos_grids[s - 1][0]}:{col}{sos_grids[s - 1][1]})",
                "utgift": f"=SUM({col}{rows['adm']}:{col}{rows['helse']})",
                "dekningsgrad": f"={col}{rows['tilskudd']}/{col}{rows['utgift']}",
            }
            if s == 1:
                formulas.update({
                    "adm": f"=({col}{t_row}-{col}{s_row})*aar_i_tilskuddsperioden",
                    "intro": f"=SUM({col}{intro_grid[0]}:{col}{intro_grid[1]})",
                    "vente": f"={prev}{rows['vente']}*(1+{col}{price})" if c else "=ventestonad_per_person",
                    "helse": f"={prev}{rows['helse']}*(1+{col}{price})" if c else "=helse_per_person",
                    "tilskudd": (f"={prev}{rows['tilskudd']}*{col}{factor}" if c
                                 else "=tilskudd_per_person_fem_aar"),
                })
            else:   # only social assistance differs: the common rows from prognose 1
                formulas.update({key: f"={col}{common[key]}" for key in ("adm", "intro", "vente", "helse", "tilskudd")})
            for key, formula in formulas.items():
                cell = ws.cell(rows[key], c + 2, formula)
                cell.number_format = FMT_RATIO if key == "dekningsgrad" else FMT_KR
                ref = f"{sheet}!${col}${rows[key]}"
                if key in ("sosialhjelp", "utgift", "dekningsgrad"):
                    names[name(key, c, s)] = ref
                elif s == 1:
                    names[name(key, c)] = ref
        row = first + len(TABLE12_ROWS) + 1

    # Side by side
    ws.cell(row, 1, "Prognosene side om side").font = BOLD
    header(ws, row + 1, ["År", *(f"Utgift per person, {n}" for n in SCENARIO_NAMES),
                         *(f"Dekningsgrad, {n}" for n in SCENARIO_NAMES),
                         *(f"{n}: forskjell i utgift fra prognose 1" for n in SCENARIO_NAMES[1:])])
    ws.row_dimensions[row + 1].height = 60
    first = row + 2
    for c in range(YEARS + 1):
        r = first + c
        ws.cell(r, 1, year + c)
        for s in range(1, SCENARIOS + 1):
            ws.cell(r, 1 + s, f"={COLS[c]}{table_rows[s]['utgift']}").number_format = FMT_KR
            ws.cell(r, 1 + SCENARIOS + s, f"={COLS[c]}{table_rows[s]['dekningsgrad']}").number_format = FMT_RATIO
        for i, s in enumerate(range(2, SCENARIOS + 1)):
            ws.cell(r, 2 + 2 * SCENARIOS + i, f"={_col(1 + s)}{r}/B{r}-1").number_format = "0.0%"
    row = first + YEARS + 2

    ws.column_dimensions["A"].width = 70
    for letter in "BCDEFGHIJ":
        ws.column_dimensions[letter].width = 18
    print_setup(ws, title_cols="A:A")
    protect(ws)
    return names



def _col(index: int) -> str:
    return "ABCDEFGHIJKLMNOP"[index - 1]


def add_charts(ws: Worksheet, history: Worksheet, first_row: int, last_row: int, columns: dict[str, int]) -> None:
    """Figures 19 and 21 on *Prognose*, from the year table on *Historikk* (rows ``first_row`` ..
    ``last_row``; ``columns``: key -> column index of utgift, p1..p3 and the five components)."""
    cats = Reference(history, min_col=1, min_row=first_row, max_row=last_row)
    fig19 = LineChart()
    fig19.title = "Figur 19. Utgift per person (fem år): faktisk og prognoser"
    for key in ("utgift", "p1", "p2", "p3"):
        col = columns[key]
        fig19.add_data(Reference(history, min_col=col, min_row=first_row - 1, max_row=last_row), titles_from_data=True)
    fig19.set_categories(cats)
    for series in fig19.series:
        series.smooth = False
    fig21 = BarChart()
    fig21.type, fig21.grouping, fig21.overlap = "col", "stacked", 100
    fig21.title = "Figur 21. Utgift per person etter utgiftsområde: faktisk og prognose 1"
    for key in COMPONENT_KEYS:
        col = columns[key]
        fig21.add_data(Reference(history, min_col=col, min_row=first_row - 1, max_row=last_row), titles_from_data=True)
    fig21.set_categories(cats)
    top = ws.max_row + 2                      # under the tables, so the sheet prints on one page width
    for chart, anchor in ((fig19, f"A{top}"), (fig21, f"A{top + 24}")):
        chart.height, chart.width = 11, 24
        chart.y_axis.title = "kr per person"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.y_axis.numFmt = FMT_KR
        ws.add_chart(chart, anchor)
