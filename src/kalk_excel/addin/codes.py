"""Catalogue of the add-in's codes (X = Excel add-in and its build), described in addin/README.md.

The names below are what the add-in's modules raise (``errors.fail(CODE, ...)``); every stop is
``feil`` except where noted."""

from __future__ import annotations

from kalk_excel.codes import CodeInfo, catalogue

TEMPLATE_MISSING = "X001"
XLWINGS_VERSION = "X002"
TEMPLATE_CHANGED = "X003"
ADDIN_NAME = "X004"
OPPSETT_NAME = "X010"
OPPSETT_YEAR = "X011"
OPPSETT_FOLDER = "X012"
NOT_A_MASTER = "X013"
STATE_TOO_LARGE = "X014"
CORE_MISSING = "X020"
CORE_FAILED = "X021"
BLOCK_INVALID = "X030"
SHEET_MISSING = "X031"
UNPROTECT_FAILED = "X032"
WRITE_FAILED = "X033"
RESTORE_FAILED = "X034"
PROTECT_FAILED = "X035"
FORMULA_IN_TARGET = "X036"
AFTER_WRITE_FAILED = "X037"
ALREADY_RUNNING = "X040"
BOOK_CHANGED = "X041"
NO_ACTIVE_BOOK = "X042"
UNEXPECTED = "X099"

CODES = catalogue([
    CodeInfo(TEMPLATE_MISSING, "feil", "Bygging: xlwings-malen mangler"),
    CodeInfo(XLWINGS_VERSION, "feil", "Bygging: feil xlwings-versjon"),
    CodeInfo(TEMPLATE_CHANGED, "feil", "Bygging: xlwings-malen er endret"),
    CodeInfo(ADDIN_NAME, "feil", "Bygging: tillegget må hete beregningsutvalget.xlam"),
    CodeInfo(OPPSETT_NAME, "feil", "Oppsett: navn mangler eller er feil"),
    CodeInfo(OPPSETT_YEAR, "feil", "Oppsett: årstallet mangler eller er feil"),
    CodeInfo(OPPSETT_FOLDER, "feil", "Oppsett: innleveringsmappen mangler eller finnes ikke"),
    CodeInfo(NOT_A_MASTER, "feil", "Den aktive arbeidsboka er ikke en master"),
    CodeInfo(STATE_TOO_LARGE, "feil", "Et ark i masteren er i bruk langt utenfor tabellen"),
    CodeInfo(CORE_MISSING, "feil", "Beregningsdelen av kalk-excel mangler"),
    CodeInfo(CORE_FAILED, "feil", "Kontrollen av innleveringene stoppet"),
    CodeInfo(BLOCK_INVALID, "feil", "Beregningen ga en blokk eller verdi som ikke passer masteren"),
    CodeInfo(SHEET_MISSING, "feil", "Et ark mangler i masteren"),
    CodeInfo(UNPROTECT_FAILED, "feil", "Arkbeskyttelsen kunne ikke oppheves"),
    CodeInfo(WRITE_FAILED, "feil", "Skrivingen feilet, satt tilbake"),
    CodeInfo(RESTORE_FAILED, "feil", "Skrivingen feilet og kunne ikke settes helt tilbake"),
    CodeInfo(PROTECT_FAILED, "feil", "Et ark kunne ikke beskyttes igjen"),
    CodeInfo(FORMULA_IN_TARGET, "feil", "Formel i en celle tillegget skal skrive i"),
    CodeInfo(AFTER_WRITE_FAILED, "feil", "Alt er skrevet, men beregningen etterpå feilet"),
    CodeInfo(ALREADY_RUNNING, "feil", "En beregning kjører allerede"),
    CodeInfo(BOOK_CHANGED, "feil", "Masteren ble lukket eller fikk nytt navn under beregningen"),
    CodeInfo(NO_ACTIVE_BOOK, "feil", "Fant ingen aktiv arbeidsbok"),
    CodeInfo(UNEXPECTED, "feil", "Uventet feil"),
])
