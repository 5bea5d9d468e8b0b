"""Cross-tab results: `Tabulation` holds the numbers (no words, cached once for every language);
`CrossTab` is the same with labels and wording in one language, which every renderer reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from .query import Query


@dataclass(frozen=True)
class Category:
    code: int | None  # None for the Total column and for a net
    label: str
    key: str
    missing: bool = False  # a don't-know / refused answer shown because missing codes are included
    net: bool = False  # answers reported together (its key is the net's), after the answers
    # Nested columns (a second breakdown): the outer category's code and label, and the
    # column's own label within it; `label` then names both, e.g. "Albania · Men".
    group: int | None = None
    group_label: str = ""
    short: str = ""


@dataclass(frozen=True)
class Cell:
    row: int | str  # an answer's code, or a net's key
    col: int | None
    n: int | None  # None when suppressed, or withheld so that a suppressed cell cannot be derived
    weighted: float | None
    percent: float | None  # None when suppressed
    se: float | None
    ci_low: float | None
    ci_high: float | None
    deff: float | None
    sig: int  # +1 / -1 significantly above / below the rest of its base at the table's level
    suppressed: bool
    group: int | None = None  # nested columns: the outer category's code


@dataclass(frozen=True)
class Base:
    col: int | None
    n: int
    weighted: float
    suppressed: bool  # its cells are not shown anywhere
    flagged: bool  # small but shown, with a warning
    secondary: bool = False  # hidden though large enough: a smaller hidden column could be derived from it
    group: int | None = None  # nested columns: the outer category's code


@dataclass(frozen=True)
class Test:
    statistic: float
    df1: float
    df2: float
    p: float


@dataclass(frozen=True)
class GroupTest:
    """Nested columns: the test of the question by the inner breakdown within one outer category."""

    group: int
    test: Test | None
    label: str = ""  # added with the language


@dataclass(frozen=True)
class Change:
    """The difference between two categories for one answer, in percentage points."""

    answer: int | str  # an answer's code or a net's key
    a: int
    b: int
    a_percent: float
    b_percent: float
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p: float
    significant: bool
    over_time: bool = False  # two waves (a change) rather than two groups (a difference)
    mean: bool = False  # a numeric question's mean (a_percent and b_percent are then means)
    answer_label: str = ""  # labels are added with the language
    a_label: str = ""
    b_label: str = ""


@dataclass(frozen=True)
class Mean:
    """A numeric question's weighted mean in one column, with its confidence interval."""

    mean: float
    ci_low: float | None
    ci_high: float | None
    sig: int = 0  # +1 / -1: significantly above / below the mean of the other columns


@dataclass(frozen=True)
class Tabulation:
    """The numbers of one table, without a word of any language: what the service caches."""

    query: Query
    kind: str
    rows: tuple[int | str, ...]  # answer codes (valid answers first), then net keys
    row_missing: tuple[bool, ...]  # a don't-know / refused answer, shown because missing codes are included
    cols: tuple[int | None, ...]  # None for the Total column, first
    cells: tuple[Cell, ...]  # row-major over rows x cols
    bases: tuple[Base, ...]
    test: Test | None
    df: int
    level: float
    min_base: int
    flag_base: int
    synthetic: bool
    version: str
    means: tuple[Mean | None, ...] | None = None  # numeric questions: one per column
    change: Change | None = None
    protection: tuple[str, ...] = ()  # disclosure rules applied: "secondary", "perturbed"
    group_tests: tuple[GroupTest, ...] = ()  # nested columns: one per outer category shown


@dataclass(frozen=True)
class CrossTab:
    query: Query
    lang: str
    question: str  # full wording
    question_short: str
    row_name: str
    col_name: str | None
    col_title: str  # wording of the breakdown variable, or "Total"
    kind: str
    rows: tuple[Category, ...]
    cols: tuple[Category, ...]  # Total first, then the breakdown's categories
    cells: tuple[Cell, ...]  # row-major over rows x cols
    bases: tuple[Base, ...]  # one per column
    test: Test | None
    df: int
    level: float
    min_base: int
    flag_base: int
    dataset_title: str
    citation: str
    synthetic: bool
    version: str
    filters: tuple[tuple[str, str], ...]  # (variable wording, chosen labels) for captions
    notes: tuple[str, ...] = ()
    means: tuple[float | None, ...] | None = None  # numeric questions: mean per column
    change: Change | None = None
    numbers: Tabulation | None = field(default=None, compare=False, repr=False)
    col2_name: str | None = None  # the second breakdown, nested in `col_name`'s categories
    col2_title: str | None = None
    group_tests: tuple[GroupTest, ...] = ()

    @property
    def nested(self) -> bool:
        return self.col2_name is not None

    def cell(self, row_index: int, col_index: int) -> Cell:
        return self.cells[row_index * len(self.cols) + col_index]
