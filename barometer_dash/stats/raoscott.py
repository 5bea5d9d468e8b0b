"""Rao-Scott second-order corrected Pearson test of independence (F form).

Follows R's ``svychisq(statistic = "F")`` and svy's ``TableStats.f``: the Pearson statistic
on the estimated cell proportions, divided by the trace of the generalised design-effect
matrix Delta, referred to F(d, d * df) with d = tr(Delta)^2 / tr(Delta^2) and df the design
degrees of freedom of the domain.  Rows and columns that are empty in the domain are left
out, as both reference implementations only see the levels that occur.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import special


@dataclass(frozen=True)
class TableTest:
    statistic: float
    """Rao-Scott second-order F."""
    df1: float
    df2: float
    p: float
    chisq: float
    """The uncorrected Pearson chi-square, for reference."""


@lru_cache(maxsize=256)
def _contrasts(nr: int, nc: int) -> np.ndarray:
    """Interaction contrasts orthogonal to the main effects (R's qr.resid(qr(X1), X2)).

    Depends only on the shape, so each shape is solved once per process.
    """
    r = np.repeat(np.arange(nr), nc)
    c = np.tile(np.arange(nc), nr)
    main = np.column_stack(
        [np.ones(nr * nc)]
        + [(r == i).astype(float) for i in range(1, nr)]
        + [(c == j).astype(float) for j in range(1, nc)]
    )
    inter = np.column_stack([((r == i) & (c == j)).astype(float) for i in range(1, nr) for j in range(1, nc)])
    coef, *_ = np.linalg.lstsq(main, inter, rcond=None)
    out = np.asarray(inter - main @ coef)
    out.flags.writeable = False
    return out


def _pinv_symmetric(mat: np.ndarray) -> np.ndarray:
    """Pseudo-inverse of a symmetric matrix from its eigendecomposition.

    The same cut-off as ``np.linalg.pinv`` (singular values of a symmetric matrix are its
    absolute eigenvalues), without a general SVD.
    """
    values, vectors = np.linalg.eigh(mat)
    size = np.abs(values)
    cut = mat.shape[0] * np.finfo(float).eps * (size.max() if size.size else 0.0)
    inv = np.where(size > cut, 1.0 / np.where(size > cut, values, 1.0), 0.0)
    out: np.ndarray = (vectors * inv) @ vectors.T
    return out


def rao_scott(weighted: np.ndarray, cov_totals: np.ndarray, n_obs: int, df: int) -> TableTest | None:
    """The test for an (R, C) table of weighted totals with covariance ``cov_totals``.

    ``n_obs`` is the unweighted size of the domain (R's N), which scales only ``chisq``.
    None when fewer than two rows or columns are non-empty or the design has no df.
    """
    rows = weighted.sum(axis=1) > 0
    cols = weighted.sum(axis=0) > 0
    nr, nc = int(rows.sum()), int(cols.sum())
    if nr < 2 or nc < 2 or df < 1:
        return None
    keep = np.flatnonzero((rows[:, None] & cols[None, :]).ravel())
    sub = weighted[np.ix_(rows, cols)]
    total = sub.sum()
    p = sub.ravel() / total
    # Covariance of the proportions: J V J' with J = (I - p 1') / total, in closed form.
    v = cov_totals[np.ix_(keep, keep)]
    v_sum = v.sum(axis=1)
    cov = (v - np.outer(p, v_sum) - np.outer(v_sum, p) + v_sum.sum() * np.outer(p, p)) / total**2
    contrast = _contrasts(nr, nc)
    inv_p = np.where(p > 0, 1.0 / np.where(p > 0, p, 1.0), 0.0)
    scaled = contrast * inv_p[:, None]
    denom = contrast.T @ (scaled / n_obs)
    numer = scaled.T @ cov @ scaled
    delta = _pinv_symmetric((denom + denom.T) / 2.0) @ numer
    trace = float(np.trace(delta))
    trace2 = float(np.trace(delta @ delta))
    expected = np.outer(sub.sum(axis=1), sub.sum(axis=0)).ravel() / total**2
    pos = expected > 0
    chisq = float(n_obs * np.sum((p[pos] - expected[pos]) ** 2 / expected[pos]))
    if not trace > 1e-12 or not trace2 > 0:
        return None
    statistic = chisq / trace
    df1 = trace * trace / trace2
    df2 = df * df1
    return TableTest(
        statistic=statistic,
        df1=df1,
        df2=df2,
        p=float(special.fdtrc(df1, df2, statistic)),  # scipy.stats.f.sf without its checks
        chisq=chisq,
    )
