"""Benchmark of hostile input (issue 8, point 6): how fast a file with a million rows is refused.

    python benchmarks/bench_hostile.py [--rader 1000000] [--mb 4]

Takes a real generated 2024 survey workbook, replaces its first part sheet by ``--rader`` rows
(random numbers, so the file is about ``--mb`` MB compressed) and times ``check_file`` on it (the
target: refused in under 2 s, before the sheet is parsed). Prints the file size, the code it was
refused with and the seconds; the last line is JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path


def big_sheet(rows: int, rng: random.Random, pad: int) -> bytes:
    head = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    body = b"".join(b"<row><c><v>%d</v></c></row>" % rng.getrandbits(pad) for _ in range(rows))
    return head + body + b"</sheetData></worksheet>"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rader", type=int, default=1_000_000)
    parser.add_argument("--mb", type=float, default=4.0, help="wanted compressed size (approximate)")
    args = parser.parse_args()

    from kalk_excel.config import KEY_ENV, fingerprint_key
    from kalk_excel.definition.model import Kommune
    from kalk_excel.demo.run import write_submissions
    from kalk_excel.intake import Settings
    from kalk_excel.intake.checkfile import check_file

    if fingerprint_key() is None:
        os.environ[KEY_ENV] = fingerprint_key(generate=True) or ""
    with tempfile.TemporaryDirectory(prefix="kalk-bench-") as tmp:
        folder = Path(tmp)
        write_submissions(folder / "inn", [Kommune("1833", "Rana", ("adm",))], "benchmark-passord")
        good = folder / "inn" / "2024_adm_1833_rana.xlsx"
        rng = random.Random(8)
        pad = 4
        while True:   # grow the random part until the file is about the wanted size
            sheet = big_sheet(args.rader, rng, pad)
            buf = io.BytesIO()
            with zipfile.ZipFile(good) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
                for info in zin.infolist():
                    data = zin.read(info)
                    if re.fullmatch(r"xl/worksheets/sheet4\.xml", info.filename):
                        data = sheet
                    zout.writestr(info.filename, data)
            size_mb = len(buf.getvalue()) / 2**20
            if size_mb >= args.mb * 0.9 or pad >= 64:
                break
            pad += 4
        path = folder / "million_rader.xlsx"
        path.write_bytes(buf.getvalue())
        t0 = time.perf_counter()
        result = check_file(path, Settings(workers=1), expected_year=2024)
        seconds = time.perf_counter() - t0
    codes = [p.code for p in result.problems]
    print(f"{args.rader} rader, {size_mb:.1f} MB komprimert, {len(sheet) / 2**20:.1f} MB utpakket: "
          f"{result.status} {codes} på {seconds:.2f} s (mål: under 2 s)", file=sys.stderr)
    print(json.dumps({"rows": args.rader, "file_mb": round(size_mb, 2), "sheet_mb": round(len(sheet) / 2**20, 2),
                      "status": result.status, "codes": codes, "seconds": round(seconds, 3)}))


if __name__ == "__main__":
    main()
