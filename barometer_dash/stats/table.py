"""Design-based cross-tabulation: percentages, SEs, logit CIs, cell tests, Rao-Scott test.

A filter is a domain: respondents outside it keep their place in the design with zero
weight in the estimating equations (R's ``subset()``, svy's ``where=``), so their PSUs
still count in the variance sums.  The df of every interval and test is that of the domain
(PSUs minus strata, counting only PSUs with a respondent in it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from barometer_dash.stats.codes import position_dtype
from barometer_dash.stats.design import Design
from barometer_dash.stats.estimates import Difference, MeanTable, difference, mean_by
from barometer_dash.stats.inference import (
    check_level,
    design_effect,
    logit_ci,
    ratios,
    significance,
    t_quantile,
    variances,
)
from barometer_dash.stats.raoscott import TableTest, rao_scott
from barometer_dash.stats.scan import as_codes, cell_totals, coded_totals, domain_mask, select
from barometer_dash.stats.variance import Part, Totals, totals

__all__ = [
    "Difference",
    "MeanTable",
    "Table",
    "TableTest",
    "difference",
    "mean_by",
    "tabulate",
    "tabulate_multi",
    "tabulate_with_total",
]

Percent = Literal["column", "row", "total"]


@dataclass(frozen=True, eq=False)
class Table:
    """One cross-tabulation; arrays are shaped (R, C) unless noted.

    Percent, SE and CI are in percentage points.  A cell whose base is empty reads 0 with a
    zero SE and interval [0, 0]; a 0% or 100% cell gets the interval [p, p].  With no
    design df (a domain inside a single PSU per stratum) the other intervals are NaN and
    no cell is flagged.  ``deff`` is NaN where p is 0 or 100 or the base has under 2 people.
    """

    n: np.ndarray
    weighted: np.ndarray
    percent: np.ndarray
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    deff: np.ndarray
    sig: np.ndarray
    col_n: np.ndarray
    col_weighted: np.ndarray
    row_n: np.ndarray
    row_weighted: np.ndarray
    total_n: int
    total_weighted: float
    df: int
    percent_base: str
    test: TableTest | None


def _bases(row_of: np.ndarray, col_of: np.ndarray, percent: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coefficients of the base of each cell, and of the cell and base among the others."""
    same_row = (row_of[:, None] == row_of[None, :]).astype(float)
    same_col = (col_of[:, None] == col_of[None, :]).astype(float)
    if percent == "column":
        return same_col, same_row * (1.0 - same_col), 1.0 - same_col
    if percent == "row":
        return same_row, same_col * (1.0 - same_row), 1.0 - same_row
    return np.ones_like(same_row), np.zeros_like(same_row), np.zeros_like(same_row)


def _cells(
    tot: Totals,
    counts: np.ndarray,
    num: np.ndarray,
    den: np.ndarray,
    other_num: np.ndarray,
    other_den: np.ndarray,
    compare: bool,
    level: float,
) -> dict[str, np.ndarray]:
    """Percent, SE, CI, deff and cell significance of the ratios num/den (flat)."""
    est, grad = ratios(num, den, tot)
    var = variances(grad, tot.cov)
    se = np.sqrt(var)
    tq = t_quantile(level, tot.df)
    low, high = logit_ci(est, se, tq)
    if compare:
        other, other_grad = ratios(other_num, other_den, tot)
        usable = (den @ tot.total > 0) & (other_den @ tot.total > 0)
        sig = significance(est, grad, other, other_grad, usable, tot, tq)
    else:
        sig = np.zeros(est.shape, np.int8)
    return {
        "percent": 100.0 * est,
        "se": 100.0 * se,
        "ci_low": 100.0 * low,
        "ci_high": 100.0 * high,
        "deff": design_effect(est, var, den @ counts),
        "sig": sig,
    }


def _table(tot: Totals, counts: np.ndarray, n_rows: int, n_cols: int, percent: Percent, level: float) -> Table:
    """The table of ``n_rows * n_cols`` cell totals (row-major) and their unweighted counts."""
    k = n_rows * n_cols
    row_of, col_of = np.divmod(np.arange(k), n_cols)
    den, other_num, other_den = _bases(row_of, col_of, percent)
    cells = _cells(tot, counts, np.eye(k), den, other_num, other_den, percent != "total", level)
    weighted = tot.total.reshape(n_rows, n_cols)
    n = counts.reshape(n_rows, n_cols)
    return Table(
        n=n,
        weighted=weighted,
        percent=cells["percent"].reshape(n_rows, n_cols),
        se=cells["se"].reshape(n_rows, n_cols),
        ci_low=cells["ci_low"].reshape(n_rows, n_cols),
        ci_high=cells["ci_high"].reshape(n_rows, n_cols),
        deff=cells["deff"].reshape(n_rows, n_cols),
        sig=cells["sig"].reshape(n_rows, n_cols),
        col_n=n.sum(axis=0),
        col_weighted=weighted.sum(axis=0),
        row_n=n.sum(axis=1),
        row_weighted=weighted.sum(axis=1),
        total_n=int(n.sum()),
        total_weighted=float(weighted.sum()),
        df=tot.df,
        percent_base=percent,
        test=rao_scott(weighted, tot.cov, int(n.sum()), tot.df),
    )


def _check_percent(percent: str, level: float) -> float:
    if percent not in ("column", "row", "total"):
        raise ValueError(f'percent must be "column", "row" or "total", got {percent!r}')
    return check_level(level)


def tabulate(
    design: Design,
    row: np.ndarray,
    n_rows: int,
    col: np.ndarray,
    n_cols: int,
    *,
    domain: np.ndarray | None = None,
    percent: Percent = "column",
    level: float = 0.95,
) -> Table:
    """Weighted (R, C) table of row by col codes (-1 = not in the base) within ``domain``."""
    level = _check_percent(percent, level)
    counts, tot = cell_totals(design, row, n_rows, col, n_cols, domain)
    return _table(tot, counts, n_rows, n_cols, percent, level)


def tabulate_with_total(
    design: Design,
    row: np.ndarray,
    n_rows: int,
    col: np.ndarray,
    n_cols: int,
    *,
    domain: np.ndarray | None = None,
    percent: Percent = "column",
    level: float = 0.95,
) -> tuple[Table, Table]:
    """The (R, 1) total table and the (R, C) table split by ``col``, from one scan.

    Respondents outside every column (col -1) count in the total only: they take an extra
    column of totals, and the total table's totals are row sums over all columns. Both are
    linear in the same PSU totals, so their covariances follow from one covariance matrix;
    each keeps the df of its own domain. Equal (to rounding) to two `tabulate` calls.
    """
    level = _check_percent(percent, level)
    r = as_codes(row, n_rows, design.n, "row")
    c = as_codes(col, n_cols, design.n, "col")
    mask = r >= 0
    if domain is not None:
        mask &= domain_mask(domain, design.n)
    wide = n_cols + 1
    m = n_rows * wide
    # Gathered, not folded into zero weights: folding measured slower at 1M and 10M even
    # for domains holding most respondents (benchmarks/RESULTS.md).
    cells = c.astype(position_dtype(m))
    cells[cells < 0] = n_cols
    cells += np.multiply(r, wide, dtype=cells.dtype)
    grid = np.arange(m).reshape(n_rows, wide)
    split_cells = grid[:, :n_cols].ravel()
    flat, tot = coded_totals(design, mask, cells, m, groups=[split_cells])
    counts = flat.reshape(n_rows, wide)
    sums = np.zeros((n_rows, m))
    sums[np.repeat(np.arange(n_rows), wide), grid.ravel()] = 1.0
    total = _table(tot.combine(sums, tot.df), counts.sum(axis=1), n_rows, 1, percent, level)
    split_counts = counts[:, :n_cols].ravel()
    split = _table(tot.select(split_cells, tot.group_df[0]), split_counts, n_rows, n_cols, percent, level)
    return total, split


def tabulate_multi(
    design: Design,
    items: list[np.ndarray],
    col: np.ndarray,
    n_cols: int,
    *,
    domain: np.ndarray | None = None,
    level: float = 0.95,
) -> Table:
    """Multiple-response set: row k is the percent of the column base mentioning item k.

    ``items[k]`` is 1 (mentioned), 0 (not) or -1 (not in base).  The base of item k in a
    column is its respondents coded 0 or 1 there, so percents can sum past 100.
    """
    level = check_level(level)
    if not items:
        raise ValueError("items must hold at least one item")
    n_items = len(items)
    codes = [as_codes(item, 2, design.n, f"items[{i}]") for i, item in enumerate(items)]
    col = as_codes(col, n_cols, design.n, "col")
    answered = np.zeros(design.n, dtype=bool)
    for code in codes:
        answered |= code >= 0
    mask = domain_mask(domain, design.n) & (col >= 0) & answered
    k = n_items * n_cols
    idx = select(design, mask, 2 * k, 2 * n_items)
    psu, weight, colv = design.psu[idx], design.weight[idx], col[idx].astype(np.intp)
    parts: list[Part] = []
    mention_counts: list[np.ndarray] = []
    base_counts: list[np.ndarray] = []
    for i, code in enumerate(codes):
        item = code[idx]
        for offset, keep in ((0, item == 1), (k, item >= 0)):
            target = i * n_cols + colv[keep] + offset
            parts.append(Part(psu[keep], target, weight[keep]))
            counts = np.bincount(colv[keep], minlength=n_cols)
            (mention_counts if offset == 0 else base_counts).append(counts)
    tot = totals(design, parts, 2 * k, psu)
    eye, zero = np.eye(k), np.zeros((k, k))
    col_of = np.arange(k) % n_cols
    same_item = np.arange(k)[:, None] // n_cols == np.arange(k)[None, :] // n_cols
    others = same_item & (col_of[:, None] != col_of[None, :])
    cells = _cells(
        tot,
        np.concatenate([np.ravel(mention_counts), np.ravel(base_counts)]).astype(float),
        np.hstack([eye, zero]),
        np.hstack([zero, eye]),
        np.hstack([others.astype(float), zero]),
        np.hstack([zero, others.astype(float)]),
        True,
        level,
    )
    shape = (n_items, n_cols)
    n = np.asarray(mention_counts, dtype=np.int64)
    weighted = tot.total[:k].reshape(shape)
    col_n = np.bincount(colv, minlength=n_cols).astype(np.int64)
    col_weighted = np.bincount(colv, weights=weight, minlength=n_cols)
    return Table(
        n=n,
        weighted=weighted,
        percent=cells["percent"].reshape(shape),
        se=cells["se"].reshape(shape),
        ci_low=cells["ci_low"].reshape(shape),
        ci_high=cells["ci_high"].reshape(shape),
        deff=cells["deff"].reshape(shape),
        sig=cells["sig"].reshape(shape),
        col_n=col_n,
        col_weighted=col_weighted,
        row_n=n.sum(axis=1),
        row_weighted=weighted.sum(axis=1),
        total_n=int(col_n.sum()),
        total_weighted=float(col_weighted.sum()),
        df=tot.df,
        percent_base="column",
        test=None,
    )
