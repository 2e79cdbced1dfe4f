"""The three front sheets: Forside (who, what, when, the target group with concrete dates),
Veiledning (how to fill in, colour legend; only the filler's language — the committee's
decisions go to the secretariat's documentation, ``kalk-excel felt --format md``) and Innhold
(contents with links to every part sheet and to Kontroll, with each part's live status).
"""

from __future__ import annotations

import re
from datetime import date

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..definition.model import Form, Kommune
from . import styles
from .cells import link, put_block, put_paragraphs, put_text
from .layout import Placement, sheet_groups

FORSIDE, VEILEDNING, INNHOLD = "Forside", "Veiledning", "Innhold"
FRONT_SHEETS = (FORSIDE, VEILEDNING, INNHOLD)
WIDTHS = (30.0, 70.0)
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "desember")

HOW_TO = (
    "Skjemaet fylles ut direkte i Excel. Du trenger ikke makroer eller tillegg.",
    "Gule celler med ramme er innfyllingsfelt. Alle andre celler er låst.",
    "Felt merket med * må fylles ut (er tallet 0, skriv 0). Tomme tallfelt uten * regnes som 0. "
    "Svarer du nei på et spørsmål som styrer andre, blir "
    "oppfølgingsspørsmålene grå og stjernen forsvinner; før du har svart, står de urørt.",
    "Blå celler regnes ut automatisk fra tallene dine.",
    "Grå celler og etiketter gjelder ikke ut fra svarene dine (f.eks. når du har svart «nei» "
    "på et spørsmål). La dem stå tomme.",
    "Beløp oppgis i hele kroner, uten mellomrom eller kr. Prosent oppgis som tall fra 0 til 100.",
    "Følg svarveien (→) under spørsmålene. Ikke lim inn fra andre filer: innliming kan omgå kontrollene.",
    "Se arket Kontroll før du sender inn: samlet status skal være OK. FEIL må rettes; ADVARSEL "
    "kan forklares i kommentarfeltet for delen.",
    "Ikke endre arknavn, flytt ikke celler og ikke lagre skjemaet i et annet format. Send den utfylte "
    "xlsx-fila tilbake som vedlegg på e-post.",
)


def date_text(value: date | str | None) -> str:
    if value is None:
        return "oppgis av sekretariatet"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def frame(ws: Worksheet, title: str) -> None:
    ws.column_dimensions["A"].width = WIDTHS[0]
    ws.column_dimensions["B"].width = WIDTHS[1]
    put_block(ws, 1, 1, 2, title, sum(WIDTHS), font=styles.TITLE_FONT, fill=styles.HEADER_FILL)
    ws.row_dimensions[1].height = max(ws.row_dimensions[1].height or 0, 24)
    styles.a4_fit_to_width(ws)


def pair(ws: Worksheet, row: int, key: str, value: object) -> int:
    put_text(ws, row, 1, key, font=styles.BOLD, alignment=styles.TOP)
    cell = put_text(ws, row, 2, value, alignment=styles.WRAP)
    if isinstance(value, str):
        ws.row_dimensions[row].height = styles.text_height(value, WIDTHS[1])
    if isinstance(value, (int, float)):
        cell.number_format = styles.FORMAT_AMOUNT
        cell.alignment = styles.TOP
    return row + 1


def write_forside(wb: Workbook, form: Form, kommune: Kommune, deadline: date | str | None,
                  contact: str | None) -> Worksheet:
    ws = wb.active
    ws.title = FORSIDE
    frame(ws, form.title)
    row = 3
    row = pair(ws, row, "Kommune", f"{kommune.navn} ({kommune.kommunenummer})")
    row = pair(ws, row, "Kartleggingsår", str(form.year))
    row = pair(ws, row, "Skjema", f"{form.short_title} (versjon {form.version})")
    row = pair(ws, row, "Svarfrist", date_text(deadline))
    row = pair(ws, row, "Kontakt i sekretariatet", contact or "Sekretariatet for Beregningsutvalget")
    if kommune.kontaktperson or kommune.epost:
        row = pair(ws, row, "Kommunens kontaktperson",
                   ", ".join(x for x in (kommune.kontaktperson, kommune.epost) if x))
    row += 1
    period = f"{form.period.start.day}.{form.period.start.month}.{form.period.start.year}–" \
             f"{form.period.end.day}.{form.period.end.month}.{form.period.end.year}"
    row = pair(ws, row, "Kartleggingsperiode", period)
    malgruppe = form.texts.get("malgruppe") or f"Personer som er førstegangsbosatt i perioden {period}."
    put_text(ws, row, 1, "Målgruppen", font=styles.BOLD, alignment=styles.TOP)
    row = put_paragraphs(ws, row, 2, 2, malgruppe, WIDTHS[1], font=styles.NORMAL)
    if kommune.imdi_malgruppe is not None:
        row = pair(ws, row, "IMDis tall for målgruppen", kommune.imdi_malgruppe)
        row = pair(ws, row, "", "IMDis tall vises også ved spørsmål 1.1 til sammenligning med kommunens eget tall.")
    if form.texts.get("forside"):
        row += 1
        row = put_paragraphs(ws, row, 1, 2, form.texts["forside"], sum(WIDTHS))
    return ws


def write_veiledning(wb: Workbook, form: Form) -> Worksheet:
    ws = wb.create_sheet(VEILEDNING)
    frame(ws, "Veiledning")
    row = 3
    if form.texts.get("instruksjon"):
        row = put_paragraphs(ws, row, 1, 2, form.texts["instruksjon"], sum(WIDTHS)) + 1
    put_text(ws, row, 1, "Slik fyller du ut", font=styles.BOLD)
    row += 1
    for i, text in enumerate(HOW_TO, start=1):
        row = pair(ws, row, f"{i}.", text)
    row += 1
    put_text(ws, row, 1, "Fargeforklaring", font=styles.BOLD)
    row += 1
    for fill, text in ((styles.INPUT_FILL, "Innfyllingsfelt (åpent for utfylling)"),
                       (styles.COMPUTED_FILL, "Beregnet felt (låst, regnes ut automatisk)"),
                       (styles.GREY_FILL, "Gjelder ikke ut fra svarene dine (grået ut)")):
        cell = ws.cell(row=row, column=1)
        cell.fill = fill
        cell.border = styles.BOX
        put_text(ws, row, 2, text)
        row += 1
    for colour, text in ((styles.ERROR_COLOUR, "FEIL: må rettes før innsending"),
                         (styles.WARN_COLOUR, "ADVARSEL: uvanlig verdi, kontroller eller forklar"),
                         (styles.OK_COLOUR, "OK: kontrollen er bestått")):
        cell = ws.cell(row=row, column=1)
        cell.fill = styles.PatternFill("solid", fgColor=colour)
        cell.border = styles.BOX
        put_text(ws, row, 2, text)
        row += 1
    return ws


def write_innhold(wb: Workbook, form: Form, placement: Placement, kontroll_sheet: str,
                  status_cells: dict[str, str] | None = None) -> Worksheet:
    """Contents: one linked row per part with its live status from the Kontroll sheet."""
    ws = wb.create_sheet(INNHOLD)
    frame(ws, "Innhold")
    ws.column_dimensions["C"].width = 14
    ws.merge_cells("A1:C1")
    status_cells = status_cells or {}
    put_text(ws, 3, 1, "Del", font=styles.BOLD, fill=styles.SUBHEADER_FILL)
    put_text(ws, 3, 2, "Tittel (klikk for å gå til delen)", font=styles.BOLD, fill=styles.SUBHEADER_FILL)
    put_text(ws, 3, 3, "Status", font=styles.BOLD, fill=styles.SUBHEADER_FILL)
    row = 4
    first = row
    for sheet, parts in sheet_groups(form):
        for part in parts:
            put_text(ws, row, 1, f"Del {part.number}", font=styles.BOLD)
            target_sheet, coord = placement.parts[part.id]
            cell = put_text(ws, row, 2, f"{part.title.capitalize()} (arket «{sheet}»)", alignment=styles.WRAP)
            link(cell, target_sheet, coord)
            ws.row_dimensions[row].height = styles.text_height(cell.value, WIDTHS[1])
            ref = status_cells.get(f"del_{part.id}")
            if ref:
                status = ws.cell(row=row, column=3, value=f"={quote(kontroll_sheet)}!{ref}")
                status.alignment = styles.WRAP_CENTER
            row += 1
    if status_cells:
        from .kontroll import colour_rules  # the same colours as on the Kontroll sheet
        colour_rules(ws, f"C{first}:C{row - 1}")
    row += 1
    put_text(ws, row, 1, "Kontroll", font=styles.BOLD)
    link(put_text(ws, row, 2, "Status for alle kontroller og obligatoriske felt"), kontroll_sheet, "A1")
    return ws


def quote(sheet: str) -> str:
    """Sheet name for a formula, quoted only when needed (as spreadsheet programs write it back,
    so a file saved again by LibreOffice keeps its fingerprint)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"
