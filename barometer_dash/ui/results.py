"""CrossTab -> the children of the result slots on the page."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from dash import html

from ..codebook_page import codebook_url
from ..domain.codebook import Codebook
from ..domain.crosstab import CrossTab
from ..i18n import translate
from ..render.cite import cite
from ..render.embed import embed_snippet
from ..render.formats import FORMATS, file_name
from ..render.image import SIZES
from ..render.print_layout import image_filename
from ..render.reproduce import python_code, r_code
from ..render.text import base_text, breakdown_words, change_sentence, source_line, test_sentences
from ..view import View
from ..view.links import api_query
from . import ids
from .controls import CHART_CONFIG


def heading(xt: CrossTab, summary_text: str = "") -> list[Any]:
    lang = xt.lang
    about = codebook_url(xt.query.dataset, lang, xt.row_name)
    parts: list[Any] = [
        html.H2(xt.question, className="question-title"),
        html.A(translate("codebook.about_question", lang), href=about, className="about-question"),
        html.P(summary_text, id=ids.SUMMARY, className="summary") if summary_text else None,
        html.P(
            [
                base_text(xt),
                " \u00b7 ",
                translate(f"percent.{xt.query.percent}", lang),
                *([" \u00b7 ", breakdown_words(xt)] if xt.col_name else []),
            ],
            className="question-meta",
        ),
    ]
    for note in xt.notes:
        parts.append(html.P(note, className="question-note"))
    if xt.synthetic:
        parts.append(html.P(translate("synthetic.short", lang), className="synthetic-inline"))
    return parts


def test_block(xt: CrossTab) -> list[Any]:
    return [html.P(sentence) for sentence in test_sentences(xt)]


def legend(xt: CrossTab, intervals_shown: bool = False) -> list[Any]:
    lang = xt.lang
    items: list[Any] = []
    if xt.col_name and xt.kind != "multi":
        items.append(html.Span([html.Span("\u25b2", className="sig sig-up"), " ",
                                translate("legend.up", lang, level=round(xt.level * 100))]))
        items.append(html.Span([html.Span("\u25bc", className="sig sig-down"), " ",
                                translate("legend.down", lang, level=round(xt.level * 100))]))
        if xt.nested:
            items.append(html.Span(translate("legend.nested", lang)))
    if any(b.flagged for b in xt.bases):
        items.append(html.Span(["* ", translate("legend.flagged", lang, flag=xt.flag_base)]))
    if any(b.suppressed and not b.secondary for b in xt.bases):
        items.append(html.Span(["\u2020 \u2013 ", translate("legend.suppressed", lang, min=xt.min_base)]))
    if any(b.secondary for b in xt.bases):
        items.append(html.Span(["\u2021 \u2013 ", translate("legend.secondary", lang)]))
    if xt.kind == "multi":
        items.append(html.Span(translate("legend.multi", lang)))
    if not intervals_shown:
        # The table already writes each interval; otherwise hovering is how to see one.
        items.append(html.Span(translate("legend.ci", lang), className="hover-hint"))
    return items


def change(xt: CrossTab) -> str:
    return change_sentence(xt) or translate("change.unavailable", xt.lang)


def downloads(xt: CrossTab, view: View, cb: Codebook, page_url: str, today: date) -> list[Any]:
    """A link per export format (all built from the view by the registry), image sizes, copy-link,
    the embed code and the citation."""
    lang = xt.lang
    base = f"/api/v1/datasets/{view.ds}/crosstab?"

    def href(fmt: str, size: str = "article") -> str:
        return base + api_query(replace(view, fmt=fmt, size=size), cb)

    files = [f for f in FORMATS.values() if not f.image and f.name not in ("bib", "ris")]
    links: list[Any] = []
    for fmt in files:
        if fmt.attachment:
            links.append(html.A(translate(fmt.label_key, lang), href=href(fmt.name), className="button",
                                download=file_name(xt, cb, fmt.extension)))
        else:
            links.append(html.A(translate(fmt.label_key, lang), href=href(fmt.name), className="button",
                                target="_blank", rel="noopener"))
    images = [
        html.Li([translate(f"download.size.{size}", lang), " "] + [
            html.A(translate(f.label_key, lang), href=href(f.name, size=size), className="image-link",
                   download=image_filename(xt, size, f.extension, cb, intervals=view.ci))
            for f in FORMATS.values() if f.image])
        for size in SIZES
    ]
    links.append(html.Details([html.Summary(translate("download.image", lang), className="button"),
                               html.Ul(images, className="image-sizes")], className="image-menu", id=ids.IMAGES))
    links += [
        html.Button(translate("download.copy_link", lang), id=ids.COPY_LINK, className="button", n_clicks=0),
        html.Span(id=ids.COPY_STATUS, className="copy-status", role="status"),
    ]
    embed_url = page_url.split("?")[0].rstrip("/") + "/embed" + ("?" + page_url.split("?", 1)[1] if "?" in page_url
                                                                 else "")
    snippet = embed_snippet(embed_url, xt.question)
    links.append(html.Details([
        html.Summary(translate("embed.button", lang), className="button"),
        html.Label(translate("embed.code_label", lang), htmlFor=ids.EMBED_CODE),
        html.Textarea(snippet, id=ids.EMBED_CODE, readOnly="readonly", rows=3, className="embed-code"),
    ], className="embed-menu"))
    if view.by is not None:
        # Every question against this breakdown (and these filters): the tab book a report is written from.
        book = [("col", view.by), *([("col2", view.by2)] if view.by2 else []),
                *(("filter", f"{n}:{','.join(map(str, c))}") for n, c in view.filters)]
        if lang != "en":
            book.append(("lang", lang))
        links.append(html.A(translate("tabbook.download", lang), className="button", id=ids.TABBOOK,
                            href=f"/api/v1/datasets/{view.ds}/tabbook?" + urlencode(book, safe=":,"),
                            download=f"{view.ds}_tabbook_by_{view.by}"
                                     + (f"_within_{view.by2}" if view.by2 else "") + ".xlsx"))
    links.append(html.Details([
        html.Summary(translate("reproduce.heading", lang), className="button"),
        html.P(translate("reproduce.intro", lang)),
        html.H4("R"), html.Pre(r_code(view.query(), cb, lang=lang), id=ids.REPRODUCE_R, className="code",
                               **_program("r")),
        html.H4("Python"), html.Pre(python_code(view.query(), cb, lang=lang), id=ids.REPRODUCE_PY,
                                    className="code", **_program("python")),
    ], className="reproduce-menu"))
    citation = cite(xt, page_url, today)
    links.append(html.Details([
        html.Summary(translate("cite.heading", lang), className="button"),
        html.P(citation.text, id=ids.CITE, className="cite-text"),
        html.A(translate("cite.bibtex", lang), href=href("bib"), download=file_name(xt, cb, "bib")),
        " \u00b7 ",
        html.A(translate("cite.ris", lang), href=href("ris"), download=file_name(xt, cb, "ris")),
    ], className="cite-menu"))
    return links


def _program(language: str) -> dict[str, Any]:
    """Marks a block of program code (not interface text, so not translated)."""
    return {"data-program": language}


def chart_config(xt: CrossTab, cb: Codebook, height: int) -> dict[str, Any]:
    """The chart's modebar: only buttons that work here (no upload anywhere), and a PNG named by the view."""
    stem = file_name(xt, cb, "png")[: -len(".png")]
    return {**CHART_CONFIG, "toImageButtonOptions": {"format": "png", "filename": stem, "width": 1200,
                                                     "height": height + 40, "scale": 2}}


def source(xt: CrossTab) -> str:
    return source_line(xt)
