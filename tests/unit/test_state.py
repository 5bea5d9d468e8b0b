"""URL = state: parse and serialise round trips, defaults left out, bad input ignored."""

from __future__ import annotations

import pytest

from barometer_dash.domain.codebook import parse_codebook
from barometer_dash.ui.state import View, comparison_choices, default_view, parse, serialise

DK = [{"code": 98, "label": "Don't know"}, {"code": 99, "label": "Refused"}]


@pytest.fixture(scope="module")
def cb():
    return parse_codebook(
        {
            "dataset": {"id": "demo", "title": "T", "weight": "w", "country": "country", "wave": "year"},
            "variables": [
                {"name": "trust_police", "label": "Trust police?", "kind": "single",
                 "values": [{"code": 1, "label": "Yes"}, {"code": 2, "label": "No"}, *DK], "missing": [98, 99]},
                {"name": "trust_army", "label": "Trust army?", "kind": "single",
                 "values": [{"code": 1, "label": "Yes"}, {"code": 2, "label": "No"}]},
                {"name": "country", "label": "Country", "kind": "demographic",
                 "values": [{"code": 1, "label": "Albania", "key": "AL"}, {"code": 2, "label": "Kosovo", "key": "XK"},
                            {"code": 3, "label": "Serbia", "key": "RS"}]},
                {"name": "year", "label": "Year", "kind": "demographic",
                 "values": [{"code": y, "label": str(y)} for y in (2021, 2022, 2023, 2024)]},
                {"name": "age_group", "label": "Age", "kind": "demographic",
                 "values": [{"code": 1, "label": "18-29"}, {"code": 2, "label": "30+"}]},
            ],
        }
    )


def test_empty_query_is_the_default_view(cb):
    parsed = parse("", cb)
    assert parsed.view == default_view(cb)
    assert parsed.notices == ()
    assert serialise(parsed.view, cb) == ""


def test_permalink_round_trip(cb):
    search = "?q=trust_army&by=age_group&country=XK&year=2022&pct=row&dk=1&lang=sq"
    parsed = parse(search, cb)
    v = parsed.view
    assert parsed.notices == ()
    assert (v.q, v.by, v.pct, v.dk, v.lang) == ("trust_army", "age_group", "row", True, "sq")
    assert v.filter_codes("country") == (2,)
    assert v.filter_codes("year") == (2022,)
    again = parse(serialise(v, cb), cb).view
    assert again == v


def test_serialise_keeps_only_what_differs(cb):
    v = default_view(cb)
    from dataclasses import replace

    assert serialise(replace(v, q="trust_army"), cb) == "?q=trust_army"
    assert serialise(replace(v, filters=(("country", (1, 3)),)), cb) == "?country=AL,RS"
    assert serialise(replace(v, by=None), cb) == "?by=none"


def test_demographic_filter_parameter(cb):
    v = parse("?f.age_group=2", cb).view
    assert v.filter_codes("age_group") == (2,)
    assert "f.age_group=2" in serialise(v, cb)


@pytest.mark.parametrize(
    "search, param",
    [("?q=nope", "q"), ("?by=shoe_size", "by"), ("?country=FR", "country"), ("?pct=half", "pct"),
     ("?lang=de", "lang"), ("?dk=maybe", "dk"), ("?zzz=1", "zzz"), ("?f.trust_army=1", "f.trust_army"),
     ("?year=1999", "year"), ("?view=3d", "view")],
)
def test_bad_parameters_fall_back_with_a_notice(cb, search, param):
    parsed = parse(search, cb)
    assert param in [k for k, _ in parsed.notices]
    assert parsed.view == default_view(cb)


def test_comparison_default_is_left_out_and_chosen_one_kept(cb):
    v = View(ds="demo", q="trust_police", by="year", cmp=None)
    choices = comparison_choices(cb, v)
    assert choices is not None and choices.default == (1, 2021, 2024)
    assert v.comparison(cb).a == 2021 and v.comparison(cb).b == 2024
    parsed = parse("?q=trust_police&by=year&cmp=2,2022,2023", cb).view
    assert parsed.cmp == (2, 2022, 2023)
    assert "cmp=2,2022,2023" in serialise(parsed, cb)
    assert parse("?q=trust_police&by=year&cmp=1,2021,2024", cb).view.cmp is None
    assert parse("?q=trust_police&by=year&cmp=98,2021,2024", cb).notices == (("cmp", "98,2021,2024"),)


def test_comparison_follows_selected_years(cb):
    v = parse("?by=year&year=2022,2023", cb).view
    assert v.comparison(cb).a == 2022 and v.comparison(cb).b == 2023
