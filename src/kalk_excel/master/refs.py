"""Where things are in the master being built: column letters of the submitted fields and of
the per-municipality calculation, the data rows, and the template expander for formulas."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial

from .fields import FieldColumn
from .formsplit import ROW, FormPlan, plan_form
from .layout import FIRST_DATA_ROW, SHEET_FORMCALC, SHEET_INPUT, SHEET_PER_KOMMUNE, STATUS_KEYS, col
from .perkommune_spec import COLUMNS

FORMCALC_LEAD = ["kommunenummer", "kommune"]   # first columns of a Skjemaberegning sheet
MAX_NAME = 64                                  # Excel's limit is 255; kept short for the Name Manager
_PLACEHOLDER = re.compile(r"\{(adm|norsk|c|reg):([a-z0-9_]+)\}")


def _offset_col(first: int, i: int) -> str:
    return col(first + i)


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
    formhelp_cols: dict[str, dict[str, str]] = field(default_factory=dict)   # form -> helper key -> letter
    plans: dict[str, FormPlan] = field(default_factory=dict)                # form -> Skjemaberegning formulas

    @classmethod
    def build(cls, n_rows: int, fields: dict[str, list[FieldColumn]]) -> "Refs":
        refs = cls(n_rows=n_rows, fields=fields)
        for form_id, cols in fields.items():
            keys = STATUS_KEYS + [c.id for c in cols]
            refs.input_cols[form_id] = {k: col(i + 1) for i, k in enumerate(keys)}
            computed = [c for c in cols if c.computed and c.calculate]
            first = len(FORMCALC_LEAD) + 1
            refs.formcalc_cols[form_id] = {c.id: col(first + i) for i, c in enumerate(computed)}
            first += len(computed) + 1   # one empty column between the values and the check flags
            refs.formcheck_cols[form_id] = {c.id: col(first + i) for i, c in enumerate(computed)}
            helper_first = first + len(computed) + 1   # and one between the flags and the helper columns
            plan = plan_form({c.id: c.calculate or "" for c in computed}, partial(refs.input_value, form_id),
                             refs.formcalc_cols[form_id].__getitem__, partial(_offset_col, helper_first),
                             refs.last_row)
            refs.plans[form_id] = plan
            refs.formhelp_cols[form_id] = {h.key: col(helper_first + i) for i, h in enumerate(plan.helpers)}
        refs.calc_cols = {c.key: col(i + 1) for i, c in enumerate(COLUMNS)}
        return refs

    def input_name(self, form_id: str, key: str) -> str | None:
        """The workbook-scope name of a column on *Innrapportert* (``adm_<felt-id>``, also for the
        status columns: ``adm_inkludert``), or None when it would be longer than Excel allows."""
        name = f"{form_id}_{key}"
        return name if len(name) <= MAX_NAME else None

    def recomputed_name(self, form_id: str, key: str) -> str | None:
        """The name of a recomputed field's column on *Skjemaberegning* (``beregnet_adm_<felt-id>``)."""
        name = f"beregnet_{form_id}_{key}"
        return name if key in self.formcalc_cols.get(form_id, {}) and len(name) <= MAX_NAME else None

    def column_names(self) -> dict[str, str]:
        """Every column name above -> its data range (the builder defines them)."""
        out: dict[str, str] = {}
        for form_id, cols in self.input_cols.items():
            for key in cols:
                name = self.input_name(form_id, key)
                if name:
                    out[name] = self.input_range(form_id, key)
            for key, letter in self.formcalc_cols.get(form_id, {}).items():
                name = self.recomputed_name(form_id, key)
                if name:
                    out[name] = f"{quote(SHEET_FORMCALC[form_id])}!${letter}${self.first_row}:${letter}${self.last_row}"
        for key in self.calc_cols:
            out[self.calc_name(key)] = self._calc_cells(key)
        return out

    def input_value(self, form_id: str, key: str, row: int | None = None) -> str:
        """A submitted column's value on the formula's own row: its name (Excel takes the value on
        the same row of a one-column name), or — when it has no name — the cell itself."""
        name = self.input_name(form_id, key)
        if name:
            return name
        return f"{quote(SHEET_INPUT[form_id])}!{self.input_cols[form_id][key]}{ROW if row is None else row}"

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
            if kind == "reg":   # a column of Registerdata by its name (reg_<key>, master.sheet_registerdata)
                return f"reg_{key}"
            return self.field_ref(kind, key, row)
        return _PLACEHOLDER.sub(repl, template)

    def field_ref(self, form_id: str, key: str, row: int) -> str:
        """A submitted or recomputed field of ``form_id`` on the formula's row, by name: computed
        fields of a form definition are taken from its Skjemaberegning sheet (``beregnet_adm_…``),
        everything else from Innrapportert (``adm_…``)."""
        name = self.recomputed_name(form_id, key)
        if name:
            return name
        if key in self.formcalc_cols.get(form_id, {}):
            return f"{quote(SHEET_FORMCALC[form_id])}!{self.formcalc_cols[form_id][key]}{row}"
        return self.input_value(form_id, key, row)

    def calc_name(self, key: str) -> str:
        """The workbook-scope name of a column of *Beregning per kommune* (``per_kommune_total``)."""
        return f"per_kommune_{key}"

    def calc_range(self, key: str, absolute: bool = True, sheet: bool = True) -> str:
        """A per-municipality column for an aggregate: its name (``per_kommune_total``); with
        ``sheet=False`` or ``absolute=False`` the cell range itself, e.g. ``$D$6:$D$29``."""
        if absolute and sheet:
            return self.calc_name(key)
        return self._calc_cells(key, absolute, sheet)

    def _calc_cells(self, key: str, absolute: bool = True, sheet: bool = True) -> str:
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
