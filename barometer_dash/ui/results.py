"""CrossTab -> the children of the result slots on the page."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import html

from ..domain.codebook import Codebook
from ..domain.crosstab import CrossTab
from ..i18n import translate
from ..render.formats import FORMATS, file_name
from ..render.table import crosstab_table
from ..render.text import base_text, change_sentence, source_line, test_sentence
from ..view import View
from ..view.links import api_query
from . import ids
from .controls import CHART_CONFIG
from .dom import to_dash


def heading(xt: CrossTab) -> list[Any]:
    lang = xt.lang
    parts: list[Any] = [
        html.H2(xt.question, className="question-title"),
        html.P(
            [
                base_text(xt),
                " \u00b7 ",
                translate(f"percent.{xt.query.percent}", lang),
                *([" \u00b7 ", translate("heading.by", lang, breakdown=xt.col_title)] if xt.col_name else []),
            ],
            className="question-meta",
        ),
    ]
    for note in xt.notes:
        parts.append(html.P(note, className="question-note"))
    if xt.synthetic:
        parts.append(html.P(translate("synthetic.short", lang), className="synthetic-inline"))
    return parts


def table(xt: CrossTab) -> Any:
    return to_dash(crosstab_table(xt))


def test_block(xt: CrossTab) -> list[Any]:
    sentence = test_sentence(xt)
    if sentence is None:
        return []
    return [html.P(sentence)]


def legend(xt: CrossTab) -> list[Any]:
    lang = xt.lang
    items: list[Any] = []
    if xt.col_name and xt.kind != "multi":
        items.append(html.Span([html.Span("\u25b2", className="sig sig-up"), " ",
                                translate("legend.up", lang, level=round(xt.level * 100))]))
        items.append(html.Span([html.Span("\u25bc", className="sig sig-down"), " ",
                                translate("legend.down", lang, level=round(xt.level * 100))]))
    if any(b.flagged for b in xt.bases):
        items.append(html.Span(["* ", translate("legend.flagged", lang, flag=xt.flag_base)]))
    if any(b.suppressed and not b.secondary for b in xt.bases):
        items.append(html.Span(["\u2020 \u2013 ", translate("legend.suppressed", lang, min=xt.min_base)]))
    if any(b.secondary for b in xt.bases):
        items.append(html.Span(["\u2021 \u2013 ", translate("legend.secondary", lang)]))
    if xt.kind == "multi":
        items.append(html.Span(translate("legend.multi", lang)))
    items.append(html.Span(translate("legend.ci", lang)))
    return items


def change(xt: CrossTab) -> str:
    return change_sentence(xt) or translate("change.unavailable", xt.lang)


def downloads(xt: CrossTab, view: View, cb: Codebook) -> list[Any]:
    """A link per export format, all built from the view by the registry, plus copy-link."""
    lang = xt.lang
    base = f"/api/v1/datasets/{view.ds}/crosstab?"
    links: list[Any] = []
    for fmt in FORMATS.values():
        href = base + api_query(replace(view, fmt=fmt.name), cb)
        if fmt.attachment:
            links.append(html.A(translate(fmt.label_key, lang), href=href, className="button",
                                download=file_name(xt, cb, fmt.extension)))
        else:
            links.append(html.A(translate(fmt.label_key, lang), href=href, className="button", target="_blank",
                                rel="noopener"))
    links += [
        html.Button(translate("download.copy_link", lang), id=ids.COPY_LINK, className="button", n_clicks=0),
        html.Span(id=ids.COPY_STATUS, className="copy-status", role="status"),
    ]
    return links


def chart_config(xt: CrossTab, cb: Codebook, height: int) -> dict[str, Any]:
    """The chart's modebar: only buttons that work here (no upload anywhere), and a PNG named by the view."""
    stem = file_name(xt, cb, "png")[: -len(".png")]
    return {**CHART_CONFIG, "toImageButtonOptions": {"format": "png", "filename": stem, "width": 1200,
                                                     "height": height + 40, "scale": 2}}


def source(xt: CrossTab) -> str:
    return source_line(xt)
