"""Which file counts: the one place that decides, per survey and municipality, which received file
is used, which ones it supersedes, and why (issue 10).

Files of the same survey, year and municipality form a group. Files that can be used (not
rejected) compete; the newest wins. "Newest" is the save time in the file's own metadata
(docProps/core.xml ``modified``), because a file's time on disk changes when it is copied or
mailed. A save time that is implausible — in the future, or before the form was generated — is a
warning (``A011`` / ``A012``) and does not win by itself: the group is then compared by file time
(one clock for all files), as it is when save times are missing or equal; the file name breaks a
remaining tie. The losers are ``erstattet`` (superseded): they are not used and get no feedback.
A rejected file older than the chosen one is superseded too (the municipality has sent a better
one since); a rejected file that is newer keeps its status (the latest attempt failed, and the
municipality must hear about it). When only rejected files exist, the newest of them is shown.

``select(files, now)`` returns one ``Choice`` per group and marks the files (``replaced_by``,
``A007``/``A008``, status via ``FileResult.finish``); it runs once per intake run. ``IntakeReport.choices`` keeps the result;
the status table, the pull and *Sporbarhet* read it from there, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from .codes import problem
from .results import FileResult

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
FUTURE_SLACK = timedelta(minutes=10)     # clocks differ a little; more than this ahead is "in the future"


@dataclass
class Choice:
    """The decision for one survey and municipality."""
    form_id: str
    kommunenummer: str
    files: list[FileResult]                                   # every file of the group, newest first
    chosen: FileResult | None                                 # the file that counts (None: every file rejected)
    reason: str                                               # Norwegian: why this file counts (or none does)
    superseded: list[FileResult] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """The chosen file is not rejected (its values can go on to the master)."""
        return self.chosen is not None and self.chosen.status != "avvist"


def _aware(t: datetime | None) -> datetime | None:
    return None if t is None else _aware_time(t)


def _aware_time(t: datetime) -> datetime:
    return t.replace(tzinfo=timezone.utc) if t.tzinfo is None else t


def save_time_problem(r: FileResult, now: datetime):  # type: ignore[no-untyped-def]
    """``A011`` (save time in the future) or ``A012`` (saved before the form was generated), else None."""
    saved, generated = _aware(r.content_time), _aware(r.generated)
    if saved is None:
        return None
    if saved > now + FUTURE_SLACK:
        return problem("A011", file=r.file, time=fmt(saved), now=fmt(now))
    if generated is not None and saved < generated - FUTURE_SLACK:
        return problem("A012", file=r.file, time=fmt(saved), generated=fmt(generated))
    return None


def _trusted_save_time(r: FileResult) -> datetime | None:
    return None if r.save_time_suspect else _aware(r.content_time)


def select(files: list[FileResult], now: datetime | None = None) -> dict[tuple[str, str], Choice]:
    """Decide per (skjema, kommunenummer); mark the files (see the module docstring)."""
    now = now or datetime.now(timezone.utc)
    for r in files:
        if r.status == "avvist":
            continue
        p = save_time_problem(r, now)
        if p is not None and not any(q.code == p.code for q in r.problems):
            r.problems.append(p)
            r.save_time_suspect = True
            r.finish()
    groups: dict[tuple[str, int | None, str], list[FileResult]] = {}
    for r in files:
        if r.form_id and r.kommunenummer:
            groups.setdefault((r.form_id, r.year, r.kommunenummer), []).append(r)
    out: dict[tuple[str, str], Choice] = {}
    for (form_id, _year, nr), group in groups.items():
        choice = _decide(form_id, nr, group)
        key = (form_id, nr)
        previous = out.get(key)
        # files of another year (rejected as such) never beat this year's group
        if previous is None or (not previous.usable and choice.usable):
            out[key] = choice
    return out


def _decide(form_id: str, nr: str, group: list[FileResult]) -> Choice:
    usable = [r for r in group if r.status != "avvist"]
    by_save = [_trusted_save_time(r) for r in usable]
    # one clock for the whole group: the files' own save times when every usable file has a
    # plausible and distinct one, else the file times on the secretariat's disk
    basis = "save" if len(usable) > 1 and all(by_save) and len(set(by_save)) == len(by_save) else "file"

    def when(r: FileResult) -> datetime:
        t = _trusted_save_time(r) if basis == "save" else None
        return t or _aware(r.received) or _EPOCH

    ordered = sorted(group, key=lambda r: (when(r), r.file), reverse=True)
    candidates = [r for r in ordered if r.status != "avvist"]
    if not candidates:
        newest = ordered[0]
        reason = ("Filen er avvist." if len(ordered) == 1 else
                  f"Ingen av de {len(ordered)} filene kan brukes; den nyeste er avvist.")
        return Choice(form_id, nr, ordered, newest, reason)
    winner = candidates[0]
    if len(group) == 1:
        reason = "Eneste fil mottatt."
    else:
        reason = _reason(winner, group, basis, when)
    superseded = []
    for r in ordered:
        if r is winner:
            continue
        if r.status == "avvist" and when(r) > when(winner):
            continue               # a newer attempt that failed: keeps its own status and feedback
        superseded.append(r)
    if superseded:
        _mark(winner, superseded, reason, when)
    return Choice(form_id, nr, ordered, winner, reason, superseded)


def _reason(winner: FileResult, group: list[FileResult], basis: str, when) -> str:  # type: ignore[no-untyped-def]
    t, count = fmt(when(winner)), len(group)
    if basis == "save":
        return f"Nyeste av {count} filer etter lagringstidspunktet i filen ({t})."
    if any(r.save_time_suspect for r in group):
        return (f"Nyeste av {count} filer etter filens tidsstempel ({t}); lagringstidspunktet i en av filene "
                "er ikke troverdig (i fremtiden eller før skjemaet ble laget) og er ikke brukt.")
    return (f"Nyeste av {count} filer etter filens tidsstempel ({t}); lagringstidspunktet i filene mangler eller er likt.")


def _mark(winner: FileResult, superseded: list[FileResult], reason: str, when) -> None:  # type: ignore[no-untyped-def]
    for p in list(winner.problems):
        if p.code == "A008":
            winner.problems.remove(p)
    winner.problems.append(problem("A008", file=winner.file, count=len(superseded) + 1, reason=_lower(reason)))
    winner.finish()
    for r in superseded:
        r.replaced_by = winner.file
        r.problems = [p for p in r.problems if p.code != "A007"]
        r.problems.append(problem("A007", file=r.file, winner=winner.file,
                                  reason=_lower(reason) + f"; denne filen: {fmt(when(r))}"))
        r.finish()


def _lower(text: str) -> str:
    text = text.rstrip(".")
    return text[:1].lower() + text[1:]


def fmt(t: datetime | None) -> str:
    """A time for people: local time, with the zone's abbreviation."""
    if t is None:
        return "ukjent"
    t = _aware_time(t).astimezone()
    return t.strftime("%d.%m.%Y %H:%M:%S ") + (t.tzname() or "")
