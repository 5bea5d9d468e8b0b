"""``Survey``: a pandas DataFrame with its sample design prepared once.

    from barometer_dash.stats import Survey
    s = Survey(frame, weight="w", strata="stratum", psu="psu")
    s.crosstab("trust_police", "country", where=frame["year"] == 2024, missing={"trust_police": [8, 9]})
    s.crosstab("trust_police", "country", by2="gender")      # gender within each country
    s.mean("trust_general", "country")

Preparing the design (sorting respondents by PSU) is the costly step of a one-off
:func:`~barometer_dash.stats.crosstab`; here it is done once, and each column's integer
codes are kept after first use, so a table costs about what the dashboard pays for it.
Like the dashboard's serving copy, the prepared design and the kept codes hold respondents
in PSU order, so the variance reads its PSU totals front to back; masks and values from the
frame are taken into that order on the way in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal, overload

import numpy as np
import pandas as pd

from barometer_dash.stats.codes import position_dtype
from barometer_dash.stats.design import Design, in_psu_order, prepare_design
from barometer_dash.stats.estimates import Difference, mean_by
from barometer_dash.stats.frame import CrosstabResult, column_of, encode, where_mask
from barometer_dash.stats.means import mean_difference, mean_tests
from barometer_dash.stats.nested import tabulate_nested
from barometer_dash.stats.table import tabulate

Percent = Literal["column", "row", "total"]
Where = np.ndarray | pd.Series | None
TOTAL = "total"


@dataclass(frozen=True, eq=False)
class NestedGroupResult:
    """One outer category of a nested table: its Total column and its inner breakdown."""

    outer: object
    total: CrosstabResult
    split: CrosstabResult


@dataclass(frozen=True, eq=False)
class NestedResult:
    """The question by (outer x inner): one group per outer category, in code order."""

    groups: tuple[NestedGroupResult, ...]
    cells: pd.DataFrame
    """One line per (outer, row, col); ``col`` is the inner code, or "total" for the
    group's Total column."""


@dataclass(frozen=True, eq=False)
class MeanResult:
    """Weighted means per column; with two or more columns, each against the rest."""

    means: pd.DataFrame
    """Columns col, mean, se, ci_low, ci_high, n and, with a breakdown, rest, difference,
    diff_se, p, sig (the column's mean against the other columns together)."""
    df: int


class Survey:
    """A DataFrame of respondents with its design (weights, strata, PSUs) prepared once.

    ``strata`` may name several columns, whose combinations are the strata.  PSUs are
    nested in strata.  Tables are domain estimates: ``where`` keeps the design whole.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        *,
        weight: str | None = None,
        strata: str | Sequence[str] | None = None,
        psu: str | None = None,
    ):
        if not isinstance(frame, pd.DataFrame):
            raise ValueError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
        if len(frame) == 0:
            raise ValueError("the frame has no rows")
        self.frame = frame
        design = prepare_design(
            len(frame),
            weight=None if weight is None else column_of(frame, weight).to_numpy(dtype=np.float64, na_value=np.nan),
            strata=None if strata is None else _strata(frame, strata),
            psu=None if psu is None else column_of(frame, psu).to_numpy(),
        )
        # The design holds respondents in PSU order; _rows are their rows in the frame.
        ordered, self._rows = in_psu_order(design)
        self.design: Design = replace(ordered, compiled=True)
        self._codes: dict[tuple[str, tuple[object, ...]], tuple[np.ndarray, np.ndarray]] = {}
        self._ordered: dict[tuple[str, tuple[object, ...]], np.ndarray] = {}

    def codes(self, name: str, excluded: Iterable[object] = ()) -> tuple[np.ndarray, np.ndarray]:
        """Sorted codes of a column and each respondent's position among them (-1 = none).

        Positions are the smallest signed integers that hold them.  Kept after the first
        call: a column is encoded once per set of excluded codes.
        """
        key = _key(name, excluded)
        if key not in self._codes:
            codes, index = encode(column_of(self.frame, name), key[1])
            index = index.astype(position_dtype(codes.size))
            index.setflags(write=False)
            self._codes[key] = (codes, index)
        return self._codes[key]

    def _coded(self, name: str, missing: Mapping[str, Iterable[object]]) -> tuple[np.ndarray, np.ndarray]:
        """Codes of a column and positions of the respondents in the design's (PSU) order."""
        codes, index = self.codes(name, missing.get(name, ()))
        if codes.size == 0:
            raise ValueError(f"{name!r} has no codes left in the base")
        key = _key(name, missing.get(name, ()))
        if key not in self._ordered:
            ordered = self._in_order(index)
            ordered.setflags(write=False)
            self._ordered[key] = ordered
        return codes, self._ordered[key]

    def _in_order(self, values: np.ndarray) -> np.ndarray:
        """A per-respondent array of the frame, taken into the design's order."""
        return values if self._rows is None else values[self._rows]

    def _domain(self, where: Where) -> np.ndarray | None:
        mask = where_mask(where, self.frame)
        return None if mask is None else self._in_order(mask)

    @overload
    def crosstab(
        self, row: str, col: str | None = None, *, by2: None = None, where: Where = None,
        missing: Mapping[str, Iterable[object]] | None = None, percent: Percent = "column", level: float = 0.95,
    ) -> CrosstabResult: ...

    @overload
    def crosstab(
        self, row: str, col: str | None = None, *, by2: str, where: Where = None,
        missing: Mapping[str, Iterable[object]] | None = None, percent: Percent = "column", level: float = 0.95,
    ) -> NestedResult: ...

    def crosstab(
        self,
        row: str,
        col: str | None = None,
        *,
        by2: str | None = None,
        where: Where = None,
        missing: Mapping[str, Iterable[object]] | None = None,
        percent: Percent = "column",
        level: float = 0.95,
    ) -> CrosstabResult | NestedResult:
        """Design-based table of ``row`` by ``col`` (one Total column when ``col`` is None).

        With ``by2``, columns are nested: ``by2`` within each category of ``col``, each
        group with its own Total column, cell markers and Rao-Scott test (a
        :class:`NestedResult`).  Codes in ``missing`` and NaN are left out of the bases.
        """
        missing = missing or {}
        for name, other in ((col, row), (by2, row), (by2, col)):
            if name is not None and name == other:
                raise ValueError(f"{name!r} is used twice; the question and breakdowns must differ")
        row_codes, row_index = self._coded(row, missing)
        domain = self._domain(where)
        if by2 is not None:
            if col is None:
                raise ValueError("by2 nests a second breakdown inside col: give col too")
            return self._nested(row_codes, row_index, col, by2, domain, missing, percent, level)
        if col is None:
            col_codes, col_index = np.array([TOTAL], dtype=object), np.zeros(len(self.frame), dtype=np.intp)
        else:
            col_codes, col_index = self._coded(col, missing)
        table = tabulate(self.design, row_index, len(row_codes), col_index, len(col_codes),
                         domain=domain, percent=percent, level=level)
        return CrosstabResult(table=table, row_codes=row_codes, col_codes=col_codes)

    def _nested(
        self, row_codes: np.ndarray, row_index: np.ndarray, col: str, by2: str, domain: np.ndarray | None,
        missing: Mapping[str, Iterable[object]], percent: Percent, level: float,
    ) -> NestedResult:
        outer_codes, outer_index = self._coded(col, missing)
        inner_codes, inner_index = self._coded(by2, missing)
        groups = tabulate_nested(self.design, row_index, len(row_codes), outer_index, len(outer_codes),
                                 inner_index, len(inner_codes), domain=domain, percent=percent, level=level)
        results, frames = [], []
        total_code = np.array([TOTAL], dtype=object)
        for g in groups:
            outer = outer_codes[g.outer]
            total = CrosstabResult(g.total, row_codes, total_code)
            split = CrosstabResult(g.split, row_codes, inner_codes)
            results.append(NestedGroupResult(outer=outer, total=total, split=split))
            for part in (total, split):
                frames.append(part.cells.assign(col=part.cells["col"].astype(object)).assign(outer=outer))
        cells = pd.concat(frames, ignore_index=True)
        cells = cells[["outer", *[c for c in cells.columns if c != "outer"]]]
        return NestedResult(groups=tuple(results), cells=cells)

    def _values(self, var: str, missing: Iterable[object]) -> np.ndarray:
        x = column_of(self.frame, var)
        if not pd.api.types.is_numeric_dtype(x):
            raise ValueError(f"{var!r} is not numeric; a mean needs numbers")
        values = x.to_numpy(dtype=np.float64, na_value=np.nan)
        excluded = np.asarray(list(missing), dtype=np.float64)
        if excluded.size:
            values = np.where(np.isin(values, excluded), np.nan, values)
        return self._in_order(values)

    def mean(
        self,
        var: str,
        col: str | None = None,
        *,
        where: Where = None,
        missing: Mapping[str, Iterable[object]] | None = None,
        level: float = 0.95,
    ) -> MeanResult:
        """Weighted mean of a numeric column per category of ``col`` (or overall).

        With a breakdown, each column's mean is tested against the other columns together
        (``sig`` +1 / -1 at ``level``), the design-based analogue of the cell markers.
        """
        missing = missing or {}
        values = self._values(var, missing.get(var, ()))
        domain = self._domain(where)
        if col is None:
            codes, index = np.array([TOTAL], dtype=object), np.zeros(len(self.frame), dtype=np.intp)
        else:
            codes, index = self._coded(col, missing)
        table = mean_by(self.design, values, index, len(codes), domain=domain, level=level)
        means = pd.DataFrame({"col": codes, "mean": table.mean, "se": table.se, "ci_low": table.ci_low,
                              "ci_high": table.ci_high, "n": table.n})
        if len(codes) >= 2:
            tests = mean_tests(self.design, values, index, len(codes), domain=domain, level=level)
            means = means.assign(rest=tests.rest, difference=tests.difference, diff_se=tests.se, p=tests.p,
                                 sig=tests.sig)
        return MeanResult(means=means, df=table.df)

    def mean_difference(
        self,
        var: str,
        col: str,
        a: object,
        b: object,
        *,
        where: Where = None,
        missing: Mapping[str, Iterable[object]] | None = None,
        level: float = 0.95,
    ) -> Difference:
        """Mean of ``var`` where ``col`` is ``b`` minus where it is ``a``, with its interval."""
        missing = missing or {}
        values = self._values(var, missing.get(var, ()))
        codes, index = self._coded(col, missing)
        positions = []
        for code in (a, b):
            hit = np.flatnonzero(codes == code)
            if hit.size == 0:
                raise ValueError(f"{col!r} has no category {code!r} in the base")
            positions.append(int(hit[0]))
        return mean_difference(self.design, values, index, len(codes), col_a=positions[0], col_b=positions[1],
                               domain=self._domain(where), level=level)


def _key(name: str, excluded: Iterable[object]) -> tuple[str, tuple[object, ...]]:
    return name, tuple(sorted(set(excluded), key=repr))


def _strata(frame: pd.DataFrame, strata: str | Sequence[str]) -> np.ndarray:
    if isinstance(strata, str):
        return column_of(frame, strata).to_numpy()
    names = list(strata)
    if not names:
        raise ValueError("strata must name at least one column")
    parts = [column_of(frame, name) for name in names]
    for name, part in zip(names, parts, strict=True):
        if part.isna().any():
            raise ValueError(f"strata column {name!r} has missing values; every respondent needs a stratum")
    return pd.MultiIndex.from_arrays(parts).factorize()[0]
