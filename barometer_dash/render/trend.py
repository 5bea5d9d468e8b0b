"""A Trend -> a plotly line chart (a line per series, its 95% band, marked significant changes,
notes where the wording changed) and the same numbers as a table, its text alternative."""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from typing import Any

from ..domain.trend import Trend, TrendPoint
from ..i18n import number, separators, translate
from .whiskers import error_bars, on_white

# Okabe-Ito: distinguishable with any colour vision.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
SIG_SYMBOL, PLAIN_SYMBOL = "diamond", "circle"


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def trend_subtitle(tr: Trend) -> str:
    lang = tr.lang
    parts = [translate("trend.answer", lang, answer=tr.answer_label)]
    if tr.by:
        parts.append(translate("trend.by", lang, breakdown=tr.by_title))
    if tr.filters:
        parts.append(f"{translate('filters.label', lang)}: " + "; ".join(f"{n}: {v}" for n, v in tr.filters))
    parts.append(translate("trend.legend", lang, level=number(tr.level * 100, lang, 0)))
    return " \u00b7 ".join(parts)


def source_text(tr: Trend) -> str:
    line = translate("image.source", tr.lang, title=tr.dataset_title, version=tr.version)
    if tr.synthetic:
        line = translate("synthetic.short", tr.lang) + " " + line
    return line


def _hover(tr: Trend, series: str, p: TrendPoint) -> str:
    lang = tr.lang
    text = f"{_esc(series)}, {_esc(p.wave_label)}: {number(p.percent or 0.0, lang, 1)}%<br>" + translate(
        "table.ci_title", lang, level=number(tr.level * 100, lang, 0), low=number(p.ci_low or 0.0, lang, 1),
        high=number(p.ci_high or 0.0, lang, 1), n=number(p.n, lang, 0))
    if p.change is not None:
        key = "trend.change_sig" if p.significant else "trend.change_not_sig"
        text += "<br>" + translate(key, lang, points=number(p.change, lang, 1))
    return text


def trend_figure(tr: Trend, *, width_px: int = 620, intervals: bool = False) -> dict[str, Any]:
    """The trend as plotly's JSON: per series a shaded interval, a line, and larger diamond
    markers where the change from the previous wave is significant. With `intervals`, each point
    also carries its interval as an error bar: the band's light tint is a hint, the whisker is
    what can be read against the axis."""
    x_all = [_esc(label) for _, label in tr.waves]
    data: list[dict[str, Any]] = []
    top = 0.0
    for k, s in enumerate(tr.series):
        colour = COLOURS[k % len(COLOURS)]
        points = [p for p in s.points if p.wave in {w for w, _ in tr.waves}]
        x = [_esc(p.wave_label) for p in points]
        group = f"series-{k}"
        top = max([top] + [p.ci_high for p in points if p.ci_high is not None])
        data.append(dict(type="scatter", x=x, y=[p.ci_low for p in points], mode="lines", line={"width": 0},
                         hoverinfo="skip", showlegend=False, legendgroup=group))
        data.append(dict(type="scatter", x=x, y=[p.ci_high for p in points], mode="lines", line={"width": 0},
                         fill="tonexty", fillcolor=_rgba(colour, 0.16), hoverinfo="skip", showlegend=False,
                         legendgroup=group))
        data.append(dict(
            type="scatter", x=x, y=[p.percent for p in points], mode="lines+markers", name=_esc(s.label),
            legendgroup=group, line={"color": colour, "width": 2.5},
            marker={"color": colour, "size": [12 if p.significant else 6 for p in points],
                    "symbol": [SIG_SYMBOL if p.significant else PLAIN_SYMBOL for p in points]},
            text=[_hover(tr, s.label, p) for p in points], hovertemplate="%{text}<extra></extra>",
            connectgaps=False,
        ))
        if intervals:
            data[-1]["error_y"] = error_bars([p.percent for p in points], [p.ci_low for p in points],
                                             [p.ci_high for p in points], on_white(colour))
    chars = max(24, int((width_px - 20) / 8.6))
    small = max(30, int((width_px - 20) / 6.0))
    title = "<br>".join(_esc(t) for t in textwrap.wrap(tr.question, chars)) or _esc(tr.question)
    sub = "<br>".join(_esc(t) for t in textwrap.wrap(trend_subtitle(tr), small))
    source = "<br>".join(_esc(t) for t in textwrap.wrap(source_text(tr), small))
    lines = title.count("<br>") + sub.count("<br>") + 2
    shapes, notes = [], []
    for note in tr.wording:
        # On a category axis a shape's x is the category's position (a year would be read as a number).
        at = x_all.index(_esc(note.wave_label)) - 0.5
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": at, "x1": at, "y0": 0, "y1": 1,
                       "line": {"dash": "dot", "color": "#555"}})
        notes.append({"x": at, "xref": "x", "xanchor": "left", "y": 1, "yref": "paper", "yanchor": "bottom",
                      "text": _esc(translate("trend.wording", tr.lang)), "hovertext": _esc(note.text),
                      "showarrow": False, "font": {"size": 11, "color": "#333"}})
    legend_rows = 1 + len(tr.series) // max(1, int((width_px - 20) // 140))
    bottom = 50 + 14 * (source.count("<br>") + 1) + 22 * legend_rows
    height = max(360, 300 + 20 * lines + bottom)
    layout = dict(
        title={"text": f"{title}<br><sup>{sub}</sup>", "x": 0.01, "xanchor": "left", "xref": "container",
               "y": 0.995, "yref": "container", "yanchor": "top", "pad": {"t": 14}, "font": {"size": 15}},
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": x_all, "fixedrange": True},
        yaxis={"ticksuffix": "%", "range": [0, min(100.0, top + 8)], "fixedrange": True, "rangemode": "tozero"},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
        margin={"l": 50, "r": 16, "t": 50 + 20 * lines, "b": bottom},
        height=height,
        plot_bgcolor="white", paper_bgcolor="white", hovermode="closest",
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12},
        shapes=shapes,
        annotations=[*notes, {"text": source, "xref": "paper", "yref": "paper", "x": 0, "y": 0, "yshift": -30,
                              "xanchor": "left", "yanchor": "top", "showarrow": False, "align": "left",
                              "font": {"size": 10, "color": "#555"}}],
        separators=separators(tr.lang),
    )
    return {"data": data, "layout": layout}


@dataclass(frozen=True)
class TrendTable:
    """The chart's numbers as a table: one row per series and wave, words in the view's language."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]


def trend_table(tr: Trend) -> TrendTable:
    lang = tr.lang
    header = tuple(translate(k, lang) for k in (
        "trend.col_series", "trend.col_wave", "trend.col_percent", "trend.col_ci", "trend.col_n", "trend.col_change",
    ))
    rows = []
    waves = {w for w, _ in tr.waves}
    for s in tr.series:
        for p in s.points:
            if p.wave not in waves:
                continue
            shown = p.percent is not None
            change = ""
            if p.change is not None:
                mark = translate("trend.significant" if p.significant else "trend.not_significant", lang)
                change = f"{'+' if p.change > 0 else ''}{number(p.change, lang, 1)} ({mark})"
            rows.append((
                s.label, p.wave_label,
                number(p.percent, lang, 1) if shown and p.percent is not None else "\u2013",
                f"{number(p.ci_low or 0.0, lang, 1)}\u2013{number(p.ci_high or 0.0, lang, 1)}" if shown else "",
                number(p.n, lang, 0), change,
            ))
    notes = [f"{n.wave_label}: {n.text}" for n in tr.wording]
    if any(p.percent is None and p.n > 0 for s in tr.series for p in s.points):
        notes.append(translate("legend.suppressed", lang, min=tr.min_base))
    return TrendTable(caption=f"{tr.question} \u2014 {trend_subtitle(tr)}", header=header, rows=tuple(rows),
                      notes=tuple(notes))
