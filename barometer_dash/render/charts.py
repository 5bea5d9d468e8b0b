"""The chart registry: which builder draws a table, by question kind and percent base.

Every builder draws only numbers the table shows, in the table's percent base:
- column percentages: one bar per column, its answers stacked to 100;
- row percentages: one bar per answer, its breakdown columns stacked to 100;
- total percentages: one bar per column, all bars together adding to 100;
- a multiple-response set: grouped bars (mentions do not add up);
- a numeric scale: the mean of each column with its confidence interval.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..domain.crosstab import CrossTab
from ..i18n import number

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


Builder = Callable[[CrossTab, Callable[[str], str]], Drawing]


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


def _bar(name: str, y: list[str], x: list[float | None], colour: str, hover: str, text: bool = True) -> Trace:
    trace: Trace = dict(type="bar", y=y, x=x, name=name, orientation="h", marker={"color": colour},
                        hovertemplate="%{y}: %{x:.1f}%<extra>" + hover + "</extra>")
    if text:
        trace.update(text=[f"{v:.0f}" if v is not None and v >= 5 else "" for v in x], textposition="inside",
                     insidetextanchor="middle")
    return trace


def _answer_colours(xt: CrossTab) -> dict[int, str]:
    from .figure import MISSING_GREYS, palette

    valid = [i for i, r in enumerate(xt.rows) if not r.missing and not r.net]
    missing = [i for i, r in enumerate(xt.rows) if r.missing]
    colours = dict(zip(valid, palette(len(valid)), strict=True))
    colours.update({i: MISSING_GREYS[k % 3] for k, i in enumerate(missing)})
    return colours


def _answers_stacked(
    xt: CrossTab, plain: Callable[[str], str], cols: list[int], x_range: list[float] | None
) -> Drawing:
    """One bar per column, its answers stacked (column and total percentages)."""
    colours = _answer_colours(xt)
    # Nets overlap their answers: stacking them would count people twice.
    order = [i for i, r in enumerate(xt.rows) if not r.missing and not r.net] + [
        i for i, r in enumerate(xt.rows) if r.missing]
    y = [plain(xt.cols[j].label) for j in cols]
    traces = [_bar(plain(xt.rows[i].label), y, [xt.cell(i, j).percent for j in cols], colours[i],
                   plain(xt.rows[i].label)) for i in order]
    return Drawing(traces=traces, categories=y, legend=[xt.rows[i].label for i in order], barmode="stack",
                   x_range=x_range, halfwidths=_halfwidths(xt, [(i, j) for i in order for j in cols]))


def column_bars(xt: CrossTab, plain: Callable[[str], str]) -> Drawing:
    return _answers_stacked(xt, plain, _shown(xt), [0, 100])


def total_bars(xt: CrossTab, plain: Callable[[str], str]) -> Drawing:
    # With a breakdown, its columns share the whole; the Total column would count it twice.
    return _answers_stacked(xt, plain, _split(xt), None)


def row_bars(xt: CrossTab, plain: Callable[[str], str]) -> Drawing:
    """One bar per answer, its breakdown columns stacked to 100 (the Total column is each row's 100)."""
    from .figure import QUALITATIVE

    if xt.nested:
        return _nested_row_bars(xt, plain)
    cols = _split(xt)
    rows = _answers(xt)
    y = [plain(xt.rows[i].label) for i in rows]
    traces = [_bar(plain(xt.cols[j].label), y, [xt.cell(i, j).percent for i in rows],
                   QUALITATIVE[k % len(QUALITATIVE)], plain(xt.cols[j].label)) for k, j in enumerate(cols)]
    return Drawing(traces=traces, categories=y, legend=[xt.cols[j].label for j in cols], barmode="stack",
                   x_range=[0, 100], halfwidths=_halfwidths(xt, [(i, j) for i in rows for j in cols]))


def _nested_row_bars(xt: CrossTab, plain: Callable[[str], str]) -> Drawing:
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
        x = [xt.cell(i, where[(g, code)]).percent if (g, code) in where else None for g, i in bars]
        traces.append(_bar(plain(names[code]), y, x, QUALITATIVE[k % len(QUALITATIVE)], plain(names[code])))
    return Drawing(traces=traces, categories=y, legend=[names[c] for c in inner], barmode="stack", x_range=[0, 100],
                   halfwidths=_halfwidths(xt, [(i, j) for _, i in bars for j in cols]))


def multi_bars(xt: CrossTab, plain: Callable[[str], str]) -> Drawing:
    """Grouped bars: the share mentioning each item, per column."""
    from .figure import QUALITATIVE

    # Nested: the inner columns only, or the bars of a group would repeat its Total.
    cols = [j for j in _shown(xt) if j == 0 or xt.cols[j].code is not None] if xt.nested else _shown(xt)
    y = [plain(r.label) for r in xt.rows]
    traces = [_bar(plain(xt.cols[j].label), y, [xt.cell(i, j).percent for i in range(len(xt.rows))],
                   QUALITATIVE[k % len(QUALITATIVE)], plain(xt.cols[j].label), text=False)
              for k, j in enumerate(cols)]
    return Drawing(traces=traces, categories=y, legend=[xt.cols[j].label for j in cols], barmode="group",
                   x_range=None, halfwidths=_halfwidths(xt, [(i, j) for i in range(len(xt.rows)) for j in cols]),
                   bar_px=max(18, 16 * len(cols)))


def mean_points(xt: CrossTab, plain: Callable[[str], str]) -> Drawing:
    """A numeric scale: each column's mean as a bar with its confidence interval."""
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
        error_x={"type": "data", "symmetric": False, "array": high, "arrayminus": low, "color": "#333"},
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
