"""``crosstab``: the researchers' entry point on a pandas DataFrame.

It turns columns into codes and a design, then calls :func:`tabulate`, the same engine the
dashboard uses, so the numbers are the page's numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd

from barometer_dash.stats.table import Table, TableTest

CELL_COLUMNS = ("row", "col", "n", "weighted", "percent", "se", "ci_low", "ci_high", "deff", "sig")


@dataclass(frozen=True, eq=False)
class CrosstabResult:
    table: Table
    row_codes: np.ndarray
    col_codes: np.ndarray

    @cached_property
    def cells(self) -> pd.DataFrame:
        """One line per (row, col) code pair, sorted, with the columns of ``CELL_COLUMNS``.

        Built on first use: a caller reading only ``table`` does not pay for the frame."""
        return cells_frame(self.table, self.row_codes, self.col_codes)

    @property
    def test(self) -> TableTest | None:
        return self.table.test


def column_of(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame.columns:
        raise ValueError(f"column {name!r} is not in the frame")
    return frame[name]


def encode(values: pd.Series, excluded: Iterable[object]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted observed codes and each respondent's position among them (-1 = not in base)."""
    keep = values.notna() & ~values.isin(list(excluded))
    codes = np.sort(pd.unique(values[keep].to_numpy()))
    index = np.full(values.shape[0], -1, dtype=np.intp)
    if codes.size:
        index[keep.to_numpy()] = np.searchsorted(codes, values[keep].to_numpy())
    return codes, index


def where_mask(where: np.ndarray | pd.Series | None, frame: pd.DataFrame) -> np.ndarray | None:
    """The domain mask; a Series is aligned on the frame's index and NA counts as outside."""
    if where is None:
        return None
    n = len(frame)
    if isinstance(where, pd.Series):
        if not where.index.equals(frame.index):
            where = where.reindex(frame.index)
        arr = where.astype("boolean").fillna(False).to_numpy(dtype=bool)
    else:
        arr = np.asarray(where)
        if arr.dtype.kind != "b":
            raise ValueError(f"where must be a boolean mask, got dtype {arr.dtype}")
    if arr.shape != (n,):
        raise ValueError(f"where must have one entry per row ({n}), got shape {arr.shape}")
    return arr


def cells_frame(table: Table, row_codes: np.ndarray, col_codes: np.ndarray) -> pd.DataFrame:
    """One line per (row, col) code pair of ``table``, with the columns of ``CELL_COLUMNS``."""
    nr, nc = table.n.shape
    return pd.DataFrame(
        {
            "row": np.repeat(row_codes, nc),
            "col": np.tile(col_codes, nr),
            "n": table.n.ravel(),
            "weighted": table.weighted.ravel(),
            "percent": table.percent.ravel(),
            "se": table.se.ravel(),
            "ci_low": table.ci_low.ravel(),
            "ci_high": table.ci_high.ravel(),
            "deff": table.deff.ravel(),
            "sig": table.sig.ravel(),
        },
        columns=list(CELL_COLUMNS),
    )


def crosstab(
    frame: pd.DataFrame,
    row: str,
    col: str,
    *,
    weight: str | None = None,
    strata: str | None = None,
    psu: str | None = None,
    where: np.ndarray | pd.Series | None = None,
    missing: Mapping[str, Iterable[int]] | None = None,
    percent: Literal["column", "row", "total"] = "column",
    level: float = 0.95,
) -> CrosstabResult:
    """Design-based cross-tab of two coded columns of ``frame``.

    ``where`` is a domain (the design is kept whole); codes listed in ``missing`` for the
    row or column variable, and NaN, are left out of the base the same way.  Every
    combination of the codes observed in the frame gets a line, empty or not.  For several
    tables of one frame, prepare the design once with :class:`~barometer_dash.stats.Survey`.
    """
    from barometer_dash.stats.survey import Survey

    survey = Survey(frame, weight=weight, strata=strata, psu=psu)
    return survey.crosstab(row, col, where=where, missing=missing, percent=percent, level=level)
