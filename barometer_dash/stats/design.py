"""Survey design prepared once per dataset.

Everything that depends only on the design (weights, strata, PSUs) is computed here once,
so a table only pays for its own scan of the respondents.  PSUs are identified by the
(stratum, psu) pair and numbered so that the PSUs of a stratum are contiguous; variance is
Taylor linearisation with PSUs drawn with replacement (no fpc), as R's survey package.

Strata with a single PSU follow R's ``options(survey.lonely.psu = "adjust")`` (svy's
``Singleton(method="center")``): the lonely PSU is centred at the grand mean of all PSU
totals instead of its stratum mean, with no n/(n-1) factor.  For the ratios estimated here
(percentages, means) that grand mean is zero in linearised form, so the stratum adds its
squared score total, a conservative choice.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

LONELY_PSU = "adjust"


class SingletonStrataWarning(UserWarning):
    """A stratum of the design has a single PSU; its variance uses the "adjust" rule."""


@dataclass(frozen=True, eq=False)
class Design:
    """A survey design prepared once per dataset so a table costs only its own scan."""

    weight: np.ndarray
    psu: np.ndarray
    psu_stratum: np.ndarray
    n_psu: int
    n_strata: int
    stratum_start: np.ndarray
    """First PSU of each stratum (the offsets for ``np.add.reduceat`` over PSUs)."""
    stratum_size: np.ndarray
    """Number of PSUs in each stratum."""
    psu_scale: np.ndarray
    """n_h / (n_h - 1) for every PSU (1 in single-PSU strata)."""
    order: np.ndarray | None
    """Respondents sorted by PSU, or None when they already are."""
    max_psu_size: int
    lonely_psu: str = LONELY_PSU
    rooted_weight: np.ndarray | None = None
    """weight x sqrt(n_h/(n_h-1)) per respondent, when kept (a prepared Survey): what the
    variance sums, read in one gather instead of two."""
    compiled: bool = False
    """Tables of this design may take the compiled pass of :mod:`kernel` (a prepared
    Survey; the web service keeps to numpy, so its workers never load the compiler)."""

    @property
    def n(self) -> int:
        return int(self.weight.shape[0])

    @cached_property
    def root_scale(self) -> np.ndarray:
        """sqrt(n_h / (n_h - 1)) for every PSU: scales PSU totals so their Gram carries the factor."""
        root = np.sqrt(self.psu_scale)
        root.setflags(write=False)
        return root

    @cached_property
    def psu_start(self) -> np.ndarray:
        """First respondent of each PSU, then n: respondents must be in PSU order."""
        if self.order is not None:
            raise ValueError("respondents are not in PSU order")
        start = np.zeros(self.n_psu + 1, dtype=np.intp)
        np.cumsum(np.bincount(self.psu, minlength=self.n_psu), out=start[1:])
        start.setflags(write=False)
        return start

    @property
    def singleton_strata(self) -> np.ndarray:
        """Indices of strata holding a single PSU."""
        return np.flatnonzero(self.stratum_size == 1)

    def sorted_index(self, mask: np.ndarray) -> np.ndarray:
        """Respondents selected by ``mask``, in PSU order."""
        if self.order is None:
            return np.flatnonzero(mask)
        return self.order[mask[self.order]]


def _labels(values: object, n: int, name: str) -> np.ndarray:
    """Integer codes 0..k-1 of any label array, refusing missing labels."""
    arr = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"{name} must be a 1-d array of length {n}, got shape {arr.shape}")
    codes, _ = pd.factorize(arr, use_na_sentinel=True)
    if (codes < 0).any():
        raise ValueError(f"{name} has missing values; every respondent needs a {name} value")
    return codes.astype(np.intp, copy=False)


def _weights(weight: object, n: int) -> np.ndarray:
    if weight is None:
        return np.ones(n, dtype=np.float64)
    w = np.asarray(weight.to_numpy() if isinstance(weight, pd.Series) else weight)
    if w.ndim != 1 or w.shape[0] != n:
        raise ValueError(f"weight must be a 1-d array of length {n}, got shape {w.shape}")
    try:
        w = w.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError("weight must be numeric") from exc
    bad = ~np.isfinite(w) | (w <= 0)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"weight must be finite and positive: {int(bad.sum())} bad value(s), "
            f"first at position {first} ({w[first]!r})"
        )
    return w


def _number_psus(key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """PSU index of each respondent (in key order), the sorted unique keys, and the
    respondents sorted by PSU (None when they already are).  One sort at most."""
    n = key.shape[0]
    if bool(np.all(key[1:] >= key[:-1])):
        order, sorted_key = None, key
    else:
        order = np.argsort(key).astype(np.intp, copy=False)
        sorted_key = key[order]
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(sorted_key[1:], sorted_key[:-1], out=new[1:])
    ids = np.cumsum(new, dtype=np.intp) - 1
    if order is None:
        return ids, sorted_key[new], None
    psu_idx = np.empty(n, dtype=np.intp)
    psu_idx[order] = ids
    return psu_idx, sorted_key[new], order


def prepare_design(
    n: int,
    *,
    weight: np.ndarray | None = None,
    strata: np.ndarray | None = None,
    psu: np.ndarray | None = None,
) -> Design:
    """Index weights, strata and PSUs once for a dataset of ``n`` respondents.

    Weights only: each respondent is its own PSU in one stratum.  No weight: weight 1.
    PSUs are nested in strata (the same PSU label in two strata is two PSUs).
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    n = int(n)
    w = _weights(weight, n)
    stratum = np.zeros(n, np.intp) if strata is None else _labels(strata, n, "strata")
    unit = np.arange(n, dtype=np.intp) if psu is None else _labels(psu, n, "psu")
    n_unit = int(unit.max()) + 1
    psu_idx, uniq, order = _number_psus(stratum.astype(np.int64) * n_unit + unit)
    psu_stratum = (uniq // n_unit).astype(np.intp)
    n_psu = int(uniq.shape[0])
    n_strata = int(psu_stratum[-1]) + 1
    size = np.bincount(psu_stratum, minlength=n_strata).astype(np.intp)
    start = np.zeros(n_strata, np.intp)
    np.cumsum(size[:-1], out=start[1:])
    scale = np.where(size > 1, size / np.maximum(size - 1, 1), 1.0)[psu_stratum]
    counts = np.bincount(psu_idx, minlength=n_psu)
    lonely = int((size == 1).sum())
    if lonely:
        warnings.warn(
            f"{lonely} of {n_strata} strata have a single PSU; their variance is centred "
            f'at the grand mean (R\'s survey.lonely.psu = "{LONELY_PSU}")',
            SingletonStrataWarning,
            stacklevel=2,
        )
    arrays = (w, psu_idx, psu_stratum, start, size, scale)
    for arr in arrays:
        arr.setflags(write=False)
    if order is not None:
        order.setflags(write=False)
    return Design(
        weight=w,
        psu=psu_idx,
        psu_stratum=psu_stratum,
        n_psu=n_psu,
        n_strata=n_strata,
        stratum_start=start,
        stratum_size=size,
        psu_scale=scale,
        order=order,
        max_psu_size=int(counts.max()),
    )


def in_psu_order(design: Design) -> tuple[Design, np.ndarray | None]:
    """The design with its respondents sorted by PSU (and its rooted weights kept), and
    their rows in the original order.

    Arrays per respondent given to the sorted design must be taken through the returned rows
    (``values[rows]``); None when the respondents already are in PSU order.
    """
    rows = design.order
    weight, psu = (design.weight, design.psu) if rows is None else (design.weight[rows], design.psu[rows])
    rooted = weight * design.root_scale[psu]
    for arr in (weight, psu, rooted):
        arr.setflags(write=False)
    return replace(design, weight=weight, psu=psu, order=None, rooted_weight=rooted), rows
