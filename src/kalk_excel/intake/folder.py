"""``check_folder``: check every file in a folder of returned workbooks — in parallel over files
when there are enough of them — then choose the file that counts per municipality and survey
(``intake.selection``), compare across municipalities and
years, and note municipalities on the list that sent nothing.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

from kalk_excel.definition.model import Form, Kommune
from kalk_excel.engine.guard import die_with_parent
from kalk_excel.text import display_name, display_path, is_utf8_name

from .checkfile import check_file
from .codes import problem
from .compare import compare_fjorar, compare_handover, compare_imdi, compare_median
from .fjorar import FjorarError, load_fjorar
from .identify import Identity, form_for
from .results import FileResult, IntakeReport
from .selection import select
from .settings import Settings

Progress = Callable[[FileResult], None]


class IntakeUsageError(ValueError):
    """The run cannot start (folder missing, bad --kommuner or --fjorar file); Norwegian message."""


def list_files(folder: Path) -> tuple[list[Path], list[tuple[str, str]], list[str]]:
    """Candidate files (sorted), (name, reason) of entries skipped, and the names of skipped
    entries that are not UTF-8 (names as shown: ``text.display_name``)."""
    files, skipped, odd = [], [], []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        name = display_name(entry.name)
        if not is_utf8_name(entry.name) and not entry.is_file():
            odd.append(name)
        if name.startswith("."):
            continue
        if name.startswith("~$"):
            skipped.append((name, "Excels midlertidige låsefil"))
        elif entry.is_dir():
            skipped.append((name, "en mappe; undermapper kontrolleres ikke"))
        elif not entry.is_file():
            skipped.append((name, "ikke en vanlig fil"))
        else:
            files.append(entry)
    return files, skipped, odd


def check_folder(folder: Path | str, year: int | None = None,
                 kommuner: Iterable[Kommune] | Path | str | None = None,
                 fjorar: Path | str | dict[tuple[str, str], float] | None = None,
                 settings: Settings | None = None, progress: Progress | None = None) -> IntakeReport:
    settings = settings or Settings()
    folder = Path(folder)
    if not folder.is_dir():
        raise IntakeUsageError(f"Fant ikke mappen {display_path(folder)}. Korreksjon: oppgi mappen med de mottatte filene.")
    kommune_list = _kommuner(kommuner, year)
    report = IntakeReport(folder=display_path(folder), year=year, started=datetime.now(timezone.utc), expected=kommune_list)
    t0 = time.perf_counter()
    last_year: dict[tuple[str, str], float] = {}
    if isinstance(fjorar, dict):
        last_year = fjorar
    elif fjorar is not None:
        try:
            last_year, fj_problems = load_fjorar(fjorar)
        except FjorarError as exc:
            raise IntakeUsageError(str(exc)) from None
        report.problems.extend(fj_problems)
    try:
        files, skipped, odd = list_files(folder)
    except OSError as exc:
        raise IntakeUsageError(f"Kan ikke lese mappen {display_path(folder)}: {exc.strerror}") from None
    report.problems.extend(problem("K003", file=name, detail=why) for name, why in skipped)
    report.problems.extend(problem("S016", file=name, name=name, value=name) for name in odd)
    by_number = {k.kommunenummer: k for k in kommune_list} if kommune_list is not None else None
    report.files = _run(files, settings, year, progress, by_number)
    if year is None:
        report.year = _majority_year(report.files)
        for r in report.files:
            if r.year is not None and r.year != report.year and r.status != "avvist":
                r.problems.append(problem("A002", file=r.file, found=r.year, expected=report.year, value=r.year))
                r.finish()
    report.choices = select(report.files)
    used = [r for r in report.files if r.used]
    forms = _forms(used, settings)
    for r in used:
        if by_number is not None:
            k = by_number.get(r.kommunenummer or "")
            if k is None:
                r.problems.append(problem("A009", file=r.file, kommunenummer=r.kommunenummer))
            else:
                if k.navn and r.kommunenavn and k.navn.strip().casefold() != r.kommunenavn.strip().casefold():
                    r.problems.append(problem("A010", file=r.file, found=r.kommunenavn, expected=k.navn))
                compare_imdi(r, k, settings)
    compare_handover(used, forms)
    clean = [r for r in used if r.counts.get("feil", 0) == 0]   # values of files with feil are not compared
    for form_id in sorted({r.form_id for r in clean if r.form_id}):
        group = [r for r in clean if r.form_id == form_id]
        if last_year:
            compare_fjorar(group, forms, last_year, settings)
        compare_median(group, forms, settings)
    if kommune_list is not None:
        received = {(r.form_id, r.kommunenummer) for r in used}
        for k in kommune_list:
            for form_id in k.skjema:
                if (form_id, k.kommunenummer) not in received:
                    report.problems.append(problem("K002", kommunenummer=k.kommunenummer, navn=k.navn, form=form_id))
    for r in report.files:
        r.finish()
    report.seconds = time.perf_counter() - t0
    return report


def _run(files: list[Path], settings: Settings, year: int | None, progress: Progress | None,
         kommuner: dict[str, Kommune] | None) -> list[FileResult]:
    work = partial(check_file, settings=settings, expected_year=year, kommuner=kommuner)
    results: list[FileResult] = []
    if settings.workers > 1 and len(files) >= settings.parallel_min_files:
        # The first file is checked here: it loads its form definition (YAML, the slow part of a
        # cold start) into this process's cache, which forked workers then inherit.
        first = work(str(files[0]))
        results.append(first)
        if progress:
            progress(first)
        ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
        failed: list[Path] = []
        with ProcessPoolExecutor(max_workers=settings.workers, mp_context=ctx, initializer=die_with_parent) as pool:
            futures = {pool.submit(work, str(p)): p for p in files[1:]}
            for fut in as_completed(futures):
                try:
                    res = fut.result()
                except Exception:  # noqa: BLE001 - a worker died (BrokenProcessPool): retry alone below
                    failed.append(futures[fut])
                    continue
                results.append(res)
                if progress:
                    progress(res)
        for p in failed:   # one process per file, so a file that kills its process only fails itself
            res = _isolated(work, p, ctx)
            results.append(res)
            if progress:
                progress(res)
    else:
        for p in files:
            res = work(str(p))
            results.append(res)
            if progress:
                progress(res)
    results.sort(key=lambda r: r.file)
    return results


def _isolated(work: Callable[[str], FileResult], path: Path, ctx) -> FileResult:  # type: ignore[no-untyped-def]
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=die_with_parent) as pool:
            return pool.submit(work, str(path)).result()
    except Exception as exc:  # noqa: BLE001 - the file crashed the checking process itself
        res = FileResult(file=display_name(path.name), path=display_path(path), problems=[
            problem("S015", file=display_name(path.name), detail=f"kontrollen av filen stoppet ({type(exc).__name__})")])
        res.finish()
        return res


def _majority_year(results: list[FileResult]) -> int | None:
    years = Counter(r.year for r in results if r.year is not None)
    if not years:
        return None
    top = max(years.values())
    return max(y for y, c in years.items() if c == top)


def _forms(results: list[FileResult], settings: Settings) -> dict[str, Form]:
    forms: dict[str, Form] = {}
    for r in results:
        if r.form_id and r.year and r.form_id not in forms:
            try:
                forms[r.form_id] = form_for(Identity(r.form_id, r.year, r.version or "", "", "", None, None),
                                            settings.templates_dir)
            except Exception:  # noqa: BLE001 - labels only; the file itself was already checked
                continue
    return forms


def _kommuner(kommuner: Iterable[Kommune] | Path | str | None, year: int | None) -> list[Kommune] | None:
    if kommuner is None:
        return None
    if isinstance(kommuner, (str, Path)):
        from kalk_excel.kommuner import KommunelisteFeil, load_kommuner

        try:
            return load_kommuner(year, Path(kommuner))
        except KommunelisteFeil as exc:
            raise IntakeUsageError("Kommunelisten kan ikke brukes:\n" + "\n".join(exc.messages)) from None
    return list(kommuner)
