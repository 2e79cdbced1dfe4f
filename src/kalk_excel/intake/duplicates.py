"""More than one file from the same municipality for the same survey and year: the newest
counts — by content time (docProps/core.xml ``modified``, written when the file is saved),
failing that by file time — and the others are marked ``replaced_by`` and not used.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timezone

from .codes import problem
from .results import FileResult

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def resolve_duplicates(results: list[FileResult]) -> None:
    groups: dict[tuple, list[FileResult]] = defaultdict(list)
    for r in results:
        if r.status != "avvist" and r.kommunenummer and r.form_id:
            groups[(r.form_id, r.year, r.kommunenummer)].append(r)
    for group in groups.values():
        if len(group) < 2:
            continue
        times = sorted((r.content_time for r in group if r.content_time is not None), reverse=True)
        usable = len(times) == len(group) and times[0] != times[1]
        if usable:
            ordered = sorted(group, key=lambda r: (r.content_time, r.received or _EPOCH, r.file), reverse=True)
            reason = "nyeste etter tidspunktet filen sist ble lagret ({time})"
            when = lambda r: r.content_time  # noqa: E731
        else:
            ordered = sorted(group, key=lambda r: (r.received or _EPOCH, r.file), reverse=True)
            reason = ("nyeste etter filens tidsstempel ({time}); lagringstidspunktet i filene mangler "
                      "eller er likt")
            when = lambda r: r.received  # noqa: E731
        winner = ordered[0]
        winner.problems.append(problem("A008", file=winner.file, count=len(group),
                                       reason=reason.format(time=_fmt(when(winner)))))
        for loser in ordered[1:]:
            loser.replaced_by = winner.file
            loser.problems.append(problem("A007", file=loser.file, winner=winner.file,
                                          reason=reason.format(time=_fmt(when(winner)))
                                          + f"; denne filen: {_fmt(when(loser))}"))
        for r in group:
            r.finish()


def _fmt(t: datetime | None) -> str:
    return t.strftime("%d.%m.%Y %H:%M:%S UTC") if t else "ukjent"
