"""Disclosure control for published tables: what each rule protects is said in the README.

- Primary suppression (a reliability rule): a column under the minimum base shows no estimate.
- Secondary suppression, in every table: when exactly one non-empty column is suppressed, the
  smallest other column is suppressed too, and the Total column's cell counts are withheld, so
  neither the Total minus the published columns nor row percentages (which add to 100) give
  the hidden column; only the pair's sum can be derived.
- For datasets marked `restricted`, across tables: every category of a filter must reach the
  minimum base inside the rest of the domain (else the request is refused), and published
  counts are perturbed with a cell key: each respondent has a fixed record key, a cell's key is
  the sum of its respondents' keys, and the same cell always gets the same noise, so
  differencing two tables gives noise, not people. Percentages and their intervals are then
  computed from the published counts.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

import numpy as np

from ..domain.crosstab import Base, Cell
from .inference import logit_ci, t_quantile

KEY_RANGE = 256
# Noise in units of the mean weight (or in respondents, for unweighted counts), indexed by
# cell key: zero mean, at most 3 either way, the same for every dataset.
_RNG = np.random.default_rng(20240601)
NOISE = _RNG.choice(np.array([-3, -2, -1, 0, 1, 2, 3]), size=KEY_RANGE, p=[0.05, 0.1, 0.2, 0.3, 0.2, 0.1, 0.05])
NOISE = NOISE - int(round(NOISE.mean()))


def secondary_columns(col_n: np.ndarray, primary: np.ndarray) -> np.ndarray:
    """Breakdown columns to suppress: the primary ones and, when exactly one non-empty column is
    primary, the smallest other non-empty column (its partner, so only the pair's sum shows)."""
    hidden = primary.copy()
    exposed = np.flatnonzero(primary & (col_n > 0))
    if len(exposed) == 1:
        others = np.flatnonzero(~primary & (col_n > 0))
        if len(others):
            hidden[others[np.argmin(col_n[others])]] = True
    return hidden


def record_keys(n: int, dataset_id: str) -> np.ndarray:
    """A fixed key per respondent, the same every time the dataset is served."""
    seed = int.from_bytes(hashlib.sha256(f"cell-key:{dataset_id}:{n}".encode()).digest()[:8], "little")
    keys = np.random.default_rng(seed).integers(0, KEY_RANGE, size=n, dtype=np.uint8)
    keys.flags.writeable = False
    return keys


def cell_keys(keys: np.ndarray, row: np.ndarray, n_rows: int, col: np.ndarray, n_cols: int,
              domain: np.ndarray | None) -> np.ndarray:
    """(rows, cols) cell keys: the sum of the record keys of each cell's respondents, mod the range."""
    ok = (row >= 0) & (col >= 0)
    if domain is not None:
        ok &= domain
    cell = row[ok] * n_cols + col[ok]
    sums = np.bincount(cell, weights=keys[ok].astype(np.float64), minlength=n_rows * n_cols)
    return (sums.astype(np.int64) % KEY_RANGE).reshape(n_rows, n_cols)


def perturb(n: np.ndarray, weighted: np.ndarray, ckeys: np.ndarray, unit: float) -> tuple[np.ndarray, np.ndarray]:
    """Published counts: the true ones plus the noise of each cell's key; empty cells stay empty
    and no count goes below 1 where there is somebody."""
    noise = NOISE[ckeys]
    n_pub = np.where(n > 0, np.maximum(n + noise, 1), 0).astype(np.int64)
    w_pub = np.where(weighted > 0, np.maximum(weighted + noise * unit, unit), 0.0)
    return n_pub, w_pub


def published_shares(w_pub: np.ndarray, percent: str) -> np.ndarray:
    """Shares (0-1) from published weighted counts laid out as [Total | breakdown columns]:
    row percentages are across the breakdown (the Total column is each row's whole)."""
    def share(part: np.ndarray, den: np.ndarray) -> np.ndarray:
        return np.divide(part, den, out=np.zeros_like(part), where=den > 0)

    total, split = w_pub[:, :1], w_pub[:, 1:]
    if percent == "column":
        return share(w_pub, np.broadcast_to(w_pub.sum(axis=0, keepdims=True), w_pub.shape))
    if percent == "row":
        rows = np.broadcast_to(split.sum(axis=1, keepdims=True), split.shape)
        return np.hstack([share(total, total), share(split, rows)])
    return np.hstack([share(total, np.full(total.shape, total.sum())), share(split, np.full(split.shape, split.sum()))])


def net_shares(net_w: np.ndarray, answer_w: np.ndarray, percent: str) -> np.ndarray:
    """Shares (0-1) of nets from published counts, in the answers' bases ([Total | breakdown])."""
    def share(part: np.ndarray, den: np.ndarray) -> np.ndarray:
        return np.divide(part, den, out=np.zeros_like(part), where=den > 0)

    if percent == "column":
        return share(net_w, np.broadcast_to(answer_w.sum(axis=0, keepdims=True), net_w.shape))
    if percent == "row":
        split = net_w[:, 1:]
        return np.hstack([share(net_w[:, :1], net_w[:, :1]),
                          share(split, np.broadcast_to(split.sum(axis=1, keepdims=True), split.shape))])
    return np.hstack([share(net_w[:, :1], np.full((len(net_w), 1), answer_w[:, :1].sum())),
                      share(net_w[:, 1:], np.full(net_w[:, 1:].shape, answer_w[:, 1:].sum()))])


def republish(cells: list[list[Cell]], bases: list[Base], n_pub: np.ndarray, w_pub: np.ndarray,
              shares: np.ndarray, base_n: np.ndarray, base_w: np.ndarray, level: float,
              df: int) -> tuple[list[list[Cell]], list[Base]]:
    """Cells and bases with perturbed counts, percentages from them and intervals around them.

    The interval keeps each cell's design-based standard error, centred on the published
    percentage; significance marks and the table's test are the design's.
    """
    tq = t_quantile(level, df)
    out_cells = []
    for i, row in enumerate(cells):
        new_row = []
        for j, c in enumerate(row):
            if c.suppressed or c.percent is None:
                new_row.append(c)
                continue
            se = (c.se or 0.0) / 100.0
            low, high = logit_ci(np.array([shares[i, j]]), np.array([se]), tq)
            new_row.append(replace(c, n=None if c.n is None else int(n_pub[i, j]),
                                   weighted=None if c.weighted is None else float(w_pub[i, j]),
                                   percent=float(100 * shares[i, j]), ci_low=float(100 * low[0]),
                                   ci_high=float(100 * high[0])))
        out_cells.append(new_row)
    out_bases = [replace(b, n=int(base_n[j]), weighted=float(base_w[j])) for j, b in enumerate(bases)]
    return out_cells, out_bases
