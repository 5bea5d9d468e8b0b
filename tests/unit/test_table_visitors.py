"""The table for visitors: intervals in cells on request, significance in words, Serbian in both
scripts through the page's table and the API."""

from __future__ import annotations

import re

import pytest

from barometer_dash.app_factory import create_app
from barometer_dash.domain.query import Query
from barometer_dash.render.dom import El, to_html
from barometer_dash.render.table import crosstab_table
from barometer_dash.settings import load_config


@pytest.fixture(scope="module")
def demo_app():  # type: ignore[no-untyped-def]
    return create_app({"cache": "null"})


def _xt(app, lang: str):  # type: ignore[no-untyped-def]
    service = app.server.extensions["barometer_service"]
    return service.crosstab(Query(dataset="demo", row="trust_eu", col="year"), lang)


def _cells(table: El) -> list[El]:
    body = next(c for c in table.children if isinstance(c, El) and c.tag == "tbody")
    return [td for tr in body.children if isinstance(tr, El) for td in tr.children
            if isinstance(td, El) and td.tag == "td"]


def _text(node: El | str) -> str:
    """What the eye sees: the text without the screen-reader-only parts."""
    if isinstance(node, str):
        return node
    return "".join(_text(c) for c in node.children if not (isinstance(c, El) and c.attrs.get("class") == "sr-only"))


@pytest.mark.parametrize("lang,pattern", [("en", r"\d+\.\d \(\d+\.\d\u2013\d+\.\d\)"),
                                          ("sr-Cyrl", r"\d+,\d \(\d+,\d\u2013\d+,\d\)")])
def test_show_ci_puts_the_interval_in_each_cell(demo_app, lang, pattern):
    xt = _xt(demo_app, lang)
    shown = [_text(td).rstrip("\u25b2\u25bc") for td in _cells(crosstab_table(xt, show_ci=True))]
    plain = [_text(td).rstrip("\u25b2\u25bc") for td in _cells(crosstab_table(xt))]
    assert shown and all(re.fullmatch(pattern, s) for s in shown), shown[:3]
    assert not any("(" in s for s in plain)
    # The interval is the cell's own, to one decimal.
    first = xt.cell(0, 0)
    want = f"{first.percent:.1f} ({first.ci_low:.1f}\u2013{first.ci_high:.1f})"
    assert shown[0] == (want if lang == "en" else want.replace(".", ","))


def test_significance_is_said_in_words_and_the_arrow_is_hidden(demo_app):
    xt = _xt(demo_app, "sr")
    html = to_html(crosstab_table(xt))
    ups, downs = html.count("sig-up"), html.count("sig-down")
    assert ups + downs > 0
    assert html.count('<span class="sig" aria-hidden="true">\u25b2</span>') == ups
    assert html.count('<span class="sr-only"> statistički značajno više od ostalih</span>') == ups
    assert html.count('<span class="sr-only"> statistički značajno niže od ostalih</span>') == downs
    assert "aria-label" not in html


def test_cyrillic_labels_in_the_api_and_the_table(demo_app):
    client = demo_app.server.test_client()
    cyr = client.get("/api/v1/datasets/demo/crosstab?row=trust_police&col=country&lang=sr-Cyrl").get_json()
    lat = client.get("/api/v1/datasets/demo/crosstab?row=trust_police&col=country&lang=sr").get_json()
    assert [b["col_label"] for b in cyr["bases"]] == ["Укупно", "Албанија", "Косово", "Србија"]
    assert [b["col_label"] for b in lat["bases"]] == ["Ukupno", "Albanija", "Kosovo", "Srbija"]
    assert cyr["cells"] == [{**c, "col_label": c2["col_label"], "row_label": c2["row_label"]}
                            for c, c2 in zip(lat["cells"], cyr["cells"], strict=True)]
    bad = client.get("/api/v1/datasets/demo/crosstab?row=trust_police&lang=sr-Latn")
    assert bad.status_code == 400 and "lang" in bad.get_data(as_text=True)


def test_default_language_setting_takes_cyrillic_and_names_the_choices():
    assert load_config({"default_lang": "sr-Cyrl"}).default_lang == "sr-Cyrl"
    with pytest.raises(SystemExit, match=r"BAROMETER_DEFAULT_LANG='de'.*en, sq, sr, sr-Cyrl"):
        load_config({"default_lang": "de"})


def test_nested_headers_span_their_column_groups(demo_app):  # type: ignore[no-untyped-def]
    # Screen readers read "Kosovo, Women" only when each group header's scope="colgroup" covers
    # a <colgroup> of exactly its columns.
    service = demo_app.server.extensions["barometer_service"]
    xt = service.crosstab(Query(dataset="demo", row="trust_police", col="country", col2="gender"), "sq")
    html = to_html(crosstab_table(xt))
    groups = re.findall(r'<th scope="colgroup" colspan="(\d+)" class="group-head">([^<]+)</th>', html)
    spans = re.findall(r'<colgroup span="(\d+)" class="nested-group"', html)
    assert [label for _, label in groups] == ["Shqipëria", "Kosova", "Serbia"]
    assert [span for span, _ in groups] == spans == ["3", "3", "3"]  # each country's Total, men, women
    assert html.count('<colgroup span="2">') == 1  # the answer and the overall Total


def test_small_bases_are_explained_in_the_views_language(demo_app):  # type: ignore[no-untyped-def]
    from barometer_dash.i18n import translate

    service = demo_app.server.extensions["barometer_service"]
    for lang in ("en", "sq", "sr-Cyrl"):
        xt = service.crosstab(Query(dataset="demo", row="trust_police", col="education",
                                    filters=(("country", (2,)), ("year", (2021,)), ("age_group", (1,)))), lang)
        flagged = [b for b in xt.bases if b.flagged and not b.suppressed]
        assert flagged, "the view needs a flagged base"
        title = translate("table.flagged_title", lang, flag=xt.flag_base)
        assert f'class="num base flagged" title="{title}"' in to_html(crosstab_table(xt))
