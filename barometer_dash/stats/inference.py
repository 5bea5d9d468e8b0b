"""Ratios of totals, their linearised variances, t quantiles and confidence intervals."""

from __future__ import annotations

import numpy as np
from scipy import special

from barometer_dash.stats.variance import Totals


def check_level(level: float) -> float:
    level = float(level)
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be strictly between 0 and 1, got {level}")
    return level


def t_quantile(level: float, df: int) -> float:
    """Two-sided t critical value on ``df`` degrees of freedom; NaN when df < 1."""
    if df < 1:
        return float("nan")
    # scipy.stats.t.ppf calls this function after checking its arguments (50 us a call).
    return float(special.stdtrit(df, (1.0 + level) / 2.0))


def ratios(num: np.ndarray, den: np.ndarray, tot: Totals) -> tuple[np.ndarray, np.ndarray]:
    """Estimates ``(num @ t) / (den @ t)`` and their gradients in the totals.

    ``num`` and ``den`` are (q, m) coefficient matrices over the m totals.  A ratio whose
    base is empty is reported as 0 with a zero gradient, so tables keep their shape.
    """
    top = num @ tot.total
    base = den @ tot.total
    ok = base > 0
    safe = np.where(ok, base, 1.0)
    est = np.where(ok, top / safe, 0.0)
    grad = (num - est[:, None] * den) / safe[:, None]
    grad[~ok] = 0.0
    return est, grad


def variances(grad: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """Diagonal of ``grad @ cov @ grad.T`` without forming the full product."""
    return np.maximum(np.einsum("ij,ij->i", grad @ cov, grad), 0.0)


def logit_ci(p: np.ndarray, se: np.ndarray, tq: float) -> tuple[np.ndarray, np.ndarray]:
    """Logit-scale interval for proportions (R's svyciprop(method = "logit")).

    A proportion of exactly 0 or 1, or one with no sampling variance, gets the degenerate
    interval [p, p]: finite, never NaN.  Without degrees of freedom the bounds are NaN.
    """
    inner = (p > 0.0) & (p < 1.0) & (se > 0.0)
    q = np.where(inner, p, 0.5)
    half = tq * np.where(inner, se, 0.0) / (q * (1.0 - q))
    centre = np.log(q / (1.0 - q))
    low = np.where(inner, 1.0 / (1.0 + np.exp(-(centre - half))), p)
    high = np.where(inner, 1.0 / (1.0 + np.exp(-(centre + half))), p)
    if np.isnan(tq):
        low = np.where(inner, np.nan, low)
        high = np.where(inner, np.nan, high)
    return low, high


def t_pvalue(estimate: np.ndarray, se: np.ndarray, df: int) -> np.ndarray:
    """Two-sided p-value of estimate / se on a t with ``df`` degrees of freedom."""
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(se > 0, np.abs(estimate) / np.where(se > 0, se, 1.0), np.nan)
    if df < 1:
        return np.full(np.shape(t), np.nan)
    return np.asarray(2.0 * special.stdtr(df, -t))


def significance(
    est: np.ndarray,
    grad: np.ndarray,
    other_est: np.ndarray,
    other_grad: np.ndarray,
    usable: np.ndarray,
    tot: Totals,
    tq: float,
) -> np.ndarray:
    """+1 / -1 where ``est`` differs significantly from ``other_est`` (t on the design df)."""
    diff = est - other_est
    se = np.sqrt(variances(grad - other_grad, tot.cov))
    if np.isnan(tq):
        return np.zeros(est.shape, np.int8)
    hit = usable & (se > 0) & (np.abs(diff) > tq * se)
    return (np.sign(diff) * hit).astype(np.int8)


def design_effect(p: np.ndarray, var: np.ndarray, n_base: np.ndarray) -> np.ndarray:
    """Design variance over the with-replacement SRS variance p(1-p)/(n-1) of the same base.

    The reference of R's ``deff = "replace"`` and svy's ``deff="wr"`` (checked in the golden
    tests): no population size needed, unaffected by how the weights are scaled.
    """
    srs = p * (1.0 - p) / np.maximum(n_base - 1.0, 1.0)
    ok = (srs > 0) & (n_base > 1)
    return np.where(ok, var / np.where(ok, srs, 1.0), np.nan)
