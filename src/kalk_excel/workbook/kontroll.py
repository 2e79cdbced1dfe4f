"""The Kontroll sheet: one live row per check (status "OK" / "FEIL" / "ADVARSEL" / "INFO", or "–"
when the check does not apply), per part a row counting required inputs that are relevant and
blank, and an overall status cell at the top (defined name ``kontroll_status``).

Status formulas are compiled from the definition's expressions; each row links to its cell.
"""

from __future__ import annotations

from collections import defaultdict

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook

from .formulas import excel
from ..definition.model import Check, Form, Kommune, Part
from . import styles
from .cells import absolute_ref, col, link, put_block, put_text
from .layout import Placement

SHEET = "Kontroll"
STATUS_NAME = "kontroll_status"
STATUS_CELL = "C3"
FIRST_ROW = 6
HEADERS = ("Del", "Spørsmål", "Kontroll", "Korreksjon", "Status", "Antall", "Gå til", "Kontroll-id")
WIDTHS = (6, 10, 50, 50, 12, 9, 12, 24)
STATUS_COL, COUNT_COL, LINK_COL, ID_COL = 5, 6, 7, 8
HELPER_COL = 10               # hidden helper sums when a count formula would be too long
MAX_FORMULA = 7000            # Excel allows 8192 characters in a formula
SEVERITY_TEXT = {"feil": "FEIL", "advarsel": "ADVARSEL", "info": "INFO"}
NOT_RELEVANT = "–"
MISSING_ID = "mangler_obligatoriske"


def status_formula(check: Check) -> str:
    failed = SEVERITY_TEXT[check.severity]
    core = f'IF({excel(check.assert_)},"OK","{failed}")'
    if check.relevant:
        core = f'IF({excel(check.relevant)},{core},"{NOT_RELEVANT}")'
    return f'=IFERROR({core},"{failed}")'


def missing_terms(form: Form, part: Part) -> list[str]:
    """Formula terms counting this part's required inputs that are relevant and blank."""
    groups: dict[str | None, list[str]] = defaultdict(list)
    for f in form.fields_of(part.id):
        if f.is_input and f.required:
            groups[f.relevant].append(f"(LEN({f.id})=0)")
    terms = []
    for relevant, blanks in groups.items():
        count = "(" + "+".join(blanks) + "+0)"
        terms.append(f"IF({excel(relevant)},{count},0)" if relevant else count)
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


def write_kontroll(wb: Workbook, form: Form, kommune: Kommune, placement: Placement) -> dict[str, str]:
    """Write the Kontroll sheet; returns check id (and ``mangler_obligatoriske_<part>``) -> status cell."""
    ws = wb.create_sheet(SHEET)
    ws.sheet_properties.tabColor = styles.KONTROLL_TAB_COLOUR
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[col(i)].width = width
    last = len(HEADERS)
    put_block(ws, 1, 1, last, f"Kontroll – {form.short_title} {form.year} – {kommune.navn} ({kommune.kommunenummer})",
              sum(WIDTHS), font=styles.TITLE_FONT, fill=styles.HEADER_FILL)
    put_block(ws, 2, 1, last, "Statusen oppdateres mens du fyller ut. FEIL må rettes før skjemaet sendes inn. "
              "ADVARSEL betyr et uvanlig tall: kontroller det, og forklar det i kommentarfeltet hvis det er riktig. "
              f"«{NOT_RELEVANT}» betyr at kontrollen ikke gjelder ut fra svarene dine. Klikk «Gå til» for å komme til cellen.",
              sum(WIDTHS), font=styles.ITALIC)
    put_text(ws, 3, 1, "Samlet status:", font=styles.BOLD)
    ws.merge_cells("A3:B3")
    for i, header in enumerate(HEADERS, start=1):
        put_text(ws, FIRST_ROW - 1, i, header, font=styles.BOLD, fill=styles.SUBHEADER_FILL,
                 alignment=styles.WRAP).border = styles.BOX

    status_cells: dict[str, str] = {}
    row = FIRST_ROW
    helper_col = HELPER_COL
    for part in form.parts:
        for check in (c for c in form.checks if c.part_id == part.id):
            put_text(ws, row, 1, part.number, alignment=styles.TOP)
            if check.question:
                put_text(ws, row, 2, check.question, alignment=styles.TOP)
            put_text(ws, row, 3, check.message, alignment=styles.WRAP)
            put_text(ws, row, 4, check.fix, alignment=styles.WRAP, font=styles.SMALL)
            ws.cell(row=row, column=STATUS_COL, value=status_formula(check)).alignment = styles.WRAP_CENTER
            if check.field in placement.cells:
                sheet, coord = placement.cells[check.field]
                link(put_text(ws, row, LINK_COL, "Gå til"), sheet, coord, f"{sheet}!{coord}")
            put_text(ws, row, ID_COL, check.id, font=styles.SMALL)
            ws.row_dimensions[row].height = max(styles.text_height(check.message, WIDTHS[2]),
                                                styles.text_height(check.fix, WIDTHS[3] * 1.2))
            status_cells[check.id] = f"{col(STATUS_COL)}{row}"
            row += 1
        put_text(ws, row, 1, part.number, alignment=styles.TOP)
        put_text(ws, row, 3, f"Obligatoriske felt som mangler i del {part.number}", font=styles.BOLD)
        put_text(ws, row, 4, "Fyll ut alle felt merket med * som ikke er grået ut.", font=styles.SMALL,
                 alignment=styles.WRAP)
        parts_of_count = chunks(missing_terms(form, part))
        count_cell = ws.cell(row=row, column=COUNT_COL)
        if not parts_of_count:
            count_cell.value = 0
        elif len(parts_of_count) == 1:
            count_cell.value = "=" + parts_of_count[0]
        else:
            refs = []
            for text in parts_of_count:
                ws.cell(row=row, column=helper_col, value="=" + text)
                ws.column_dimensions[col(helper_col)].hidden = True
                refs.append(f"{col(helper_col)}{row}")
                helper_col += 1
            count_cell.value = "=" + "+".join(refs)
        count_ref = f"{col(COUNT_COL)}{row}"
        ws.cell(row=row, column=STATUS_COL, value=f'=IF({count_ref}>0,"FEIL","OK")').alignment = styles.WRAP_CENTER
        sheet, coord = placement.parts[part.id]
        link(put_text(ws, row, LINK_COL, "Gå til"), sheet, coord, f"Del {part.number}")
        missing_id = f"{MISSING_ID}_{part.id}"
        put_text(ws, row, ID_COL, missing_id, font=styles.SMALL)
        status_cells[missing_id] = f"{col(STATUS_COL)}{row}"
        row += 1

    last_row = max(row - 1, FIRST_ROW)
    status_range = f"${col(STATUS_COL)}${FIRST_ROW}:${col(STATUS_COL)}${last_row}"
    count_range = f"${col(COUNT_COL)}${FIRST_ROW}:${col(COUNT_COL)}${last_row}"
    ws[STATUS_CELL] = (f'=IF(COUNTIF({status_range},"FEIL")>0,"FEIL",'
                       f'IF(COUNTIF({status_range},"ADVARSEL")>0,"ADVARSEL","OK"))')
    ws[STATUS_CELL].font = Font(bold=True, size=12)
    ws[STATUS_CELL].alignment = styles.WRAP_CENTER
    warnings = f'COUNTIF({status_range},"ADVARSEL")'
    missing = f"SUM({count_range})"
    ws["D3"] = (f'=COUNTIF({status_range},"FEIL")&" feil, "&{warnings}&IF({warnings}=1," advarsel, "," advarsler, ")'
                f'&{missing}&IF({missing}=1," obligatorisk felt mangler"," obligatoriske felt mangler")')
    wb.defined_names[STATUS_NAME] = DefinedName(STATUS_NAME, attr_text=absolute_ref(SHEET, STATUS_CELL))
    status_cells[STATUS_NAME] = STATUS_CELL

    colour_rules(ws, f"{col(STATUS_COL)}{FIRST_ROW}:{col(STATUS_COL)}{last_row} {STATUS_CELL}")
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.print_title_rows = f"{FIRST_ROW - 1}:{FIRST_ROW - 1}"
    styles.a4_fit_to_width(ws)
    return status_cells


def colour_rules(ws, ranges: str) -> None:  # type: ignore[no-untyped-def]
    for text, fill, font in (("FEIL", styles.ERROR_COLOUR, styles.ERROR_FONT_COLOUR),
                             ("ADVARSEL", styles.WARN_COLOUR, styles.WARN_FONT_COLOUR),
                             ("OK", styles.OK_COLOUR, styles.OK_FONT_COLOUR),
                             ("INFO", styles.SUBHEADER_COLOUR, "1F4E78")):
        ws.conditional_formatting.add(ranges, CellIsRule(
            operator="equal", formula=[f'"{text}"'],
            fill=PatternFill("solid", fgColor=fill, bgColor=fill), font=Font(color=font, bold=True)))
