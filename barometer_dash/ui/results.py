"""CrossTab -> the children of the result slots on the page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from dash import html

from ..domain.crosstab import CrossTab
from ..i18n import translate
from ..render.table import crosstab_table
from ..render.text import base_text, change_sentence, source_line, test_sentence
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
    if any(b.suppressed for b in xt.bases):
        items.append(html.Span(["\u2020 \u2013 ", translate("legend.suppressed", lang, min=xt.min_base)]))
    if xt.kind == "multi":
        items.append(html.Span(translate("legend.multi", lang)))
    items.append(html.Span(translate("legend.ci", lang)))
    return items


def change(xt: CrossTab) -> str:
    return change_sentence(xt) or translate("change.unavailable", xt.lang)


def downloads(xt: CrossTab) -> list[Any]:
    q = xt.query
    params: list[tuple[str, str]] = [("row", q.row)]
    if q.col:
        params.append(("col", q.col))
    for name, codes in q.filters:
        params.append(("filter", f"{name}:{','.join(str(c) for c in codes)}"))
    if q.percent != "column":
        params.append(("percent", q.percent))
    if q.include_missing:
        params.append(("missing", "include"))
    if xt.lang != "en":
        params.append(("lang", xt.lang))
    base = f"/api/v1/datasets/{q.dataset}/crosstab?"
    lang = xt.lang
    links = [
        html.A(translate("download.csv", lang), href=base + urlencode(params + [("format", "csv")], safe=":,"),
               download="", className="button"),
        html.A(translate("download.xlsx", lang), href=base + urlencode(params + [("format", "xlsx")], safe=":,"),
               download="", className="button"),
        html.A(translate("download.json", lang), href=base + urlencode(params, safe=":,"), className="button",
               target="_blank", rel="noopener"),
        html.Button(translate("download.copy_link", lang), id="copy-link", className="button", n_clicks=0),
        html.Span(id="copy-link-status", className="copy-status", role="status"),
    ]
    return links


def source(xt: CrossTab) -> str:
    return source_line(xt)
