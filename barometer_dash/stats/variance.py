"""Design covariance of weighted totals (Taylor linearisation, PSUs with replacement).

Every estimate in this package is a ratio of weighted totals, so its linearised variance is
``g' V g`` with ``V`` the design covariance of the totals and ``g`` the ratio's gradient.
``V`` is computed once per table from PSU totals:

    V = sum_h n_h/(n_h-1) sum_j (t_hj - tbar_h)(t_hj - tbar_h)'
      = sum_j f_j t_j t_j' - sum_h S_h S_h' / (n_h - 1)

with ``S_h`` the stratum totals.  The sums run over all PSUs of the design: a PSU with no
respondent in the domain has a zero total, exactly as R's ``subset()`` of a design.  The
PSU-by-column totals come from ``np.bincount`` over combined codes (psu, column), with each
value already multiplied by sqrt(f_j), so the Gram of the matrix is the first sum: as one
dense matrix, in cache-sized blocks of PSUs (respondents in PSU order, each block summed into
the covariance while it is in cache), as a diagonal when every PSU is a single respondent, or
as a sparse matrix for wide tables.  The PSU totals of a ratio's linearised scores are ``g``
times these, so no score is built per respondent.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.linalg import blas

from barometer_dash.stats.design import Design

_BLOCK = 1 << 17
"""Cells of one dense PSU block (1 MB of float64): small enough to stay in cache (measured
best of 2^15..2^18 at 1M respondents, benchmarks/RESULTS.md)."""
_FULL = 1 << 23
"""Largest PSU-by-column matrix (64 MB) built in one piece, with respondents in any order."""
_DENSE_MAX_COLUMNS = 64
"""Beyond this many totals the dense product (n_psu * m^2) loses to the sparse one."""


@dataclass(frozen=True)
class Part:
    """Contributions ``value`` to total ``code`` from respondents in PSUs ``psu``."""

    psu: np.ndarray
    code: np.ndarray
    value: np.ndarray
    rooted: bool = False
    """The values are already multiplied by sqrt(n_h/(n_h-1)) of their PSU (only
    :func:`block_totals` takes such parts)."""


@dataclass(frozen=True)
class Totals:
    total: np.ndarray
    cov: np.ndarray
    df: int
    group_df: tuple[int, ...] = ()
    """The df of each group of totals asked for (PSUs present in that group, minus strata)."""

    def select(self, index: np.ndarray, df: int) -> Totals:
        """The totals ``index`` alone, with their covariance."""
        return Totals(total=self.total[index], cov=self.cov[np.ix_(index, index)], df=df)

    def combine(self, matrix: np.ndarray, df: int) -> Totals:
        """The totals ``matrix @ total`` (sums of totals) and their covariance."""
        cov = matrix @ self.cov @ matrix.T
        return Totals(total=matrix @ self.total, cov=(cov + cov.T) / 2.0, df=df)


def _df(design: Design, present: np.ndarray) -> int:
    n_present = int(np.count_nonzero(present))
    if n_present == 0:
        return 0
    strata = np.add.reduceat(present.astype(np.intp), design.stratum_start) > 0
    return n_present - int(np.count_nonzero(strata))


def domain_df(design: Design, psu_domain: np.ndarray) -> int:
    """PSUs minus strata, counting only PSUs with a respondent in the domain (R's degf)."""
    present = np.zeros(design.n_psu, dtype=bool)
    present[psu_domain] = True
    return _df(design, present)


def _group_df(design: Design, parts: list[Part], m: int, group: np.ndarray) -> int:
    """The df of the respondents contributing to the totals ``group``."""
    inside = np.zeros(m, dtype=bool)
    inside[group] = True
    present = np.zeros(design.n_psu, dtype=bool)
    for part in parts:
        present[part.psu[inside[part.code]]] = True
    return _df(design, present)


def _path(design: Design, m: int, n_parts: int) -> str:
    """How :func:`totals` builds the PSU totals for ``m`` totals from ``n_parts`` parts.

    Wide tables take the sparse product (a dense one costs m^2 per PSU).  Otherwise one
    dense matrix when it fits (measured faster than blocks, in any row order), else
    cache-sized blocks of PSUs, respondents sorted by PSU first unless they already are.
    """
    if n_parts == 1 and design.max_psu_size == 1:
        return "diagonal"
    if m > _DENSE_MAX_COLUMNS:
        return "sparse"
    if design.n_psu * m > _FULL:
        return "blocked"
    return "full"


def needs_psu_order(design: Design, m: int, n_parts: int) -> bool:
    """Whether :func:`totals` wants the parts sorted by PSU."""
    return _path(design, m, n_parts) == "blocked"


def is_dense(design: Design, m: int, n_parts: int) -> bool:
    """Whether :func:`totals` builds dense PSU-by-total matrices (what :func:`block_totals` does)."""
    return _path(design, m, n_parts) in ("full", "blocked")


def _stratum_totals(design: Design, parts: list[Part], m: int) -> np.ndarray:
    out = np.zeros(design.n_strata * m)
    for part in parts:
        key = design.psu_stratum[part.psu] * m + part.code
        out += np.bincount(key, weights=part.value, minlength=design.n_strata * m)
    return out.reshape(design.n_strata, m)


def _square_diagonal(design: Design, part: Part, m: int) -> np.ndarray:
    """sum_j f_j t_j t_j' when every PSU holds one respondent: a diagonal matrix."""
    sq = design.psu_scale[part.psu] * part.value * part.value
    return np.diag(np.bincount(part.code, weights=sq, minlength=m).astype(np.float64))


_local = threading.local()


def _scratch(size: int) -> np.ndarray:
    """A zeroed matrix of ``size`` cells, valid until the next call in this thread.

    A cache-sized block matrix is kept per thread and reused by every block and table: a
    fresh one each time costs page faults (about 1 ms a table at 100,000 respondents), as
    the allocator hands blocks of this size back to the system between tables.
    """
    buffer: np.ndarray | None = getattr(_local, "buffer", None)
    if buffer is None or buffer.size < _BLOCK:
        buffer = _local.buffer = np.zeros(_BLOCK)
    out = buffer[:size]
    out.fill(0.0)
    return out


class _Blocks:
    """Stratum totals, sum_j f_j t_j t_j' and the PSUs present, summed over ranges of PSUs.

    Each range's PSU-by-total matrix is built in one bincount with every value scaled by
    sqrt(f_j) on its way in, which saves a pass over the matrix (larger than the respondents
    it holds) before its Gram; stratum totals are scaled back.
    """

    def __init__(self, design: Design, m: int, groups: Sequence[np.ndarray] = ()):
        self.design, self.m = design, m
        self.strata = np.zeros((design.n_strata, m))
        # Upper triangle of sum_j f_j t_j t_j', summed in place by BLAS syrk (half of gemm).
        self.upper = np.zeros((m, m), order="F")
        self.present = np.zeros(design.n_psu, dtype=bool)
        self.groups = [np.isin(np.arange(m), g) for g in groups]
        self.group_present = [np.zeros(design.n_psu, dtype=bool) for _ in groups]

    def add(self, lo: int, hi: int, parts: Sequence[Part]) -> None:
        """The parts' respondents, all in PSUs lo..hi-1, in any order."""
        design, m, span = self.design, self.m, hi - lo
        root = design.root_scale
        size = m * span
        # A whole-design matrix is filled by bincount (a fresh array; faster for PSUs in any
        # order), a cache-sized block by np.add.at into the kept one.
        flat = np.zeros(0) if size > _BLOCK else _scratch(size)
        for i, part in enumerate(parts):
            key = np.multiply(part.code, span, dtype=np.intp)
            key += part.psu
            if lo:
                key -= lo
            value = part.value if part.rooted else part.value * root[part.psu]
            if size <= _BLOCK:
                np.add.at(flat, key, value)
            elif i == 0:
                flat = np.bincount(key, weights=value, minlength=size)
            else:
                flat += np.bincount(key, weights=value, minlength=size)
            self.present[part.psu] = True
            for inside, present in zip(self.groups, self.group_present, strict=True):
                present[part.psu[inside[part.code]]] = True
        mat = flat.reshape(m, span)
        # Strata a..b-1 meet PSUs lo..hi-1; PSUs of a stratum are contiguous.
        starts = design.stratum_start
        a = int(np.searchsorted(starts, lo, side="right")) - 1
        b = int(np.searchsorted(starts, hi, side="left"))
        first = np.maximum(starts[a:b], lo) - lo
        self.strata[a:b] += np.add.reduceat(mat, first, axis=1).T / root[lo + first][:, None]
        blas.dsyrk(1.0, mat.T, beta=1.0, c=self.upper, trans=1, overwrite_c=1)

    def result(self) -> tuple[np.ndarray, np.ndarray, int]:
        square = np.triu(self.upper) + np.triu(self.upper, 1).T
        return self.strata, square, _df(self.design, self.present)

    def group_df(self) -> tuple[int, ...]:
        return tuple(_df(self.design, present) for present in self.group_present)


def _blocked(design: Design, parts: list[Part], m: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Stratum totals, sum_j f_j t_j t_j' and the df, from cache-sized blocks of PSUs."""
    lo_psu = min((int(p.psu[0]) for p in parts if p.psu.size), default=0)
    hi_psu = max((int(p.psu[-1]) + 1 for p in parts if p.psu.size), default=0)
    edges = np.append(np.arange(lo_psu, hi_psu, block_width(m)), hi_psu)
    bounds = [np.searchsorted(p.psu, edges) for p in parts]
    blocks = _Blocks(design, m)
    for b in range(edges.shape[0] - 1):
        inside = [Part(p.psu[bd[b]:bd[b + 1]], p.code[bd[b]:bd[b + 1]], p.value[bd[b]:bd[b + 1]])
                  for p, bd in zip(parts, bounds, strict=True)]
        blocks.add(int(edges[b]), int(edges[b + 1]), inside)
    return blocks.result()


def block_width(m: int) -> int:
    """PSUs per cache-sized block of ``m`` totals."""
    return max(1, _BLOCK // m)


def _square_sparse(design: Design, parts: list[Part], m: int) -> np.ndarray:
    psu = np.concatenate([p.psu for p in parts])
    code = np.concatenate([p.code for p in parts])
    value = np.concatenate([p.value for p in parts]) * design.root_scale[psu]
    mat = sp.csr_matrix((value, (psu, code)), shape=(design.n_psu, m))
    return np.asarray((mat.T @ mat).toarray())


def totals(
    design: Design, parts: list[Part], m: int, psu_domain: np.ndarray, groups: Sequence[np.ndarray] = ()
) -> Totals:
    """Weighted totals of ``m`` variables and their design covariance.

    ``psu_domain`` is the PSU index of every respondent in the domain (for the df); every
    one of them must have a non-zero value in some part.  The parts must be sorted by PSU
    when :func:`needs_psu_order` says so.  ``groups`` (arrays of total indices) each get
    their own df in ``group_df``: the df of a table made of those totals alone.
    """
    path = _path(design, m, len(parts))
    if path == "full":
        blocks = _Blocks(design, m)
        blocks.add(0, design.n_psu, parts)
        strata, square, df = blocks.result()
    elif path == "blocked":
        strata, square, df = _blocked(design, parts, m)
    else:
        strata = _stratum_totals(design, parts, m)
        df = domain_df(design, psu_domain)
        square = _square_diagonal(design, parts[0], m) if path == "diagonal" else _square_sparse(design, parts, m)
    group_df = tuple(_group_df(design, parts, m, g) for g in groups)
    return covariance(design, strata, square, df, group_df)


def block_totals(
    design: Design, blocks: Iterable[tuple[int, int, Sequence[Part]]], m: int, groups: Sequence[np.ndarray] = ()
) -> Totals:
    """:func:`totals` from parts handed over one range of PSUs at a time.

    Each item is (lo, hi, parts) with every respondent of the parts in PSUs lo..hi-1, the
    ranges disjoint; the df counts the PSUs of all parts, and ``groups`` are as for
    :func:`totals`.
    """
    acc = _Blocks(design, m, groups)
    for lo, hi, parts in blocks:
        acc.add(lo, hi, parts)
    return covariance(design, *acc.result(), acc.group_df())


def covariance(
    design: Design, strata: np.ndarray, square: np.ndarray, df: int, group_df: tuple[int, ...] = ()
) -> Totals:
    """Totals and their covariance from the stratum totals and sum_j f_j t_j t_j'."""
    size = design.stratum_size
    inv = np.where(size > 1, 1.0 / np.maximum(size - 1, 1), 0.0)
    cov = square - (strata * inv[:, None]).T @ strata
    lonely = size == 1
    total = strata.sum(axis=0)
    if lonely.any():
        grand = total / design.n_psu
        single = strata[lonely].sum(axis=0)
        cov -= np.outer(single, grand) + np.outer(grand, single)
        cov += int(lonely.sum()) * np.outer(grand, grand)
    cov = (cov + cov.T) / 2.0
    return Totals(total=total, cov=cov, df=df, group_df=group_df)
