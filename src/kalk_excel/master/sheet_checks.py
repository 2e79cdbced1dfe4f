"""*Kontroll*: the master checks (areas add up, included submissions accepted, no formula
errors, same municipality order, something included, Python model agrees) and the overall
status ``master_status`` shown in row 1 of every sheet."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from .layout import FORMS, MODEL_CHECK, MODEL_FIRST_ROW, MODEL_VALUE_COL, SHEET_CALC, SHEET_PARAMS, SHEET_RESULTS
from .perkommune_spec import AREA_KEYS, KEYS
from .refs import Refs, quote
from .style import BOLD, FMT_KR_DEC, header, print_setup, protect, status_and_title, unlock

STATUS_CELL = "B3"
FIRST_ROW = 6
# Avvik (1/0) in the model block: D blank = not filled in (counted apart); an error in C, or a number
# on one side only, is a deviation; undefined on both sides (C "", D "kan ikke beregnes") agrees.
_DEVIATION = ('=IF(D{r}="",0,IF(ISERROR(C{r}),1,IF(ISNUMBER(C{r})<>ISNUMBER(D{r}),1,'
              'IF(ISNUMBER(D{r}),IF(ABS(E{r})>F{r},1,0),0))))')


def _ok(expr: str) -> str:
    """1 when the check value in the same row (column B) satisfies ``expr``; errors fail."""
    return f"=IF(ISERROR(B{{row}}),0,IF({expr},1,0))"


def checks(refs: Refs, calc_last: int, results_last: int) -> list[tuple[str, str, str, str]]:
    """(id, label, value formula, ok formula template)."""
    out = [
        ("sum_omrader", "Sum av utgiftsområdene = sum av totalene (alle kommuner)",
         f"=SUM({refs.calc_block(AREA_KEYS[0], AREA_KEYS[-1])})-SUM({refs.calc_range('total')})",
         _ok("ABS(B{row})<=toleranse_kr")),
    ]
    for form in FORMS:
        inkl, status = refs.input_range(form, "inkludert"), refs.input_range(form, "status")
        out.append((f"godkjent_{form}", f"Inkluderte innleveringer ({form}) har status godkjent/advarsler "
                    "(antall som ikke har)",
                    f'=SUMPRODUCT(({inkl}=1)*({status}<>"godkjent")*({status}<>"advarsler"))',
                    _ok("B{row}=0")))
    for form in FORMS:
        block = refs.formcheck_block(form)
        if block:
            out.append((f"skjemaberegning_{form}", f"Skjemaberegning {form}: formlene gir samme beregnede felt som "
                        "mottakskontrollen (antall avvik)", f"=SUM({block})", _ok("B{row}=0")))
    formcalc = "".join(f"+SUMPRODUCT(--ISERROR({b}))" for f in FORMS if (b := refs.formcalc_block(f)))
    out += [
        ("formelfeil", "Antall feilverdier i beregningene (Skjemaberegning, Beregning per kommune, Beregning, "
         "Resultat)",
         f"=SUMPRODUCT(--ISERROR({refs.calc_block(KEYS[0], KEYS[-1])})){formcalc}"
         f"+SUMPRODUCT(--ISERROR({quote(SHEET_CALC)}!$A$4:$D${calc_last}))"
         f"+SUMPRODUCT(--ISERROR({quote(SHEET_RESULTS)}!$A$4:$J${results_last}))",
         _ok("B{row}=0")),
        ("rekkefolge", "Samme kommune på samme rad i «Innrapportert adm» og «Innrapportert norsk» "
         "(antall avvik)",
         f"=SUMPRODUCT(--({refs.input_range('adm', 'kommunenummer')}<>{refs.input_range('norsk', 'kommunenummer')}))",
         _ok("B{row}=0")),
        ("inkludert", "Antall innleveringer inkludert, administrasjonsskjema og norskskjema (må være minst én)",
         "=antall_kommuner_inkludert+norsk_kommuner_antall", _ok("B{row}>0")),
        ("parametre_oppdatert", "Parametre som ikke er oppdatert for året (kilden på «Parametre» begynner med "
         "«IKKE OPPDATERT»; skriv årets verdi og kilde)",
         f'=COUNTIF({quote(SHEET_PARAMS)}!$E:$E,"IKKE OPPDATERT*")', _ok("B{row}=0")),
        ("modell", "Python-modellen stemmer med formlene (antall avvik utover toleransen)",
         f"=SUM($G${MODEL_FIRST_ROW}:$G${MODEL_FIRST_ROW + len(MODEL_CHECK) - 1})", _ok("B{row}=0")),
    ]
    return out


def build(ws: Worksheet, refs: Refs, calc_last: int, results_last: int) -> dict[str, str]:
    status_and_title(ws, "Kontroll – masterkontroller")
    sheet = quote(ws.title)
    ws.cell(3, 1, "Samlet status").font = BOLD
    header(ws, 5, ["Kontroll", "Verdi", "OK (1/0)", "Id"])
    rows = checks(refs, calc_last, results_last)
    for i, (cid, label, value, ok) in enumerate(rows):
        row = FIRST_ROW + i
        ws.cell(row, 1, label)
        ws.cell(row, 2, value)
        ws.cell(row, 3, ok.format(row=row))
        ws.cell(row, 4, cid)
    last = FIRST_ROW + len(rows) - 1
    summary = last + 2
    ws.cell(summary, 1, "Antall kontroller som feiler").font = BOLD
    ws.cell(summary, 2, f"=COUNTIF($C${FIRST_ROW}:$C${last},0)")
    ws.cell(summary + 1, 1, "Antall modellverdier som mangler").font = BOLD
    model_values = f"${MODEL_VALUE_COL}${MODEL_FIRST_ROW}:${MODEL_VALUE_COL}${MODEL_FIRST_ROW + len(MODEL_CHECK) - 1}"
    ws.cell(summary + 1, 2, f"=COUNTBLANK({model_values})")
    assert summary + 1 < MODEL_FIRST_ROW - 2, "Kontroll-arket: kontrollene overlapper modellblokken"
    ws[STATUS_CELL] = ('=IF(kontroll_feil_antall>0,"FEIL – "&kontroll_feil_antall&" kontroll(er) feiler, '
                       'se arket Kontroll",IF(modell_mangler_antall>0,'
                       '"OK – men sammenligningen med Python-modellen er ikke fylt inn","OK"))')
    ws[STATUS_CELL].font = BOLD
    ws.cell(4, 1, "Alle kontroller OK (1/0)")
    ws.cell(4, 2, "=IF(kontroll_feil_antall=0,1,0)")
    # The model block: the pipeline writes the reference model's values into column D.
    ws.cell(MODEL_FIRST_ROW - 2, 1, "Sammenligning med Python-referansemodellen (kalk_excel.model)").font = BOLD
    header(ws, MODEL_FIRST_ROW - 1, ["Navn", "Størrelse", "Excel", "Modell", "Differanse", "Toleranse",
                                     "Avvik (1/0)"])
    for i, (name, label, kind) in enumerate(MODEL_CHECK):
        row = MODEL_FIRST_ROW + i
        ws.cell(row, 1, name)
        ws.cell(row, 2, label)
        fmt = "0.000000" if kind == "andel" else FMT_KR_DEC
        ws.cell(row, 3, f"={name}").number_format = fmt
        unlock(ws.cell(row, 4))
        ws.cell(row, 4).number_format = fmt
        ws.cell(row, 5, f'=IF(AND(ISNUMBER(C{row}),ISNUMBER(D{row})),C{row}-D{row},"")').number_format = fmt
        ws.cell(row, 6, "=toleranse_andel" if kind == "andel" else "=toleranse_kr")
        ws.cell(row, 7, _DEVIATION.format(r=row))
    for letter, width in zip("ABCDEFG", (70, 22, 18, 18, 14, 12, 12), strict=False):
        ws.column_dimensions[letter].width = width
    ws.column_dimensions["A"].width = 70
    print_setup(ws)
    protect(ws)
    return {
        "master_status": f"{sheet}!${STATUS_CELL[0]}${STATUS_CELL[1:]}",
        "master_ok": f"{sheet}!$B$4",
        "kontroll_feil_antall": f"{sheet}!$B${summary}",
        "modell_mangler_antall": f"{sheet}!$B${summary + 1}",
    }
