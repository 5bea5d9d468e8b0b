"""Single contrasts and means: the difference of two column percents, means by column."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from barometer_dash.stats.design import Design
from barometer_dash.stats.inference import check_level, ratios, t_pvalue, t_quantile, variances
from barometer_dash.stats.scan import as_codes, cell_totals, domain_mask, select
from barometer_dash.stats.variance import Part, Totals, totals


@dataclass(frozen=True)
class Difference:
    """Column percent in column b minus column a, in percentage points."""

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p: float
    df: int


@dataclass(frozen=True, eq=False)
class MeanTable:
    """Weighted mean of a numeric variable per column, arrays shaped (C,)."""

    mean: np.ndarray
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    n: np.ndarray
    df: int


def difference(
    design: Design,
    row: np.ndarray,
    n_rows: int,
    col: np.ndarray,
    n_cols: int,
    *,
    domain: np.ndarray | None = None,
    cell_row: int,
    col_a: int,
    col_b: int,
    level: float = 0.95,
) -> Difference:
    """Change of one answer's column percent between two columns (e.g. two waves).

    Both percents come from the same PSUs, so the SE of the difference includes their
    covariance; the t reference uses the df of the table's domain.
    """
    level = check_level(level)
    for name, value, limit in (("cell_row", cell_row, n_rows), ("col_a", col_a, n_cols), ("col_b", col_b, n_cols)):
        if not 0 <= int(value) < limit:
            raise ValueError(f"{name} must lie in 0..{limit - 1}, got {value}")
    _, tot = cell_totals(design, row, n_rows, col, n_cols, domain)
    k = n_rows * n_cols
    col_of = np.arange(k) % n_cols
    num = np.zeros((2, k))
    num[0, cell_row * n_cols + col_a] = 1.0
    num[1, cell_row * n_cols + col_b] = 1.0
    den = np.vstack([col_of == col_a, col_of == col_b]).astype(float)
    est, grad = ratios(num, den, tot)
    diff = 100.0 * float(est[1] - est[0])
    se = 100.0 * float(np.sqrt(variances((grad[1] - grad[0])[None, :], tot.cov)[0]))
    half = t_quantile(level, tot.df) * se
    p = float(t_pvalue(np.array([diff]), np.array([se]), tot.df)[0])
    return Difference(estimate=diff, se=se, ci_low=diff - half, ci_high=diff + half, p=p, df=tot.df)


def mean_by(
    design: Design,
    values: np.ndarray,
    col: np.ndarray,
    n_cols: int,
    *,
    domain: np.ndarray | None = None,
    level: float = 0.95,
) -> MeanTable:
    """Weighted mean per column (a ratio of totals), linearised SE and t interval.

    NaN values are not in the base; a column without respondents has mean NaN.
    """
    level = check_level(level)
    return means_of(mean_totals(design, values, col, n_cols, domain), level)


def means_of(scanned: tuple[Totals, np.ndarray], level: float = 0.95) -> MeanTable:
    """`mean_by` from what `mean_totals` gave: one scan can serve means, tests and differences."""
    level = check_level(level)
    tot, n = scanned
    n_cols = n.shape[0]
    eye, zero = np.eye(n_cols), np.zeros((n_cols, n_cols))
    est, grad = ratios(np.hstack([eye, zero]), np.hstack([zero, eye]), tot)
    se = np.sqrt(variances(grad, tot.cov))
    est = np.where(n > 0, est, np.nan)
    se = np.where(n > 0, se, np.nan)
    half = t_quantile(level, tot.df) * se
    return MeanTable(mean=est, se=se, ci_low=est - half, ci_high=est + half, n=n, df=tot.df)


def mean_totals(
    design: Design, values: np.ndarray, col: np.ndarray, n_cols: int, domain: np.ndarray | None
) -> tuple[Totals, np.ndarray]:
    """Totals [sum w*y by column, sum w by column] with their covariance, and column sizes:
    what a mean and a difference of means are ratios of."""
    y = np.asarray(values, dtype=np.float64)
    if y.ndim != 1 or y.shape[0] != design.n:
        raise ValueError(f"values must be a 1-d array of length {design.n}")
    c = as_codes(col, n_cols, design.n, "col")
    mask = domain_mask(domain, design.n) & (c >= 0) & ~np.isnan(y)
    if np.isinf(y[mask]).any():
        raise ValueError("values must be finite or NaN")
    idx = select(design, mask, 2 * n_cols, 2)
    psu, weight, cv, yv = design.psu[idx], design.weight[idx], c[idx].astype(np.intp), y[idx]
    parts = [Part(psu, cv, weight * yv), Part(psu, cv + n_cols, weight)]
    return totals(design, parts, 2 * n_cols, psu), np.bincount(cv, minlength=n_cols).astype(np.int64)
