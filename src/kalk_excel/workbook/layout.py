"""Part sheets: the questionnaire itself. Lays out each part (title, information block, questions
with help and routing, simple fields as label | input | unit rows, tables as grids, computed cells
as formulas, the contact block) and records where every field landed.

The formulas come from the definition's expressions (``formulas.excel``, i.e.
``expr.parse(...).to_excel()``; field ids are defined names); nothing here is specific to one
question.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.styles import Protection
from openpyxl.worksheet.worksheet import Worksheet

from .. import numbertext
from ..definition.model import Field, FieldsBlock, Form, Kommune, Part, Question, TableBlock
from ..definition.skiplogic import possibly
from . import printing, styles
from .cells import col, put_block, put_paragraphs, put_text
from .formulas import excel, numeric_inputs

LABEL_COL = 2          # B: labels and question texts
FIRST_DATA_COL = 3     # C: inputs, table columns
NUMBER_WIDTH = 7.0
LABEL_WIDTH = 58.0
DATA_WIDTH = 17.0
SPACER_HEIGHT = 6.0
MIN_LABEL_WIDTH = 46.0
MIN_DATA_WIDTH = 12.0      # still holds "999 999 999"
PORTRAIT_CHARS = 134.0     # widest sheet (characters, with the per-column padding) printed portrait at >= 0.75
HEADER_ROWS = 2        # rows 1-2 repeat on every printed page and stay frozen
IMDI_FIELDS = ("mg_antall_3112", "mg_antall_0101")   # where IMDi's count is shown for comparison
UNLOCKED = Protection(locked=False)


@dataclass
class Placement:
    """Where the generator put things; filled in while sheets are written."""

    cells: dict[str, tuple[str, str]] = field(default_factory=dict)         # field id -> (sheet, A1)
    labels: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # field id -> label cells
    parts: dict[str, tuple[str, str]] = field(default_factory=dict)         # part id -> (sheet, title A1)

    def input_cells(self, form: Form) -> set[tuple[str, str]]:
        return {self.cells[f.id] for f in form.inputs()}


def sheet_groups(form: Form) -> list[tuple[str, list[Part]]]:
    """Consecutive parts that share a sheet name, in definition order."""
    groups: list[tuple[str, list[Part]]] = []
    for part in form.parts:
        if groups and groups[-1][0] == part.sheet:
            groups[-1][1].append(part)
        else:
            groups.append((part.sheet, [part]))
    return groups


def data_columns(parts: list[Part]) -> int:
    """How many columns right of the labels the sheet needs (input, unit, note / table + KOSTRA)."""
    widest = 3
    for part in parts:
        for q in part.questions:
            for block in q.blocks:
                if isinstance(block, TableBlock):
                    widest = max(widest, len(block.columns) + 1)
    return widest


def display_label(f: Field) -> str:
    """The label as printed; the required mark is a cell of its own (``write_required_mark``)."""
    label = f.label
    if f.type == "prosent" and "%" not in label:
        label += " (%)"
    return label


REQUIRED_MARK = "*"


def unit_text(f: Field) -> str:
    if f.type == "prosent":
        return "% (0–100)"
    if f.type == "ja_nei":
        return "ja / nei"
    if f.type == "valg":
        return "velg fra listen"
    return f.unit or ""


def footer_text(form: Form, kommune: Kommune) -> str:
    """Printed on every page: who and which form (the page number is added by ``printing``)."""
    return f"{kommune.navn} ({kommune.kommunenummer}) – {form.short_title} {form.year}"


def number_text(value: float) -> str:
    return numbertext.number_text(value, decimals=2)


class PartSheetWriter:
    """Writes one part sheet (one or more consecutive parts) and records placements."""

    def __init__(self, ws: Worksheet, form: Form, kommune: Kommune, parts: list[Part], placement: Placement):
        self.ws = ws
        self.form = form
        self.kommune = kommune
        self.parts = parts
        self.placement = placement
        self.ncols = data_columns(parts)
        self.last_col = LABEL_COL + self.ncols
        # narrower data columns keep a table sheet portrait (twice the rows per page of landscape)
        room = (PORTRAIT_CHARS - NUMBER_WIDTH - LABEL_WIDTH) / self.ncols
        self.data_width = max(MIN_DATA_WIDTH, min(DATA_WIDTH, float(int(room))))
        # and a somewhat narrower label column when that is what it takes
        self.label_width = max(MIN_LABEL_WIDTH, min(LABEL_WIDTH, PORTRAIT_CHARS - NUMBER_WIDTH
                                                    - self.data_width * self.ncols))
        self.text_width = self.label_width + self.data_width * self.ncols
        self.blocks: list[tuple[int, int]] = []   # rows kept on one printed page where they fit
        self.row = HEADER_ROWS + 1

    # -- sheet frame ---------------------------------------------------------------------------
    def write(self) -> None:
        ws = self.ws
        ws.column_dimensions["A"].width = NUMBER_WIDTH
        ws.column_dimensions[col(LABEL_COL)].width = self.label_width
        for c in range(FIRST_DATA_COL, self.last_col + 1):
            ws.column_dimensions[col(c)].width = self.data_width
        banner = f"{self.form.short_title} {self.form.year} – {self.kommune.navn} ({self.kommune.kommunenummer})"
        put_block(ws, 1, 1, self.last_col, banner, self.text_width + NUMBER_WIDTH,
                  font=styles.TITLE_FONT, fill=styles.HEADER_FILL)
        ws.row_dimensions[1].height = 22
        titles = "; ".join(f"Del {p.number} {p.title}" for p in self.parts)
        put_block(ws, 2, 1, self.last_col, titles, self.text_width + NUMBER_WIDTH, font=styles.BOLD,
                  fill=styles.SUBHEADER_FILL)
        for part in self.parts:
            self.write_part(part)
        self.page_setup()
        ws.sheet_properties.tabColor = styles.PART_TAB_COLOUR

    def page_setup(self) -> None:
        ws = self.ws
        ws.freeze_panes = f"A{HEADER_ROWS + 1}"
        printing.setup(ws, self.last_col, footer_text(self.form, self.kommune), self.blocks, (1, HEADER_ROWS))
        ws.print_area = f"A1:{col(self.last_col)}{max(self.row, HEADER_ROWS + 1)}"
        ws.sheet_view.zoomScale = 100

    # -- parts and questions -------------------------------------------------------------------
    def write_part(self, part: Part) -> None:
        ws = self.ws
        part_start = self.row
        self.placement.parts[part.id] = (ws.title, f"A{self.row}")
        put_block(ws, self.row, 1, self.last_col, f"DEL {part.number}: {part.title}", self.text_width,
                  font=styles.PART_FONT, fill=styles.HEADER_FILL)
        self.row += 1
        if part.info:
            put_text(ws, self.row, 1, "INFORMASJON TIL UTFYLLEREN", font=styles.BOLD, fill=styles.INFO_FILL)
            ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.last_col)
            self.row += 1
            self.row = put_paragraphs(ws, self.row, 1, self.last_col, part.info, self.text_width + NUMBER_WIDTH,
                                      fill=styles.INFO_FILL)
        self.spacer()
        for i, q in enumerate(part.questions):
            start = part_start if i == 0 else self.row   # the part's heading stays with its first question
            self.write_question(q)
            self.blocks.append((start, self.row - 1))
        if part.contact_fields:
            start = self.row
            self.write_contact(part)
            if self.blocks and self.blocks[-1][1] >= part_start:   # never a page with only the contact block
                self.blocks[-1] = (self.blocks[-1][0], self.row - 1)
            else:
                self.blocks.append((start, self.row - 1))
        self.spacer()

    def spacer(self) -> None:
        """A thin empty row between blocks (a full row each time costs printed pages)."""
        self.ws.row_dimensions[self.row].height = SPACER_HEIGHT
        self.row += 1

    def write_question(self, q: Question) -> None:
        ws = self.ws
        put_text(ws, self.row, 1, q.number, font=styles.BOLD, alignment=styles.TOP)
        put_block(ws, self.row, LABEL_COL, self.last_col, q.text, self.text_width, font=styles.BOLD)
        self.row += 1
        if q.help:
            self.row = put_paragraphs(ws, self.row, LABEL_COL, self.last_col, q.help, self.text_width,
                                      font=styles.ITALIC)
        if q.routing:
            put_block(ws, self.row, LABEL_COL, self.last_col, f"→ {q.routing}", self.text_width, font=styles.ITALIC)
            self.row += 1
        for block in q.blocks:
            if isinstance(block, FieldsBlock):
                for fid in block.fields:
                    self.write_field_row(self.form.fields[fid])
            else:
                self.write_table(block)
        self.spacer()

    def write_contact(self, part: Part) -> None:
        put_text(self.ws, self.row, LABEL_COL, "Kontaktperson for denne delen", font=styles.BOLD)
        self.row += 1
        for fid in part.contact_fields:
            self.write_field_row(self.form.fields[fid])

    # -- fields --------------------------------------------------------------------------------
    def write_field_row(self, f: Field) -> None:
        ws = self.ws
        label = put_text(ws, self.row, LABEL_COL, display_label(f), alignment=styles.WRAP)
        self.write_required_mark(f, self.row)
        if len(label.value) > self.label_width:
            ws.row_dimensions[self.row].height = styles.text_height(label.value, self.label_width)
        self.write_value_cell(f, self.row, FIRST_DATA_COL)
        if f.is_input and f.type in ("tekst", "valg"):
            # e-mail addresses, dropdown texts and comments get the whole width of the data columns
            ws.merge_cells(start_row=self.row, start_column=FIRST_DATA_COL, end_row=self.row, end_column=self.last_col)
            lines = 3 if f.role == "kommentar" or (f.max_length or 0) > 200 else 1
            ws.row_dimensions[self.row].height = max(ws.row_dimensions[self.row].height or 0,
                                                     styles.LINE_HEIGHT * lines + 2,
                                                     styles.text_height(f.label, self.label_width))
        else:
            put_text(ws, self.row, FIRST_DATA_COL + 1, unit_text(f), font=styles.SMALL, alignment=styles.TOP)
            note = self.note_for(f)
            if note:
                put_text(ws, self.row, FIRST_DATA_COL + 2, note, font=styles.SMALL, alignment=styles.WRAP)
                if self.last_col > FIRST_DATA_COL + 2:
                    ws.merge_cells(start_row=self.row, start_column=FIRST_DATA_COL + 2, end_row=self.row,
                                   end_column=self.last_col)
                note_width = self.data_width * (self.last_col - FIRST_DATA_COL - 1) / 0.85   # 9 pt text
                ws.row_dimensions[self.row].height = max(ws.row_dimensions[self.row].height or 0,
                                                         styles.text_height(note, note_width))
        self.placement.labels.setdefault(f.id, []).append((ws.title, label.coordinate))
        self.row += 1

    def write_required_mark(self, f: Field, row: int) -> None:
        """«*» left of the label of a required input; it disappears when the answers given rule
        the field out (a blank filter question leaves it, the field is then neutral)."""
        if not (f.required and f.is_input):
            return
        rule = possibly(self.form, f.relevant)
        mark = f'=IF({excel(rule, numeric_inputs(self.form))},"{REQUIRED_MARK}","")' if rule else REQUIRED_MARK
        cell = self.ws.cell(row=row, column=1, value=mark)
        cell.font = styles.REQUIRED_FONT
        cell.alignment = styles.RIGHT_TOP

    def note_for(self, f: Field) -> str | None:
        notes = []
        if f.kostra:
            notes.append(f"KOSTRA: {f.kostra}")
        imdi_field = next((fid for fid in IMDI_FIELDS if fid in self.form.fields), None)
        if f.id == imdi_field and self.kommune.imdi_malgruppe is not None:
            notes.append(f"Til sammenligning: IMDis tall for målgruppen er {number_text(self.kommune.imdi_malgruppe)}")
        return "; ".join(notes) or None

    def write_value_cell(self, f: Field, row: int, column: int) -> None:
        cell = self.ws.cell(row=row, column=column)
        cell.border = styles.BOX
        cell.number_format = styles.number_format(f.type)
        if f.is_input:
            cell.fill = styles.INPUT_FILL
            cell.protection = UNLOCKED
            cell.alignment = styles.WRAP if f.type == "tekst" else styles.TOP
        else:
            cell.value = "=" + excel(f.calculate, numeric_inputs(self.form))
            cell.fill = styles.COMPUTED_FILL
            cell.font = styles.BOLD
        self.placement.cells[f.id] = (self.ws.title, cell.coordinate)

    def write_table(self, t: TableBlock) -> None:
        ws = self.ws
        if t.title:
            put_text(ws, self.row, LABEL_COL, t.title, font=styles.BOLD)
            self.row += 1
        header_height = 1
        for j, c in enumerate(t.columns):
            put_text(ws, self.row, FIRST_DATA_COL + j, c.label, font=styles.BOLD, fill=styles.SUBHEADER_FILL,
                     alignment=styles.WRAP_CENTER).border = styles.BOX
            header_height = max(header_height, int(styles.text_height(c.label, self.data_width * 0.85)
                                                   / styles.LINE_HEIGHT))   # bold, centred
        has_kostra = any(r.kostra for r in t.rows)
        if has_kostra:
            put_text(ws, self.row, FIRST_DATA_COL + len(t.columns), "KOSTRA", font=styles.BOLD,
                     fill=styles.SUBHEADER_FILL, alignment=styles.WRAP_CENTER)
        ws.row_dimensions[self.row].height = styles.LINE_HEIGHT * header_height + 2
        self.row += 1
        for i, r in enumerate(t.rows):
            label = put_text(ws, self.row, LABEL_COL, r.label, alignment=styles.WRAP,
                             font=styles.BOLD if r.emphasis else None)
            if len(r.label) > self.label_width:
                ws.row_dimensions[self.row].height = styles.text_height(r.label, self.label_width)
            for j, fid in enumerate(t.cells[i]):
                if fid is None:
                    ws.cell(row=self.row, column=FIRST_DATA_COL + j).fill = styles.GREY_FILL
                    continue
                f = self.form.fields[fid]
                self.write_value_cell(f, self.row, FIRST_DATA_COL + j)
                self.placement.labels.setdefault(fid, []).append((ws.title, label.coordinate))
            if r.kostra:
                put_text(ws, self.row, FIRST_DATA_COL + len(t.columns), r.kostra, font=styles.SMALL,
                         alignment=styles.WRAP)
            self.row += 1
