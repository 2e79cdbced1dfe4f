"""Helpers of the prognosis tests: a master filled with the built-in 2024 demo data (the
constructed municipalities of docs/demodata.md), pulled without survey workbooks, plus the
reference model on the same rows."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from kalk_excel.demo.data import demo_adm, demo_kommuner, demo_norsk
from kalk_excel.master import build_master
from kalk_excel.master.fields import CALC_FIELDS
from kalk_excel.model import compute
from kalk_excel.pipeline.blocks import write_blocks_openpyxl
from kalk_excel.pipeline.pull import model_block, pull
from kalk_excel.pipeline.update import model_frames, run_model

FORMS = {"adm": None, "norsk": None}


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v == v and v is not None}   # drop NaN


def demo_submissions() -> tuple[list[tuple[str, str]], SimpleNamespace]:
    kommuner = [(str(nr), str(row["kommunenavn"])) for nr, row in demo_kommuner().iterrows()]
    files = []
    for form, frame in (("adm", demo_adm()), ("norsk", demo_norsk())):
        for nr, row in frame.iterrows():
            files.append(SimpleNamespace(form_id=form, kommunenummer=str(nr), status="godkjent",
                                         values=_clean(row.to_dict()), file=f"{form}_{nr}.xlsx", sha256="0" * 64,
                                         received=None, cells={}, replaced_by=None))
    return kommuner, SimpleNamespace(files=files)


def demo_master(folder: Path, name: str, params: Any) -> tuple[Path, Any]:
    """A master with the demo data and ``params`` (a ``Parameters``); returns (path, ModelResult)."""
    kommuner, subs = demo_submissions()
    empty = build_master(2024, folder / f"tom_{name}.xlsx", kommuner=kommuner, forms=FORMS, params=params)
    pulled = pull(2024, kommuner, FORMS, subs)
    columns = {f: [fid for fid, _ in CALC_FIELDS[f]] for f in CALC_FIELDS}
    frames = model_frames(pulled.rows, columns)
    result = compute(frames["adm"], frames["norsk"], params, year=2024)
    values = run_model(pulled.rows, columns, params, 2024)[0]
    path = write_blocks_openpyxl(empty, pulled.blocks + [model_block(values)], folder / f"master_{name}.xlsx")
    return path, result
