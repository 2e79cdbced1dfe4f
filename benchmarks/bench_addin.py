"""Benchmark the add-in's run on a real master (the button's path, `kalk_excel.addin.entry.run`),
with xlwings' remote engine standing in for Excel: how many calls go into Excel, how large the
largest one is, and how long the Python side takes. The remote engine answers at once, so the
time is the add-in plus the core, not Excel; the call counts and sizes are what Excel would get.

    python benchmarks/bench_addin.py              # the 24 demo municipalities, both forms

Submissions come from the demo (`demo.run.make_submissions`), generated once under
benchmarks/_work/addin/ (git-ignored; generation is not measured). The last line printed is
JSON: kommuner, files, reads, formula_reads, writes, cells_written, max_cells_per_call, seconds.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "_work" / "addin"
sys.path.insert(0, str(ROOT / "tests"))  # the remote-engine helpers the add-in tests use


def main() -> None:
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")   # the remote engine, here only
    os.environ["KALK_EXCEL_TILLEGG_MAPPE"] = str(WORK / "tillegg")
    import xlwings
    from xlwings.pro import _xlremote

    from kalk_excel.addin import entry
    from kalk_excel.addin import session as session_mod
    from kalk_excel.demo.run import make_submissions
    from kalk_excel.master.builder import build_master
    from test_addin_master import master_as_remote_json

    if "remote" not in [e.name for e in xlwings.engines]:
        engine = xlwings.Engine(impl=_xlremote.engine)
        xlwings.engines.engines.append(engine)
        xlwings.engines.engines_by_name["remote"] = engine

    WORK.mkdir(parents=True, exist_ok=True)
    folder, kommuner = make_submissions(WORK)
    master = build_master(2024, WORK / "master.xlsx", kommuner=kommuner)
    data = master_as_remote_json(master, xlwings.__version__, str(folder))

    counts = {"reads": 0, "formula_reads": 0, "writes": 0, "cells_written": 0, "max_cells_per_call": 0}
    real_read, real_write, real_formulas = (session_mod.ExcelSession.read, session_mod.ExcelSession.write,
                                            session_mod.ExcelSession.formulas)

    def size(rng: Any) -> int:
        r, c = rng.shape
        counts["max_cells_per_call"] = max(counts["max_cells_per_call"], r * c)
        return r * c

    def read(rng: Any) -> list[list[Any]]:
        counts["reads"] += 1
        size(rng)
        return real_read(rng)

    def write(rng: Any, values: list[list[Any]]) -> None:
        counts["writes"] += 1
        counts["cells_written"] += size(rng)
        real_write(rng, values)

    def formulas(self: Any, rng: Any) -> Any:
        counts["formula_reads"] += 1
        return real_formulas(self, rng)

    session_mod.ExcelSession.read = staticmethod(read)          # type: ignore[method-assign]
    session_mod.ExcelSession.write = staticmethod(write)        # type: ignore[method-assign]
    session_mod.ExcelSession.formulas = formulas                # type: ignore[method-assign]
    start = time.perf_counter()
    outcome = entry.run(xlwings.Book(json=data), alert=False)
    seconds = time.perf_counter() - start
    if not outcome.ok:
        print(outcome.message, file=sys.stderr)
        raise SystemExit(1)
    files = len(list(folder.glob("*.xlsx")))
    print(f"{len(kommuner)} kommuner, {files} filer: {counts['reads']} lesinger, {counts['writes']} skrivinger "
          f"({counts['cells_written']} celler), største kall {counts['max_cells_per_call']} celler, {seconds:.2f} s")
    print(json.dumps({"kommuner": len(kommuner), "files": files, **counts, "seconds": round(seconds, 3)}))


if __name__ == "__main__":
    main()
