"""CrossTab -> a plotly figure: the chart registry's drawing in a frame of title, subtitle,
legend and source line.

The figure is written as plotly's JSON (a dict): validating graph_objects on every callback cost
most of a round trip. `as_graph_object` gives the validated object where one is needed.
"""

from __future__ import annotations

import html
import textwrap
from typing import Any

import plotly.graph_objects as go

from ..domain.crosstab import CrossTab
from ..i18n import number, separators, translate
from .charts import Drawing, builder_for
from .text import filter_text, source_line

# ColorBrewer PuOr (colour-blind safe) from the first answer to the last of an ordinal scale.
# Its darkest brown (and one Cividis step below) are a shade darker than published: at their
# luminance no whisker colour could reach 3:1 against both the bar and the white around it.
DIVERGING = {
    2: ["#542788", "#e08214"],
    3: ["#542788", "#d8daeb", "#e08214"],
    4: ["#542788", "#998ec3", "#f1a340", "#b35806"],
    5: ["#542788", "#998ec3", "#d8daeb", "#f1a340", "#b35806"],
    6: ["#2d004b", "#8073ac", "#d8daeb", "#fee0b6", "#e08214", "#723507"],
    7: ["#2d004b", "#8073ac", "#b2abd2", "#e6e6e6", "#fdb863", "#e08214", "#723507"],
}
# Okabe-Ito, for answers that are not a scale and for comparing columns.
QUALITATIVE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
MISSING_GREYS = ["#bdbdbd", "#8c8c8c", "#636363"]
# Cividis, sampled: a sequential ramp readable with any colour vision, for long 0-10 scales.
SEQUENTIAL = ["#00224e", "#123570", "#384567", "#575d6d", "#707173", "#8a8779", "#a69d75", "#c4b56c",
              "#e4cf5b", "#fee838", "#fdf3a8"]


def palette(n_valid: int) -> list[str]:
    if n_valid in DIVERGING:
        return DIVERGING[n_valid]
    if n_valid <= len(SEQUENTIAL):
        step = (len(SEQUENTIAL) - 1) / max(n_valid - 1, 1)
        return [SEQUENTIAL[round(i * step)] for i in range(n_valid)]
    return [QUALITATIVE[i % len(QUALITATIVE)] for i in range(n_valid)]


def _wrap(text: str, width: int) -> str:
    return "<br>".join(_plain(line) for line in textwrap.wrap(text, width)) or _plain(text)


def _plain(text: str) -> str:
    """Text as plotly shows it literally: it reads a subset of HTML in labels."""
    return html.escape(text, quote=False)


def margin_of_error(drawing: Drawing) -> float | None:
    """The largest confidence-interval half-width among the numbers drawn; None when nothing
    drawn has one, or every one is 0 (each share is 0 or 100 %, as row percentages of one column)."""
    widest = max(drawing.halfwidths, default=0.0)
    return widest if widest > 0 else None


def subtitle(xt: CrossTab, drawing: Drawing) -> str:
    lang = xt.lang
    key = "chart.mean" if xt.kind == "numeric" else f"percent.{xt.query.percent}"
    parts = [translate(key, lang)]
    parts.append(translate("chart.base", lang, n=number(xt.bases[0].n, lang, 0)))
    moe = margin_of_error(drawing)
    if moe is not None:
        moe_key = "chart.moe_mean" if xt.kind == "numeric" else "chart.moe"
        parts.append(translate(moe_key, lang, moe=number(moe, lang, 1 if xt.kind != "numeric" else 2),
                               level=number(xt.level * 100, lang, 0)))
    if xt.filters:
        parts.append(filter_text(xt))
    return " \u00b7 ".join(parts)


def as_graph_object(figure: dict[str, Any]) -> go.Figure:
    """The validated plotly Figure, for static images and checks."""
    return go.Figure(figure)


def crosstab_figure(xt: CrossTab, *, width_px: int = 620, intervals: bool = False) -> dict[str, Any]:
    """The chart for a plot area about `width_px` wide: texts are wrapped and the legend sized
    for it, since plotly wraps neither. With `intervals`, each bar carries its confidence interval."""
    drawing = builder_for(xt)(xt, _plain, intervals)
    # Average glyph widths of the system sans-serif at the sizes used below.
    width_chars = max(24, min(80, int((width_px - 20) / 8.6)))
    small_chars = max(30, min(110, int((width_px - 20) / 6.0)))
    # The source line starts where the plot does, after the category labels: wrap it to what is left.
    label_px = min(width_px // 2, 7.2 * max((len(c) for c in drawing.categories), default=4) + 16)
    source_chars = max(24, min(110, int((width_px - 30 - label_px) / 6.2)))
    title = _wrap(xt.question, width_chars)
    sub = _wrap(subtitle(xt, drawing), small_chars)
    source = _wrap(source_line(xt), source_chars)
    title_lines = title.count("<br>") + 1 + sub.count("<br>") + 1
    top = 44 + 20 * title_lines
    item_px = 50 + 6.6 * max((len(t) for t in drawing.legend), default=1)
    per_row = max(1, int((width_px - 20) // item_px))
    legend_rows = -(-len(drawing.legend) // per_row) if drawing.legend else 0
    source_lines = source.count("<br>") + 1
    bottom = 40 + 14 * source_lines + 22 * legend_rows
    plot_height = drawing.bar_px * max(len(drawing.categories), 1) + 40
    layout = dict(
        barmode=drawing.barmode,
        title={"text": f"{title}<br><sup>{sub}</sup>", "x": 0.01, "xanchor": "left", "xref": "container",
               "y": 0.995, "yref": "container", "yanchor": "top", "pad": {"t": 14}, "font": {"size": 15}},
        xaxis={"ticksuffix": drawing.x_suffix, "range": drawing.x_range, "fixedrange": True},
        yaxis={"type": "category", "fixedrange": True, "autorange": "reversed", "automargin": True,
               "ticksuffix": "  "},
        showlegend=bool(drawing.legend),
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0,
                "traceorder": "normal", "font": {"size": 11}},
        margin={"l": 10, "r": 10, "t": top, "b": bottom},
        height=max(300, top + bottom + plot_height),
        plot_bgcolor="white",
        paper_bgcolor="white",
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12},
        annotations=[
            {
                "text": source,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -26,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "align": "left",
                "font": {"size": 10, "color": "#555"},
            }
        ],
        separators=separators(xt.lang),
    )
    return {"data": drawing.traces, "layout": layout}
