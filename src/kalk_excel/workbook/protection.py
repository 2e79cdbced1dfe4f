"""Sheet and workbook-structure protection with the SHA-512 scheme of MS-OFFCRYPTO.

openpyxl's ``password`` setters write the legacy 16-bit hash (collidable, wrong for æøå), so the
``algorithmName``/``saltValue``/``hashValue``/``spinCount`` attributes are computed here:
hash = SHA-512(salt + password as UTF-16LE), then ``spin_count`` times
hash = SHA-512(hash + iteration as 4-byte little-endian); salt and hash base64-encoded.
The key is computed once per workbook and reused for every sheet.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass

from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.protection import SheetProtection

ALGORITHM = "SHA-512"
SPIN_COUNT = 100_000
SALT_BYTES = 16


@dataclass(frozen=True)
class ProtectionKey:
    salt: str        # base64
    hash: str        # base64
    spin_count: int
    algorithm: str = ALGORITHM


def password_hash(password: str, salt: bytes, spin_count: int = SPIN_COUNT) -> bytes:
    """The MS-OFFCRYPTO "ISO write protection" hash of ``password``."""
    digest = hashlib.sha512(salt + password.encode("utf-16-le")).digest()
    for i in range(spin_count):
        digest = hashlib.sha512(digest + i.to_bytes(4, "little")).digest()
    return digest


def make_key(password: str, *, salt: bytes | None = None, spin_count: int = SPIN_COUNT) -> ProtectionKey:
    if not password:
        raise ValueError("Passordet for arkbeskyttelsen er tomt.")
    salt = salt if salt is not None else os.urandom(SALT_BYTES)
    digest = password_hash(password, salt, spin_count)
    return ProtectionKey(base64.b64encode(salt).decode("ascii"), base64.b64encode(digest).decode("ascii"),
                         spin_count)


def sheet_protection(key: ProtectionKey) -> SheetProtection:
    """Protected sheet; selecting locked and unlocked cells and resizing rows/columns allowed."""
    return SheetProtection(
        sheet=True, objects=True, scenarios=True,
        formatCells=True, formatRows=False, formatColumns=False,
        insertColumns=True, insertRows=True, insertHyperlinks=True,
        deleteColumns=True, deleteRows=True, sort=True, autoFilter=True, pivotTables=True,
        selectLockedCells=False, selectUnlockedCells=False,
        algorithmName=key.algorithm, saltValue=key.salt, hashValue=key.hash, spinCount=key.spin_count,
    )


def workbook_protection(key: ProtectionKey) -> WorkbookProtection:
    return WorkbookProtection(
        lockStructure=True, workbookAlgorithmName=key.algorithm, workbookSaltValue=key.salt,
        workbookHashValue=key.hash, workbookSpinCount=key.spin_count,
    )


def protect(wb, key: ProtectionKey) -> None:  # type: ignore[no-untyped-def]
    """Protect every sheet of ``wb`` and its structure with ``key``."""
    for ws in wb.worksheets:
        ws.protection = sheet_protection(key)
    wb.security = workbook_protection(key)
