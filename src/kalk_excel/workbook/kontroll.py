"""The Kontroll sheet: the workbook checks live what intake checks on receipt, with the same
severity, from the same rules (the definition's checks and ``definition.fieldrules``).

Layout: the overall status (defined name ``kontroll_status``) and the counts
(``kontroll_antall_feil``, ``kontroll_antall_advarsler``) on top; then *status per del* (one row
per part with its status, counts and a link); then the detail rows, part by part: every check of
the definition and, per part, one row per single-cell rule (text in a number cell, out of range,
not a whole number, not one of the choices, required but empty) counting the cells that break
it. A part where nothing is entered yet shows "ikke utfylt" — neither OK nor FEIL — and is not
counted as errors (intake reports it once, V017).

Status words: OK, FEIL, ADVARSEL, INFO, "–" (does not apply after the answers given) and
"ikke utfylt". Check ids stay in a hidden column for tests and tools; the filler sees only
del, spørsmål and texts.
"""

from __future__ import annotations

from collections import defaultdict

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..definition.evaluate import check_parts, input_dependencies
from ..definition.fieldrules import FIELD_RULES, FieldRule
from ..definition.model import Check, Field, Form, Kommune, Part
from ..definition.skiplogic import definitely, possibly
from . import styles
from .cells import absolute_ref, col, link, put_block, put_text
from .formulas import excel, numeric_inputs
from .layout import Placement

SHEET = "Kontroll"
STATUS_NAME = "kontroll_status"
ERRORS_NAME = "kontroll_antall_feil"
WARNINGS_NAME = "kontroll_antall_advarsler"
STATUS_CELL, ERRORS_CELL, WARNINGS_CELL, SUMMARY_CELL = "C3", "C4", "C5", "D3"
HEADERS = ("Del", "Spørsmål", "Kontroll", "Korreksjon", "Status", "Antall", "Gå til")
WIDTHS = (6, 10, 46, 44, 12, 8, 9)
STATUS_COL, COUNT_COL, LINK_COL = 5, 6, 7
ID_COL, PART_COL, ENTERED_COL = 9, 10, 11     # hidden: row key, part id, entered-input count
HELPER_COL = 13               # hidden helper sums when a count formula would be too long
MAX_FORMULA = 7000            # Excel allows 8192 characters in a formula
MAX_GUARD = 2500              # longest "is any input text" guard added to a check's status
SEVERITY_TEXT = {"feil": "FEIL", "advarsel": "ADVARSEL", "info": "INFO"}
NOT_RELEVANT = "–"
NOT_FILLED = "ikke utfylt"
MISSING_ID = "mangler_obligatoriske"


def excel_list(choices: tuple[str, ...]) -> str:
    return "{" + ",".join('"' + c.replace('"', '""') + '"' for c in choices) + "}"


def rule_term(rule: FieldRule, f: Field) -> str:
    """Excel term that is TRUE/1 when input ``f`` breaks ``rule`` (the cell's own value)."""
    n = f.id
    if rule.kind == "tekst_i_tall":
        return f"ISTEXT({n})"
    if rule.kind == "utenfor_grenser":
        bounds = []
        if f.min is not None:
            bounds.append(f"{n}<{number(f.min)}")
        if f.max is not None:
            bounds.append(f"{n}>{number(f.max)}")
        return f"ISNUMBER({n})*OR({','.join(bounds)})"
    if rule.kind == "ikke_heltall":
        return f"ISNUMBER({n})*({n}<>INT({n}))"
    if rule.kind == "ugyldig_valg":
        return f"(LEN({n})>0)*ISNA(MATCH({n},{excel_list(f.choices)},0))"
    if rule.kind == "mangler":
        return f"(LEN({n})=0)"
    raise ValueError(rule.kind)


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def cell_failure(f: Field) -> str | None:
    """Condition (without '=') that is TRUE when the value in ``f``'s own cell breaks a
    single-cell rule other than "required" — for the red conditional format on the cell."""
    terms = [rule_term(r, f) for r in FIELD_RULES if r.kind != "mangler" and r.applies(f)]
    if not terms:
        return None
    return f"({'+'.join(terms)})>0"


def rule_terms(form: Form, part: Part, rule: FieldRule, numeric: frozenset[str]) -> list[str]:
    """Formula terms counting the cells of ``part`` that break ``rule``."""
    fields = [f for f in form.fields_of(part.id) if rule.applies(f)]
    if rule.kind != "mangler":
        return [f"({rule_term(rule, f)})" for f in fields]
    groups: dict[str | None, list[str]] = defaultdict(list)
    for f in fields:
        groups[definitely(form, f.relevant)].append(rule_term(rule, f))
    terms = []
    for relevant, blanks in groups.items():
        count = "(" + "+".join(blanks) + "+0)"
        terms.append(f"IF({excel(relevant, numeric)},{count},0)" if relevant else count)
    return terms


def chunks(terms: list[str], limit: int = MAX_FORMULA) -> list[str]:
    out: list[str] = []
    current = ""
    for term in terms:
        if current and len(current) + len(term) + 1 > limit:
            out.append(current)
            current = term
        else:
            current = f"{current}+{term}" if current else term
    if current:
        out.append(current)
    return out


class KontrollWriter:
    def __init__(self, wb: Workbook, form: Form, kommune: Kommune, placement: Placement):
        self.wb = wb
        self.form = form
        self.kommune = kommune
        self.placement = placement
        self.numeric = numeric_inputs(form)
        self.ws: Worksheet = wb.create_sheet(SHEET)
        self.helper_col = HELPER_COL
        self.entered: dict[str, str] = {}       # part id -> absolute ref of its entered-input count
        self.part_rows: dict[str, int] = {}
        self.status_cells: dict[str, str] = {}

    # -- helpers ---------------------------------------------------------------------------
    def sum_into(self, row: int, column: int, terms: list[str]) -> None:
        """Write the sum of ``terms`` into (row, column), through hidden helper cells if long."""
        cell = self.ws.cell(row=row, column=column)
        parts = chunks(terms)
        if not parts:
            cell.value = 0
        elif len(parts) == 1:
            cell.value = "=" + parts[0]
        else:
            refs = []
            for text in parts:
                self.ws.cell(row=row, column=self.helper_col, value="=" + text)
                self.ws.column_dimensions[col(self.helper_col)].hidden = True
                refs.append(f"{col(self.helper_col)}{row}")
                self.helper_col += 1
            cell.value = "=" + "+".join(refs)

    def answered(self, part_ids: set[str]) -> str:
        tests = [f"{self.entered[p]}>0" for p in sorted(part_ids) if p in self.entered]
        if not tests:
            return "TRUE"
        return tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"

    def guard(self, check: Check) -> str | None:
        """TRUE when an input the check depends on holds text (unusable): intake skips the check."""
        names = sorted(n for n in input_dependencies(self.form, check.assert_) if n in self.numeric)
        if not names:
            return None
        text = "OR(" + ",".join(f"ISTEXT({n})" for n in names) + ")"
        return text if len(text) <= MAX_GUARD else None

    def status_formula(self, check: Check) -> str:
        failed = SEVERITY_TEXT[check.severity]
        core = f'IF({excel(check.assert_, self.numeric)},"OK","{failed}")'
        guard = self.guard(check)
        if guard:
            core = f'IF({guard},"{NOT_RELEVANT}",{core})'
        core = f'IF({self.answered(check_parts(self.form, check))},{core},"{NOT_FILLED}")'
        if check.relevant:
            core = f'IF({excel(definitely(self.form, check.relevant), self.numeric)},{core},"{NOT_RELEVANT}")'
        return f'=IFERROR({core},"ADVARSEL")'

    def part_relevant(self, part: Part) -> str | None:
        return excel(possibly(self.form, part.relevant), self.numeric) if part.relevant else None

    # -- sheet -----------------------------------------------------------------------------
    def write(self) -> dict[str, str]:
        ws = self.ws
        form = self.form
        ws.sheet_properties.tabColor = styles.KONTROLL_TAB_COLOUR
        for i, width in enumerate(WIDTHS, start=1):
            ws.column_dimensions[col(i)].width = width
        for c in (ID_COL, PART_COL, ENTERED_COL):
            ws.column_dimensions[col(c)].hidden = True
        last = len(HEADERS)
        total_width = sum(WIDTHS)
        put_block(ws, 1, 1, last, f"Kontroll – {form.short_title} {form.year} – {self.kommune.navn} "
                  f"({self.kommune.kommunenummer})", total_width, font=styles.TITLE_FONT, fill=styles.HEADER_FILL)
        put_block(ws, 2, 1, last, "Statusen oppdateres mens du fyller ut, og de samme kontrollene kjøres når "
                  "skjemaet kommer inn. FEIL må rettes før skjemaet sendes. ADVARSEL betyr et uvanlig tall: "
                  "kontroller det, og forklar det i kommentarfeltet hvis det er riktig. "
                  f"«{NOT_FILLED}» betyr at ingenting er fylt ut i delen ennå; «{NOT_RELEVANT}» at kontrollen "
                  "ikke gjelder etter svarene dine. Klikk «Gå til» for å komme til stedet i skjemaet.",
                  total_width, font=styles.ITALIC)
        for row, text in ((3, "Samlet status"), (4, "Antall feil"), (5, "Antall advarsler")):
            put_text(ws, row, 1, text, font=styles.BOLD)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)

        row = 7
        put_text(ws, row, 1, "Status per del", font=styles.PART_FONT, fill=styles.HEADER_FILL)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        row += 1
        for i, header in enumerate(("Del", "", "Tittel", "Resultat", "Status", "", "Gå til"), start=1):
            put_text(ws, row, i, header or None, font=styles.BOLD, fill=styles.SUBHEADER_FILL).border = styles.BOX
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        header_row = row
        row += 1
        for part in form.parts:
            self.part_rows[part.id] = row
            self.entered[part.id] = f"${col(ENTERED_COL)}${row}"
            row += 1
        row += 1
        put_text(ws, row, 1, "Alle kontroller", font=styles.PART_FONT, fill=styles.HEADER_FILL)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        row += 1
        for i, header in enumerate(HEADERS, start=1):
            put_text(ws, row, i, header, font=styles.BOLD, fill=styles.SUBHEADER_FILL,
                     alignment=styles.WRAP).border = styles.BOX
        first_detail = row + 1
        row = first_detail
        for part in form.parts:
            row = self.write_part_details(part, row)
        last_detail = max(row - 1, first_detail)
        for part in form.parts:
            self.write_part_summary(part, first_detail, last_detail)

        status = f"${col(STATUS_COL)}${first_detail}:${col(STATUS_COL)}${last_detail}"
        count = f"${col(COUNT_COL)}${first_detail}:${col(COUNT_COL)}${last_detail}"
        ws[ERRORS_CELL] = f'=SUMIF({status},"FEIL",{count})'
        ws[WARNINGS_CELL] = f'=SUMIF({status},"ADVARSEL",{count})'
        parts_status = f"${col(STATUS_COL)}${header_row + 1}:${col(STATUS_COL)}${header_row + len(form.parts)}"
        unfilled = f'COUNTIF({parts_status},"{NOT_FILLED}")'
        ws[STATUS_CELL] = (f'=IF({ERRORS_CELL}>0,"FEIL",IF({unfilled}>0,"{NOT_FILLED}",'
                           f'IF({WARNINGS_CELL}>0,"ADVARSEL","OK")))')
        ws[SUMMARY_CELL] = (f'={ERRORS_CELL}&" feil, "&{WARNINGS_CELL}&IF({WARNINGS_CELL}=1," advarsel"," advarsler")'
                            f'&IF({unfilled}>0,", "&{unfilled}&IF({unfilled}=1," del"," deler")&" ikke utfylt","")')
        for ref in (STATUS_CELL, ERRORS_CELL, WARNINGS_CELL):
            ws[ref].font = Font(bold=True, size=12)
            ws[ref].alignment = styles.WRAP_CENTER
        ws.merge_cells(f"{SUMMARY_CELL}:{col(last)}{SUMMARY_CELL[1:]}")
        for name, ref in ((STATUS_NAME, STATUS_CELL), (ERRORS_NAME, ERRORS_CELL), (WARNINGS_NAME, WARNINGS_CELL)):
            self.wb.defined_names[name] = DefinedName(name, attr_text=absolute_ref(SHEET, ref))
            self.status_cells[name] = ref

        colour_rules(ws, f"{col(STATUS_COL)}{header_row + 1}:{col(STATUS_COL)}{last_detail} {STATUS_CELL}")
        ws.freeze_panes = "A6"
        # on paper the status per del (the details are for the screen, with their links)
        ws.print_area = f"A1:{col(last)}{header_row + len(form.parts)}"
        return self.status_cells

    def write_part_summary(self, part: Part, first: int, last: int) -> None:
        ws = self.ws
        row = self.part_rows[part.id]
        put_text(ws, row, 1, part.number, font=styles.BOLD, alignment=styles.TOP)
        title = f"Del {part.number} {part.title.capitalize()}"
        put_text(ws, row, 2, title, alignment=styles.WRAP)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
        ws.row_dimensions[row].height = styles.text_height(title, WIDTHS[1] + WIDTHS[2])
        inputs = [f for f in self.form.fields_of(part.id) if f.is_input]
        self.sum_into(row, ENTERED_COL, [f"(LEN({f.id})>0)" for f in inputs])
        span = f"${col(PART_COL)}${first}:${col(PART_COL)}${last}"
        st = f"${col(STATUS_COL)}${first}:${col(STATUS_COL)}${last}"
        cnt = f"${col(COUNT_COL)}${first}:${col(COUNT_COL)}${last}"
        errors = f'SUMIFS({cnt},{span},"{part.id}",{st},"FEIL")'
        warnings = f'SUMIFS({cnt},{span},"{part.id}",{st},"ADVARSEL")'
        ws.cell(row=row, column=4, value=f'={errors}&" feil, "&{warnings}&IF({warnings}=1," advarsel"," advarsler")')
        entered = self.entered[part.id]
        required = any(f.required for f in inputs)
        empty = f'"{NOT_FILLED}"' if required else f'"{NOT_RELEVANT}"'
        status = f'IF({errors}>0,"FEIL",IF({entered}=0,{empty},IF({warnings}>0,"ADVARSEL","OK")))'
        relevant = self.part_relevant(part)
        if relevant:
            status = f'IF({relevant},{status},"{NOT_RELEVANT}")'
        ws.cell(row=row, column=STATUS_COL, value=f'=IFERROR({status},"ADVARSEL")').alignment = styles.WRAP_CENTER
        sheet, coord = self.placement.parts[part.id]
        link(put_text(ws, row, LINK_COL, "Gå til"), sheet, coord, f"Del {part.number}")
        put_text(ws, row, ID_COL, f"del_{part.id}")
        put_text(ws, row, PART_COL, part.id)
        self.status_cells[f"del_{part.id}"] = f"{col(STATUS_COL)}{row}"

    def write_part_details(self, part: Part, row: int) -> int:
        ws = self.ws
        for check in (c for c in self.form.checks if c.part_id == part.id):
            put_text(ws, row, 1, part.number, alignment=styles.TOP)
            if check.question:
                put_text(ws, row, 2, check.question, alignment=styles.TOP)
            put_text(ws, row, 3, check.message, alignment=styles.WRAP)
            put_text(ws, row, 4, check.fix, alignment=styles.WRAP, font=styles.SMALL)
            ws.cell(row=row, column=STATUS_COL, value=self.status_formula(check)).alignment = styles.WRAP_CENTER
            s = f"{col(STATUS_COL)}{row}"
            ws.cell(row=row, column=COUNT_COL, value=f'=IF(OR({s}="FEIL",{s}="ADVARSEL"),1,"")')
            if check.field in self.placement.cells:
                sheet, coord = self.placement.cells[check.field]
                link(put_text(ws, row, LINK_COL, "Gå til"), sheet, coord, f"Spørsmål {check.question or part.number}")
            self.finish_row(row, check.id, part, check.message, check.fix)
            row += 1
        relevant = self.part_relevant(part)
        for rule in FIELD_RULES:
            terms = rule_terms(self.form, part, rule, self.numeric)
            if not terms:
                continue
            key = f"{MISSING_ID}_{part.id}" if rule.kind == "mangler" else f"{rule.kind}_{part.id}"
            put_text(ws, row, 1, part.number, alignment=styles.TOP)
            title = f"{rule.title} i del {part.number}"
            put_text(ws, row, 3, title, font=styles.BOLD if rule.kind == "mangler" else None, alignment=styles.WRAP)
            put_text(ws, row, 4, rule.fix, font=styles.SMALL, alignment=styles.WRAP)
            entered = self.entered[part.id]
            self.sum_into(row, COUNT_COL, terms)
            count_cell = ws.cell(row=row, column=COUNT_COL)
            if rule.kind == "mangler":   # required fields count only once the part is answered
                count_cell.value = f"=IF({entered}>0,{str(count_cell.value).lstrip('=')},0)"
            count_ref = f"{col(COUNT_COL)}{row}"
            status = f'IF({count_ref}>0,"{SEVERITY_TEXT[rule.severity]}",IF({entered}>0,"OK","{NOT_FILLED}"))'
            if relevant:
                status = f'IF({relevant},{status},"{NOT_RELEVANT}")'
            ws.cell(row=row, column=STATUS_COL, value=f'=IFERROR({status},"FEIL")').alignment = styles.WRAP_CENTER
            sheet, coord = self.placement.parts[part.id]
            link(put_text(ws, row, LINK_COL, "Gå til"), sheet, coord, f"Del {part.number}")
            self.finish_row(row, key, part, title, rule.fix)
            row += 1
        return row

    def finish_row(self, row: int, key: str, part: Part, message: str, fix: str) -> None:
        ws = self.ws
        put_text(ws, row, ID_COL, key)
        put_text(ws, row, PART_COL, part.id)
        ws.row_dimensions[row].height = max(styles.text_height(message, WIDTHS[2]),
                                            styles.text_height(fix, WIDTHS[3] * 1.2))
        self.status_cells[key] = f"{col(STATUS_COL)}{row}"


def write_kontroll(wb: Workbook, form: Form, kommune: Kommune, placement: Placement) -> dict[str, str]:
    """Write the Kontroll sheet; returns row key (check id, ``mangler_obligatoriske_<part>``,
    ``<rule>_<part>``, ``del_<part>`` and the defined names) -> status cell."""
    return KontrollWriter(wb, form, kommune, placement).write()


def colour_rules(ws, ranges: str) -> None:  # type: ignore[no-untyped-def]
    for text, fill, font in (("FEIL", styles.ERROR_COLOUR, styles.ERROR_FONT_COLOUR),
                             ("ADVARSEL", styles.WARN_COLOUR, styles.WARN_FONT_COLOUR),
                             ("OK", styles.OK_COLOUR, styles.OK_FONT_COLOUR),
                             ("INFO", styles.SUBHEADER_COLOUR, "1F4E78"),
                             (NOT_FILLED, styles.INFO_COLOUR, "595959")):
        ws.conditional_formatting.add(ranges, CellIsRule(
            operator="equal", formula=[f'"{text}"'],
            fill=PatternFill("solid", fgColor=fill, bgColor=fill), font=Font(color=font, bold=True)))
