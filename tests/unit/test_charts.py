"""The chart registry draws the table's numbers for every percent base and question kind."""

from __future__ import annotations

import math

import pytest

from barometer_dash.data.store import Store
from barometer_dash.domain.query import Query
from barometer_dash.render.charts import CHARTS, builder_for
from barometer_dash.render.figure import crosstab_figure, margin_of_error
from barometer_dash.service import Service
from barometer_dash.settings import load_config


@pytest.fixture(scope="module")
def service() -> Service:
    return Service(Store(load_config().data_dir))


CASES = [(row, col, pct, dk) for row in ("trust_police", "trust_ksf") for col in ("country", "age_group", None)
         for pct in ("column", "row", "total") for dk in (False, True)]


def _plain(text: str) -> str:
    return text


@pytest.mark.parametrize("row, col, pct, dk", CASES)
def test_single_choice_bars_are_the_table(service, row, col, pct, dk):
    xt = service.crosstab(Query(dataset="demo", row=row, col=col, percent=pct, include_missing=dk))
    drawing = builder_for(xt)(xt, _plain)
    shown = [j for j, b in enumerate(xt.bases) if not b.suppressed]
    drawn_cols = [j for j in shown if j > 0] if col and pct != "column" else shown
    answers = [i for i, r in enumerate(xt.rows) if not r.net]  # nets overlap answers: never stacked
    assert len(answers) < len(xt.rows)  # these questions have nets
    expected = sorted(xt.cell(i, j).percent for i in answers for j in drawn_cols)
    drawn = sorted(x for t in drawing.traces for x in t["x"])
    assert drawn == pytest.approx(expected, abs=1e-12)
    sums: dict[str, float] = {}
    for t in drawing.traces:
        for y, x in zip(t["y"], t["x"], strict=True):
            sums[y] = sums.get(y, 0.0) + x
    if pct == "total":
        assert sum(sums.values()) == pytest.approx(100, abs=1e-6)
    else:
        assert all(v == pytest.approx(100, abs=1e-6) for v in sums.values())
    halfwidths = [(xt.cell(i, j).ci_high - xt.cell(i, j).ci_low) / 2 for i in answers for j in drawn_cols
                  if xt.cell(i, j).ci_low is not None]
    if all(v in (0.0, 100.0) for v in expected):
        assert margin_of_error(drawing) is None  # nothing uncertain to report, rather than "±0.0"
    else:
        assert margin_of_error(drawing) == pytest.approx(max(halfwidths))
        assert margin_of_error(drawing) > 0


def test_multiple_response_and_numeric(service):
    multi = service.crosstab(Query(dataset="demo", row="threats", col="country"))
    drawing = builder_for(multi)(multi, _plain)
    assert drawing.barmode == "group"
    assert sorted(x for t in drawing.traces for x in t["x"]) == pytest.approx(
        sorted(c.percent for c in multi.cells if c.percent is not None))
    numeric = service.crosstab(Query(dataset="demo", row="trust_general", col="year", percent="row"))
    fig = crosstab_figure(numeric)
    assert fig["data"][0]["x"] == pytest.approx([m for m in numeric.means if m is not None])
    errors = fig["data"][0]["error_x"]
    assert numeric.numbers is not None
    for m, hi, lo in zip(numeric.numbers.means, errors["array"], errors["arrayminus"], strict=True):
        assert m is not None and m.ci_low is not None and m.ci_high is not None
        assert m.mean - lo == pytest.approx(m.ci_low) and m.mean + hi == pytest.approx(m.ci_high)
    assert "Means" in fig["layout"]["title"]["text"]


def test_every_kind_and_base_has_a_builder():
    for kind in ("single", "numeric", "demographic"):
        for pct in ("column", "row", "total"):
            assert (kind, pct) in CHARTS
    assert ("multi", "column") in CHARTS


def test_subtitle_margin_of_error_is_never_zero_for_row_percentages(service):
    xt = service.crosstab(Query(dataset="demo", row="trust_courts", col="country", percent="row"))
    title = crosstab_figure(xt)["layout"]["title"]["text"]
    assert "±0.0" not in title
    moe = float(title.split("±")[1].split(" ")[0])
    assert math.isfinite(moe) and moe > 0.5


@pytest.mark.parametrize("pct", ["column", "row", "total"])
def test_nested_bars_are_the_table(service, pct):
    # Column percentages draw every shown column (a group's Total is that country's bar); row and
    # total percentages draw the inner columns only, as a group's Total is their sum.
    xt = service.crosstab(Query(dataset="demo", row="trust_police", col="country", col2="gender", percent=pct))
    assert xt.nested
    drawing = builder_for(xt)(xt, _plain)
    shown = [j for j, b in enumerate(xt.bases) if not b.suppressed]
    inner = [j for j in shown if j > 0 and xt.cols[j].code is not None]
    assert len(inner) == 6  # three countries by two genders
    drawn_cols = shown if pct == "column" else inner
    answers = [i for i, r in enumerate(xt.rows) if not r.net]
    expected = sorted(xt.cell(i, j).percent for i in answers for j in drawn_cols)
    assert sorted(x for t in drawing.traces for x in t["x"]) == pytest.approx(expected, abs=1e-12)
    if pct != "total":
        sums: dict[str, float] = {}
        for t in drawing.traces:
            for y, x in zip(t["y"], t["x"], strict=True):
                sums[y] = sums.get(y, 0.0) + x
        assert all(v == pytest.approx(100, abs=1e-6) for v in sums.values())
        assert len(sums) == (len(drawn_cols) if pct == "column" else 3 * len(answers))


def test_nested_multiple_response_bars_leave_out_the_group_totals(service):
    xt = service.crosstab(Query(dataset="demo", row="threats", col="country", col2="gender"))
    drawing = builder_for(xt)(xt, _plain)
    drawn_cols = [j for j, b in enumerate(xt.bases) if not b.suppressed and (j == 0 or xt.cols[j].code is not None)]
    assert len(drawing.traces) == len(drawn_cols) == 7  # the overall Total and six inner columns
    expected = sorted(xt.cell(i, j).percent for i in range(len(xt.rows)) for j in drawn_cols)
    assert sorted(x for t in drawing.traces for x in t["x"]) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("lang", ["en", "sq", "sr", "sr-Cyrl"])
def test_every_chart_writes_numbers_as_the_table_does(service, lang):
    from barometer_dash.i18n import number
    from barometer_dash.render.panels import country_panels
    from barometer_dash.render.trend import trend_figure
    from barometer_dash.trends import trend

    xt = service.crosstab(Query(dataset="demo", row="trust_police", col="age_group"), lang)
    tables = [service.crosstab(Query(dataset="demo", row="trust_police", col="age_group",
                                     filters=(("country", (c,)),)), lang) for c in (1, 2, 3)]
    figures = [crosstab_figure(xt), country_panels(tables), trend_figure(trend(service, "demo", "trust_police",
                                                                                lang=lang))]
    # plotly's separators: the decimal mark, then the thousands mark, as the table writes them.
    decimal, thousands = number(1000.5, lang, 1)[-2], number(1000, lang, 0)[1]
    assert decimal == ("." if lang == "en" else ",")
    for fig in figures:
        assert fig["layout"]["separators"] == decimal + thousands
