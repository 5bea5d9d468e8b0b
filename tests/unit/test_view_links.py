"""The view registry: every surface reads and writes the same view, for generated views."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from barometer_dash.data.store import Store
from barometer_dash.i18n import LANGUAGES
from barometer_dash.settings import load_config
from barometer_dash.view import REGISTRY, ParamError, View
from barometer_dash.view.links import (
    api_query,
    default_view,
    page_query,
    parse_api,
    parse_page,
    view_from_python,
)
from barometer_dash.view.params import LEVELS


@pytest.fixture(scope="module")
def cb():
    return Store(load_config().data_dir).get("demo").codebook


@st.composite
def views(draw, cb):
    questions = [v.name for v in cb.questions]
    breakdowns = [v.name for v in cb.breakdowns]
    q = draw(st.sampled_from(questions))
    by = draw(st.sampled_from([None, *breakdowns]))
    filter_vars = draw(st.lists(st.sampled_from(breakdowns), unique=True, max_size=3))
    filters = []
    for name in sorted(filter_vars):
        codes = draw(st.lists(st.sampled_from([v.code for v in cb.by_name[name].valid_values]), min_size=1,
                              unique=True))
        filters.append((name, tuple(sorted(codes))))
    view = View(ds="demo", q=q, by=by, filters=tuple(filters),
                pct=draw(st.sampled_from(["column", "row", "total"])) if cb.by_name[q].kind != "multi" else "column",
                dk=draw(st.booleans()),
                level=draw(st.sampled_from(LEVELS)), lang=draw(st.sampled_from(list(LANGUAGES))),
                show=draw(st.sampled_from(["both", "table", "chart"])))
    choices = view.comparison(cb)
    if choices is not None and draw(st.booleans()):
        qvar, byvar = cb.by_name[q], cb.by_name[by]
        answers = [v.code for v in qvar.valid_values]
        cats = [c for c in (v.code for v in byvar.valid_values) if not view.filter_codes(by) or c in
                view.filter_codes(by)]
        a, b = draw(st.lists(st.sampled_from(cats), min_size=2, max_size=2, unique=True))
        cmp = (draw(st.sampled_from(answers)), a, b)
        view = replace(view, cmp=None if cmp == (choices.answer, choices.a, choices.b) else cmp)
    return view


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_view_to_page_link_and_back(cb, data):
    view = data.draw(views(cb))
    parsed = parse_page(page_query(view, cb), cb)
    assert parsed.notices == ()
    assert parsed.view == view


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_view_to_api_link_and_back(cb, data):
    view = data.draw(views(cb))
    back = parse_api(parse_qsl(api_query(view, cb)), cb)
    page_only = {p.field for p in REGISTRY if p.api is None}
    assert back == replace(view, **{f: getattr(View(ds="demo", q=""), f) for f in page_only})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_python_keywords_give_the_same_view(cb, data):
    view = data.draw(views(cb))
    options = {"filters": dict(view.filters), "percent": view.pct, "include_missing": view.dk,
               "level": view.level, "lang": view.lang}
    if view.cmp is not None:
        options["compare"] = view.cmp
    assert view_from_python(cb, view.q, view.by, options) == replace(view, show="both")


def test_default_view_has_an_empty_link(cb):
    assert page_query(default_view(cb), cb) == ""
    assert parse_page("", cb).view == default_view(cb)


def test_old_links_migrate(cb):
    assert parse_page("?dk=1", cb).view.dk is True
    assert page_query(parse_page("?dk=1", cb).view, cb) == "?missing=include"
    assert parse_page("?dk=0", cb).view.dk is False
    assert parse_page("?dk=maybe", cb).notices == (("dk", "maybe"),)


@pytest.mark.parametrize("query, name", [
    ("row=trust_police&percent=half", "percent"), ("row=trust_police&filter=country:FR", "filter"),
    ("row=trust_police&col=trust_police", "col"), ("row=trust_police&level=0.5", "level"),
    ("row=trust_police&format=pdf", "format"), ("row=trust_police&cmp=1,2021", "cmp"),
    ("row=trust_police&zzz=1", "zzz"), ("col=country", "row"), ("row=a&row=b", "row"),
    # A missing code is not a category to filter on, nor an answer to follow.
    ("row=trust_police&filter=ethnicity:99", "filter"), ("row=trust_police&filter=income:1,98", "filter"),
])
def test_api_parser_names_the_bad_parameter(cb, query, name):
    with pytest.raises(ParamError) as err:
        parse_api(parse_qsl(query, keep_blank_values=True), cb)
    assert err.value.name == name


def test_error_messages_quote_only_a_short_piece(cb):
    with pytest.raises(ParamError) as err:
        parse_api([("row", "trust_police"), ("filter", "country:" + "X" * 10_000)], cb)
    assert len(str(err.value)) < 300


def test_levels_read_as_shares_or_percentages(cb):
    for text, level in (("0.9", 0.9), ("90", 0.9), ("95", 0.95), ("0.99", 0.99), ("99", 0.99)):
        assert parse_api([("row", "trust_police"), ("level", text)], cb).level == level, text
    for text in ("0.5", "50", "950", "x", ""):
        with pytest.raises(ParamError):
            parse_api([("row", "trust_police"), ("level", text)], cb)


def test_page_answer_and_chart_refuse_what_the_dataset_lacks(cb, data_dir):  # type: ignore[no-untyped-def]
    assert parse_page("?q=trust_police&chart=trend&ans=1", cb).view.ans == "1"
    # An answer that is a missing code has no trend; a page link notes the value and drops it.
    dropped = parse_page("?q=trust_police&chart=trend&ans=99", cb)
    assert dropped.view.ans != "99" and ("ans", "99") in dropped.notices
    anes = Store(data_dir).get("anes").codebook  # no country column, no waves
    for chart in ("countries", "trend"):
        parsed = parse_page(f"?q=vote&by=PID&chart={chart}", anes)
        assert parsed.view.chart != chart and ("chart", chart) in parsed.notices
