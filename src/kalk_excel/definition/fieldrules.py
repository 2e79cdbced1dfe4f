"""The single-cell rules every input is held to, from its field properties (type, min/max,
choices, required): the one list both the survey workbook's live controls (a Kontroll row per
rule and part, a red cell) and the receipt checks (``intake.fieldvalues``, ``intake.rules``)
follow, with the intake codes they correspond to and the same severity (a test keeps the
severities equal to ``intake.codes``).

The Excel side compiles ``kind`` in ``workbook.kontroll``; the Python side is intake's
``check_field`` (codes listed in ``codes``) and ``evaluate.missing_required``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .model import Field, Severity


@dataclass(frozen=True)
class FieldRule:
    kind: str                         # "tekst_i_tall" | "utenfor_grenser" | "ikke_heltall" | "ugyldig_valg" | "mangler"
    codes: tuple[str, ...]            # intake codes of the same rule
    severity: Severity
    applies: Callable[[Field], bool]  # which inputs the rule covers
    title: str                        # Kontroll row text (the filler's words)
    fix: str                          # "Korreksjon:" text


def _bounded(f: Field) -> bool:
    return f.is_numeric and (f.min is not None or f.max is not None)


FIELD_RULES: tuple[FieldRule, ...] = (
    FieldRule("tekst_i_tall", ("V001", "V002"), "feil", lambda f: f.is_input and f.is_numeric,
              "Tekst i felt som skal ha et tall (også tall lagret som tekst, for eksempel etter innliming)",
              "Skriv bare tallet, uten mellomrom, enhet eller tekst. De røde cellene i delen viser hvor."),
    FieldRule("utenfor_grenser", ("V005", "V006"), "feil", lambda f: f.is_input and _bounded(f),
              "Tall utenfor det som er tillatt (for eksempel negative tall, eller prosent over 100)",
              "Rett tallene i de røde cellene. Beløp oppgis i hele kroner, prosent som tall fra 0 til 100."),
    FieldRule("ikke_heltall", ("V004",), "feil", lambda f: f.is_input and f.type == "heltall",
              "Tall med desimaler der det skal stå et helt tall",
              "Skriv hele tall i de røde cellene (antall personer, boliger, deltakere osv.)."),
    FieldRule("ugyldig_valg", ("V008",), "feil", lambda f: f.is_input and bool(f.choices),
              "Svar som ikke er et av valgene i listen",
              "Velg svaret fra nedtrekkslisten i de røde cellene."),
    FieldRule("mangler", ("V010",), "feil", lambda f: f.is_input and f.required,
              "Obligatoriske felt som mangler",
              "Fyll ut alle felt merket med * som ikke er grået ut. Er tallet 0, skriv 0."),
)
