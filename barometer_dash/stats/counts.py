"""Weighted counts and percentages alone: the fast path when no uncertainty is needed."""

from __future__ import annotations

import numpy as np


def weighted_counts(
    row: np.ndarray,
    n_rows: int,
    col: np.ndarray,
    n_cols: int,
    weight: np.ndarray | None = None,
    *,
    domain: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Unweighted and weighted (R, C) counts of row by col codes (-1 = not in the base)."""
    keep = (row >= 0) & (col >= 0)
    if domain is not None:
        keep &= domain
    idx = np.flatnonzero(keep)
    cell = row[idx] * n_cols + col[idx]
    k = n_rows * n_cols
    n = np.bincount(cell, minlength=k).reshape(n_rows, n_cols)
    if weight is None:
        return n, n.astype(np.float64)
    w = np.bincount(cell, weights=weight[idx], minlength=k)
    return n, w.reshape(n_rows, n_cols)


def column_percent(weighted: np.ndarray) -> np.ndarray:
    """Percent of each column's total; 0 for an empty column, as `tabulate` gives."""
    total = weighted.sum(axis=0, keepdims=True)
    return 100.0 * weighted / np.where(total > 0, total, 1.0)
