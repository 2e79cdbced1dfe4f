"""*Beregning*: the aggregates of docs/beregning.md, each in a named cell (workbook-scope name =
result name): weighted averages via SUMPRODUCT with the inclusion flags, medians over helper
columns, five-year amounts, helse and kultur as last year's amount × (1 + the year's deflator) or
the fixed amount on *Parametre*, grant, coverage, EM, norsk; the vedlegg 5 table (its Sum row's
median is the sum of the area medians, as the report prints it; the median of the municipalities'
totals has its own row)."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.worksheet.worksheet import Worksheet

from .perkommune_spec import AREAS
from .refs import Refs, quote
from .style import BOLD, FMT_COUNT, FMT_KR, FMT_RATIO, header, print_setup, protect, status_and_title


@dataclass(frozen=True)
class Item:
    name: str | None              # workbook-scope name of the value cell (None for a heading)
    label: str
    formula: str = ""
    fmt: str = FMT_KR
    note: str = ""
    sample: str = ""              # adm | em | norsk: blank (with a note) when that sub-sample is empty


# An undefined result (empty sub-sample, denominator 0) is blank ("") and so is everything that
# depends on it (docs/beregning.md, "Tomme utvalg"); the Python model gives NaN for the same cases.
def _div(a: str, b: str) -> str:
    """a/b, blank when b is not a number above 0 (N() makes a blank b 0)."""
    return f'IF(N({b})>0,{a}/{b},"")'


def _if_numbers(names: list[str], expr: str) -> str:
    """``expr``, blank unless every name in ``names`` holds a number."""
    tests = [f"ISNUMBER({n})" for n in names]
    return f'IF({tests[0] if len(tests) == 1 else "AND(" + ",".join(tests) + ")"},{expr},"")'


# The sub-sample a result depends on: its count name, and the note when that sample is empty.
SAMPLES = {
    "adm": ("antall_kommuner_inkludert", "Ingen kommuner i utvalget"),
    "em": ("em_kommuner_antall", "Ingen kommuner i EM-utvalget"),
    "norsk": ("norsk_kommuner_antall", "Ingen kommuner i norskberegningen"),
}


def note_formula(value_cell: str, sample: str) -> str:
    """Why ``value_cell`` is blank: the sample is empty, or the denominator is 0 ("" when it has a value)."""
    count, empty = SAMPLES[sample]
    return f'=IF(ISNUMBER({value_cell}),"",IF({count}=0,"{empty}","Kan ikke beregnes: nevneren er 0"))'


def empty_note(sample: str) -> str:
    """A table's note: the sub-sample is empty ("" otherwise)."""
    count, empty = SAMPLES[sample]
    return f'=IF({count}=0,"{empty}","")'


def carried(what: str, label: str, year: int) -> list[Item]:
    """Helse or kultur per person: last year's published amount × (1 + deflator), unless Parametre
    has a fixed amount above 0 (docs/beregning.md)."""
    return [
        Item(f"{what}_fremskrevet", f"{label}: fjorårets beløp × (1 + deflator)",
             f"{what}_fjorar*(1+deflator_{year})", FMT_KR, f"{what}_fjorar og deflator_{year} på Parametre"),
        Item(f"{what}_per_person", label, f"IF({what}_fastsatt>0,{what}_fastsatt,{what}_fremskrevet)", FMT_KR,
             f"det faste beløpet {what}_fastsatt når det er over 0, ellers fremskrevet"),
    ]


def items(refs: Refs, year: int) -> list[Item]:
    r = refs.calc_range
    inkl, em, no = r("inkludert"), r("em_flagg"), r("no_flagg")
    tilskudd_2_5 = "tilskudd_ar2+tilskudd_ar3+tilskudd_ar4+tilskudd_ar5"
    return [
        Item(None, "Alle kommuner (administrasjonsskjema)"),
        Item("antall_kommuner_inkludert", "Antall kommuner inkludert", f"SUM({inkl})", "0"),
        Item("antall_malgruppe_sum", "Antall i målgruppen, korrigert (ΣN)", f"SUMPRODUCT({inkl},{r('n')})",
             FMT_COUNT, "N = antall 31.12. − flytter_andel_aar × innflyttet + flytter_andel_aar × utflyttet"),
        Item("adm_utgifter_sum", "Sum utgifter alle områder", f"SUMPRODUCT({inkl},{r('total')})"),
        Item("adm_utgift_per_person_aar", "Utgift per person per år (vektet)",
             _div("adm_utgifter_sum", "antall_malgruppe_sum"), FMT_KR, "Σ utgifter / Σ N (vedlegg 5, sum)", "adm"),
        Item("adm_utgift_fem_aar", "Utgifter til integreringstiltak og administrasjon (fem år)",
             _if_numbers(["adm_utgift_per_person_aar"], "adm_utgift_per_person_aar*aar_i_tilskuddsperioden"),
             FMT_KR, "tabell 1", "adm"),
        Item("introstonad_fem_aar", "Utbetalt introduksjonsstønad (fem årskull)",
             "+".join(f"introstonad_kull_{i}" for i in range(1, 6)), FMT_KR, "tabell 7"),
        Item("sosialhjelp_fem_aar", "Utbetalt sosialhjelp (fem årskull)",
             "+".join(f"sosialhjelp_kull_{i}" for i in range(1, 6)), FMT_KR, "tabell 6"),
        Item("ventestonad_sum", "Sum ventestønad inkl. etablering", f"SUMPRODUCT({inkl},{r('ventestonad')})"),
        Item("forstegangsbosatt_sum", "Sum førstegangsbosatte i året",
             f"SUMPRODUCT({inkl},{r('forstegangsbosatt')})", "#,##0"),
        Item("ventestonad_per_person", "Utbetalt ventestønad inkl. etablering (kun år 1)",
             _div("ventestonad_sum", "forstegangsbosatt_sum"), FMT_KR, "", "adm"),
        *carried("helse", "Utgifter til helsetjenester", year),
        *carried("kultur", "Kultur- og ungdomstiltak per person", year),
        Item("utgift_utenom_adm_fem_aar", "Introduksjonsstønad, sosialhjelp, ventestønad og helse",
             _if_numbers(["ventestonad_per_person"],
                         "introstonad_fem_aar+sosialhjelp_fem_aar+ventestonad_per_person+helse_per_person"),
             FMT_KR, "tabell 1, alle rader unntatt den første", "adm"),
        Item("utgift_per_person_fem_aar", "Gjennomsnittlig utgift per person (fem år)",
             _if_numbers(["adm_utgift_fem_aar", "utgift_utenom_adm_fem_aar"],
                         "adm_utgift_fem_aar+utgift_utenom_adm_fem_aar"), FMT_KR, "tabell 1", "adm"),
        Item(None, "Tilskudd og dekningsgrad"),
        Item("imdi_forstegang_sum", "Førstegangsbosatte hele landet (IMDi), sum tre grupper",
             "imdi_forstegang_familier+imdi_forstegang_enslige_voksne+imdi_forstegang_em", "#,##0"),
        Item("tilskudd_ar1_sum", "Tilskudd år 1 for alle førstegangsbosatte (tre grupper × sats)",
             "imdi_forstegang_familier*tilskudd_ar1_andre+imdi_forstegang_enslige_voksne"
             "*tilskudd_ar1_enslige_voksne+imdi_forstegang_em*tilskudd_ar1_em"),
        Item("tilskudd_ar1_vektet", "Tilskudd år 1, vektet", "tilskudd_ar1_sum/imdi_forstegang_sum"),
        Item("eldretilskudd_per_person", "Eldretilskudd per førstegangsbosatt",
             "eldretilskudd*imdi_forstegang_over_60/imdi_forstegang_sum"),
        Item("tilskudd_per_person_fem_aar", "Beregnet utbetalt tilskudd (fem år)",
             f"tilskudd_ar1_vektet+{tilskudd_2_5}+eldretilskudd_per_person", FMT_KR, "tabell 2"),
        Item("dekningsgrad_integreringstilskudd", "Dekningsgrad integreringstilskudd",
             _div("tilskudd_per_person_fem_aar", "utgift_per_person_fem_aar"), FMT_RATIO, "tabell 2", "adm"),
        Item(None, "Enslige mindreårige (EM-utvalget)"),
        Item("em_kommuner_antall", "Antall kommuner i EM-utvalget", f"SUM({em})", "0",
             "vedtak om å bosette EM, ikke i em_ekskludert, EM > 0"),
        Item("em_antall_sum", "Antall EM i utvalget", f"SUMPRODUCT({em},{r('em_antall')})", "#,##0"),
        Item("em_utgifter_utvalg_sum", "Sum EM-utgifter i utvalget", f"SUMPRODUCT({em},{r('em_utgift')})"),
        Item("em_sarskilt_utvalg_sum", "Sum særskilt tilskudd i utvalget", f"SUMPRODUCT({em},{r('em_sarskilt')})"),
        Item("adm_utgift_per_em_aar", "Utgift per EM per år", _div("em_utgifter_utvalg_sum", "em_antall_sum"),
             FMT_KR, "", "em"),
        Item("adm_utgift_per_em_fem_aar", "EM: utgifter til integreringstiltak og adm. (fem år)",
             _if_numbers(["adm_utgift_per_em_aar"], "adm_utgift_per_em_aar*aar_i_tilskuddsperioden"),
             FMT_KR, "tabell 3", "em"),
        Item("em_utgift_utenom_adm_fem_aar", "EM: introduksjonsstønad, sosialhjelp, ventestønad og helse",
             _if_numbers(["ventestonad_per_person"],
                         "em_introstonad_fem_aar+em_sosialhjelp_fem_aar+ventestonad_per_person+helse_per_person"),
             FMT_KR, "tabell 3, alle rader unntatt den første", "adm"),
        Item("utgift_per_em_fem_aar", "EM: gjennomsnittlig utgift per EM (fem år)",
             _if_numbers(["adm_utgift_per_em_fem_aar", "em_utgift_utenom_adm_fem_aar"],
                         "adm_utgift_per_em_fem_aar+em_utgift_utenom_adm_fem_aar"), FMT_KR, "tabell 3", "em"),
        Item("sarskilt_per_em_aar", "Særskilt tilskudd per EM per år", _div("em_sarskilt_utvalg_sum", "em_antall_sum"),
             FMT_KR, "", "em"),
        Item("integreringstilskudd_per_em_fem_aar", "Integreringstilskudd for EM (fem år)",
             f"tilskudd_ar1_em+{tilskudd_2_5}"),
        Item("sarskilt_per_em_fem_aar", "Særskilt tilskudd per EM (fem år)",
             _if_numbers(["sarskilt_per_em_aar"], "sarskilt_per_em_aar*aar_i_tilskuddsperioden"), FMT_KR, "", "em"),
        Item("tilskudd_per_em_fem_aar", "EM: beregnet utbetalt tilskudd (fem år)",
             _if_numbers(["sarskilt_per_em_fem_aar"], "integreringstilskudd_per_em_fem_aar+sarskilt_per_em_fem_aar"),
             FMT_KR, "tabell 4", "em"),
        Item("dekningsgrad_em", "EM: samlet dekningsgrad",
             _if_numbers(["tilskudd_per_em_fem_aar"], _div("tilskudd_per_em_fem_aar", "utgift_per_em_fem_aar")),
             FMT_RATIO, "tabell 4", "em"),
        Item("dekningsgrad_em_integreringstilskudd", "EM: dekket av integreringstilskuddet",
             _div("integreringstilskudd_per_em_fem_aar", "utgift_per_em_fem_aar"), FMT_RATIO, "", "em"),
        Item("dekningsgrad_em_sarskilt", "EM: dekket av særskilt tilskudd",
             _if_numbers(["sarskilt_per_em_fem_aar"], _div("sarskilt_per_em_fem_aar", "utgift_per_em_fem_aar")),
             FMT_RATIO, "", "em"),
        Item(None, "Norskopplæring"),
        Item("norsk_kommuner_antall", "Antall kommuner med i norskberegningen", f"SUM({no})", "0"),
        Item("norsk_utgifter_sum", "Samlede utgifter", f"SUMPRODUCT({no},{r('no_utgift')})", FMT_KR, "tabell 5"),
        Item("norsk_inntekter_sum", "Samlede inntekter", f"SUMPRODUCT({no},{r('no_inntekt')})", FMT_KR, "tabell 5"),
        Item("norsk_timer_sum", "Sum undervisningstimer", f"SUMPRODUCT({no},{r('no_timer')})", "#,##0"),
        Item("norsk_deltakere_sum", "Sum deltakere", f"SUMPRODUCT({no},{r('no_deltakere')})", "#,##0"),
        Item("dekningsgrad_norsk", "Dekningsgrad norsktilskudd", _div("norsk_inntekter_sum", "norsk_utgifter_sum"),
             FMT_RATIO, "tabell 5", "norsk"),
        Item("utgift_per_undervisningstime", "Gjennomsnittlig utgift per undervisningstime",
             _div("norsk_utgifter_sum", "norsk_timer_sum"), FMT_KR, "sum utgifter / sum timer", "norsk"),
    ]


def samples(refs: Refs) -> dict[str, str]:
    """Result name -> the sub-sample (adm/em/norsk) whose emptiness leaves it blank."""
    return {it.name: it.sample for it in items(refs, 0) if it.name and it.sample}   # the year only names deflators


FIRST_ROW = 5


MEDIAN_SUM_LABEL = "Sum"
MEDIAN_OF_TOTALS_LABEL = "Median av kommunenes sum per person (ikke i rapporten)"


def build(ws: Worksheet, refs: Refs, year: int) -> dict[str, str]:
    """Write the sheet; return name -> absolute cell reference for the workbook names."""
    status_and_title(ws, "Beregning – samlede tall (navngitte celler)")
    header(ws, 4, ["Størrelse", "Verdi", "Navn", "Merknad", "Når verdien er tom"])
    all_items = items(refs, year)
    n_rows = len(all_items)
    area_title = FIRST_ROW + n_rows + 1
    area_first = area_title + 2
    names: dict[str, str] = {}
    for i, it in enumerate(all_items):
        row = FIRST_ROW + i
        if it.name is None:
            ws.cell(row, 1, it.label).font = BOLD
            continue
        ws.cell(row, 1, it.label)
        c = ws.cell(row, 2, "=" + it.formula)
        c.number_format = it.fmt
        ws.cell(row, 3, it.name)
        ws.cell(row, 4, it.note)
        if it.sample:
            ws.cell(row, 5, note_formula(f"B{row}", it.sample))
        names[it.name] = f"{quote(ws.title)}!$B${row}"
    # Vedlegg 5: per service area, weighted average and median of the per-person values. The Sum
    # row's median is the sum of the area medians (vedlegg 5 prints 79 848 so); the median of the
    # municipalities' totals per person is a row of its own under it.
    ws.cell(area_title, 1, "Utgifter per utgiftsområde (vedlegg 5)").font = BOLD
    ws.cell(area_title, 2, empty_note("adm"))
    header(ws, area_title + 1, ["Utgiftsområde", "Sum utgifter", "Snitt per person", "Median per person"])
    for i, (key, label, _) in enumerate(AREAS + [("total", MEDIAN_SUM_LABEL, "")]):
        row = area_first + i
        ws.cell(row, 1, label)
        ws.cell(row, 2, f"=SUMPRODUCT({refs.calc_range('inkludert')},{refs.calc_range(key)})").number_format = FMT_KR
        ws.cell(row, 3, "=" + _div(f"B{row}", "antall_malgruppe_sum")).number_format = FMT_KR
        per_person = refs.calc_range("pp_" + key)
        median = (f'IF(COUNT(D{area_first}:D{row - 1})=0,"",SUM(D{area_first}:D{row - 1}))' if key == "total"
                  else f'IF(COUNT({per_person})=0,"",MEDIAN({per_person}))')
        ws.cell(row, 4, "=" + median).number_format = FMT_KR
    sum_row = area_first + len(AREAS)
    totals = refs.calc_range("pp_total")
    ws.cell(sum_row + 1, 1, MEDIAN_OF_TOTALS_LABEL)
    ws.cell(sum_row + 1, 4, f'=IF(COUNT({totals})=0,"",MEDIAN({totals}))').number_format = FMT_KR
    names["omrade_tabell"] = f"{quote(ws.title)}!$A${area_first}:$D${sum_row}"
    names["median_sum_per_person"] = f"{quote(ws.title)}!$D${sum_row + 1}"
    ws.column_dimensions["A"].width = 58
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 36
    ws.column_dimensions["D"].width = 50
    ws.column_dimensions["E"].width = 36
    print_setup(ws, title_rows="1:2")
    protect(ws)
    return names


def area_rows(refs: Refs, year: int) -> tuple[int, int]:
    """First and last row (the Sum row) of the vedlegg 5 table on Beregning; the median of the
    municipalities' totals is on the row under the Sum row."""
    first = FIRST_ROW + len(items(refs, year)) + 3
    return first, first + len(AREAS)
