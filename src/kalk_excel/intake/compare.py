"""Comparisons across municipalities and years: the target-group count against IMDi's, each
area's amount per person against last year (ratio limits, and a Hidiroglou-Berthelot outlier
test when enough municipalities have both years) and against the median of the other
municipalities in the same run. Thresholds in ``settings.Settings``.
"""

from __future__ import annotations

import math
import statistics
from typing import Mapping

from kalk_excel.definition.model import Form, Kommune

from ..numbertext import fmt_number
from .codes import problem
from .results import FileResult
from .settings import COUNT_FIELD, HANDOVER_FIELDS, TOTAL_FIELD, Settings


def per_person(res: FileResult, area_fields: tuple[str, ...]) -> dict[str, float]:
    """Area result / mg_antall_3112 for the areas in this form, plus their sum (TOTAL_FIELD)."""
    n = res.computed.get(COUNT_FIELD)
    if not isinstance(n, (int, float)) or isinstance(n, bool) or n <= 0:
        return {}
    out: dict[str, float] = {}
    for fid in area_fields:
        v = res.computed.get(fid)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
            out[fid] = v / n
    if out:
        out[TOTAL_FIELD] = sum(out.values())
    return out


def area_label(form: Form | None, fid: str) -> str:
    if fid == TOTAL_FIELD:
        return "Sum alle områder"
    if form is not None and fid in form.fields:
        f = form.fields[fid]
        try:
            part = form.part(f.part_id)
            return f"Del {part.number} {part.title.capitalize()}"
        except KeyError:
            return f.label
    return fid


def compare_imdi(res: FileResult, kommune: Kommune | None, settings: Settings) -> None:
    if kommune is None or kommune.imdi_malgruppe is None:
        return
    n = res.computed.get(COUNT_FIELD)
    if not isinstance(n, (int, float)) or isinstance(n, bool):
        return
    imdi = float(kommune.imdi_malgruppe)
    tolerance = max(settings.imdi_tolerance_abs, settings.imdi_tolerance_rel * abs(imdi))
    if abs(n - imdi) > tolerance:
        sheet, cell = res.cells.get(COUNT_FIELD, (None, None))
        res.problems.append(problem("C001", file=res.file, sheet=sheet, cell=cell, field=COUNT_FIELD, value=n,
                                    found=fmt_number(n), expected=fmt_number(imdi)))


def compare_fjorar(results: list[FileResult], forms: Mapping[str, Form], fjorar: Mapping[tuple[str, str], float],
                   settings: Settings) -> None:
    fields = (*settings.area_fields, TOTAL_FIELD)
    pp = {r.file: per_person(r, settings.area_fields) for r in results}
    for fid in fields:
        pairs = []   # (result, now, last)
        for r in results:
            now = pp[r.file].get(fid)
            last = fjorar.get((r.kommunenummer or "", fid))
            if now is None or last is None:
                continue
            pairs.append((r, now, last))
        flagged = set()
        for r, now, last in pairs:
            if last <= 0 or now < 0:
                continue
            ratio = now / last
            if ratio > settings.fjorar_ratio_high or ratio < settings.fjorar_ratio_low:
                flagged.add(r.file)
                _add(r, "C002", fid, forms, now, last, ratio_text=_times(ratio) + " fjorårets")
        for r, now, last in hb_outliers(pairs, settings):
            if r.file not in flagged:
                _add(r, "C003", fid, forms, now, last, ratio_text="")


def hb_outliers(pairs: list, settings: Settings) -> list:
    """Hidiroglou-Berthelot: centred ratios scaled by size; outside the quartile band = outlier."""
    usable = [(r, now, last) for r, now, last in pairs if now > 0 and last > 0]
    if len(usable) < settings.hb_min_units:
        return []
    ratios = [now / last for _, now, last in usable]
    med = statistics.median(ratios)
    scores = []
    for (_, now, last), ratio in zip(usable, ratios, strict=True):
        s = 1 - med / ratio if ratio < med else ratio / med - 1
        scores.append(s * max(now, last) ** settings.hb_u)
    q1, e_med, q3 = statistics.quantiles(scores, n=4, method="inclusive")
    d1 = max(e_med - q1, abs(settings.hb_a * e_med))
    d3 = max(q3 - e_med, abs(settings.hb_a * e_med))
    lo, hi = e_med - settings.hb_c * d1, e_med + settings.hb_c * d3
    return [u for u, e in zip(usable, scores, strict=False) if e < lo or e > hi]


def compare_median(results: list[FileResult], forms: Mapping[str, Form], settings: Settings) -> None:
    fields = (*settings.area_fields, TOTAL_FIELD)
    pp = {r.file: per_person(r, settings.area_fields) for r in results}
    for fid in fields:
        values = [(r, pp[r.file][fid]) for r in results if fid in pp[r.file]]
        for r, v in values:
            others = [w for q, w in values if q is not r]
            if len(others) < settings.median_min_others:
                continue
            med = statistics.median(others)
            if med <= 0 or v < 0:
                continue
            factor = v / med
            spread = max(factor, 1 / factor) if factor > 0 else math.inf
            if spread >= settings.median_factor_warn:
                severity = "advarsel"
            elif spread >= settings.median_factor_info:
                severity = "info"
            else:
                continue
            _add(r, "C004", fid, forms, v, med, ratio_text=_times(factor), severity=severity)


def compare_handover(results: list[FileResult], forms: Mapping[str, Form]) -> None:
    """The adm and the norsk file of one municipality name the same premises of the introduction
    programme (adm 4.4, norsk spm 30; blank counts as 0): C005 on both files when they differ."""
    by_kommune: dict[str, dict[str, FileResult]] = {}
    for r in results:
        if r.form_id in HANDOVER_FIELDS and r.kommunenummer:
            by_kommune.setdefault(r.kommunenummer, {})[r.form_id] = r
    for pair in by_kommune.values():
        if set(pair) != set(HANDOVER_FIELDS):
            continue
        if any(HANDOVER_FIELDS[f] not in forms[f].fields for f in pair if f in forms):
            continue
        amount = {f: _number(pair[f].computed.get(HANDOVER_FIELDS[f])) for f in pair}
        if amount["adm"] is None or amount["norsk"] is None or abs(amount["adm"] - amount["norsk"]) < 0.5:
            continue
        for f, r in pair.items():
            fid = HANDOVER_FIELDS[f]
            sheet, cell = r.cells.get(fid, (None, None))
            r.problems.append(problem("C005", file=r.file, sheet=sheet, cell=cell, field=fid, value=amount[f],
                                      found=fmt_number(round(amount["adm"])), expected=fmt_number(round(amount["norsk"]))))


def _number(value: object) -> float | None:
    """A computed amount as a number: blank is 0, text or an error value is not comparable."""
    if value is None or value == "":
        return 0.0
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _add(r: FileResult, code: str, fid: str, forms: Mapping[str, Form], found: float, expected: float,
         ratio_text: str, severity: str | None = None) -> None:
    sheet, cell = r.cells.get(fid, (None, None))
    r.problems.append(problem(code, file=r.file, sheet=sheet, cell=cell, field=fid, value=round(found, 2),
                              severity=severity, area=area_label(forms.get(r.form_id or ""), fid),  # type: ignore[arg-type]
                              found=fmt_number(round(found)), expected=fmt_number(round(expected)), ratio=ratio_text))


def _times(factor: float) -> str:
    if factor == 0:
        return "0 ganger"
    return f"{factor:.2f}".replace(".", ",") + " ganger"
