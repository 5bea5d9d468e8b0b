"""A second breakdown: the question by an inner breakdown within each outer category.

Each outer category (a country, a wave) is a domain of the full design, so a nested column
holds exactly the numbers of the same table filtered to that category: the same
percentages, SEs, intervals, df, cell markers (each column against the rest of its own
outer group) and a Rao-Scott test of the question by the inner breakdown inside the group.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from barometer_dash.stats.design import Design
from barometer_dash.stats.scan import as_codes, domain_mask
from barometer_dash.stats.table import Percent, Table, tabulate, tabulate_multi


@dataclass(frozen=True, eq=False)
class NestedGroup:
    """One outer category: its own Total column and its table by the inner breakdown."""

    outer: int
    """Position of the outer category (0..n_outer-1)."""
    total: Table
    """The question within the outer category, one column (everyone in the group)."""
    split: Table
    """The question by the inner breakdown within the outer category, with its own test."""


def tabulate_nested(
    design: Design,
    row: np.ndarray,
    n_rows: int,
    outer: np.ndarray,
    n_outer: int,
    inner: np.ndarray,
    n_inner: int,
    *,
    domain: np.ndarray | None = None,
    percent: Percent = "column",
    level: float = 0.95,
) -> tuple[NestedGroup, ...]:
    """Row by (outer x inner) codes (-1 = not in the base), one group per outer category.

    A respondent without an inner category still counts in its group's Total column, as a
    respondent without a breakdown category counts in the Total of an ordinary table.
    """
    outer = as_codes(outer, n_outer, design.n, "outer")
    base = domain_mask(domain, design.n)
    zeros = np.zeros(design.n, dtype=np.intp)
    groups = []
    for o in range(n_outer):
        sub = base & (outer == o)
        total = tabulate(design, row, n_rows, zeros, 1, domain=sub, percent=percent, level=level)
        split = tabulate(design, row, n_rows, inner, n_inner, domain=sub, percent=percent, level=level)
        groups.append(NestedGroup(outer=o, total=total, split=split))
    return tuple(groups)


def tabulate_nested_multi(
    design: Design,
    items: list[np.ndarray],
    outer: np.ndarray,
    n_outer: int,
    inner: np.ndarray,
    n_inner: int,
    *,
    domain: np.ndarray | None = None,
    level: float = 0.95,
) -> tuple[NestedGroup, ...]:
    """A multiple-response set by (outer x inner): `tabulate_multi` within each outer category."""
    outer = as_codes(outer, n_outer, design.n, "outer")
    base = domain_mask(domain, design.n)
    zeros = np.zeros(design.n, dtype=np.intp)
    groups = []
    for o in range(n_outer):
        sub = base & (outer == o)
        total = tabulate_multi(design, items, zeros, 1, domain=sub, level=level)
        split = tabulate_multi(design, items, inner, n_inner, domain=sub, level=level)
        groups.append(NestedGroup(outer=o, total=total, split=split))
    return tuple(groups)
