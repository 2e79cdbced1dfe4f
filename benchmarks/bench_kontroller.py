"""Benchmark `kalk-excel kontroller`: check N filled survey workbooks and compare with reading the
same files with openpyxl (full load) in the same run.

    python benchmarks/bench_kontroller.py --n 24
    python benchmarks/bench_kontroller.py --n 357     # every Norwegian municipality (made-up ids)

Workbooks come from the real 2024 adm definition when it loads (else the test fixture), filled
with the demo municipalities' answers (cycled; made-up kommune numbers and names) or with random
values (``--fyll tilfeldig``: many problems per file), generated once and cached under
benchmarks/_work/ (git-ignored; generation is not measured) with their own fingerprint key
(``NOKKEL.txt`` in the cache folder, as ``kalk-excel skjema`` writes it). The last line printed is
JSON: files, seconds, openpyxl_seconds, speedup, peak memory (``peak_mb_main``: this process, which
checks the first file and merges the results; ``peak_mb_worker``: the largest worker process;
target of issue 8: at most 300 MB each for 357 files) and ms_per_file, workers, load.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "_work"
FIXTURE_DIR = ROOT / "tests" / "fixtures" / "definitions"


def load_definition():  # type: ignore[no-untyped-def]
    from kalk_excel.definition import DefinitionError, load_form

    try:
        return load_form(2024, "adm"), None
    except (DefinitionError, OSError, ValueError) as exc:
        print(f"Ekte 2024 adm-definisjon kan ikke brukes ({type(exc).__name__}); bruker testdefinisjonen.",
              file=sys.stderr)
        return load_form(2024, "adm", FIXTURE_DIR), FIXTURE_DIR


def fill_values(form, rng: random.Random) -> dict:  # type: ignore[no-untyped-def]
    """Plausible values for every input: totals above their 'herav' parts, target group consistent."""
    values: dict = {}
    for f in form.inputs():
        if f.type == "heltall":
            values[f.id] = rng.randint(0, 200)
        elif f.type == "belop":
            values[f.id] = rng.randint(0, 2_000_000) if f.id.endswith("_mg") else rng.randint(2_000_000, 5_000_000)
        elif f.type == "prosent":
            values[f.id] = rng.randint(0, 60)
        elif f.type == "desimal":
            values[f.id] = round(rng.uniform(0, 1.5), 2)
        elif f.type in ("ja_nei", "valg"):
            values[f.id] = f.choices[0] if f.choices else "ja"
        else:
            values[f.id] = "Utfylt av benchmark"
    if {"mg_antall_0101", "mg_forstegangsbosatt", "mg_innflyttet", "mg_utflyttet", "mg_antall_3112"} <= set(values):
        values["mg_antall_3112"] = (values["mg_antall_0101"] + values["mg_forstegangsbosatt"]
                                    + values["mg_innflyttet"] - values["mg_utflyttet"])
    return values


def demo_values(form):  # type: ignore[no-untyped-def]
    """The demo answers (every check passes) of the demo municipalities, or None if unavailable."""
    try:
        from kalk_excel.demo.data import demo_kommuner
        from kalk_excel.demo.inputs import raw_inputs

        return [raw_inputs(k, form) for k in demo_kommuner().index]
    except Exception as exc:  # noqa: BLE001 - the benchmark falls back to random values
        print(f"Demodata kan ikke brukes ({type(exc).__name__}: {exc}); fyller med tilfeldige verdier.",
              file=sys.stderr)
        return None


def prepare(n: int, fill: str) -> tuple[Path, Path | None]:
    from kalk_excel.config import KEY_ENV, fingerprint_key
    from kalk_excel.definition.model import Kommune
    from kalk_excel.workbook import build_workbook, fill_workbook, workbook_filename
    from kalk_excel.workbook.fingerprint import METHOD

    form, templates_dir = load_definition()
    digest = hashlib.sha256(Path(form.source).read_bytes()).hexdigest()[:12] + "_" + METHOD
    demo = demo_values(form) if fill == "demo" and templates_dir is None else None
    if fill == "demo" and demo is None:
        fill = "tilfeldig"
    folder = WORK / f"{form.id}_{form.version}_{digest}" / (f"n{n}" if fill == "tilfeldig" else f"n{n}_{fill}")
    done = folder / ".ferdig"
    key_file = folder.parent / f"nokkel_{folder.name}.txt"    # beside, not among the files checked
    if done.exists() and key_file.exists():
        os.environ[KEY_ENV] = key_file.read_text(encoding="utf-8").strip()
        return folder, templates_dir
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.pop(KEY_ENV, None)
    key = fingerprint_key(generate=True) or ""
    key_file.write_text(key + "\n", encoding="utf-8")
    os.environ[KEY_ENV] = key
    rng = random.Random(n)
    t0 = time.perf_counter()
    for i in range(n):
        knr = f"{(i % 54) + 1:02d}{i // 54 + 1:02d}"
        k = Kommune(knr, f"Kommune {i + 1}", (form.id,))
        tmp = folder / f"_mal_{knr}.xlsx"
        build_workbook(form, k, tmp, password="benchmark-passord")
        values = demo[i % len(demo)] if demo else fill_values(form, rng)
        fill_workbook(tmp, values, folder / workbook_filename(form.year, form.id, k.kommunenummer, k.navn))
        tmp.unlink()
        if (i + 1) % 50 == 0:
            print(f"  laget {i + 1}/{n} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    done.write_text("ok")
    return folder, templates_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--fyll", choices=("demo", "tilfeldig"), default="demo",
                        help="demo: the demo municipalities' answers (correct files, cycled); tilfeldig: random "
                             "values (many problems per file)")
    parser.add_argument("--openpyxl-sample", type=int, default=0,
                        help="read only this many files with openpyxl and extrapolate (0 = all)")
    args = parser.parse_args()

    from openpyxl import load_workbook

    from kalk_excel.intake import Settings, check_folder

    folder, templates_dir = prepare(args.n, args.fyll)
    files = sorted(folder.glob("*.xlsx"))
    settings = Settings(workers=args.workers, templates_dir=templates_dir)

    t0 = time.perf_counter()
    report = check_folder(folder, year=2024, settings=settings)
    seconds = time.perf_counter() - t0
    statuses = report.status_counts()
    main_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024      # KiB on Linux; before openpyxl
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    sample = files if not args.openpyxl_sample else files[: args.openpyxl_sample]
    t0 = time.perf_counter()
    for p in sample:
        load_workbook(p).close()
    openpyxl_seconds = (time.perf_counter() - t0) * len(files) / len(sample)

    print(f"kontroller: {len(files)} filer på {seconds:.2f} s ({1000 * seconds / len(files):.1f} ms per fil, "
          f"{args.workers} prosesser); status {statuses}", file=sys.stderr)
    print(f"openpyxl load_workbook: {openpyxl_seconds:.2f} s ({1000 * openpyxl_seconds / len(files):.1f} ms per fil, "
          f"1 prosess{'' if not args.openpyxl_sample else f', ekstrapolert fra {len(sample)}'})", file=sys.stderr)
    print(f"største minnebruk: hovedprosess {main_mb:.0f} MB, største arbeidsprosess {worker_mb:.0f} MB "
          "(mål: høyst 300 MB)", file=sys.stderr)
    print(f"maskin: {os.cpu_count()} kjerner, last {os.getloadavg()[0]:.2f}", file=sys.stderr)
    print(json.dumps({"files": len(files), "seconds": round(seconds, 3), "openpyxl_seconds": round(openpyxl_seconds, 3),
                      "speedup": round(openpyxl_seconds / seconds, 2), "ms_per_file": round(1000 * seconds / len(files), 2),
                      "workers": args.workers, "form": report.files[0].form_id if report.files else None,
                      "fill": folder.name.split("_", 1)[1] if "_" in folder.name else "tilfeldig",
                      "status": statuses, "peak_mb_main": round(main_mb, 1), "peak_mb_worker": round(worker_mb, 1),
                      "load": round(os.getloadavg()[0], 2)}))


if __name__ == "__main__":
    main()
