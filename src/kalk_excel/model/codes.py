"""Catalogue of the codes for the parameters (workbook_templates/<år>/parametre.yaml, and the
records a master is built from), raised by ``kalk_excel.model.parameters``. Described in
docs/beregning.md. ``{where}`` is the file and line («parametre.yaml:12»)."""

from __future__ import annotations

from kalk_excel.codes import CodeInfo, Text, catalogue

CODES = catalogue([
    CodeInfo("P001", "feil", "YAML-feil i parameterfila",
             Text("{where}: {detail}", "Rett YAML-feilen på linjen som er nevnt.")),
    CodeInfo("P002", "feil", "Parameterfila har feil form eller feil år",
             Text("{where}: fila må ha nøklene year og parameters (en liste).",
                  "Se workbook_templates/2024/parametre.yaml for formatet."),
             {"aar": Text("{where}: year er {found!r}, men fila skal gjelde {year}.",
                          "Sett year: {year} eller bruk fila for riktig år.")}),
    CodeInfo("P003", "feil", "En parameter er ikke en tabell",
             Text("{where}: en parameter må være en tabell med id, label, value, unit, source, group.",
                  "Skriv parameteren som {{id: ..., label: ..., value: ..., ...}}.")),
    CodeInfo("P004", "feil", "En parameter mangler nøkler",
             Text("{where}: parameteren {id} mangler {keys}.",
                  "Fyll inn alle nøklene id, label, value, unit, source og group.")),
    CodeInfo("P005", "feil", "Verdien til en parameter har feil type",
             Text("{where}: verdien til {id} er ikke et tall ({value!r}).",
                  "Skriv verdien som et tall med punktum som desimaltegn, uten mellomrom."),
             {"liste": Text("{where}: {id} må være en liste med kommunenummer som tekst (\"0301\").",
                            "Skriv for eksempel value: [\"0301\"].")}),
    CodeInfo("P006", "feil", "Parameter oppgitt to ganger",
             Text("{where}: parameteren {id} er oppgitt to ganger (også linje {line}).", "Fjern den ene."),
             {"uten_linje": Text("{where}: parameteren {id} er oppgitt to ganger.", "Fjern den ene.")}),
    CodeInfo("P007", "feil", "Parameter som beregningen trenger, mangler",
             Text("{where}: parameteren {id} mangler, men beregningen trenger den.",
                  "Legg til {id} med verdi, enhet og kilde (se docs/beregning.md).")),
])
