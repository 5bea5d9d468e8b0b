"""CrossTab -> a plotly figure.

The figure is written as plotly's JSON (a dict): validating graph_objects on every callback cost
most of a round trip. `as_graph_object` gives the validated object where one is needed.
"""

from __future__ import annotations

import html
import textwrap
from typing import Any

import plotly.graph_objects as go

from ..domain.crosstab import CrossTab
from ..i18n import number, translate
from .text import filter_text, source_line

# ColorBrewer PuOr (colour-blind safe) from the first answer to the last of an ordinal scale.
DIVERGING = {
    2: ["#542788", "#e08214"],
    3: ["#542788", "#d8daeb", "#e08214"],
    4: ["#542788", "#998ec3", "#f1a340", "#b35806"],
    5: ["#542788", "#998ec3", "#d8daeb", "#f1a340", "#b35806"],
    6: ["#2d004b", "#8073ac", "#d8daeb", "#fee0b6", "#e08214", "#7f3b08"],
    7: ["#2d004b", "#8073ac", "#b2abd2", "#e6e6e6", "#fdb863", "#e08214", "#7f3b08"],
}
# Okabe-Ito, for answers that are not a scale and for comparing columns.
QUALITATIVE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
MISSING_GREYS = ["#bdbdbd", "#8c8c8c", "#636363"]


# Cividis, sampled: a sequential ramp readable with any colour vision, for long 0-10 scales.
SEQUENTIAL = ["#00224e", "#123570", "#3b496c", "#575d6d", "#707173", "#8a8779", "#a69d75", "#c4b56c",
              "#e4cf5b", "#fee838", "#fdf3a8"]


def _palette(n_valid: int) -> list[str]:
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


def margin_of_error(xt: CrossTab) -> float | None:
    """The widest half-width of the Total column's confidence intervals, in points."""
    widths = [
        (c.ci_high - c.ci_low) / 2
        for i in range(len(xt.rows))
        for c in [xt.cell(i, 0)]
        if c.ci_low is not None and c.ci_high is not None and not xt.rows[i].missing
    ]
    return max(widths) if widths else None


def subtitle(xt: CrossTab) -> str:
    lang = xt.lang
    parts = [translate(f"percent.{xt.query.percent}", lang)]
    parts.append(translate("chart.base", lang, n=number(xt.bases[0].n, lang, 0)))
    moe = margin_of_error(xt)
    if moe is not None:
        parts.append(translate("chart.moe", lang, moe=number(moe, lang, 1), level=number(xt.level * 100, lang, 0)))
    if xt.filters:
        parts.append(filter_text(xt))
    return " \u00b7 ".join(parts)


def as_graph_object(figure: dict[str, Any]) -> go.Figure:
    """The validated plotly Figure, for static images and checks."""
    return go.Figure(figure)


def crosstab_figure(xt: CrossTab, *, width_px: int = 620) -> dict[str, Any]:
    """The chart for a plot area about `width_px` wide: texts are wrapped and the legend sized
    for it, since plotly wraps neither."""
    lang = xt.lang
    data: list[dict[str, Any]] = []
    col_labels = [_plain(c.label) for c in xt.cols]
    shown = [j for j, b in enumerate(xt.bases) if not b.suppressed]
    y = [col_labels[j] for j in shown]
    if xt.kind == "multi":
        for k, j in enumerate(shown):
            data.append(dict(
                type="bar",
                y=[_plain(r.label) for r in xt.rows],
                x=[xt.cell(i, j).percent for i in range(len(xt.rows))],
                name=col_labels[j],
                orientation="h",
                marker={"color": QUALITATIVE[k % len(QUALITATIVE)]},
                hovertemplate="%{y}: %{x:.1f}%<extra>" + col_labels[j] + "</extra>",
            ))
        barmode = "group"
    else:
        valid = [i for i, r in enumerate(xt.rows) if not r.missing]
        missing = [i for i, r in enumerate(xt.rows) if r.missing]
        colours = dict(zip(valid, _palette(len(valid)), strict=True))
        colours.update({i: MISSING_GREYS[k % 3] for k, i in enumerate(missing)})
        for i in valid + missing:
            xs = [xt.cell(i, j).percent for j in shown]
            data.append(dict(
                type="bar",
                y=y,
                x=xs,
                name=_plain(xt.rows[i].label),
                orientation="h",
                marker={"color": colours[i]},
                text=[f"{v:.0f}" if v is not None and v >= 5 else "" for v in xs],
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate="%{y}: %{x:.1f}%<extra>" + _plain(xt.rows[i].label) + "</extra>",
            ))
        barmode = "stack"
    # Average glyph widths of the system sans-serif at the sizes used below.
    width_chars = max(24, min(80, int((width_px - 20) / 8.6)))
    small_chars = max(30, min(110, int((width_px - 20) / 6.0)))
    title = _wrap(xt.question, width_chars)
    sub = _wrap(subtitle(xt), small_chars)
    source = _wrap(source_line(xt), small_chars)
    title_lines = title.count("<br>") + 1 + sub.count("<br>") + 1
    top = 44 + 20 * title_lines
    legend_labels = [r.label for r in xt.rows] if xt.kind != "multi" else [col_labels[j] for j in shown]
    item_px = 50 + 6.6 * max((len(t) for t in legend_labels), default=1)
    per_row = max(1, int((width_px - 20) // item_px))
    legend_rows = -(-len(legend_labels) // per_row)
    source_lines = source.count("<br>") + 1
    bottom = 40 + 14 * source_lines + 22 * legend_rows
    plot_height = 36 * max(len(y), 1) + 40 if xt.kind != "multi" else 16 * len(xt.rows) * max(len(shown), 1) + 40
    layout = dict(
        barmode=barmode,
        title={"text": f"{title}<br><sup>{sub}</sup>", "x": 0.01, "xanchor": "left", "xref": "container",
               "y": 0.995, "yref": "container", "yanchor": "top", "pad": {"t": 14}, "font": {"size": 15}},
        xaxis={"ticksuffix": "%", "range": [0, 100] if xt.kind != "multi" else None, "fixedrange": True},
        yaxis={"type": "category", "fixedrange": True, "autorange": "reversed", "automargin": True,
               "ticksuffix": "  "},
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
        separators=".," if lang == "en" else ",\u202f",
    )
    return {"data": data, "layout": layout}
