"""What a visitor asked for: one hashable value, the cache key of every table."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Percent = Literal["column", "row", "total"]
PERCENTS: tuple[Percent, ...] = ("column", "row", "total")


@dataclass(frozen=True)
class Query:
    dataset: str
    row: str
    col: str | None = None
    col2: str | None = None  # a second breakdown, nested within each category of `col`
    # (variable, codes) pairs sorted by variable; a variable absent here is not filtered.
    filters: tuple[tuple[str, tuple[int, ...]], ...] = ()
    percent: Percent = "column"
    include_missing: bool = False
    level: float = 0.95

    def with_filter(self, variable: str, codes: tuple[int, ...] | None) -> Query:
        rest = [f for f in self.filters if f[0] != variable]
        if codes:
            rest.append((variable, tuple(sorted(set(codes)))))
        return replace(self, filters=tuple(sorted(rest)))

    def filter_codes(self, variable: str) -> tuple[int, ...] | None:
        for name, codes in self.filters:
            if name == variable:
                return codes
        return None


MEAN = "mean"  # the comparison's answer for a numeric question's mean


@dataclass(frozen=True)
class Comparison:
    """One answer's percentage compared between two categories (two waves, two countries)."""

    variable: str  # the variable whose categories are compared, e.g. the wave column
    answer: int | str  # code of the answer whose percentage is compared, a net's key, or MEAN
    a: int  # earlier wave / first country
    b: int
