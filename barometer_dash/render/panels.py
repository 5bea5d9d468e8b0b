"""Small multiples: the question by the breakdown, one panel per country, on a shared axis.

Each panel is the chart of one CrossTab (filtered to one country), so its bars, colours and
labels are exactly those of that view; the panels share the percent axis and one legend.
Panels stack in one column on narrow screens and sit up to three abreast on wide ones.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence
from typing import Any

from ..domain.crosstab import CrossTab
from ..i18n import separators, translate
from .figure import crosstab_figure
from .text import source_line

GAP_PX = 56  # between panel rows: room for the next panel's title
WIDE_PX = 760  # from this width panels sit side by side


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def panel_title(xt: CrossTab) -> str:
    """What sets a panel apart: its filters' chosen labels ("Kosovo")."""
    return ", ".join(labels for _, labels in xt.filters) or translate("table.total", xt.lang)


def _panel_height(xt: CrossTab, intervals: bool) -> int:
    shown = max(sum(1 for b in xt.bases if not b.suppressed), 1)
    if xt.kind == "multi":
        per = 16 * len(xt.rows) * shown
    elif intervals and xt.kind != "numeric":
        per = (14 * sum(1 for r in xt.rows if not r.net) + 8) * shown  # answers side by side in each column
    else:
        per = 30 * shown  # nets: not drawn
    return per + 30


def country_panels(
    tables: Sequence[CrossTab], *, titles: Sequence[str] | None = None, width_px: int = 620, intervals: bool = False
) -> dict[str, Any]:
    """One panel per table (same question and breakdown, one country each) as plotly's JSON;
    with `intervals`, each bar carries its confidence interval (bars side by side, as in one chart)."""
    if not tables:
        raise ValueError("country panels need at least one table")
    if titles is not None and len(titles) != len(tables):
        raise ValueError("give one title per table")
    first = tables[0]
    columns = 1 if width_px < WIDE_PX else min(3, len(tables))
    rows = -(-len(tables) // columns)
    heights = [max(_panel_height(xt, intervals) for xt in tables[r * columns:(r + 1) * columns]) for r in range(rows)]
    chars = max(24, int((width_px - 20) / 8.6))
    title = "<br>".join(_esc(t) for t in textwrap.wrap(first.question, chars)) or _esc(first.question)
    sub = _esc(translate(f"percent.{first.query.percent}", first.lang) + " \u00b7 " + first.col_title)
    top = 60 + 20 * (title.count("<br>") + 2)
    source = "<br>".join(_esc(t) for t in textwrap.wrap(source_line(first), max(30, int((width_px - 20) / 6))))
    legend_labels = [r.label for r in first.rows if not r.net] if first.kind != "multi" else [
        c.label for c in first.cols]
    per_row = max(1, int((width_px - 20) // (50 + 6.6 * max(len(t) for t in legend_labels))))
    bottom = 50 + 14 * (source.count("<br>") + 1) + 22 * -(-len(legend_labels) // per_row)
    plot_px = sum(heights) + GAP_PX * (rows - 1)
    height = top + plot_px + bottom
    data: list[dict[str, Any]] = []
    layout: dict[str, Any] = {}
    annotations: list[dict[str, Any]] = []
    y_cursor = 0.0  # pixels from the top of the plotting area
    categories = list(dict.fromkeys(_esc(col.label) for xt in tables for col in xt.cols))
    barmode = "group" if first.kind == "multi" else "stack"
    for r in range(rows):
        y_top = 1 - y_cursor / plot_px
        y_bottom = 1 - (y_cursor + heights[r]) / plot_px
        for c in range(columns):
            k = r * columns + c
            if k >= len(tables):
                break
            xt = tables[k]
            suffix = "" if k == 0 else str(k + 1)
            x0, x1 = c / columns + (0.02 if c else 0), (c + 1) / columns - (0.02 if c < columns - 1 else 0)
            panel = crosstab_figure(xt, width_px=int(width_px / columns), intervals=intervals)
            barmode = panel["layout"]["barmode"]
            for trace in panel["data"]:
                trace.update(xaxis=f"x{suffix}", yaxis=f"y{suffix}", legendgroup=trace.get("name"),
                             showlegend=k == 0)
                data.append(trace)
            panel_y = panel["layout"]["yaxis"]
            layout[f"xaxis{suffix}"] = {
                **panel["layout"]["xaxis"], "domain": [x0, x1], "anchor": f"y{suffix}",
                **({} if k == 0 else {"matches": "x"}),
            }
            # Side by side, the panels share the category labels of the first column.
            layout[f"yaxis{suffix}"] = {**panel_y, "domain": [y_bottom, y_top], "anchor": f"x{suffix}",
                                        "categoryorder": "array", "categoryarray": categories,
                                        "showticklabels": c == 0}
            label = titles[k] if titles is not None else panel_title(xt)
            annotations.append({"text": f"<b>{_esc(label)}</b>", "xref": "paper", "yref": "paper", "x": x0,
                                "y": y_top, "yshift": 6, "xanchor": "left", "yanchor": "bottom",
                                "showarrow": False, "font": {"size": 13}})
        y_cursor += heights[r] + GAP_PX
    annotations.append({"text": source, "xref": "paper", "yref": "paper", "x": 0, "y": 0, "yshift": -30,
                        "xanchor": "left", "yanchor": "top", "showarrow": False, "align": "left",
                        "font": {"size": 10, "color": "#555"}})
    layout.update(
        barmode=barmode,
        title={"text": f"{title}<br><sup>{sub}</sup>", "x": 0.01, "xanchor": "left", "xref": "container",
               "y": 0.995, "yref": "container", "yanchor": "top", "pad": {"t": 14}, "font": {"size": 15}},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0,
                "traceorder": "normal", "font": {"size": 11}},
        margin={"l": 10, "r": 10, "t": top, "b": bottom},
        height=height,
        annotations=annotations,
        plot_bgcolor="white",
        paper_bgcolor="white",
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12},
        separators=separators(first.lang),
    )
    return {"data": data, "layout": layout}
