"""The HTML of an embed page: one view, small enough for another site's iframe.

Title, summary sentence, the chart (an SVG image whose alt text is the summary) or, without
one, the table, the source and a link back to the full view. No scripts and no inline styles,
so it works under a strict Content-Security-Policy (images from `data:` must be allowed); the
look comes from one stylesheet whose rules are scoped to `.bd-embed`. Every label is escaped.
"""

from __future__ import annotations

import base64
from html import escape

from ..domain.crosstab import CrossTab
from ..i18n import translate
from .dom import to_html
from .summary import summary as summary_sentence
from .table import crosstab_table
from .text import filter_text

CSS_HREF = "/assets/embed.css"
SAFE_LINK = ("https://", "http://", "/")


def _e(text: str) -> str:
    return escape(text, quote=True)


def _link(link: str, what: str) -> str:
    if not link.startswith(SAFE_LINK) or link.startswith("//"):
        raise ValueError(f"{what} must be an http(s) address or a path on this site, got {link!r}")
    return _e(link)


def embed_html(
    xt: CrossTab,
    link: str,
    *,
    chart_svg: bytes | None = None,
    size: tuple[int, int] | None = None,
    summary: str | None = None,
    css_href: str = CSS_HREF,
    intervals: bool = False,
) -> str:
    """The embed page of `xt`; `link` is the full view's address, `chart_svg` the chart as SVG
    (from render.image) of `size` pixels, or None for the table. `summary` defaults to the
    table's own summary sentence; `intervals` writes each percentage's interval in the table."""
    lang = xt.lang
    href = _link(link, "link")
    css = _link(css_href, "css_href")
    sentence = summary if summary is not None else summary_sentence(xt)
    meta = translate(f"percent.{xt.query.percent}", lang)
    if xt.filters:
        meta += f" \u00b7 {translate('filters.label', lang)}: {filter_text(xt)}"
    if chart_svg is not None:
        data = base64.b64encode(chart_svg).decode("ascii")
        dims = f' width="{size[0]}" height="{size[1]}"' if size else ""
        body = (f'<figure class="bd-chart"><img src="data:image/svg+xml;base64,{data}" '
                f'alt="{_e(sentence)}"{dims}></figure>')
    else:
        body = f'<div class="bd-table">{to_html(crosstab_table(xt, table_id="embed-table", show_ci=intervals))}</div>'
    notice = f'<p class="bd-notice">{_e(translate("synthetic.short", lang))}</p>' if xt.synthetic else ""
    source = translate("image.source", lang, title=xt.dataset_title, version=xt.version)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(xt.question)}</title>"
        f'<link rel="stylesheet" href="{css}"><link rel="canonical" href="{href}">'
        '<meta name="referrer" content="strict-origin-when-cross-origin">'
        "</head>"
        '<body class="bd-embed"><main>'
        f'<h1 id="embed-title">{_e(xt.question)}</h1>'
        f'<p class="bd-meta">{_e(meta)}</p>'
        f'<p id="summary" class="bd-summary">{_e(sentence)}</p>'
        f"{body}{notice}"
        f'<p class="bd-source">{_e(source)} '
        f'<a href="{href}" target="_blank" rel="noopener">{_e(translate("embed.open", lang))}</a></p>'
        "</main></body></html>\n"
    )


def embed_snippet(embed_url: str, title: str, *, width: int = 640, height: int = 560) -> str:
    """The iframe code a site pastes to show the embed page at `embed_url`."""
    src = _link(embed_url, "embed_url")
    return (f'<iframe src="{src}" title="{_e(title)}" width="{width}" height="{height}" loading="lazy" '
            'referrerpolicy="strict-origin-when-cross-origin" frameborder="0"></iframe>')
