"""Nets: answers reported together, each estimated as a recoded 0/1 variable.

A net's percent is the estimate of "answered one of these" among the table's base, with its
own linearised SE, logit CI, cell tests and differences, exactly as for a single answer. It is
never the sum of its answers' rounded percentages, and its SE is not a sum of their SEs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from barometer_dash.stats.design import Design
from barometer_dash.stats.estimates import Difference, difference
from barometer_dash.stats.table import Percent, Table, tabulate


def net_index(row: np.ndarray, members: Sequence[int]) -> np.ndarray:
    """Recode row positions: 0 in the net, 1 any other answer in the base, -1 outside the base."""
    row = np.asarray(row)
    if not members:
        raise ValueError("a net needs at least one answer")
    inside = np.isin(row, np.asarray(members, dtype=row.dtype))
    return np.where(inside, 0, np.where(row >= 0, 1, -1)).astype(np.intp)


def tabulate_nets(
    design: Design,
    row: np.ndarray,
    nets: Sequence[Sequence[int]],
    col: np.ndarray,
    n_cols: int,
    *,
    domain: np.ndarray | None = None,
    percent: Percent = "column",
    level: float = 0.95,
) -> Table:
    """One row per net (its answers' positions in ``row``), shaped like a :func:`tabulate` table.

    Each row is row 0 of the 2 x C table of the recoded variable, so SE, CI, design effect and
    the cell test against the rest of the row are those of that 0/1 variable.  The table test
    is left out: nets overlap their answers, so a chi-square over them means nothing.
    """
    if not nets:
        raise ValueError("nets must hold at least one net")
    parts = [
        tabulate(design, net_index(row, members), 2, col, n_cols, domain=domain, percent=percent, level=level)
        for members in nets
    ]
    first = parts[0]

    def stack(name: str) -> np.ndarray:
        return np.vstack([getattr(t, name)[0] for t in parts])

    n = stack("n")
    weighted = stack("weighted")
    return Table(
        n=n,
        weighted=weighted,
        percent=stack("percent"),
        se=stack("se"),
        ci_low=stack("ci_low"),
        ci_high=stack("ci_high"),
        deff=stack("deff"),
        sig=stack("sig"),
        col_n=first.col_n,
        col_weighted=first.col_weighted,
        row_n=n.sum(axis=1),
        row_weighted=weighted.sum(axis=1),
        total_n=first.total_n,
        total_weighted=first.total_weighted,
        df=first.df,
        percent_base=percent,
        test=None,
    )


def net_difference(
    design: Design,
    row: np.ndarray,
    members: Sequence[int],
    col: np.ndarray,
    n_cols: int,
    *,
    domain: np.ndarray | None = None,
    col_a: int,
    col_b: int,
    level: float = 0.95,
) -> Difference:
    """Change of a net's column percent from column ``col_a`` to ``col_b`` (two waves, two groups)."""
    return difference(
        design, net_index(row, members), 2, col, n_cols, domain=domain, cell_row=0, col_a=col_a, col_b=col_b,
        level=level,
    )
