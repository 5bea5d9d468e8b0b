"""Input checks and the one pass over respondents that a table needs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from barometer_dash.stats.codes import position_dtype
from barometer_dash.stats.design import Design
from barometer_dash.stats.variance import (
    Part,
    Totals,
    block_totals,
    block_width,
    covariance,
    is_dense,
    needs_psu_order,
    totals,
)


def as_codes(values: object, n_levels: int, n: int, name: str) -> np.ndarray:
    """Integer codes 0..n_levels-1 per respondent, -1 for "not in the base".

    Signed integer codes keep their width (an int8 index is not copied to 8 bytes a
    respondent): widen what you gather from them before doing arithmetic."""
    if isinstance(n_levels, bool) or not isinstance(n_levels, int | np.integer) or n_levels < 1:
        raise ValueError(f"the number of {name} levels must be a positive integer")
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"{name} must be a 1-d array of length {n}, got shape {arr.shape}")
    if arr.dtype.kind == "b":
        arr = arr.astype(np.intp)
    elif arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr) & (arr == np.round(arr))):
            raise ValueError(f"{name} codes must be whole numbers (use -1 for not in base)")
        arr = arr.astype(np.intp)
    elif arr.dtype.kind not in "iu":
        raise ValueError(f"{name} codes must be integers, got dtype {arr.dtype}")
    if arr.size and (arr.min() < -1 or arr.max() >= n_levels):
        raise ValueError(f"{name} codes must lie in -1..{n_levels - 1}, found {arr.min()}..{arr.max()}")
    if arr.dtype.kind == "i":
        return arr
    return arr.astype(np.intp, copy=False)


def domain_mask(domain: object, n: int) -> np.ndarray:
    """Boolean domain of length n (all respondents when None)."""
    if domain is None:
        return np.ones(n, dtype=bool)
    arr = np.asarray(domain)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"domain must be a 1-d boolean array of length {n}, got {arr.shape}")
    if arr.dtype.kind != "b":
        raise ValueError(f"domain must be boolean, got dtype {arr.dtype}")
    return arr


def select(design: Design, mask: np.ndarray, m: int, n_parts: int) -> np.ndarray:
    """Indices of the domain's respondents, in PSU order when the variance needs it.

    Indices, not the boolean mask: gathering through a patchy mask is several times slower.
    """
    return design.sorted_index(mask) if needs_psu_order(design, m, n_parts) else np.flatnonzero(mask)


@dataclass(frozen=True)
class CellScan:
    """Respondents of the analysis domain: their PSU, weight and cell."""

    psu: np.ndarray
    weight: np.ndarray
    cell: np.ndarray


def _cells(r: np.ndarray, n_rows: int, c: np.ndarray, n_cols: int) -> np.ndarray:
    """Cell codes row * n_cols + col at the narrowest width that holds them (garbage where
    row or col is -1): respondents kept are widened after the gather, not before."""
    cells = r.astype(position_dtype(n_rows * n_cols))
    cells *= n_cols
    cells += c
    return cells


def _base(r: np.ndarray, c: np.ndarray, domain: np.ndarray | None, n: int) -> np.ndarray:
    # Both codes are >= 0 exactly when the smaller one is: one comparison instead of two.
    mask = np.minimum(r, c) >= 0
    if domain is not None:
        mask &= domain_mask(domain, n)
    return mask


def cell_scan(
    design: Design,
    row: np.ndarray,
    n_rows: int,
    col: np.ndarray,
    n_cols: int,
    domain: np.ndarray | None,
) -> CellScan:
    """The domain (mask AND row >= 0 AND col >= 0), with combined cell codes."""
    r = as_codes(row, n_rows, design.n, "row")
    c = as_codes(col, n_cols, design.n, "col")
    sel = select(design, _base(r, c, domain, design.n), n_rows * n_cols, 1)
    cell = r[sel].astype(np.intp) * n_cols + c[sel]
    return CellScan(psu=design.psu[sel], weight=design.weight[sel], cell=cell)


def cell_totals(
    design: Design,
    row: np.ndarray,
    n_rows: int,
    col: np.ndarray,
    n_cols: int,
    domain: np.ndarray | None,
) -> tuple[np.ndarray, Totals]:
    """Unweighted counts of the row-major cells and their weighted totals with covariance."""
    k = n_rows * n_cols
    if design.order is not None or not is_dense(design, k, 1):
        scan = cell_scan(design, row, n_rows, col, n_cols, domain)
        counts = np.bincount(scan.cell, minlength=k).astype(np.int64)
        return counts, totals(design, [Part(scan.psu, scan.cell, scan.weight)], k, scan.psu)
    r = as_codes(row, n_rows, design.n, "row")
    c = as_codes(col, n_cols, design.n, "col")
    return coded_totals(design, _base(r, c, domain, design.n), _cells(r, n_rows, c, n_cols), k)


def coded_totals(
    design: Design, mask: np.ndarray, cells: np.ndarray, k: int, groups: Sequence[np.ndarray] = ()
) -> tuple[np.ndarray, Totals]:
    """Counts and totals (with covariance) of the cells 0..k-1 of the respondents in ``mask``.

    ``cells`` may hold anything outside the mask.  With respondents in PSU order (a serving
    copy, a prepared Survey) the domain is read one cache-sized range of PSUs at a time, and
    each range's totals go into the covariance before the next is read: no array as long as
    the domain is built; a prepared Survey's design reads it in one compiled pass instead
    (:mod:`kernel`) where that is faster.  ``groups`` are as for :func:`totals`.
    """
    if design.compiled and design.order is None and design.rooted_weight is not None:
        from barometer_dash.stats import kernel  # loads the compiler: only when a design asks for it

        if kernel.suits(design, k, int(np.count_nonzero(mask))):
            counts, strata, square, df, group_df = kernel.scan(design, mask, cells, k, groups)
            return counts, covariance(design, strata, square, df, group_df)
    if design.order is not None or not is_dense(design, k, 1):
        sel = select(design, mask, k, 1)
        cell = cells[sel].astype(np.intp)
        psu = design.psu[sel]
        counts = np.bincount(cell, minlength=k).astype(np.int64)
        return counts, totals(design, [Part(psu, cell, design.weight[sel])], k, psu, groups=groups)
    counts = np.zeros(k, dtype=np.int64)
    return counts, block_totals(design, _psu_ranges(design, mask, cells, k, counts), k, groups)


def _psu_ranges(
    design: Design, mask: np.ndarray, cells: np.ndarray, k: int, counts: np.ndarray
) -> Iterator[tuple[int, int, Sequence[Part]]]:
    """The masked respondents of each range of PSUs as a part, adding their cells to ``counts``."""
    start = design.psu_start
    width = block_width(k)
    rooted = design.rooted_weight is not None
    weight = design.rooted_weight if design.rooted_weight is not None else design.weight
    for lo in range(0, design.n_psu, width):
        hi = min(lo + width, design.n_psu)
        rng = slice(int(start[lo]), int(start[hi]))
        # Positions within the range, gathered from slices: no pass to offset them.
        sel = np.flatnonzero(mask[rng])
        # Codes stay narrow: the key and the counts widen them as they read them.
        cell = cells[rng][sel]
        counts += np.bincount(cell, minlength=k)
        yield lo, hi, [Part(design.psu[rng][sel], cell, weight[rng][sel], rooted=rooted)]
