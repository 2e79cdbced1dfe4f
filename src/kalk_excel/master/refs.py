"""Where things are in the master being built: column letters of the submitted fields and of
the per-municipality calculation, the data rows, and the template expander for formulas."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .fields import FieldColumn
from .layout import FIRST_DATA_ROW, SHEET_FORMCALC, SHEET_INPUT, SHEET_PER_KOMMUNE, STATUS_KEYS, col
from .perkommune_spec import COLUMNS

FORMCALC_LEAD = ["kommunenummer", "kommune"]   # first columns of a Skjemaberegning sheet
_PLACEHOLDER = re.compile(r"\{(adm|norsk|c):([a-z0-9_]+)\}")


def quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


@dataclass
class Refs:
    n_rows: int
    input_cols: dict[str, dict[str, str]] = field(default_factory=dict)   # form -> key -> letter
    fields: dict[str, list[FieldColumn]] = field(default_factory=dict)
    calc_cols: dict[str, str] = field(default_factory=dict)               # key -> letter
    formcalc_cols: dict[str, dict[str, str]] = field(default_factory=dict)  # form -> computed field -> letter
    formcheck_cols: dict[str, dict[str, str]] = field(default_factory=dict)  # form -> computed field -> letter

    @classmethod
    def build(cls, n_rows: int, fields: dict[str, list[FieldColumn]]) -> "Refs":
        refs = cls(n_rows=n_rows, fields=fields)
        for form_id, cols in fields.items():
            keys = STATUS_KEYS + [c.id for c in cols]
            refs.input_cols[form_id] = {k: col(i + 1) for i, k in enumerate(keys)}
            computed = [c.id for c in cols if c.computed and c.calculate]
            first = len(FORMCALC_LEAD) + 1
            refs.formcalc_cols[form_id] = {fid: col(first + i) for i, fid in enumerate(computed)}
            first += len(computed) + 1   # one empty column between the values and the check flags
            refs.formcheck_cols[form_id] = {fid: col(first + i) for i, fid in enumerate(computed)}
        refs.calc_cols = {c.key: col(i + 1) for i, c in enumerate(COLUMNS)}
        return refs

    @property
    def first_row(self) -> int:
        return FIRST_DATA_ROW

    @property
    def last_row(self) -> int:
        return FIRST_DATA_ROW + self.n_rows - 1

    def expand(self, template: str, row: int) -> str:
        """A per-municipality template -> formula text (without '=') for ``row``."""
        def repl(m: re.Match[str]) -> str:
            kind, key = m.group(1), m.group(2)
            if kind == "c":
                return f"{self.calc_cols[key]}{row}"
            return self.field_ref(kind, key, row)
        return _PLACEHOLDER.sub(repl, template)

    def field_ref(self, form_id: str, key: str, row: int, own_sheet: bool = False) -> str:
        """A submitted or recomputed field of ``form_id`` on ``row``: computed fields of a form
        definition are taken from its Skjemaberegning sheet (formulas over the submitted inputs)."""
        if key in self.formcalc_cols.get(form_id, {}):
            cell = f"{self.formcalc_cols[form_id][key]}{row}"
            return cell if own_sheet else f"{quote(SHEET_FORMCALC[form_id])}!{cell}"
        return f"{quote(SHEET_INPUT[form_id])}!{self.input_cols[form_id][key]}{row}"

    def calc_range(self, key: str, absolute: bool = True, sheet: bool = True) -> str:
        """The data range of a per-municipality column, e.g. 'Beregning per kommune'!$D$6:$D$29."""
        c = self.calc_cols[key]
        d = "$" if absolute else ""
        text = f"{d}{c}{d}{self.first_row}:{d}{c}{d}{self.last_row}"
        return f"{quote(SHEET_PER_KOMMUNE)}!{text}" if sheet else text

    def calc_block(self, first_key: str, last_key: str) -> str:
        a, b = self.calc_cols[first_key], self.calc_cols[last_key]
        return f"{quote(SHEET_PER_KOMMUNE)}!${a}${self.first_row}:${b}${self.last_row}"

    def input_range(self, form_id: str, key: str) -> str:
        c = self.input_cols[form_id][key]
        return f"{quote(SHEET_INPUT[form_id])}!${c}${self.first_row}:${c}${self.last_row}"

    def formcheck_block(self, form_id: str) -> str | None:
        cols = list(self.formcheck_cols.get(form_id, {}).values())
        if not cols:
            return None
        return (f"{quote(SHEET_FORMCALC[form_id])}!${cols[0]}${self.first_row}:${cols[-1]}${self.last_row}")

    def formcalc_block(self, form_id: str) -> str | None:
        cols = list(self.formcalc_cols.get(form_id, {}).values())
        if not cols:
            return None
        return (f"{quote(SHEET_FORMCALC[form_id])}!$A${self.first_row}:${cols[-1]}${self.last_row}")
