"""A tab book's tables: every chosen question by each banner variable, ready to render."""

from __future__ import annotations

from dataclasses import dataclass

from .crosstab import CrossTab

Filters = tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class TabColumn:
    """One banner column: which table of the sheet it comes from and its column there."""

    table: int
    col: int


@dataclass(frozen=True)
class TabSheet:
    """One question: its table by each banner variable (the Total column from the first)."""

    question: str
    tables: tuple[CrossTab, ...]

    @property
    def columns(self) -> tuple[TabColumn, ...]:
        cols = [TabColumn(0, 0)]
        for t, xt in enumerate(self.tables):
            cols += [TabColumn(t, j) for j in range(1, len(xt.cols))]
        return tuple(cols)


@dataclass(frozen=True)
class TabBook:
    dataset: str
    title: str
    version: str
    lang: str
    banner: tuple[str, ...]
    banner_titles: tuple[str, ...]
    filters: Filters
    weight: str | None
    strata: str | None
    psu: str | None
    synthetic: bool
    citation: str
    license: str
    sheets: tuple[TabSheet, ...]
