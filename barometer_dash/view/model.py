"""The view: every choice that decides what a page, an API call or an export shows."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.codebook import Codebook
from ..domain.query import MEAN, Comparison, Percent, Query

SHOWS = ("both", "table", "chart")


@dataclass(frozen=True)
class View:
    ds: str
    q: str
    by: str | None = None
    by2: str | None = None  # a second breakdown, nested within each category of `by`
    filters: tuple[tuple[str, tuple[int, ...]], ...] = ()  # sorted by variable
    pct: Percent = "column"
    dk: bool = False  # count don't know / refused in the bases
    level: float = 0.95
    lang: str = "en"
    show: str = "both"  # table, chart or both side by side
    ci: bool = False  # confidence intervals written in the table's cells
    chart: str = "bars"
    cmp: tuple[int | str, int, int] | None = None  # answer (code or net key), a, b (codes) of the breakdown
    ans: str | None = None  # the answer or net a trend follows (key); None: the first net, else the first answer
    fmt: str = "json"  # API output format
    size: str = "article"  # size of a chart image

    def query(self) -> Query:
        """What the numbers depend on: the view without language, layout or format."""
        return Query(dataset=self.ds, row=self.q, col=self.by, col2=self.by2 if self.by else None,
                     filters=self.filters, percent=self.pct,
                     include_missing=self.dk, level=self.level)

    def comparison(self, cb: Codebook) -> Comparison | None:
        """The comparison shown under the table: the chosen one, else the default one."""
        choices = comparison_choices(cb, self)
        if choices is None or self.by is None:
            return None
        answer, a, b = self.cmp if self.cmp and valid_comparison(self.cmp, choices) else choices.default
        return Comparison(variable=self.by, answer=answer, a=a, b=b)

    def filter_codes(self, name: str) -> tuple[int, ...]:
        for n, codes in self.filters:
            if n == name:
                return codes
        return ()


@dataclass(frozen=True)
class Choices:
    answers: tuple[int | str, ...]  # answer codes, then net keys
    categories: tuple[int, ...]

    @property
    def default(self) -> tuple[int | str, int, int]:
        """First answer, first and last category: for a wave breakdown, the change since the start."""
        return (self.answers[0], self.categories[0], self.categories[-1])


def comparison_choices(cb: Codebook, view: View) -> Choices | None:
    """What can be compared: answers of the question, the breakdown's (selected) categories.

    Comparisons are of column percentages, so other percent bases offer none.
    """
    if view.by is None or view.pct != "column" or view.q not in cb.by_name or view.by not in cb.by_name:
        return None
    qvar, byvar = cb.by_name[view.q], cb.by_name[view.by]
    if qvar.kind == "multi":
        return None
    answers: tuple[int | str, ...] = (*(v.code for v in qvar.valid_values), *(n.key for n in qvar.all_nets))
    if qvar.kind == "numeric" and qvar.net(MEAN) is None:
        answers = (MEAN, *answers)  # a scale's mean first: the comparison a reader expects
    cats = tuple(v.code for v in byvar.valid_values)
    selected = view.filter_codes(byvar.name)
    if selected:
        cats = tuple(c for c in cats if c in selected)
    if len(cats) < 2 or not answers:
        return None
    return Choices(answers=answers, categories=cats)


def valid_comparison(cmp: tuple[int | str, int, int], choices: Choices) -> bool:
    answer, a, b = cmp
    return answer in choices.answers and a in choices.categories and b in choices.categories and a != b


def default_breakdown(cb: Codebook) -> str | None:
    return cb.dataset.country or cb.dataset.wave or None
