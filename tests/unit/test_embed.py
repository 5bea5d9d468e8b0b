"""The embed page: title, summary, chart or table, source, link back; no scripts, every label escaped."""

from __future__ import annotations

import base64
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from barometer_dash.data.store import Store
from barometer_dash.domain.crosstab import Category, CrossTab
from barometer_dash.domain.query import Query
from barometer_dash.render.embed import embed_html, embed_snippet
from barometer_dash.render.summary import summary
from barometer_dash.service import Service

DATA = Path(__file__).resolve().parents[2] / "data"
LINK = "https://barometer.example/?q=trust_police&by=age_group&country=XK&lang=sr"
EVIL = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Page:
    p = Page()
    p.feed(page)
    return p


@pytest.fixture(scope="module")
def xt() -> CrossTab:
    service = Service(Store(DATA))
    return service.crosstab(Query("demo", "trust_police", "age_group", filters=(("country", (2,)),)), "sr")


def assert_no_active_content(page: Page) -> None:
    for tag, attrs in page.tags:
        assert tag not in ("script", "style", "iframe", "object"), tag
        assert not any(name.startswith("on") or name == "style" for name in attrs), (tag, attrs)
        for name in ("href", "src"):
            value = attrs.get(name) or ""
            assert not value.lower().startswith("javascript:"), value


def test_table_fallback_has_everything_a_reader_needs(xt: CrossTab) -> None:
    page = parse(embed_html(xt, LINK))
    assert_no_active_content(page)
    text = "".join(page.text)
    assert xt.question in text and summary(xt) in text
    assert f"verzija podataka {xt.version}" in text and "Sintetički podaci" in text
    ids = {attrs.get("id") for _, attrs in page.tags}
    assert {"embed-title", "summary", "embed-table"} <= ids
    links = [attrs for tag, attrs in page.tags if tag == "a"]
    assert links == [{"href": LINK, "target": "_blank", "rel": "noopener"}]
    assert ("link", {"rel": "stylesheet", "href": "/assets/embed.css"}) in page.tags
    assert ("link", {"rel": "canonical", "href": LINK}) in page.tags  # search engines credit the full view
    assert ("html", {"lang": "sr"}) in page.tags  # screen readers read it in Serbian
    meta = embed_html(xt, LINK).split('<p class="bd-meta">', 1)[1].split("</p>", 1)[0]
    assert f"{xt.filters[0][0]}: {xt.filters[0][1]}" in meta  # under the title: Kosovo only, not everyone
    assert all(c.label in text for c in xt.cols)


def test_chart_is_an_svg_image_whose_alt_is_the_summary(xt: CrossTab) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>40.0</text></svg>'
    page = parse(embed_html(xt, LINK, chart_svg=svg, size=(1200, 800)))
    assert_no_active_content(page)
    (img,) = [attrs for tag, attrs in page.tags if tag == "img"]
    assert img["alt"] == summary(xt)
    assert img["src"] == "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    assert (img["width"], img["height"]) == ("1200", "800")
    assert not any(attrs.get("id") == "embed-table" for _, attrs in page.tags)


def test_every_label_is_escaped(xt: CrossTab) -> None:
    bad = replace(xt, question=EVIL, dataset_title=EVIL,
                  rows=(replace(xt.rows[0], label=EVIL), *xt.rows[1:]),
                  cols=(Category(code=None, label=EVIL, key="total"), *xt.cols[1:]),
                  filters=((EVIL, EVIL),))
    html = embed_html(bad, LINK, summary=EVIL)
    page = parse(html)
    assert_no_active_content(page)
    assert "<script>" not in html and "<img src=x" not in html
    assert EVIL in "".join(page.text)


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//evil.example/", "data:text/html,hi"])
def test_unsafe_links_are_refused(xt: CrossTab, link: str) -> None:
    with pytest.raises(ValueError, match="http"):
        embed_html(xt, link)
    with pytest.raises(ValueError, match="http"):
        embed_snippet(link, "x")


def test_snippet_is_an_iframe_of_the_embed_page() -> None:
    code = embed_snippet("https://barometer.example/embed?q=trust_police&by=country", 'Trust "police" <b>')
    page = parse(code)
    ((tag, attrs),) = page.tags
    assert tag == "iframe" and attrs["src"] == "https://barometer.example/embed?q=trust_police&by=country"
    assert attrs["title"] == 'Trust "police" <b>' and attrs["loading"] == "lazy"
