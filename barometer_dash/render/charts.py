"""The chart registry: which builder draws a table, by question kind and percent base.

Every builder draws only numbers the table shows, in the table's percent base:
- column percentages: one bar per column, its answers stacked to 100;
- row percentages: one bar per answer, its breakdown columns stacked to 100;
- total percentages: one bar per column, all bars together adding to 100;
- a multiple-response set: grouped bars (mentions do not add up);
- a numeric scale: the mean of each column with its confidence interval.

With intervals on (the view's `ci`), every bar carries its confidence interval as an error bar.
Stacked bars then become grouped: a segment of a stack starts where the one before it ends, so
its whisker would sit at the cumulative sum, not at its own estimate, and segments stacked to
100 do not vary independently. Side by side, each bar starts at zero and its whisker is read on
the axis, as the table's interval is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from ..domain.crosstab import Cell, CrossTab
from ..i18n import number
from .whiskers import error_bars, whisker_colour

Trace = dict[str, Any]


@dataclass(frozen=True)
class Drawing:
    """What a builder hands to the figure frame: traces, their categories and how to lay them out."""

    traces: list[Trace]
    categories: list[str]  # the y axis, top to bottom
    legend: list[str]
    barmode: str
    x_range: list[float] | None  # None: plotly's own
    x_suffix: str = "%"
    halfwidths: tuple[float, ...] = ()  # CI half-widths of what is drawn, for the margin of error
    bar_px: int = 36  # height of one category


class Builder(Protocol):
    def __call__(self, xt: CrossTab, plain: Callable[[str], str], intervals: bool = ...) -> Drawing: ...


def _answers(xt: CrossTab) -> list[int]:
    """Rows that are answers (nets are drawn only where the chart is of one answer)."""
    return [i for i, r in enumerate(xt.rows) if not r.net]


def _shown(xt: CrossTab) -> list[int]:
    return [j for j, b in enumerate(xt.bases) if not b.suppressed]


def _split(xt: CrossTab) -> list[int]:
    """Shown columns of breakdown categories: not the Total, nor (nested) a group's Total."""
    if len(xt.cols) == 1:
        return _shown(xt)
    return [j for j in _shown(xt) if j > 0 and xt.cols[j].code is not None]


def _halfwidths(xt: CrossTab, cells: list[tuple[int, int]]) -> tuple[float, ...]:
    out = []
    for i, j in cells:
        c = xt.cell(i, j)
        if c.ci_low is not None and c.ci_high is not None:
            out.append((c.ci_high - c.ci_low) / 2)
    return tuple(out)


def _bar(name: str, y: list[str], cells: list[Cell | None], colour: str, hover: str, *, text: bool = True,
         intervals: bool = False) -> Trace:
    """A horizontal bar per cell (None: a suppressed column, no bar); with `intervals`, each with
    its confidence interval as an error bar and in its hover text."""
    x = [c.percent if c is not None else None for c in cells]
    trace: Trace = dict(type="bar", y=y, x=x, name=name, orientation="h", marker={"color": colour},
                        hovertemplate="%{y}: %{x:.1f}%<extra>" + hover + "</extra>")
    if text:
        trace.update(text=[f"{v:.0f}" if v is not None and v >= 5 else "" for v in x], textposition="inside",
                     insidetextanchor="middle")
    if intervals:
        lows = [c.ci_low if c is not None else None for c in cells]
        highs = [c.ci_high if c is not None else None for c in cells]
        trace["error_x"] = error_bars(x, lows, highs, whisker_colour(colour))
        trace["customdata"] = [[lo, hi] if lo is not None and hi is not None else [None, None]
                               for lo, hi in zip(lows, highs, strict=True)]
        trace["hovertemplate"] = ("%{y}: %{x:.1f}% (%{customdata[0]:.1f}\u2013%{customdata[1]:.1f})<extra>"
                                  + hover + "</extra>")
    return trace


def _answer_colours(xt: CrossTab) -> dict[int, str]:
    from .figure import MISSING_GREYS, palette

    valid = [i for i, r in enumerate(xt.rows) if not r.missing and not r.net]
    missing = [i for i, r in enumerate(xt.rows) if r.missing]
    colours = dict(zip(valid, palette(len(valid)), strict=True))
    colours.update({i: MISSING_GREYS[k % 3] for k, i in enumerate(missing)})
    return colours


def _answers_by_column(
    xt: CrossTab, plain: Callable[[str], str], cols: list[int], x_range: list[float] | None, intervals: bool
) -> Drawing:
    """One bar per column, its answers stacked (column and total percentages); side by side with intervals."""
    colours = _answer_colours(xt)
    # Nets overlap their answers: stacking them would count people twice.
    order = [i for i, r in enumerate(xt.rows) if not r.missing and not r.net] + [
        i for i, r in enumerate(xt.rows) if r.missing]
    y = [plain(xt.cols[j].label) for j in cols]
    traces = [_bar(plain(xt.rows[i].label), y, [xt.cell(i, j) for j in cols], colours[i], plain(xt.rows[i].label),
                   text=not intervals, intervals=intervals) for i in order]
    return Drawing(traces=traces, categories=y, legend=[xt.rows[i].label for i in order],
                   barmode="group" if intervals else "stack", x_range=None if intervals else x_range,
                   halfwidths=_halfwidths(xt, [(i, j) for i in order for j in cols]),
                   bar_px=max(36, 14 * len(order) + 8) if intervals else 36)


def column_bars(xt: CrossTab, plain: Callable[[str], str], intervals: bool = False) -> Drawing:
    return _answers_by_column(xt, plain, _shown(xt), [0, 100], intervals)


def total_bars(xt: CrossTab, plain: Callable[[str], str], intervals: bool = False) -> Drawing:
    # With a breakdown, its columns share the whole; the Total column would count it twice.
    return _answers_by_column(xt, plain, _split(xt), None, intervals)


def row_bars(xt: CrossTab, plain: Callable[[str], str], intervals: bool = False) -> Drawing:
    """One bar per answer, its breakdown columns stacked to 100 (the Total column is each row's 100);
    side by side with intervals."""
    from .figure import QUALITATIVE

    if xt.nested:
        return _nested_row_bars(xt, plain, intervals)
    cols = _split(xt)
    rows = _answers(xt)
    y = [plain(xt.rows[i].label) for i in rows]
    traces = [_bar(plain(xt.cols[j].label), y, [xt.cell(i, j) for i in rows], QUALITATIVE[k % len(QUALITATIVE)],
                   plain(xt.cols[j].label), text=not intervals, intervals=intervals) for k, j in enumerate(cols)]
    return Drawing(traces=traces, categories=y, legend=[xt.cols[j].label for j in cols],
                   barmode="group" if intervals else "stack", x_range=None if intervals else [0, 100],
                   halfwidths=_halfwidths(xt, [(i, j) for i in rows for j in cols]),
                   bar_px=max(36, 14 * len(cols) + 8) if intervals else 36)


def _nested_row_bars(xt: CrossTab, plain: Callable[[str], str], intervals: bool) -> Drawing:
    """Row percentages add up within each outer category: one bar per (category, answer), its inner
    columns stacked to 100."""
    from .figure import QUALITATIVE

    cols = _split(xt)
    inner = list(dict.fromkeys(xt.cols[j].code for j in cols))
    groups = list(dict.fromkeys(xt.cols[j].group for j in cols))
    where = {(xt.cols[j].group, xt.cols[j].code): j for j in cols}
    bars = [(g, i) for g in groups for i in _answers(xt)]
    label = {g: xt.cols[j].group_label for j in cols for g in [xt.cols[j].group]}
    y = [plain(f"{label[g]} \u00b7 {xt.rows[i].label}") for g, i in bars]
    names = {xt.cols[j].code: xt.cols[j].short for j in cols}
    traces = []
    for k, code in enumerate(inner):
        cells = [xt.cell(i, where[(g, code)]) if (g, code) in where else None for g, i in bars]
        traces.append(_bar(plain(names[code]), y, cells, QUALITATIVE[k % len(QUALITATIVE)], plain(names[code]),
                           text=not intervals, intervals=intervals))
    return Drawing(traces=traces, categories=y, legend=[names[c] for c in inner],
                   barmode="group" if intervals else "stack", x_range=None if intervals else [0, 100],
                   halfwidths=_halfwidths(xt, [(i, j) for _, i in bars for j in cols]),
                   bar_px=max(36, 14 * len(inner) + 8) if intervals else 36)


def multi_bars(xt: CrossTab, plain: Callable[[str], str], intervals: bool = False) -> Drawing:
    """Grouped bars: the share mentioning each item, per column."""
    from .figure import QUALITATIVE

    # Nested: the inner columns only, or the bars of a group would repeat its Total.
    cols = [j for j in _shown(xt) if j == 0 or xt.cols[j].code is not None] if xt.nested else _shown(xt)
    y = [plain(r.label) for r in xt.rows]
    traces = [_bar(plain(xt.cols[j].label), y, [xt.cell(i, j) for i in range(len(xt.rows))],
                   QUALITATIVE[k % len(QUALITATIVE)], plain(xt.cols[j].label), text=False, intervals=intervals)
              for k, j in enumerate(cols)]
    return Drawing(traces=traces, categories=y, legend=[xt.cols[j].label for j in cols], barmode="group",
                   x_range=None, halfwidths=_halfwidths(xt, [(i, j) for i in range(len(xt.rows)) for j in cols]),
                   bar_px=max(18, 16 * len(cols)))


def mean_points(xt: CrossTab, plain: Callable[[str], str], intervals: bool = True) -> Drawing:
    """A numeric scale: each column's mean as a bar with its confidence interval (always: a mean
    without its interval says little, so `intervals` changes nothing here)."""
    from .figure import QUALITATIVE

    means = xt.numbers.means if xt.numbers is not None else None
    cols = [j for j in _shown(xt) if means is not None and means[j] is not None]
    y = [plain(xt.cols[j].label) for j in cols]
    x, low, high = [], [], []
    for j in cols:
        m = means[j] if means is not None else None
        assert m is not None
        x.append(m.mean)
        low.append(m.mean - m.ci_low if m.ci_low is not None else 0.0)
        high.append(m.ci_high - m.mean if m.ci_high is not None else 0.0)
    trace: Trace = dict(
        type="bar", y=y, x=x, orientation="h", name=plain(xt.question_short), marker={"color": QUALITATIVE[0]},
        error_x={"type": "data", "symmetric": False, "array": high, "arrayminus": low,
                 "color": whisker_colour(QUALITATIVE[0]), "thickness": 1.5, "width": 4},
        text=[number(v, xt.lang, 2) for v in x], textposition="inside", insidetextanchor="end",
        hovertemplate="%{y}: %{x:.2f}<extra></extra>",
    )
    codes = [float(r.code) for r in xt.rows if r.code is not None and not r.missing]
    return Drawing(traces=[trace], categories=y, legend=[], barmode="group",
                   x_range=[min(0.0, min(codes)), max(codes)] if codes else None, x_suffix="",
                   halfwidths=tuple((lo + hi) / 2 for lo, hi in zip(low, high, strict=True)))


CHARTS: dict[tuple[str, str], Builder] = {
    ("single", "column"): column_bars,
    ("single", "row"): row_bars,
    ("single", "total"): total_bars,
    ("demographic", "column"): column_bars,
    ("demographic", "row"): row_bars,
    ("demographic", "total"): total_bars,
    ("multi", "column"): multi_bars,
    ("numeric", "column"): mean_points,
    ("numeric", "row"): mean_points,
    ("numeric", "total"): mean_points,
}
CHART_KINDS = ("bars", "trend", "countries")  # the page's `chart` parameter


def builder_for(xt: CrossTab) -> Builder:
    return CHARTS.get((xt.kind, xt.query.percent), column_bars)
