"""Package checks before anything is parsed: size, file type by content, zip sanity, zip bombs,
macros, encryption, DTDs — and bounded reading of the package's XML parts.

``open_package(data, settings)`` returns a ``Package`` (the XML parts as bytes, read with hard
limits) or raises ``Rejected`` carrying the coded ``Problem``. Nothing here trusts the file:
declared sizes and compression ratios are checked before decompressing, actual reads stop at
the limits, and every XML part is scanned for a DTD (entity expansion) before anyone parses it.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field

from kalk_excel.problems import Problem

from .codes import problem
from .settings import Settings

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
XML_SUFFIXES = (".xml", ".rels", ".vml")
CHUNK = 1 << 16
_DECLARED = re.compile(rb"""<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']""")
_ENCODINGS = {b"utf-8", b"utf8", b"us-ascii", b"ascii", b"iso-8859-1", b"latin-1", b"windows-1252", b"utf-16"}
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)   # what Excel and LibreOffice write and read
CONTENT_TYPES = "[Content_Types].xml"


class Rejected(Exception):
    """The file cannot be used; ``problem`` says why (a rejecting code)."""

    def __init__(self, p: Problem):
        super().__init__(p.message)
        self.problem = p


@dataclass
class Package:
    names: list[str]                               # every member name, as in the zip
    xml: dict[str, bytes] = field(default_factory=dict)  # XML parts (bounded reads)
    warnings: list[Problem] = field(default_factory=list)  # non-rejecting findings (external links)

    def part(self, name: str) -> bytes | None:
        return self.xml.get(name.lstrip("/"))


def check_size(size: int, settings: Settings) -> None:
    """Reject empty and oversized files by their size alone (nothing is read)."""
    if size == 0:
        raise Rejected(problem("S001"))
    if size > settings.max_file_bytes:
        raise Rejected(problem("S002", size_mb=_mb(size), limit_mb=_mb(settings.max_file_bytes), value=size))


def open_package(data: bytes, settings: Settings) -> Package:
    """Check ``data`` (the whole file) and return its XML parts; raise ``Rejected`` if unsafe."""
    check_size(len(data), settings)
    if data.startswith(OLE_MAGIC):
        raise Rejected(_ole_problem(data))
    if not data.startswith(ZIP_MAGICS):
        raise Rejected(problem("S003"))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise Rejected(problem("S008", detail=_short(exc))) from None
    with zf:
        _check_members(zf, infos, settings)
        return _read_members(zf, infos, settings)


def _ole_problem(data: bytes) -> Problem:
    # Encrypted OOXML is an OLE compound file with the streams EncryptionInfo and EncryptedPackage;
    # directory entry names are UTF-16LE.
    head = data[: 4 << 20]
    for stream in ("EncryptionInfo", "EncryptedPackage"):
        if stream.encode("utf-16-le") in head:
            return problem("S005")
    return problem("S004")


def normalise_member_name(name: str) -> str:
    """The part a reader might take ``name`` for: ``\\`` as ``/``, no leading ``/``, no ``.`` or
    empty segments, no trailing spaces or dots, case folded."""
    segments = [seg.rstrip(" .") for seg in name.replace("\\", "/").split("/")]
    return "/".join(seg for seg in segments if seg not in ("", ".")).casefold()


def odd_member_name(name: str) -> str | None:
    """Why ``name`` is not a part name Excel writes (Norwegian), or None."""
    if not name:
        return "tomt navn"
    if "\\" in name or name.startswith("/") or ":" in name:
        return "skråstrek, kolon eller absolutt sti"
    segments = name.split("/")
    if name.endswith("/"):
        segments = segments[:-1]   # a folder entry
    if any(seg in ("", ".", "..") for seg in segments):
        return "tomt ledd eller . / .."
    if any(seg != seg.strip() for seg in segments):
        return "mellomrom først eller sist i et ledd"
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        return "styretegn i navnet"
    return None


def _check_members(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], settings: Settings) -> None:
    names = [i.filename for i in infos]
    lower = {n.lower() for n in names}
    if len(infos) > settings.max_members:
        raise Rejected(problem("S013", count=len(infos), limit=settings.max_members))
    if len(lower) != len(names):   # two parts with the same name: readers could disagree
        raise Rejected(problem("S008", detail="to deler med samme navn"))
    seen: dict[str, str] = {}
    for name in names:
        key = normalise_member_name(name)
        if key in seen and key:
            raise Rejected(problem("S018", detail=f"«{seen[key]}» og «{name}»"[:200], value=name))
        seen[key] = name
    for name in names:
        why = odd_member_name(name)
        if why:
            raise Rejected(problem("S017", detail=f"«{name[:80]}»: {why}", value=name[:200]))
    for info in infos:
        if info.compress_type not in ZIP_METHODS:
            raise Rejected(problem("S019", detail=f"«{info.filename}»: metode {info.compress_type}"))
    if "mimetype" in lower:
        try:
            mimetype = zf.read("mimetype")[:200] if zf.getinfo("mimetype").file_size <= 200 else b""
        except (KeyError, zipfile.BadZipFile, zlib.error, OSError):
            mimetype = b""
        if b"opendocument" in mimetype or any(n.endswith("content.xml") for n in lower):
            raise Rejected(problem("S007"))
    if any(i.flag_bits & 0x1 for i in infos):
        raise Rejected(problem("S005"))
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > settings.max_member_bytes:
            raise Rejected(problem("S009", detail=f"«{info.filename}» oppgir {_mb(info.file_size)} MB"))
        if info.file_size > settings.ratio_floor_bytes:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > settings.max_compression_ratio:
                raise Rejected(problem("S009", detail=f"«{info.filename}» er komprimert {ratio:.0f}:1"))
    if total > settings.max_uncompressed_bytes:
        raise Rejected(problem("S009", detail=f"til sammen {_mb(total)} MB utpakket"))
    if any(n.endswith("vbaproject.bin") or n.endswith("vbaprojectsignature.bin") for n in lower):
        raise Rejected(problem("S006"))
    if "xl/workbook.xml" not in lower:
        if "xl/workbook.bin" in lower:
            raise Rejected(problem("S014", detail="binær Excel-arbeidsbok (.xlsb)"))
        if "[content_types].xml" in lower:
            kind = "Word-dokument" if any(n.startswith("word/") for n in lower) else (
                "PowerPoint-presentasjon" if any(n.startswith("ppt/") for n in lower) else "ukjent innhold")
            raise Rejected(problem("S014", detail=kind))
        raise Rejected(problem("S003"))


def _read_members(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], settings: Settings) -> Package:
    package = Package(names=[i.filename for i in infos])
    budget = settings.max_uncompressed_bytes
    externals: list[str] = []
    for info in infos:
        if info.is_dir():
            continue
        limit = min(settings.max_member_bytes, budget, info.file_size)
        keep = info.filename.lower().endswith(XML_SUFFIXES)
        chunks: list[bytes] = []
        read = 0
        try:
            with zf.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    read += len(chunk)
                    if read > limit:   # more than declared, or than the limits allow
                        raise Rejected(problem("S009", detail=f"«{info.filename}» pakker seg ut til mer enn oppgitt"))
                    if keep:
                        chunks.append(chunk)
        except Rejected:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError,
                RuntimeError) as exc:
            raise Rejected(problem("S008", detail=f"{info.filename}: {_short(exc)}")) from None
        budget -= read
        if budget < 0:
            raise Rejected(problem("S009", detail="for mye data utpakket"))
        if keep:
            data = b"".join(chunks)
            text = _refuse_dtd(info.filename, data)
            _refuse_many_rows(info.filename, text, settings)
            package.xml[info.filename] = data
        if info.filename.lower().startswith("xl/externallinks/") and info.filename.lower().endswith(".xml"):
            externals.append(info.filename)
    if CONTENT_TYPES in package.xml and b"macroEnabled" in package.xml[CONTENT_TYPES]:
        raise Rejected(problem("S006"))
    _check_content_types(package.xml.get(CONTENT_TYPES))
    if externals:
        package.warnings.append(problem("S012", detail=f"{len(externals)} kobling(er) i xl/externalLinks", value=externals))
    return package


def _check_content_types(data: bytes | None) -> None:
    """Excel and LibreOffice refuse a package whose [Content_Types].xml is missing or broken."""
    if data is None:
        raise Rejected(problem("S020", detail="mangler"))
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise Rejected(problem("S010", detail=CONTENT_TYPES)) from None
    except (ParseError, ValueError, UnicodeDecodeError, LookupError) as exc:
        raise Rejected(problem("S020", detail=_short(exc)[:120])) from None
    if root.tag.rsplit("}", 1)[-1] != "Types":
        raise Rejected(problem("S020", detail=f"rotelementet er «{root.tag.rsplit('}', 1)[-1][:40]}»"))


def _refuse_many_rows(name: str, text: bytes, settings: Settings) -> None:
    """Refuse a sheet with more rows than a form can have, by counting before any parse."""
    if len(text) < settings.max_sheet_rows * 6:   # a row takes at least 6 bytes: <row/>
        return
    rows = len(_ROW.findall(text))
    if rows > settings.max_sheet_rows:
        raise Rejected(problem("S024", count=rows, limit=settings.max_sheet_rows, detail=name))


def _refuse_dtd(name: str, data: bytes) -> bytes:
    """A DTD can only come before the root element; refuse any DOCTYPE or ENTITY declaration.
    Returns the part as UTF-8 bytes (UTF-16 parts converted) for further byte-level scans."""
    text = data
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(data) > 1 and data[1:2] == b"\x00"):
        try:
            text = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise Rejected(problem("S011", detail=f"{name}: ugyldig tegnkoding")) from None
    if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
        raise Rejected(problem("S010", detail=name))
    declared = _DECLARED.search(text[:200])
    if declared and declared.group(1).lower() not in _ENCODINGS and text is data:
        # an encoding where "<!DOCTYPE" is not plain ASCII bytes could hide a DTD from the scan
        raise Rejected(problem("S011", detail=f"{name}: tegnkodingen {declared.group(1).decode('ascii', 'replace')} "
                                               "tillates ikke"))
    return text


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",")


def _short(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__)[:200]
