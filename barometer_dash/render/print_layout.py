"""A CrossTab's chart restyled for publication at a fixed size (article, social, square, phone).

Everything a reader needs to quote the chart is in the image, legible when a phone shows a
1080-pixel-wide image about 390 pixels wide: the wording as title, percentages, filters and
base in the subtitle, each column's unweighted base beside its name, the largest margin of
error, whether "don't know" is excluded, the source with the dataset's version, the view's
link and, for synthetic data, the notice. The legend sits above the bars, never under the
source line. All text comes from the catalogs in the view's language.
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from typing import Any

from ..domain.codebook import Codebook
from ..domain.crosstab import CrossTab
from ..i18n import number, translate
from .figure import crosstab_figure
from .image import SIZES
from .text import filter_text

# Pixel sizes at an image about 1100 px wide: the title stays >= 12 px on a 390 px screen.
TITLE_PX = 40
SUBTITLE_PX = 28
BODY_PX = 28
FOOTER_PX = 24
MIN_TICK_PX = 18
SCALES = (1.0, 0.9, 0.8, 0.75)  # the title stays >= 30 px
NOTICE_COLOUR = "#b00020"
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
GLYPH = 0.6  # average glyph width of DejaVu Sans as a share of the font size
SIDE = 30  # left and right margin of the texts, px
LINE = 1.3  # plotly's line height as a share of the font size


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _wrap(text: str, px: int, width: int) -> list[str]:
    chars = max(20, int((width - 2 * SIDE) / (px * GLYPH)))
    # A link is never cut: a reader types it from the image.
    return textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False) or [text]


def largest_margin(xt: CrossTab) -> float | None:
    """The widest half-width among the numbers the chart draws: the page's own margin of error."""
    from .charts import builder_for
    from .figure import margin_of_error

    return margin_of_error(builder_for(xt)(xt, _esc))


def base_label(xt: CrossTab, j: int) -> str:
    """A column's name with its unweighted base: "Kosovo (n=1,234)"."""
    return translate("image.base_label", xt.lang, label=xt.cols[j].label, n=number(xt.bases[j].n, xt.lang, 0))


def subtitle_text(xt: CrossTab) -> str:
    lang = xt.lang
    parts = [translate(f"percent.{xt.query.percent}", lang)]
    if xt.filters:
        parts.append(f"{translate('filters.label', lang)}: {filter_text(xt)}")
    parts.append(translate("table.base_sentence", lang, n=number(xt.bases[0].n, lang, 0)))
    return " \u00b7 ".join(parts)


def footer_lines(xt: CrossTab, link: str) -> list[str]:
    """Method notes, then the source with the dataset's version, then the link."""
    lang = xt.lang
    notes = []
    moe = largest_margin(xt)
    if moe is not None:
        notes.append(translate("chart.moe", lang, moe=number(moe, lang, 1), level=number(xt.level * 100, lang, 0)))
    if not xt.query.include_missing and xt.kind != "multi":
        notes.append(translate("image.dk_excluded", lang))
    if any(b.suppressed for b in xt.bases):
        notes.append(translate("legend.suppressed", lang, min=xt.min_base))
    note = " \u00b7 ".join(notes)
    lines = [note[:1].upper() + note[1:]] if notes else []
    lines.append(translate("image.source", lang, title=xt.dataset_title, version=xt.version))
    if xt.citation:
        lines.append(xt.citation)
    if link:
        lines.append(translate("image.link", lang, link=link))
    return lines


def image_filename(xt: CrossTab, size: str, fmt: str, cb: Codebook | None = None, *, intervals: bool = False) -> str:
    """The view (as in every download's name), then the size: `..._<size>[_ci].<fmt>`."""
    from .formats import file_name

    return file_name(xt, cb, fmt, suffix=f"{size}_ci" if intervals else size)


def print_figure(xt: CrossTab, size: str, link: str = "", *, intervals: bool = False) -> dict[str, Any]:
    """The chart of `xt` laid out for one of `SIZES`, as plotly's JSON; with `intervals`, the
    page's error bars too."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}, got {size!r}")
    width, height = SIZES[size].width, SIZES[size].height
    figure = crosstab_figure(xt, width_px=width, intervals=intervals)
    shown = [j for j, b in enumerate(xt.bases) if not b.suppressed]
    _label_bases(figure, xt, shown)
    # Smaller type only where the bars would not fit otherwise (a long list in a wide, low image).
    for scale in SCALES:
        t = _Type(scale)
        title = [_esc(line) for line in _wrap(xt.question, t.title, width)]
        sub = [_esc(line) for line in _wrap(subtitle_text(xt), t.subtitle, width)]
        if xt.synthetic:
            notice = _esc(translate("synthetic.short", xt.lang))
            sub.append(f'<span style="color:{NOTICE_COLOUR}">{notice}</span>')
        foot = [_esc(line) for text in footer_lines(xt, link) for line in _wrap(text, t.footer, width)]
        title_px = len(title) * t.title * LINE
        sub_px = len(sub) * t.subtitle * LINE
        legend_px = _legend_rows(figure, width, t.body) * (t.body + 14)
        footer_px = 60 + len(foot) * t.footer * LINE
        plot_height = height - (20 + title_px + 8 + sub_px + 12 + legend_px + 12) - footer_px
        if plot_height >= _min_plot_height(figure):
            break
    for trace in figure["data"]:
        trace["textfont"] = {"size": t.body - 2}
        if "error_x" in trace:
            trace["error_x"] = {**trace["error_x"], "thickness": 3, "width": 8}  # a 1080-px image shown phone-sized
    # Every category is labelled (plotly would skip some when crowded), in a size that fits.
    per_category = plot_height / max(len(figure["layout"]["yaxis"].get("tickvals", [])), 1)
    tick_px = int(min(t.body, max(MIN_TICK_PX, per_category * 0.7)))
    # The category labels' width is set here rather than by plotly, so the texts can start at
    # the image's left edge: annotations are placed relative to the plot area.
    left = SIDE + _label_width(figure, tick_px)
    edge = -(left - SIDE) / (width - left - 2 * SIDE)  # the image's left edge, in plot-area units
    top = height - footer_px - plot_height
    heading = "<br>".join(f"<b>{t}</b>" for t in title)
    subtitle = "<br>".join(sub)
    layout = figure["layout"]
    layout.update(
        width=width,
        height=height,
        font={"family": FONT, "size": t.body, "color": "#222"},
        title={"text": ""},
        legend={
            "orientation": "h", "xref": "paper", "x": edge, "xanchor": "left", "yref": "paper",
            "y": 1 + (legend_px + 12) / plot_height, "yanchor": "top", "font": {"size": t.body - 2},
            "traceorder": "normal", "itemwidth": 30,
        },
        margin={"l": int(left), "r": 2 * SIDE, "t": int(top), "b": int(footer_px), "autoexpand": False},
        annotations=[
            _text(heading, edge, 1, top - 20, t.title, "#111"),
            _text(subtitle, edge, 1, top - 20 - title_px - 8, t.subtitle, "#444"),
            _text("<br>".join(foot), edge, 0, -50, t.footer, "#444"),
        ],
    )
    layout["xaxis"] = {**layout.get("xaxis", {}), "tickfont": {"size": t.body - 4}}
    layout["yaxis"] = {**layout["yaxis"], "tickfont": {"size": tick_px}, "automargin": False}
    return figure


@dataclass(frozen=True)
class _Type:
    """Font sizes in pixels at a scale of the full sizes."""

    scale: float

    @property
    def title(self) -> int:
        return round(TITLE_PX * self.scale)

    @property
    def subtitle(self) -> int:
        return round(SUBTITLE_PX * self.scale)

    @property
    def body(self) -> int:
        return round(BODY_PX * self.scale)

    @property
    def footer(self) -> int:
        return round(FOOTER_PX * self.scale)


def _min_plot_height(figure: dict[str, Any]) -> float:
    """Height the bars need to stay readable: a bar per category, or one per trace in each
    category where bars stand side by side."""
    categories = max((len(t.get("y", [])) for t in figure["data"]), default=1)
    if figure["layout"].get("barmode") == "group" and len(figure["data"]) > 1:
        return categories * (7 * len(figure["data"]) + 10)
    return 34 * categories


def _text(text: str, x: float, y: float, shift: float, px: int, colour: str) -> dict[str, Any]:
    """A block of text whose top-left corner is at (x, y) in plot-area units, `shift` px up."""
    return {
        "text": text, "xref": "paper", "yref": "paper", "x": x, "y": y, "yshift": shift, "xanchor": "left",
        "yanchor": "top", "showarrow": False, "align": "left", "font": {"size": px, "color": colour},
    }


def _label_bases(figure: dict[str, Any], xt: CrossTab, shown: list[int]) -> None:
    """Put each column's base beside its name: on the category axis where the categories are the
    columns, else in the legend (multiple responses and row percentages: a trace per column)."""
    if xt.kind == "multi" or (xt.query.percent == "row" and xt.kind != "numeric"):
        cols = shown if xt.kind == "multi" or len(xt.cols) == 1 else [j for j in shown if j > 0]
        for trace, j in zip(figure["data"], cols, strict=True):
            trace["name"] = _esc(base_label(xt, j))
        items = list(figure["data"][0]["y"]) if figure["data"] else []
        figure["layout"]["yaxis"] = {**figure["layout"].get("yaxis", {}), "tickmode": "array", "tickvals": items,
                                     "ticktext": items}
        return
    names = [_esc(xt.cols[j].label) for j in shown]
    figure["layout"]["yaxis"] = {
        **figure["layout"].get("yaxis", {}),
        "tickmode": "array",
        "tickvals": names,
        "ticktext": [_esc(base_label(xt, j)) for j in shown],
    }


def _label_width(figure: dict[str, Any], px: int) -> float:
    """Pixels taken by the longest category label on the vertical axis."""
    axis = figure["layout"].get("yaxis", {})
    labels = axis.get("ticktext") or [y for trace in figure["data"][:1] for y in trace.get("y", [])]
    longest = max((len(html.unescape(str(t))) for t in labels), default=4)
    return longest * px * GLYPH + 24


def _legend_rows(figure: dict[str, Any], width: int, px: int) -> int:
    """How many rows plotly's horizontal legend takes at this width.

    When the items do not fit on one line plotly lays them out in a grid whose columns are as
    wide as the widest item, so one long label can put every item on its own row.
    """
    items = [60 + len(html.unescape(str(t.get("name", "")))) * (px - 2) * GLYPH for t in figure["data"]]
    room = width - 2 * SIDE
    if not items or sum(items) <= room:
        return 1
    per_row = max(1, int(room // max(items)))
    return -(-len(items) // per_row)
