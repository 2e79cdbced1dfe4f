"""*Resultat*: the report's tables 1-5 and vedlegg 2, 5, 8, 9 as live tables in the report's
layout (references to the named results and to *Beregning per kommune*), plus three bar charts."""

from __future__ import annotations

import re

from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from .layout import SHEET_CALC, SHEET_PER_KOMMUNE
from .perkommune_spec import AREAS
from .refs import Refs, quote
from .style import BOLD, FMT_COUNT, FMT_KR, FMT_RATIO, header, protect, status_and_title

KR, PCT = FMT_KR, FMT_RATIO

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


def build(ws: Worksheet, refs: Refs, area_first: int) -> None:
    status_and_title(ws, "Resultat – rapportens tabeller (levende formler)")
    row = 4
    for title, rows in TABLES:
        ws.cell(row, 1, title).font = BOLD
        header(ws, row + 1, ["", "Verdi", "Navn"])
        row += 2
        for label, name, fmt in rows:
            ws.cell(row, 1, label)
            ws.cell(row, 2, f"={name}").number_format = fmt
            ws.cell(row, 3, name)
            row += 1
        row += 1
    # Vedlegg 5 from the area table on Beregning (same order, one formula per column).
    ws.cell(row, 1, "Vedlegg 5. Utgifter per person etter utgiftsområde (kr)").font = BOLD
    header(ws, row + 1, ["Utgiftsområde", "Snitt", "Median"])
    v5_first = row + 2
    calc = quote(SHEET_CALC)
    for i in range(len(AREAS) + 1):
        r, src = v5_first + i, area_first + i
        ws.cell(r, 1, f"={calc}!A{src}")
        ws.cell(r, 2, f"={calc}!C{src}").number_format = KR
        ws.cell(r, 3, f"={calc}!D{src}").number_format = KR
    row = v5_first + len(AREAS) + 2
    chart_anchors = []
    per = quote(SHEET_PER_KOMMUNE)
    for title, cols in PER_KOMMUNE:
        ws.cell(row, 1, title).font = BOLD
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
        row = first + refs.n_rows + 1
    _charts(ws, v5_first, len(AREAS), chart_anchors)
    ws.column_dimensions["A"].width = 62
    for letter in "BCDE":
        ws.column_dimensions[letter].width = 18
    protect(ws)


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
    areas.height, areas.width = 10, 18
    ws.add_chart(areas, "G4")
    specs = [(tables[0], 5, "Snitt per person per kommune (kr)", "G26"),
             (tables[2], 5, "Utgift per undervisningstime per kommune (kr)", "G48")]
    for (title, first, last, _), value_col, chart_title, anchor in specs:
        chart = BarChart()
        chart.type = "col"
        chart.title = chart_title
        chart.add_data(Reference(ws, min_col=value_col, min_row=first - 1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, min_row=first, max_row=last))
        chart.height, chart.width = 10, 24
        ws.add_chart(chart, anchor)
