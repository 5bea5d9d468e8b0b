"""Design-based tests of differences of means between columns.

Every mean is a ratio of two weighted totals (sum w*y over sum w) in its column, so a
difference of two means is linearised from the covariance of the column totals, which the
design gives whole (columns share PSUs, so they are not independent).  As for percentages:
each column against the rest of the table for the cell markers, and one pair of columns
with its interval for the comparison box.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from barometer_dash.stats.design import Design
from barometer_dash.stats.estimates import Difference, mean_totals
from barometer_dash.stats.inference import check_level, ratios, t_pvalue, t_quantile, variances
from barometer_dash.stats.variance import Totals


@dataclass(frozen=True, eq=False)
class MeanTests:
    """Each column's mean against the mean of the other columns, arrays shaped (C,)."""

    mean: np.ndarray
    rest: np.ndarray
    """Mean of everyone in the other columns (NaN when they are empty)."""
    difference: np.ndarray
    """mean - rest."""
    se: np.ndarray
    """SE of the difference."""
    p: np.ndarray
    sig: np.ndarray
    """+1 / -1 where the column's mean is significantly above / below the rest."""
    n: np.ndarray
    df: int


def mean_tests(
    design: Design,
    values: np.ndarray,
    col: np.ndarray,
    n_cols: int,
    *,
    domain: np.ndarray | None = None,
    level: float = 0.95,
) -> MeanTests:
    """Weighted mean per column and a t test of it against the other columns together.

    NaN values are not in the base.  A column (or its rest) without respondents gets NaN
    and no marker; without design df nothing is marked.
    """
    level = check_level(level)
    if n_cols < 2:
        raise ValueError("comparing means needs at least two columns")
    return tests_of(mean_totals(design, values, col, n_cols, domain), level)


def tests_of(scanned: tuple[Totals, np.ndarray], level: float = 0.95) -> MeanTests:
    """`mean_tests` from what `mean_totals` gave."""
    level = check_level(level)
    tot, n = scanned
    n_cols = n.shape[0]
    eye, zero = np.eye(n_cols), np.zeros((n_cols, n_cols))
    rest = 1.0 - eye
    est, grad = ratios(np.hstack([eye, zero]), np.hstack([zero, eye]), tot)
    other, other_grad = ratios(np.hstack([rest, zero]), np.hstack([zero, rest]), tot)
    diff = est - other
    se = np.sqrt(variances(grad - other_grad, tot.cov))
    usable = (n > 0) & (n.sum() - n > 0)
    p = np.where(usable, t_pvalue(diff, se, tot.df), np.nan)
    tq = t_quantile(level, tot.df)
    hit = usable & (se > 0) & (np.abs(diff) > tq * se) if np.isfinite(tq) else np.zeros(n_cols, bool)
    nan = np.full(n_cols, np.nan)
    return MeanTests(
        mean=np.where(n > 0, est, nan),
        rest=np.where(n.sum() - n > 0, other, nan),
        difference=np.where(usable, diff, nan),
        se=np.where(usable, se, nan),
        p=p,
        sig=(np.sign(diff) * hit).astype(np.int8),
        n=n,
        df=tot.df,
    )


def mean_difference(
    design: Design,
    values: np.ndarray,
    col: np.ndarray,
    n_cols: int,
    *,
    col_a: int,
    col_b: int,
    domain: np.ndarray | None = None,
    level: float = 0.95,
) -> Difference:
    """Mean in column b minus mean in column a (e.g. two waves), with its t interval.

    Both means come from the same design, so the SE includes their covariance; the t
    reference uses the df of the domain, as for the difference of two percentages.
    """
    return difference_of(mean_totals(design, values, col, n_cols, domain), col_a=col_a, col_b=col_b, level=level)


def difference_of(scanned: tuple[Totals, np.ndarray], *, col_a: int, col_b: int, level: float = 0.95) -> Difference:
    """`mean_difference` from what `mean_totals` gave."""
    level = check_level(level)
    tot, n = scanned
    n_cols = n.shape[0]
    for name, value in (("col_a", col_a), ("col_b", col_b)):
        if not 0 <= int(value) < n_cols:
            raise ValueError(f"{name} must lie in 0..{n_cols - 1}, got {value}")
    if n[col_a] == 0 or n[col_b] == 0:
        empty = col_a if n[col_a] == 0 else col_b
        raise ValueError(f"column {empty} has no respondents with a value in the domain")
    num = np.zeros((2, 2 * n_cols))
    den = np.zeros((2, 2 * n_cols))
    for i, j in enumerate((col_a, col_b)):
        num[i, j] = 1.0
        den[i, n_cols + j] = 1.0
    est, grad = ratios(num, den, tot)
    diff = float(est[1] - est[0])
    se = float(np.sqrt(variances((grad[1] - grad[0])[None, :], tot.cov)[0]))
    half = t_quantile(level, tot.df) * se
    p = float(t_pvalue(np.array([diff]), np.array([se]), tot.df)[0])
    return Difference(estimate=diff, se=se, ci_low=diff - half, ci_high=diff + half, p=p, df=tot.df)
