"""`kalk-excel beregn` orchestration: check, pull, write a new master, recalculate, read back, compare.

The existing master is never loaded and saved again (openpyxl would drop charts and other parts
it does not model). Its Parametre values, year, municipality list, the Oppsett table «Holdes
utenfor beregningen» and last year's values on *Fjorår* are read, a fresh master is built with
``build_master(..., params=...)``, the update's blocks and the carried-over table and *Fjorår*
values (``Update.carry_over``) are written into it, and the
result replaces the old file atomically (``atomic.replace_atomically``): the new file must pass
``atomic.verify_workbook`` (well-formed XML parts, a full load, the expected sheets) and
recalculate in LibreOffice before it takes the old one's place, and
the old one is kept as a dated backup. An error or a kill at any point leaves the old master as it
was; temporary files and the scratch folder (beside the master) left by a killed run are
removed by the next run.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from openpyxl import load_workbook

from ..engine.libreoffice import LibreOfficeError, process_alive, recalculate
from ..fileerrors import os_error_text
from ..intake.report import file_dict
from ..master import FieldError, MasterInputError, ParameterError, build_master
from ..master.layout import RESULT_NAMES, SHEET_ORDER, SHEET_TRACE
from ..master.refs import quote
from .atomic import ReplaceError, replace_atomically, verify_workbook
from .blocks import BlockError, write_blocks_openpyxl
from .cached import CachedValuesError, write_cached_values
from .results import CellCheck, Comparison, ReadBack, compare, compare_cells, read_results, report_values
from .trace import ensure_sporbarhet_sheet
from .update import Update, UpdateError, prepare_update, read_master_state

Progress = Callable[[str], None]
UNKNOWN_KOMMUNE = "P010"          # pull: a submission from a kommune not on the list


class BeregnError(RuntimeError):
    """The run stopped; the old master is unchanged. Norwegian message (with «Korreksjon:»)."""


class MasterBusy(BeregnError):
    """The master is open in Excel/LibreOffice or cannot be replaced; found before any work."""


LOCK_FIX = "Lukk masteren i Excel og prøv igjen."


def lock_files(master: Path) -> list[Path]:
    """Lock files of an open ``master``: Excel's ``~$<name>`` (Excel drops the name's first two
    characters when it is long) and LibreOffice's ``.~lock.<name>#``."""
    names = [f"~${master.name}", f".~lock.{master.name}#"]
    if len(master.stem) > 6:
        names.append(f"~${master.name[2:]}")
    return [master.parent / n for n in dict.fromkeys(names) if (master.parent / n).exists()]


def check_replaceable(master: Path) -> None:
    """Raise ``MasterBusy`` when ``master`` is open (a lock file beside it) or cannot be replaced
    (read-only file or folder, or held open by another program)."""
    locks = lock_files(master)
    if locks:
        raise MasterBusy(f"Masteren {master.name} er åpen i Excel eller LibreOffice (låsefila {locks[0].name} "
                         f"ligger ved siden av den). Ingenting er endret. Korreksjon: {LOCK_FIX} Finnes låsefila "
                         "etter at programmet er lukket, kan den slettes.")
    folder = master.parent if str(master.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        message, fix = os_error_text(exc, str(folder))
        raise MasterBusy(f"Masterens mappe kan ikke brukes: {message} Ingenting er endret. Korreksjon: {fix}") from None
    if not os.access(folder, os.W_OK):
        raise MasterBusy(f"Mappen {folder} kan ikke skrives til, så masteren kan ikke erstattes. Ingenting er endret. "
                         "Korreksjon: velg en mappe du har skrivetilgang til.")
    if master.exists():
        try:
            with open(master, "r+b"):
                pass
        except OSError:
            raise MasterBusy(f"Masteren {master.name} kan ikke erstattes (den er skrivebeskyttet eller åpen i et "
                             f"annet program). Ingenting er endret. Korreksjon: {LOCK_FIX}") from None


def check_folder_has_files(folder: Path) -> None:
    """Refuse a missing or empty submissions folder before any work."""
    if not folder.exists():
        raise BeregnError(f"Fant ikke mappen med innleveringer {folder}. Masteren er ikke endret. "
                          "Korreksjon: oppgi riktig mappe med --innleveringer.")
    if not folder.is_dir():
        raise BeregnError(f"{folder} er en fil, men --innleveringer skal være mappen med innleveringer. "
                          "Masteren er ikke endret. Korreksjon: oppgi mappen.")
    if not any(p.is_file() and not p.name.startswith((".", "~$")) for p in folder.iterdir()):
        raise BeregnError(f"Mappen med innleveringer {folder} er tom. Masteren er ikke endret. "
                          "Korreksjon: oppgi mappen der kommunenes skjemaer ligger.")


class NotBetter(Exception):
    """The new master is worse than the old one (reasons in Norwegian); the old one is kept."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("; ".join(reasons))


def failing_checks(recalculated: Path) -> set[str]:
    """Ids of the checks on *Kontroll* that fail (OK = 0, or an error value) in a recalculated master."""
    from ..master.layout import SHEET_CHECKS
    from ..master.sheet_checks import FIRST_ROW as CHECK_FIRST_ROW
    wb = load_workbook(recalculated, read_only=True, data_only=True)
    try:
        if SHEET_CHECKS not in wb.sheetnames:
            return set()
        out = set()
        for label, _value, ok, cid in wb[SHEET_CHECKS].iter_rows(min_row=CHECK_FIRST_ROW, max_col=4,
                                                                  values_only=True):
            if not cid:
                break
            if ok != 1:
                out.add(f"{cid}: {label}")
        return out
    finally:
        wb.close()


def kept_path(master: Path, when: datetime | None = None) -> Path:
    """Where a new master that was not used is put for inspection (beside the master)."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return master.parent / f"{master.stem}.ikke-tatt-i-bruk-{stamp}{master.suffix}"


@dataclass
class BeregnResult:
    master: Path
    backup: Path | None
    update: Update
    readback: ReadBack
    rows: list[Comparison]
    rapport: dict[str, dict[str, Any]]
    seconds: dict[str, float] = field(default_factory=dict)
    recalculated: Path | None = None        # a kept LibreOffice-recalculated copy (cached values)
    not_used: Path | None = None            # the new master, kept beside the old one, when it was worse
    not_used_reasons: list[str] = field(default_factory=list)
    cells: CellCheck = field(default_factory=CellCheck)   # every per-municipality value and median shown

    @property
    def replaced(self) -> bool:
        return self.not_used is None

    @property
    def warnings(self) -> list[str]:
        """What makes the run need attention although Excel and the model agree (Norwegian)."""
        out = []
        if not self.replaced:
            out.append("den nye masteren er ikke tatt i bruk: " + "; ".join(self.not_used_reasons))
        unknown = [p for p in self.update.problems if p.code == UNKNOWN_KOMMUNE]
        if unknown:
            out.append(f"{len(unknown)} innlevering(er) fra kommuner som ikke er på kommunelisten")
        return out

    @property
    def ok(self) -> bool:
        """Exit code 0: Excel and model agree, the new master is in place and nothing needs attention."""
        return self.agree and not self.warnings

    @property
    def excel(self) -> dict[str, Any]:
        return dict(self.readback.values)

    @property
    def modell(self) -> dict[str, Any]:
        return dict(self.update.model)

    @property
    def agree(self) -> bool:
        return (bool(self.rows) and all(r.ok for r in self.rows) and not self.readback.errors
                and self.cells.ok)

    @property
    def matches_report(self) -> bool | None:
        checked = [r.ok_rapport for r in self.rows if r.ok_rapport is not None]
        return all(checked) if checked else None

    def verdict(self) -> dict[str, Any]:
        text = "Excel og modellen er enige" if self.agree else "Excel og modellen er IKKE enige"
        diffs = self.cells.diffs
        if diffs:
            first = diffs[0]
            text += (f" ({len(diffs)} verdi(er) per kommune eller median avviker, først "
                     f"{quote(first.sheet)}!{first.cell}: {first.what})")
        elif not self.cells.compared:
            text += " (verdiene per kommune og medianene er ikke sammenlignet)"
        if self.matches_report is not None:
            text += "; rapportens tall gjenskapes" if self.matches_report else "; avviker fra rapportens tall"
        return {"excel_modell_enige": self.agree, "avvik": [r.name for r in self.rows if not r.ok],
                "avvik_celler": [d.to_dict() for d in diffs], "celler_sammenlignet": self.cells.compared,
                "rapport_gjenskapt": self.matches_report, "feilverdier_i_master": len(self.readback.errors),
                "tekst": text}

    def files_json(self) -> list[dict[str, Any]]:
        """Each file as ``kalk-excel kontroller --json`` reports it, plus inkludert and grunn."""
        extra = {f["fil"]: f for f in self.update.files}
        return [{**file_dict(r), "inkludert": extra[r.file]["inkludert"], "grunn": extra[r.file]["grunn"]}
                for r in self.update.report.files]

    def to_json(self) -> dict[str, Any]:
        return {"excel": self.excel, "modell": self.modell, "rapport": self.rapport, "verdikt": self.verdict(),
                "filer": self.files_json(), "oppsummering": self.update.summary, "master": str(self.master),
                "sikkerhetskopi": str(self.backup) if self.backup else None,
                "master_beregnet": str(self.recalculated) if self.recalculated else None,
                "masterstatus": self.readback.master_status,
                "master_erstattet": self.replaced,
                "ny_master_ikke_tatt_i_bruk": str(self.not_used) if self.not_used else None,
                "advarsler": self.warnings,
                "feilverdier": [list(e) for e in self.readback.errors],
                "problemer": [p.to_dict() for p in self.update.problems],
                "sekunder": {k: round(v, 2) for k, v in self.seconds.items()}}


def temp_pattern(master: Path) -> re.Pattern[str]:
    """Names of ``replace_atomically``'s temporary files for ``master``."""
    return re.compile(re.escape(f".{master.stem}.ny-") + r"(\d+)" + re.escape(master.suffix) + "$")


def work_dir(master: Path, pid: int | None = None) -> Path:
    """The run's scratch folder beside the master (fresh master, LibreOffice's copy)."""
    return master.parent / f".{master.stem}.arbeid-{pid or os.getpid()}"


def remove_stale_temps(master: Path) -> list[Path]:
    """Remove temporary files and scratch folders of earlier runs that were killed (their process
    no longer exists)."""
    patterns = (temp_pattern(master), re.compile(re.escape(f".{master.stem}.arbeid-") + r"(\d+)$"))
    removed: list[Path] = []
    if not master.parent.is_dir():
        return removed
    for entry in master.parent.iterdir():
        m = patterns[0].match(entry.name) or patterns[1].match(entry.name)
        if m and int(m.group(1)) != os.getpid() and not process_alive(int(m.group(1))):
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def resolve_year_and_folder(master: Path, year: int | None, folder: Path | None) -> tuple[int, Path]:
    """Year and submission folder: the arguments, else what the existing master's Oppsett says."""
    state = read_master_state(master) if master.exists() else None
    if year is None:
        year = state.year if state else None
    if year is None:
        raise BeregnError("Oppgi --aar: masteren finnes ikke ennå og året kan ikke leses fra den.")
    if folder is None:
        folder = Path(state.folder) if state and state.folder else None
    if folder is None:
        raise BeregnError("Oppgi --innleveringer: masteren sier ikke hvilken mappe innleveringene ligger i.")
    return year, folder


def run_beregn(master: str | Path, folder: str | Path | None = None, year: int | None = None,
               kommuner: Any = None, progress: Progress | None = None,
               keep_recalculated: Path | None = None, compare_report: bool = False,
               definitions: Path | None = None, registerdata: Path | None = None) -> BeregnResult:
    """The whole update of ``master`` from ``folder``; raises ``BeregnError`` (old master intact).
    ``keep_recalculated``: where to keep the LibreOffice-recalculated copy; by default it is
    discarded (the new master itself carries the computed values, ``pipeline.cached``). ``compare_report``:
    also set the results beside the report's published values (the demo; a year whose report
    tables the user supplies in the shared folder). ``registerdata``: a CSV file of register
    figures per municipality for *Registerdata* (``pipeline.registerdata``).

    Never destroys work: a master that is open (lock file) or cannot be replaced, and a missing
    or empty folder, stop the run before any work (``MasterBusy``/``BeregnError``). A new master
    that is worse than the old one (no submission included, or checks failing that did not fail
    before) does not replace it: it is kept beside it for inspection (``BeregnResult.not_used``,
    with the reasons) and the old master stays as it was."""
    say = progress or (lambda _msg: None)
    master = Path(master)
    t0 = time.perf_counter()
    seconds: dict[str, float] = {}
    not_used: list[Path] = []
    reasons: list[str] = []
    check_replaceable(master)
    try:
        remove_stale_temps(master)
        year, folder = resolve_year_and_folder(master, year, Path(folder) if folder else None)
        check_folder_has_files(folder)
        update = prepare_update(year, folder, kommuner, master_path=master if master.exists() else None,
                                progress=say, definitions=definitions, registerdata=registerdata)
        seconds["kontroll_og_henting"] = time.perf_counter() - t0
        work = work_dir(master)
        work.mkdir(parents=True, exist_ok=True)
        try:
            readback: list[ReadBack] = []
            kept: list[Path] = []
            names = sorted(set(RESULT_NAMES) | set(update.model))

            def write(tmp: Path) -> None:
                t = time.perf_counter()
                say("Bygger ny master og skriver blokkene")
                fresh = build_master(year, work / "ny_master.xlsx", kommuner=update.kommuner,
                                     forms=update.forms, params=update.params, definitions=definitions)
                _ensure_trace_sheet(fresh)
                write_blocks_openpyxl(fresh, update.blocks + update.carry_over, tmp)
                seconds["skriving"] = time.perf_counter() - t

            def verify(tmp: Path) -> None:
                t = time.perf_counter()
                _check_opens(tmp)
                say("Regner om med LibreOffice")
                inputs = [tmp]
                if master.exists():          # the old master too, for «is the new one at least as good»
                    old_copy = work / "forrige" / "forrige_master.xlsx"
                    old_copy.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(master, old_copy)
                    inputs.append(old_copy)
                recalculated = recalculate(inputs, work / "beregnet")
                seconds["omregning"] = time.perf_counter() - t
                t = time.perf_counter()
                readback.append(read_results(recalculated[0], names))
                seconds["lesing"] = time.perf_counter() - t
                t = time.perf_counter()
                write_cached_values(tmp, recalculated[0])   # the master the user opens shows the results
                seconds["verdier"] = time.perf_counter() - t
                if keep_recalculated is not None:
                    kept.append(recalculated[0])
                if master.exists():
                    worse = _worse(update, recalculated[0], recalculated[1])
                    if worse:
                        target = kept_path(master)
                        shutil.copyfile(tmp, target)
                        not_used.append(target)
                        raise NotBetter(worse)

            try:
                backup = replace_atomically(master, write, verify)
            except NotBetter as exc:
                backup, reasons = None, exc.reasons
            if kept and keep_recalculated is not None:
                Path(keep_recalculated).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(kept[0], keep_recalculated)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    except (UpdateError, ReplaceError, LibreOfficeError, MasterInputError, ParameterError, FieldError,
            BlockError, CachedValuesError) as exc:
        raise BeregnError(f"{exc} Masteren er ikke endret.") from None
    except OSError as exc:
        message, fix = os_error_text(exc, str(master))
        raise BeregnError(f"Kunne ikke skrive masteren: {message} Masteren er ikke endret. Korreksjon: {fix}") from None
    rapport = report_values(year) if compare_report else {}
    rows = compare(readback[0].values, update.model, rapport)
    cells = compare_cells(readback[0], update.model_result) if update.model_result is not None else CellCheck()
    seconds["totalt"] = time.perf_counter() - t0
    return BeregnResult(master, backup, update, readback[0], rows, rapport, seconds,
                        Path(keep_recalculated) if keep_recalculated is not None and kept else None,
                        not_used[0] if not_used else None, reasons, cells)


def _worse(update: Update, new: Path, old: Path) -> list[str]:
    """Why the new master (recalculated ``new``) is worse than the old one (recalculated ``old``)."""
    reasons = []
    if not update.summary.get("inkludert"):
        reasons.append("ingen innlevering er tatt med i beregningen")
    added = sorted(failing_checks(new) - failing_checks(old))
    if added:
        reasons.append("nye kontroller feiler: " + "; ".join(added))
    return reasons


def _ensure_trace_sheet(path: Path) -> None:
    """Give a master without a Sporbarhet sheet one (only loads and saves when it is missing)."""
    wb = load_workbook(path, read_only=True)
    present = SHEET_TRACE in wb.sheetnames
    wb.close()
    if not present:
        wb = load_workbook(path)
        ensure_sporbarhet_sheet(wb)
        wb.save(path)


def _check_opens(path: Path) -> None:
    verify_workbook(path, SHEET_ORDER)
