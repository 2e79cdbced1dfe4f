"""The master's *Oppsett* sheet as the add-in reads it: the survey year and the submissions
folder, through the workbook-scope names `oppsett_aar` and `oppsett_innleveringsmappe`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from .errors import OPPSETT_FOLDER, OPPSETT_YEAR, fail
from .session import ExcelSession

NAME_YEAR = "oppsett_aar"
NAME_FOLDER = "oppsett_innleveringsmappe"


@dataclass(frozen=True)
class Oppsett:
    year: int
    submissions_dir: Path


def read_oppsett(session: ExcelSession) -> Oppsett:
    """Read and check both settings (two reads); a relative folder is taken from the master's folder."""
    year = _year(_single(session.read_name(NAME_YEAR)))
    return Oppsett(year, _folder(_single(session.read_name(NAME_FOLDER)), session.folder()))


def _single(values: list[list[object]]) -> object:
    return values[0][0] if values and values[0] else None


def _year(value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 2000 <= value <= 2100:
        raise fail(OPPSETT_YEAR, field=NAME_YEAR, value=value)
    return value


def _folder(value: object, master_folder: Path | None) -> Path:
    text = str(value).strip() if value is not None else ""
    if not text:
        raise fail(OPPSETT_FOLDER, field=NAME_FOLDER)
    if PureWindowsPath(text).is_absolute() or PurePosixPath(text).is_absolute():
        folder = Path(text)
    elif master_folder is None:
        raise fail(OPPSETT_FOLDER, "relativ", field=NAME_FOLDER, value=text)
    else:
        folder = master_folder / text
    if not folder.is_dir():
        raise fail(OPPSETT_FOLDER, "finnes_ikke", field=NAME_FOLDER, value=text, folder=folder)
    return folder
