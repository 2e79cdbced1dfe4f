"""The submitted field columns of the Innrapportert sheets: every input and computed field of
each form in catalogue order, or — when no form definition is given — the calculation fields
the method needs (docs/arkitektur.md, "Calculation fields")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

# Fields the calculation reads (docs/beregning.md); they must exist in the form used.
CALC_FIELDS: dict[str, list[tuple[str, str]]] = {
    "adm": [
        ("mg_antall_0101", "Antall i målgruppen 1.1."), ("mg_antall_3112", "Antall i målgruppen 31.12."),
        ("mg_forstegangsbosatt", "Førstegangsbosatt i året"), ("mg_innflyttet", "Flyttet inn"),
        ("mg_utflyttet", "Flyttet ut eller døde"), ("sos_utgift_mg", "Sosial rådgivning, netto"),
        ("sos_ventestonad_mg", "Ventestønad og etablering"), ("intro_utgift_mg", "Introduksjonsprogram, netto"),
        ("fov_utgift_mg", "FOV/grunnskoleopplæring for voksne"), ("kvp_utgift_mg", "Kvalifiseringsprogram, netto"),
        ("kvp_deltakere_mg", "Deltakere i KVP"), ("syss_utgift_mg", "Sysselsettingstiltak"),
        ("bolig_eid_antall_mg", "Eide boliger, antall"), ("bolig_eid_markedsverdi_mg", "Markedsverdi per bolig"),
        ("bolig_eid_netto_mg", "Eide boliger, netto"), ("bolig_leid_netto_mg", "Leide boliger, netto"),
        ("bolig_adm_utgift_mg", "Boligadministrasjon"), ("pleie_utgift_mg", "Pleie og omsorg, netto"),
        ("em_antall", "EM per 31.12."), ("em_sarskilt_tilskudd", "Særskilt tilskudd EM mottatt"),
        ("em_vedtak_bosette", "Vedtak om å bosette EM (ja/nei)"), ("em_utgift_sum", "EM-utgifter i alt"),
        ("bv_utgift_mg", "Barnevern, netto"), ("skole_utgift_mg", "Ekstratiltak i grunnskolen, netto"),
        ("skole_elever_mg", "Elever i målgruppen"), ("bhg_utgift_mg", "Barnehage, netto"),
        ("bhg_barn_forstegang", "Barn 0-5 år førstegangsbosatt"), ("felles_utgift_mg", "Felleskostnader"),
    ],
    "norsk": [
        ("no_undervist", "Har kommunen gitt opplæring (ja/nei)"), ("no_deltakere_sum", "Deltakere i alt"),
        ("no_timer", "Undervisningstimer"), ("no_utgift_sum", "Samlede utgifter"),
        ("no_inntekt_sum", "Samlede inntekter"),
    ],
}


@dataclass(frozen=True)
class FieldColumn:
    id: str
    question: str
    label: str
    computed: bool
    type: str = ""
    calculate: str | None = None  # the form's expression for a computed field


class FieldError(ValueError):
    """A form lacks a field the calculation needs; the message is Norwegian."""


def columns_for(form_id: str, form: Any = None) -> list[FieldColumn]:
    """Field columns of one form (``form`` a definition ``Form`` or None for the fallback)."""
    if form is None:
        return [FieldColumn(fid, "", label, False) for fid, label in CALC_FIELDS[form_id]]
    fields: Mapping[str, Any] = form.fields
    cols = [FieldColumn(f.id, f.question or "", f.label, not f.is_input, f.type, f.calculate)
            for f in fields.values()]
    missing = [fid for fid, _ in CALC_FIELDS[form_id] if fid not in fields]
    if missing:
        raise FieldError(f"Skjemadefinisjonen «{form_id}» mangler feltene beregningen bruker: "
                         + ", ".join(missing) + ".")
    return cols
