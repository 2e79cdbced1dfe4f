"""*Resultat*: the report's tables 1-5 and vedlegg 2, 5, 8, 9 as live tables in the report's
layout (references to the named results and to *Beregning per kommune*), plus three bar charts;
then the year-on-year tables tabell 10, vedlegg 6 and vedlegg 10, which compare this year with
last year's values on *Fjorår* (a change is shown as "" where last year is not given, and a
change in percent also where last year is 0)."""

from __future__ import annotations

import re

from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from .layout import LASTYEAR_HISTORY_YEARS, SHEET_CALC, SHEET_LASTYEAR, SHEET_PER_KOMMUNE, lastyear_rows
from .perkommune_spec import AREAS
from .refs import Refs, quote
from .sheet_calc import MEDIAN_OF_TOTALS_LABEL, empty_note, note_formula, samples
from .style import BOLD, FMT_COUNT, FMT_KR, FMT_RATIO, header, print_setup, protect, status_and_title

KR, PCT = FMT_KR, FMT_RATIO
CHART_WIDTH_CM = 13.5     # the charts stand in columns G:J (4 × width 18), inside the print area A:J

TABLES: list[tuple[str, list[tuple[str, str, str]]]] = [
    ("Tabell 1. Utgifter per person i målgruppen over fem år (kr)", [
        ("Utgifter til integreringstiltak og administrasjon av disse", "adm_utgift_fem_aar", KR),
        ("Utbetalt introduksjonsstønad", "introstonad_fem_aar", KR),
        ("Utbetalt sosialhjelp", "sosialhjelp_fem_aar", KR),
        ("Utbetalt ventestønad inkl. etablering", "ventestonad_per_person", KR),
        ("Utgifter til helsetjenester", "helse_per_person", KR),
        ("Gjennomsnittlig utgift per person", "utgift_per_person_fem_aar", KR)]),
    ("Tabell 2. Beregnet tilskudd og dekningsgrad", [
        ("Beregnet utbetalt tilskudd (fem år)", "tilskudd_per_person_fem_aar", KR),
        ("Dekningsgrad integreringstilskudd", "dekningsgrad_integreringstilskudd", PCT)]),
    ("Tabell 3. Utgifter per enslig mindreårig over fem år (kr)", [
        ("Utgifter til integreringstiltak og administrasjon", "adm_utgift_per_em_fem_aar", KR),
        ("Utbetalt introduksjonsstønad", "em_introstonad_fem_aar", KR),
        ("Utbetalt sosialhjelp", "em_sosialhjelp_fem_aar", KR),
        ("Utbetalt ventestønad inkl. etablering", "ventestonad_per_person", KR),
        ("Utgifter til helsetjenester", "helse_per_person", KR),
        ("Gjennomsnittlig utgift per enslig mindreårig", "utgift_per_em_fem_aar", KR)]),
    ("Tabell 4. Tilskudd og dekningsgrad for enslige mindreårige", [
        ("Beregnet utbetalt tilskudd (integreringstilskudd + særskilt tilskudd)", "tilskudd_per_em_fem_aar", KR),
        ("Samlet dekningsgrad", "dekningsgrad_em", PCT),
        ("Dekket av integreringstilskuddet", "dekningsgrad_em_integreringstilskudd", PCT),
        ("Dekket av særskilt tilskudd", "dekningsgrad_em_sarskilt", PCT)]),
    ("Tabell 5. Norskopplæring: utgifter, inntekter og dekningsgrad", [
        ("Samlede utgifter", "norsk_utgifter_sum", KR),
        ("Samlede inntekter", "norsk_inntekter_sum", KR),
        ("Dekningsgrad norsktilskudd", "dekningsgrad_norsk", PCT),
        ("Gjennomsnittlig utgift per undervisningstime", "utgift_per_undervisningstime", KR)]),
]

# Per-municipality annex tables: (title, [(header, template over {c:key}, format)]).
PER_KOMMUNE: list[tuple[str, list[tuple[str, str, str]]]] = [
    ("Vedlegg 2. Antall i målgruppen og utgifter per kommune", [
        ("Kommunenr", "{c:kommunenummer}", "@"), ("Kommune", "{c:kommune}", "@"),
        ("Antall i målgruppen", 'IF({c:inkludert}=1,{c:n},"")', FMT_COUNT),
        ("Totale utgifter", 'IF({c:inkludert}=1,{c:total},"")', KR),
        ("Snitt per person", 'IF({c:inkludert}=1,{c:snitt},"")', KR)]),
    ("Vedlegg 8. Norskopplæring: utgifter og inntekter per kommune", [
        ("Kommunenr", "{c:kommunenummer}", "@"), ("Kommune", "{c:kommune}", "@"),
        ("Samlede utgifter", 'IF({c:no_flagg}=1,{c:no_utgift},"")', KR),
        ("Samlede inntekter", 'IF({c:no_flagg}=1,{c:no_inntekt},"")', KR),
        ("Resultat", 'IF({c:no_flagg}=1,{c:no_resultat},"")', KR)]),
    ("Vedlegg 9. Norskopplæring: deltakere, timer og utgift per time", [
        ("Kommunenr", "{c:kommunenummer}", "@"), ("Kommune", "{c:kommune}", "@"),
        ("Deltakere", 'IF({c:no_flagg}=1,{c:no_deltakere},"")', "#,##0"),
        ("Undervisningstimer", 'IF({c:no_flagg}=1,{c:no_timer},"")', "#,##0"),
        ("Utgift per time", "{c:no_per_time}", KR)]),
]

# Workbook-scope names of the annex tables' data cells (read back by pipeline.results to compare
# every value shown with the model); the per-municipality ones in the order of PER_KOMMUNE.
VEDLEGG5_NAME = "vedlegg5_tabell"
PER_KOMMUNE_NAMES = ("vedlegg2_tabell", "vedlegg8_tabell", "vedlegg9_tabell")
PER_KOMMUNE_SAMPLES = ("adm", "norsk", "norsk")     # the note beside the title when that sample is empty

# Year-on-year: a value from Fjorår shown only when it is a number; change and change in percent.
_LAST = 'IF({src}="","",IF(ISERROR({src}*1),"",{src}*1))'
_CHANGE = 'IF(OR({last}="",{now}=""),"",{now}-{last})'
_CHANGE_PCT = 'IF(OR({last}="",{now}=""),"",IF({last}=0,"",({now}-{last})/{last}))'


def build(ws: Worksheet, refs: Refs, area_first: int) -> dict[str, str]:
    """Write the sheet; return the names of the annex tables (name -> absolute range)."""
    status_and_title(ws, "Resultat – rapportens tabeller (levende formler)")
    row = 4
    sample_of = samples(refs)
    for title, rows in TABLES:
        ws.cell(row, 1, title).font = BOLD
        header(ws, row + 1, ["", "Verdi", "Navn", "Merknad"])
        row += 2
        for label, name, fmt in rows:
            ws.cell(row, 1, label)
            ws.cell(row, 2, f"={name}").number_format = fmt
            ws.cell(row, 3, name)
            if name in sample_of:
                ws.cell(row, 4, note_formula(f"B{row}", sample_of[name]))
            row += 1
        row += 1
    # Vedlegg 5 from the area table on Beregning (same order, one formula per column).
    ws.cell(row, 1, "Vedlegg 5. Utgifter per person etter utgiftsområde (kr)").font = BOLD
    ws.cell(row, 2, empty_note("adm"))
    header(ws, row + 1, ["Utgiftsområde", "Snitt", "Median"])
    v5_first = row + 2
    calc = quote(SHEET_CALC)
    for i in range(len(AREAS) + 1):
        r, src = v5_first + i, area_first + i
        ws.cell(r, 1, f"={calc}!A{src}")
        ws.cell(r, 2, f"={calc}!C{src}").number_format = KR
        ws.cell(r, 3, f"={calc}!D{src}").number_format = KR
    # The Sum row's median is the sum of the area medians (as printed); the median of totals is its own row.
    ws.cell(v5_first + len(AREAS) + 1, 1, MEDIAN_OF_TOTALS_LABEL)
    ws.cell(v5_first + len(AREAS) + 1, 3, "=median_sum_per_person").number_format = KR
    sheet = quote(ws.title)
    names = {VEDLEGG5_NAME: f"{sheet}!$A${v5_first}:$C${v5_first + len(AREAS)}"}
    row = v5_first + len(AREAS) + 3
    chart_anchors = []
    per = quote(SHEET_PER_KOMMUNE)
    for (title, cols), sample, name in zip(PER_KOMMUNE, PER_KOMMUNE_SAMPLES, PER_KOMMUNE_NAMES, strict=True):
        ws.cell(row, 1, title).font = BOLD
        ws.cell(row, 3, empty_note(sample))
        header(ws, row + 1, [h for h, _, _ in cols])
        first = row + 2
        for i in range(refs.n_rows):
            r, src = first + i, refs.first_row + i
            for j, (_, template, fmt) in enumerate(cols, start=1):
                formula = _on_sheet(template, refs, src, per)
                c = ws.cell(r, j, "=" + formula)
                if fmt != "@":
                    c.number_format = fmt
        chart_anchors.append((title, first, first + refs.n_rows - 1, len(cols)))
        names[name] = f"{sheet}!$A${first}:${_letter(len(cols))}${first + refs.n_rows - 1}"
        row = first + refs.n_rows + 1
    _charts(ws, v5_first, len(AREAS), chart_anchors)
    _year_on_year(ws, refs, row, v5_first)
    ws.column_dimensions["A"].width = 62
    for letter in "BCDEFGHIJ":
        ws.column_dimensions[letter].width = 18
    # printed: landscape, all columns on one page width, so each label stands beside its number
    print_setup(ws, title_rows="1:2")
    print_area(ws)
    protect(ws)
    return names


def print_area(ws: Worksheet) -> None:
    """Columns A:J down to the last row (the charts stand in G:J)."""
    ws.print_area = f"A1:J{ws.max_row}"


def _year_on_year(ws: Worksheet, refs: Refs, row: int, v5_first: int) -> None:
    """Tabell 10, vedlegg 6 and vedlegg 10 from ``row`` down (last year's values from *Fjorår*)."""
    fjor = quote(SHEET_LASTYEAR)
    rows = lastyear_rows(len(AREAS))
    ws.cell(row, 1, "Tabell 10. Deltakere og undervisningstimer totalt for utvalgskommunene").font = BOLD
    header(ws, row + 1, ["År", "Deltakere", "Undervisningstimer"])
    first = row + 2
    for i in range(LASTYEAR_HISTORY_YEARS):
        r, src = first + i, rows["history_first"] + i
        ws.cell(r, 1, f"={fjor}!A{src}").number_format = "0"
        for j, letter in ((2, "B"), (3, "C")):
            ws.cell(r, j, "=" + _LAST.format(src=f"{fjor}!{letter}{src}")).number_format = "#,##0"
    r = first + LASTYEAR_HISTORY_YEARS
    ws.cell(r, 1, "=oppsett_aar").number_format = "0"
    ws.cell(r, 2, "=norsk_deltakere_sum").number_format = "#,##0"
    ws.cell(r, 3, "=norsk_timer_sum").number_format = "#,##0"
    row = r + 2

    ws.cell(row, 1, "Vedlegg 6. Utgifter per person etter utgiftsområde, i fjor og i år (kr og prosent)").font = BOLD
    header(ws, row + 1, ["Utgiftsområde", "Gjennomsnitt i fjor", "Gjennomsnitt i år", "Endring (kr)",
                         "Endring i prosent"])
    first = row + 2
    for i in range(len(AREAS) + 1):
        r = first + i
        ws.cell(r, 1, f"=A{v5_first + i}")
        ws.cell(r, 2, "=" + _LAST.format(src=f"{fjor}!B{rows['area_first'] + i}")).number_format = KR
        ws.cell(r, 3, f"=B{v5_first + i}").number_format = KR
        ws.cell(r, 4, "=" + _CHANGE.format(last=f"B{r}", now=f"C{r}")).number_format = KR
        ws.cell(r, 5, "=" + _CHANGE_PCT.format(last=f"B{r}", now=f"C{r}")).number_format = PCT
    row = first + len(AREAS) + 2

    ws.cell(row, 1, "Vedlegg 10. Deltakere og undervisningstimer per kommune, i fjor og i år").font = BOLD
    header(ws, row + 1, ["Kommunenr", "Kommune", "Deltakere i fjor", "Deltakere i år", "Endring",
                         "Endring i prosent", "Undervisningstimer i fjor", "Undervisningstimer i år", "Endring",
                         "Endring i prosent"])
    first = row + 2
    per = quote(SHEET_PER_KOMMUNE)
    for i in range(refs.n_rows):
        r, src, fsrc = first + i, refs.first_row + i, rows["kommune_first"] + i
        ws.cell(r, 1, "=" + _on_sheet("{c:kommunenummer}", refs, src, per))
        ws.cell(r, 2, "=" + _on_sheet("{c:kommune}", refs, src, per))
        for last_col, key, fjor_col in ((3, "no_deltakere", "C"), (7, "no_timer", "D")):
            last, now = f"{_letter(last_col)}{r}", f"{_letter(last_col + 1)}{r}"
            ws.cell(r, last_col, "=" + _LAST.format(src=f"{fjor}!{fjor_col}{fsrc}")).number_format = "#,##0"
            ws.cell(r, last_col + 1, "=" + _on_sheet(f'IF({{c:no_flagg}}=1,{{c:{key}}},"")', refs, src, per)
                    ).number_format = "#,##0"
            ws.cell(r, last_col + 2, "=" + _CHANGE.format(last=last, now=now)).number_format = "#,##0"
            ws.cell(r, last_col + 3, "=" + _CHANGE_PCT.format(last=last, now=now)).number_format = PCT


def _letter(column: int) -> str:
    return "ABCDEFGHIJ"[column - 1]


def _on_sheet(template: str, refs: Refs, src_row: int, sheet: str) -> str:
    """Expand ``{c:key}`` to a same-row reference on *Beregning per kommune*."""
    return re.sub(r"\{c:([a-z0-9_]+)\}", lambda m: f"{sheet}!{refs.calc_cols[m.group(1)]}{src_row}", template)


def _charts(ws: Worksheet, v5_first: int, n_areas: int, tables: list[tuple[str, int, int, int]]) -> None:
    areas = BarChart()
    areas.type = "bar"
    areas.title = "Utgift per person etter utgiftsområde (snitt, kr)"
    areas.add_data(Reference(ws, min_col=2, min_row=v5_first - 1, max_row=v5_first + n_areas - 1),
                   titles_from_data=True)
    areas.set_categories(Reference(ws, min_col=1, min_row=v5_first, max_row=v5_first + n_areas - 1))
    areas.height, areas.width = 10, CHART_WIDTH_CM
    _visible_axes(areas)
    ws.add_chart(areas, "G4")
    specs = [(tables[0], 5, "Snitt per person per kommune (kr)", "G26"),
             (tables[2], 5, "Utgift per undervisningstime per kommune (kr)", "G48")]
    for (_title, first, last, _), value_col, chart_title, anchor in specs:
        chart = BarChart()
        chart.type = "col"
        chart.title = chart_title
        chart.add_data(Reference(ws, min_col=value_col, min_row=first - 1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, min_row=first, max_row=last))
        chart.height, chart.width = 10, CHART_WIDTH_CM
        _visible_axes(chart)
        ws.add_chart(chart, anchor)


def _visible_axes(chart: BarChart) -> None:
    """openpyxl 3.1 writes ``<c:delete val="1"/>`` on both axes unless told: Excel would then draw
    the bars without categories or a value scale."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False


# --- What would cover 100 % (issue 14; the model: kalk_excel.model.coverage) -------------------
COVERAGE_RATES_AR1 = ("tilskudd_ar1_enslige_voksne", "tilskudd_ar1_em", "tilskudd_ar1_andre")
COVERAGE_RATES = COVERAGE_RATES_AR1 + ("tilskudd_ar2", "tilskudd_ar3", "tilskudd_ar4", "tilskudd_ar5")
_LATER = "tilskudd_ar2+tilskudd_ar3+tilskudd_ar4+tilskudd_ar5"


def coverage_block(ws: Worksheet, row: int) -> dict[str, str]:
    """«Hva skal til for 100 % dekning» from ``row`` down: the factor on every integreringstilskudd
    rate and, separately, on the year-1 rates alone that makes this year's dekningsgrad 100 %, the
    rates that follow, and the dekningsgrad under the factors the user types on *Parametre*
    (``dekning_test_faktor_alle``, ``dekning_test_faktor_ar1``). Returns the workbook-scope names."""
    sheet = quote(ws.title)
    names: dict[str, str] = {}
    ws.cell(row, 1, "Hva skal til for 100 % dekning (integreringstilskuddet, kartleggingsåret)").font = BOLD
    ws.cell(row + 1, 1, "Eldretilskuddet holdes uendret; satsene skaleres med samme faktor. Prøv egne endringer med "
                        "faktorene på «Parametre» (gruppe «dekning»).")
    header(ws, row + 2, ["", "Verdi", "Navn"])
    r = row + 3

    def put(label: str, key: str, formula: str, fmt: str) -> None:
        nonlocal r
        ws.cell(r, 1, label)
        ws.cell(r, 2, "=" + formula).number_format = fmt
        ws.cell(r, 3, key)
        names[key] = f"{sheet}!$B${r}"
        r += 1

    put("Satsene for år 2-5, sum", "dekning_satser_ar2_5", _LATER, KR)
    put("Faktor på alle integreringstilskuddssatsene", "dekning100_faktor_alle",
        "(utgift_per_person_fem_aar-eldretilskudd_per_person)/(tilskudd_ar1_vektet+dekning_satser_ar2_5)", "0.0000")
    for rate in COVERAGE_RATES:
        put(f"  ny sats: {_RATE_LABELS[rate]}", f"dekning100_{rate}", f"{rate}*dekning100_faktor_alle", KR)
    put("Faktor på satsene for år 1 alene", "dekning100_faktor_ar1",
        "(utgift_per_person_fem_aar-dekning_satser_ar2_5-eldretilskudd_per_person)/tilskudd_ar1_vektet", "0.0000")
    put("Økning i vektet sats for år 1 (kr)", "dekning100_okning_ar1_kr",
        "utgift_per_person_fem_aar-tilskudd_per_person_fem_aar", KR)
    for rate in COVERAGE_RATES_AR1:
        put(f"  ny sats: {_RATE_LABELS[rate]}", f"dekning100_ar1_{rate}", f"{rate}*dekning100_faktor_ar1", KR)
    put("Tilskudd per person med satsendringen på «Parametre»", "dekning_test_tilskudd",
        "(tilskudd_ar1_vektet*dekning_test_faktor_ar1+dekning_satser_ar2_5)*dekning_test_faktor_alle"
        "+eldretilskudd_per_person", KR)
    put("Dekningsgrad med satsendringen på «Parametre»", "dekningsgrad_ved_satsendring",
        "dekning_test_tilskudd/utgift_per_person_fem_aar", PCT)
    return names


_RATE_LABELS = {
    "tilskudd_ar1_enslige_voksne": "år 1, enslige voksne", "tilskudd_ar1_em": "år 1, enslige mindreårige",
    "tilskudd_ar1_andre": "år 1, andre (voksne og barn)", "tilskudd_ar2": "år 2", "tilskudd_ar3": "år 3",
    "tilskudd_ar4": "år 4", "tilskudd_ar5": "år 5",
}
