"""Matrix balancing for the demo construction: IPF/RAS of a positive seed matrix to given row and
column totals, integer rounding that keeps the row totals exact, and largest-remainder allocation."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np


def ras(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray, tol: float = 1e-9, max_iter: int = 10_000) -> np.ndarray:
    """Scale ``seed`` (positive) by row and column factors until its margins equal ``rows``/``cols``.

    ``rows.sum()`` must equal ``cols.sum()`` (to rounding); raises ValueError if RAS does not converge.
    """
    m = np.asarray(seed, dtype=float).copy()
    rows = np.asarray(rows, dtype=float)
    cols = np.asarray(cols, dtype=float)
    for _ in range(max_iter):
        m *= (rows / m.sum(axis=1))[:, None]
        m *= (cols / m.sum(axis=0))[None, :]
        if np.max(np.abs(m.sum(axis=1) - rows) / rows) < tol:
            return m
    raise ValueError("RAS konvergerte ikke")


def allocate(total: int, weights: np.ndarray | Sequence[float]) -> np.ndarray:
    """Split the integer ``total`` in proportion to ``weights`` (largest remainder; ties by position)."""
    w = np.asarray(weights, dtype=float)
    raw = total * w / w.sum()
    out = np.floor(raw).astype(np.int64)
    rest = int(total - out.sum())
    order = np.argsort(-(raw - out), kind="stable")
    out[order[:rest]] += 1
    return out


def round_rows(m: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Integer matrix close to ``m`` whose row sums equal the integer ``rows`` exactly."""
    out = np.floor(m).astype(np.int64)
    for i in range(m.shape[0]):
        rest = int(rows[i] - out[i].sum())
        order = np.argsort(-(m[i] - out[i]), kind="stable")
        out[i, order[:rest]] += 1
    return out


def unit(*key: object) -> float:
    """A deterministic pseudo-random number in [0, 1) from a key (no random state, stable across runs)."""
    digest = hashlib.sha256("|".join(map(str, key)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64
