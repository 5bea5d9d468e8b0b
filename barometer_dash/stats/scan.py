"""Input checks and the one pass over respondents that a table needs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from barometer_dash.stats.codes import position_dtype
from barometer_dash.stats.design import Design
from barometer_dash.stats.variance import needs_psu_order


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
    mask = (r >= 0) & (c >= 0)
    if domain is not None:
        mask &= domain_mask(domain, design.n)
    sel = select(design, mask, n_rows * n_cols, 1)
    # Cell codes at the narrowest width that holds them, widened only for the respondents kept.
    cells = r.astype(position_dtype(n_rows * n_cols))
    cells *= n_cols
    cells += c
    return CellScan(psu=design.psu[sel], weight=design.weight[sel], cell=cells[sel].astype(np.intp))
