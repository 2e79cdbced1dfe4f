"""The columns of *Beregning per kommune*: one formula template per column (docs/beregning.md,
"Per municipality k"), written once and copied down every municipality row.

Placeholders: ``{adm:field_id}`` / ``{norsk:field_id}`` — the field's column name (``adm_<felt-id>``
on Innrapportert, status columns too: ``adm_inkludert``; ``beregnet_adm_<felt-id>`` on Skjemaberegning
for a computed field), which Excel reads on the formula's own row; ``{reg:key}`` — the column name
``reg_<key>`` on *Registerdata*, read the same way; ``{c:key}`` — another column of this sheet, same
row. No cross-sheet column letters (docs/master.md, «Navnepolicy»). A deduction of state funding is
taken in a column of its own («… etter fradrag»); the area is that column, never below 0 when the
switch ``fradrag_ikke_negativ`` on *Parametre* is 1.
Parameter names are written as they are (workbook-scope names on *Parametre*)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CalcColumn:
    key: str
    label: str
    template: str
    fmt: str = "kr"               # kr | count | ratio | text | flag
    block: str = "adm"            # adm | norsk (header group)


_FLOORED = "IF(fradrag_ikke_negativ=1,MAX(0,{c:%s}),{c:%s})"


def _floored(key: str) -> str:
    return _FLOORED % (key, key)


# Deductions of state funding before the floor (docs/beregning.md): (key, label, template).
DEDUCTIONS: list[tuple[str, str, str]] = [
    ("kvp_netto", "KVP inkl. kvalifiseringsstønad etter fradrag",
     "{adm:kvp_utgift_mg}+{reg:kvalifiseringsstonad}-{adm:kvp_deltakere_mg}*kvp_rammefinansiering_per_deltaker"),
    ("skole_netto", "Ekstratiltak i grunnskolen etter fradrag",
     "{adm:skole_utgift_mg}-skole_trekk_rammetilskudd*{adm:skole_elever_mg}*skole_rammefinansiering_per_elev"),
    ("barnehage_netto", "Barnehage etter fradrag",
     "{adm:bhg_utgift_mg}-barnehagetilskudd*{adm:bhg_barn_forstegang}"),
]

# The 13 expense areas in the order of vedlegg 5: (key, label as in the report, template).
AREAS: list[tuple[str, str, str]] = [
    ("sosial", "Sosial rådgivning og veiledning", "{adm:sos_utgift_mg}"),
    ("intro", "Introduksjonsprogram", "{adm:intro_utgift_mg}"),
    ("fov", "FOV/grunnskoleopplæring for voksne", "{adm:fov_utgift_mg}"),
    ("kvp", "Kvalifiseringsprogram", _floored("kvp_netto")),
    ("syss", "Sysselsettingstiltak m.m.", "{adm:syss_utgift_mg}"),
    ("bolig", "Boliger og boligadministrasjon",
     "{adm:bolig_eid_netto_mg}+{c:bolig_kapital}+{adm:bolig_leid_netto_mg}+{adm:bolig_adm_utgift_mg}"),
    ("pleie", "Pleie og omsorg i hjemmet m.m.", "{adm:pleie_utgift_mg}"),
    ("barnevern", "Barnevern", "{adm:bv_utgift_mg}"),
    ("skole", "Ekstratiltak i grunnskolen", _floored("skole_netto")),
    ("kultur", "Kultur- og ungdomstiltak", "kultur_per_person*{c:n}"),
    ("barnehage", "Barnehage", _floored("barnehage_netto")),
    ("felles", "Felleskostnader", "{adm:felles_utgift_mg}"),
    ("sarskilt_em", "Særskilt tilskudd enslige mindreårige", "-{adm:em_sarskilt_tilskudd}"),
]
AREA_KEYS = [k for k, _, _ in AREAS]

# Per-person values are undefined (blank) where N <= 0 (docs/beregning.md, "Tomme utvalg").
_MEDIAN = 'IF(AND({c:inkludert}=1,{c:n}>0),{c:%s}/{c:n},"")'

COLUMNS: list[CalcColumn] = [
    CalcColumn("kommunenummer", "Kommunenummer", "{adm:kommunenummer}", "text"),
    CalcColumn("kommune", "Kommune", "{adm:kommune}", "text"),
    CalcColumn("inkludert", "Inkludert (1/0)", "{adm:inkludert}", "flag"),
    CalcColumn("n", "Antall i målgruppen, korrigert (N)",
               "{adm:mg_antall_3112}-flytter_andel_aar*{adm:mg_innflyttet}"
               "+flytter_andel_aar*{adm:mg_utflyttet}", "count"),
    CalcColumn("bolig_kapital", "Kapitalkostnad eide boliger (antall × markedsverdi × rente og slit)",
               "{adm:bolig_eid_antall_mg}*{adm:bolig_eid_markedsverdi_mg}*(swaprente_5aar+risikotillegg+kapitalslit)"),
    *[CalcColumn(k, label, t) for k, label, t in DEDUCTIONS],
    *[CalcColumn(k, label, t) for k, label, t in AREAS],
    CalcColumn("total", "Sum utgifter", "SUM({c:%s}:{c:%s})" % (AREA_KEYS[0], AREA_KEYS[-1])),
    CalcColumn("snitt", "Utgift per person", 'IF({c:n}>0,{c:total}/{c:n},"")'),
    CalcColumn("ventestonad", "Ventestønad inkl. etablering", "{adm:sos_ventestonad_mg}"),
    CalcColumn("forstegangsbosatt", "Førstegangsbosatt i året", "{adm:mg_forstegangsbosatt}", "count"),
    CalcColumn("em_flagg", "Med i EM-utvalget (1/0)",
               'IF(AND({c:inkludert}=1,{adm:em_vedtak_bosette}="ja",{adm:em_antall}>0,'
               "COUNTIF(em_ekskludert,{c:kommunenummer})=0),1,0)", "flag"),
    CalcColumn("em_antall", "EM per 31.12.", "{adm:em_antall}", "count"),
    CalcColumn("em_utgift", "EM-utgifter i alt", "{adm:em_utgift_sum}"),
    CalcColumn("em_sarskilt", "Særskilt tilskudd EM mottatt", "{adm:em_sarskilt_tilskudd}"),
    *[CalcColumn(f"pp_{k}", f"Per person: {label} (til median)", _MEDIAN % k) for k, label, _ in AREAS],
    CalcColumn("pp_total", "Per person: sum (til median)", _MEDIAN % "total"),
    # Norskopplæring (same rows; the Innrapportert norsk sheet has the same municipality order)
    CalcColumn("no_inkludert", "Norsk: inkludert (1/0)", "{norsk:inkludert}", "flag", "norsk"),
    CalcColumn("no_flagg", "Norsk: med i beregningen (1/0)",
               'IF(AND({c:no_inkludert}=1,{norsk:no_undervist}="ja"),1,0)', "flag", "norsk"),
    CalcColumn("no_utgift", "Norsk: samlede utgifter", "{norsk:no_utgift_sum}", "kr", "norsk"),
    CalcColumn("no_inntekt", "Norsk: samlede inntekter", "{norsk:no_inntekt_sum}", "kr", "norsk"),
    CalcColumn("no_resultat", "Norsk: resultat (utgifter - inntekter)", "{c:no_utgift}-{c:no_inntekt}",
               "kr", "norsk"),
    CalcColumn("no_timer", "Norsk: undervisningstimer", "{norsk:no_timer}", "count", "norsk"),
    CalcColumn("no_deltakere", "Norsk: deltakere", "{norsk:no_deltakere_sum}", "count", "norsk"),
    CalcColumn("no_per_time", "Norsk: utgift per time",
               'IF(AND({c:no_flagg}=1,{c:no_timer}>0),{c:no_utgift}/{c:no_timer},"")', "kr", "norsk"),
]
KEYS = [c.key for c in COLUMNS]
