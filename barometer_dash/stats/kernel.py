"""One compiled pass over respondents in PSU order: cell counts, stratum totals, PSUs present
and the Gram of the scaled PSU totals (what :mod:`variance` builds from numpy passes).

numpy needs about ten passes over each range of PSUs and a dense PSU-by-cell matrix whose
Gram costs m^2 per PSU even when a PSU touches a few cells.  Here each PSU's totals are
summed in an m-vector and only the cells it touched enter the Gram: k^2/2 products for k
cells, which wins unless PSUs are large and the table wide (see :func:`suits`).  Compiled on
first use (about 1.4 s, then loaded from a disk cache in about 0.25 s a process); only a
prepared ``Survey`` takes this path, so the web workers never load the compiler.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numba
import numpy as np

from barometer_dash.stats import variance
from barometer_dash.stats.design import Design

_CHUNK = 4096
"""Respondents of a PSU kept at a time (a PSU may hold the whole sample)."""


def _jit(fn: Callable[..., Any]) -> Any:
    try:
        return numba.njit(cache=True, nogil=True)(fn)
    except RuntimeError:  # no writable cache directory: compile in each process instead
        return numba.njit(nogil=True)(fn)


@_jit
def _scan(psu_start, stratum_start, mask, cells, rooted, m, in_group):
    n_strata = stratum_start.shape[0] - 1
    n_groups = in_group.shape[0]
    counts = np.zeros(m, np.int64)
    strata = np.zeros((n_strata, m))
    gram = np.zeros((m, m))
    present = np.zeros(n_strata, np.int64)
    group_present = np.zeros((n_groups, n_strata), np.int64)
    t = np.zeros(m)
    seen = np.full(m, -1, np.int64)
    touched = np.empty(m, np.int64)
    hit = np.zeros(n_groups, np.bool_)
    kept_cell = np.empty(_CHUNK, np.int64)
    kept_value = np.empty(_CHUNK)
    for h in range(n_strata):
        for j in range(stratum_start[h], stratum_start[h + 1]):
            # The PSU's totals and the cells it touched (a first touch restarts a cell's sum),
            # from its domain respondents, kept a chunk at a time without a branch (the mask
            # is unpredictable).
            k = 0
            for lo in range(psu_start[j], psu_start[j + 1], _CHUNK):
                n_kept = 0
                for i in range(lo, min(lo + _CHUNK, psu_start[j + 1])):
                    kept_cell[n_kept] = cells[i]
                    kept_value[n_kept] = rooted[i]
                    n_kept += mask[i]
                for q in range(n_kept):
                    c = kept_cell[q]
                    if c < 0 or c >= m:  # never taken for codes from as_codes; guards memory
                        raise IndexError("a cell code lies outside 0..m-1")
                    counts[c] += 1
                    first = seen[c] != j
                    seen[c] = j
                    touched[k] = c
                    k += first
                    t[c] = (0.0 if first else t[c]) + kept_value[q]
            if k == 0:
                continue
            present[h] += 1
            hit[:] = False
            for x in range(k):
                a = touched[x]
                ta = t[a]
                strata[h, a] += ta
                gram[a, a] += ta * ta
                for y in range(x + 1, k):
                    gram[a, touched[y]] += ta * t[touched[y]]
                for g in range(n_groups):
                    hit[g] |= in_group[g, a]
            for g in range(n_groups):
                group_present[g, h] += hit[g]
    return counts, strata, gram, present, group_present


def suits(design: Design, m: int, n_domain: int) -> bool:
    """Whether the compiled pass is the faster one for ``m`` cells and ``n_domain`` respondents.

    It sums about k^2/2 products a PSU for the k cells the PSU touches; numpy's dense Gram
    costs m^2/2 a PSU at about ten times the speed (BLAS) but about 4 ns more a respondent
    (``k`` assumes answers spread evenly over the cells: at most as many as in the table).
    Past ``_DENSE_MAX_COLUMNS`` numpy takes a sparse product, which this always beats.
    Measured at 1M respondents (benchmarks/RESULTS.md).
    """
    if m > variance._DENSE_MAX_COLUMNS:
        return True
    per_psu = n_domain / design.n_psu
    k = m * -np.expm1(-per_psu / m)
    return bool(k * k / 2 <= 4.0 * design.n / design.n_psu + m * m / 20)


def _df(present: np.ndarray) -> int:
    """PSUs present minus strata present."""
    return int(present.sum()) - int(np.count_nonzero(present))


def scan(
    design: Design, mask: np.ndarray, cells: np.ndarray, m: int, groups: Sequence[np.ndarray] = ()
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, tuple[int, ...]]:
    """Counts, stratum totals, sum_j f_j t_j t_j', df and each group's df of the cells
    0..m-1 of the respondents in ``mask`` (respondents in PSU order, rooted weights kept)."""
    rooted = design.rooted_weight
    if rooted is None:
        raise ValueError("the compiled pass needs a design in PSU order with its rooted weights")
    in_group = np.zeros((len(groups), m), dtype=bool)
    for g, members in enumerate(groups):
        in_group[g, members] = True
    stratum_start = np.append(design.stratum_start, design.n_psu)
    counts, scaled, gram, present, group_present = _scan(
        design.psu_start, stratum_start, mask, cells, rooted, m, in_group)
    # Every PSU of a stratum has the same sqrt(n_h/(n_h-1)): undo it once per stratum.
    strata = scaled / design.root_scale[design.stratum_start][:, None]
    # Each pair of cells was summed on whichever side of the diagonal it first met.
    square = gram + gram.T - np.diag(np.diag(gram))
    return counts, strata, square, _df(present), tuple(_df(p) for p in group_present)
