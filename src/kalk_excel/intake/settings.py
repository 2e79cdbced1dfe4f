"""Every threshold and limit of the intake checks, in one dataclass with documented defaults.

The CLI (`kalk-excel kontroller`) exposes the comparison thresholds and the file-size limit as
options; tests lower the limits instead of writing huge files. See ``docs/kontroll.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Result fields per service area (docs/arkitektur.md) compared per person with last year and
# with the other municipalities; the pseudo field ``sum_utgift_mg`` is their sum.
AREA_FIELDS: tuple[str, ...] = (
    "sos_utgift_mg", "sos_ventestonad_mg", "intro_utgift_mg", "fov_utgift_mg", "kvp_utgift_mg",
    "syss_utgift_mg", "bolig_eid_netto_mg", "bolig_leid_netto_mg", "bolig_adm_utgift_mg",
    "pleie_utgift_mg", "bv_utgift_mg", "skole_utgift_mg", "bhg_utgift_mg", "felles_utgift_mg",
)
TOTAL_FIELD = "sum_utgift_mg"
COUNT_FIELD = "mg_antall_3112"
# The hand-over between the two forms of one municipality: the premises of the introduction
# programme that the norskskjema deducts in spm 30 are entered in the adm form's 4.4 instead; the
# two amounts must be equal (decision in both 2024 definitions). form id -> field id.
HANDOVER_FIELDS: dict[str, str] = {"adm": "intro_annet_lokaler_utgift", "norsk": "no_lok_intro"}


@dataclass(frozen=True)
class Settings:
    # --- package safety (checked before anything is parsed) ---
    max_file_bytes: int = 50 * 1024 * 1024          # larger files are rejected unread
    max_uncompressed_bytes: int = 200 * 1024 * 1024  # sum of declared and of actual member sizes
    max_member_bytes: int = 32 * 1024 * 1024         # one member, declared and actual (parsed whole)
    max_compression_ratio: float = 200.0             # per member with more than ratio_floor bytes
    ratio_floor_bytes: int = 1024 * 1024             # small members may compress better
    max_members: int = 2000
    max_prolog_bytes: int = 65536                    # XML prolog scanned for DTDs in unread parts
    max_sheet_rows: int = 50_000                     # <row> elements per sheet (counted before parsing)
    # --- integrity ---
    max_changed_cells: int = 50                      # changed cells listed per file, then a summary
    regenerate_on_mismatch: bool = True              # build the template to name changed cells
    fingerprint_key: str | None = field(default=None, repr=False)  # else config (KALK_EXCEL_NOKKEL)
    # --- comparisons ---
    imdi_tolerance_abs: float = 5.0                  # persons
    imdi_tolerance_rel: float = 0.10                 # share of IMDi's count
    fjorar_ratio_high: float = 1.5                   # this year / last year per person
    fjorar_ratio_low: float = 1 / 1.5
    hb_min_units: int = 5                            # Hidiroglou-Berthelot needs this many pairs
    hb_u: float = 0.5                                # HB size exponent U
    hb_a: float = 0.05                               # HB A (minimum spread, share of median)
    hb_c: float = 4.0                                # HB C (width of the acceptance band)
    median_min_others: int = 3                       # other municipalities needed for a median
    median_factor_warn: float = 3.0                  # per person >= 3x or <= 1/3 of median: advarsel
    median_factor_info: float = 2.0                  # >= 2x or <= 1/2: info
    # --- reading ---
    value_reader: str = "xml"                        # "xml" (the fingerprint's pass) or "calamine"
    # --- running ---
    workers: int = 2                                 # processes; 1 = in this process
    parallel_min_files: int = 8                      # fewer files are checked in this process
    templates_dir: Path | None = None                # form definitions (default: workbook_templates/)
    area_fields: tuple[str, ...] = field(default=AREA_FIELDS)
