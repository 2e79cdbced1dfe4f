"""The Norwegian texts the add-in shows: the summary after a run, and an error."""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from kalk_excel.numbertext import percent_text
from kalk_excel.problems import Problem

TITLE = "Beregn dekningsgrad"
RESULT_NAME = "dekningsgrad_integreringstilskudd"
REJECTED = ("avvist", "feil")
MAX_FILES_LISTED = 10

# The core's summary keys shown, in this order (others, e.g. aar, mappe, problemer, are not).
_COUNTS = [("filer", "Filer i innleveringsmappa"), ("inkludert", "Inkludert i beregningen"),
           ("godkjent", "Godkjent"), ("advarsler", "Godkjent med advarsler"), ("feil", "Med feil"),
           ("avvist", "Avvist"), ("erstattet", "Erstattet av nyere innlevering")]
_PER_FORM = [("inkludert_per_skjema", "Inkludert per skjema"), ("ikke_mottatt", "Ikke mottatt")]


def percent(value: Any) -> str:
    """A ratio (0.909) as Norwegian percent text ("90,9 %")."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return percent_text(value)
    return "ikke beregnet (tom celle eller feil i formelen)"


def summary_text(year: int, summary: Mapping[str, Any], files: Iterable[Any], dekningsgrad: Any,
                 blocks: int, cells: int, problems: Iterable[Problem] = (), notes: Iterable[Any] = (),
                 book: str | None = None) -> str:
    """`problems`: the add-in's own (e.g. a sheet left unprotected); `notes`: the core's run-level
    problems (`Update.problems`, if it has them), of which warnings and errors are listed;
    `book`: the workbook's name as Excel shows it (the summary says which book was updated)."""
    which = f"Masteren «{book}»" if book else "Masteren"
    lines = [f"{which} er oppdatert med innleveringene for {year}.", ""]
    for key, label in _COUNTS:
        value = summary.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            lines.append(f"{label}: {value}")
    for key, label in _PER_FORM:
        per_form = summary.get(key)
        if isinstance(per_form, Mapping) and per_form:
            parts = [f"{form} {len(v) if isinstance(v, (list, tuple)) else v}" for form, v in per_form.items()]
            lines.append(f"{label}: {', '.join(parts)}")
    held_out = summary.get("holdt_utenfor")
    if isinstance(held_out, (list, tuple)) and held_out:
        lines.append(f"Holdt utenfor av sekretariatet (Oppsett): {len(held_out)}")
    lines.append(f"Dekningsgrad integreringstilskudd: {percent(dekningsgrad)}")
    rejected = [f for f in files if _get(f, "inkludert") is False
                or (_get(f, "inkludert") is None and str(_get(f, "status") or "").lower() in REJECTED)]
    if rejected:
        lines += ["", "Ikke tatt med (se kontrollrapporten):"]
        lines += [f"  {_get(f, 'fil') or _get(f, 'file')}: {_get(f, 'grunn') or _get(f, 'status')}"
                  for f in rejected[:MAX_FILES_LISTED]]
        if len(rejected) > MAX_FILES_LISTED:
            lines.append(f"  … og {len(rejected) - MAX_FILES_LISTED} til")
    notes = [n for n in notes if getattr(n, "severity", None) in ("feil", "advarsel")]
    if notes:
        lines += ["", "Merknader fra kontrollen:"]
        lines += [f"  {getattr(n, 'message', n)}" for n in notes[:MAX_FILES_LISTED]]
        if len(notes) > MAX_FILES_LISTED:
            lines.append(f"  … og {len(notes) - MAX_FILES_LISTED} til")
    lines += ["", f"Skrev {blocks} område(r), {cells} celler, og beregnet på nytt. Lagre masteren for å beholde resultatet."]
    for p in problems:
        lines += ["", f"OBS: {p.message}" + (f" Korreksjon: {p.fix}" if p.fix else "")]
    return "\n".join(lines)


def error_text(problem: Problem, log_path: Any = None) -> str:
    """A run that stopped before anything stayed written: the master is as before."""
    text = f"Beregningen ble ikke fullført.\n\n{problem.message}"
    if problem.fix:
        text += f"\n\nKorreksjon: {problem.fix}"
    return text + _tail(problem, log_path)


def after_write_text(problem: Problem, book: str, blocks: int, cells: int, log_path: Any = None) -> str:
    """A run that failed after every block was written: nothing is put back, so say what is in
    the master now and how to get back to the saved version."""
    text = (f"Innleveringene er skrevet inn i masteren «{book}» ({blocks} område(r), {cells} celler), men "
            f"etterpå stoppet det: {problem.message}\n\nSkrivingen er ikke satt tilbake, og masteren er ikke "
            "beregnet ferdig. Den er ikke lagret.\n\nKorreksjon: Vil du tilbake til slik masteren var, lukker du "
            "den uten å lagre (den lagrede fila er uendret). Vil du beholde innleveringene, trykker du F9 for å "
            "beregne og kontrollerer resultatet før du lagrer.")
    if problem.fix:
        text += f" {problem.fix}"
    return text + _tail(problem, log_path)


def _tail(problem: Problem, log_path: Any) -> str:
    text = f"\n\n(feilkode {problem.code})"
    if log_path:
        text += f"\nLogg: {log_path}"
    return text


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)
