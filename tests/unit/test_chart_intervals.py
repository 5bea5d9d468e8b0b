"""With intervals on, every chart draws each estimate's confidence interval as an error bar; off, none."""

from __future__ import annotations

import pytest

from barometer_dash.data.store import Store
from barometer_dash.domain.crosstab import CrossTab
from barometer_dash.domain.query import Query
from barometer_dash.render.charts import builder_for
from barometer_dash.render.figure import (
    DIVERGING,
    MISSING_GREYS,
    QUALITATIVE,
    SEQUENTIAL,
    crosstab_figure,
    margin_of_error,
)
from barometer_dash.render.panels import country_panels
from barometer_dash.render.print_layout import print_figure
from barometer_dash.render.trend import COLOURS, trend_figure
from barometer_dash.render.whiskers import WHITE, contrast, interval_arms, whisker_colour
from barometer_dash.service import Rules, Service
from barometer_dash.settings import load_config
from barometer_dash.trends import trend


@pytest.fixture(scope="module")
def service() -> Service:
    return Service(Store(load_config().data_dir), rules=Rules(min_base=30, flag_base=100))


VIEWS = [
    ("single", Query(dataset="demo", row="trust_police", col="country"), "column"),
    ("single", Query(dataset="demo", row="trust_police", col="age_group", percent="row"), "row"),
    ("single", Query(dataset="demo", row="trust_police", col="country", percent="total"), "total"),
    ("single", Query(dataset="demo", row="trust_courts", col=None, percent="total", include_missing=True), "total"),
    ("demographic", Query(dataset="demo", row="education", col="country", percent="row"), "row"),
    ("multi", Query(dataset="demo", row="threats", col="country"), "column"),
]


def _cells_by_bar(xt: CrossTab, fig: dict) -> list[tuple[str, str, float, float, float]]:
    """(trace, category, estimate, low, high) of every drawn bar, read back from the whiskers."""
    out = []
    for t in fig["data"]:
        e = t["error_x"]
        for y, x, plus, minus in zip(t["y"], t["x"], e["array"], e["arrayminus"], strict=True):
            out.append((t["name"], y, x, x - minus, x + plus))
    return out


def _table_cells(xt: CrossTab) -> dict[tuple[str, str], tuple[float, float, float]]:
    """(answer, column) and (column, answer) -> the cell's estimate and interval."""
    out = {}
    for i, r in enumerate(xt.rows):
        for j, c in enumerate(xt.cols):
            cell = xt.cell(i, j)
            if cell.percent is not None and cell.ci_low is not None and cell.ci_high is not None:
                value = (cell.percent, cell.ci_low, cell.ci_high)
                out[(r.label, c.label)] = value
                out[(c.label, r.label)] = value
    return out


@pytest.mark.parametrize("kind, query, pct", VIEWS, ids=[f"{k}-{p}-{q.row}" for k, q, p in VIEWS])
def test_whiskers_are_the_cells_intervals(service, kind, query, pct):
    xt = service.crosstab(query)
    assert (xt.kind, xt.query.percent) == (kind, pct)
    fig = crosstab_figure(xt, intervals=True)
    cells = _table_cells(xt)
    bars = _cells_by_bar(xt, fig)
    assert len(bars) == sum(len(t["x"]) for t in fig["data"]) > 2
    for name, category, x, low, high in bars:
        estimate, ci_low, ci_high = cells[(name, category)]
        assert (x, low, high) == pytest.approx((estimate, ci_low, ci_high), abs=1e-9)
        assert low <= x <= high
    # Side by side, so each whisker is read on the axis from zero, not from the end of a stack.
    assert fig["layout"]["barmode"] == "group"
    assert all("customdata" in t and "customdata[0]" in t["hovertemplate"] for t in fig["data"])


@pytest.mark.parametrize("kind, query, pct", VIEWS, ids=[f"{k}-{p}-{q.row}" for k, q, p in VIEWS])
def test_no_whiskers_without_intervals(service, kind, query, pct):
    xt = service.crosstab(query)
    fig = crosstab_figure(xt)
    assert not any("error_x" in t for t in fig["data"])
    assert fig["layout"]["barmode"] == ("group" if kind == "multi" else "stack")


@pytest.mark.parametrize("kind, query, pct", VIEWS, ids=[f"{k}-{p}-{q.row}" for k, q, p in VIEWS])
def test_intervals_draw_the_same_bars_and_margin_of_error(service, kind, query, pct):
    """Only the layout changes: the same estimates, so the subtitle's margin of error stays true."""
    xt = service.crosstab(query)
    off, on = builder_for(xt)(xt, str), builder_for(xt)(xt, str, True)
    assert sorted(x for t in on.traces for x in t["x"]) == sorted(x for t in off.traces for x in t["x"])
    assert margin_of_error(on) == margin_of_error(off)
    widest = max(h - lo for *_, lo, h in _cells_by_bar(xt, crosstab_figure(xt, intervals=True))) / 2
    assert margin_of_error(on) == pytest.approx(widest)
    title = crosstab_figure(xt, intervals=True)["layout"]["title"]["text"]
    assert f"±{margin_of_error(on):.1f}" in title


def test_means_always_carry_their_intervals(service):
    xt = service.crosstab(Query(dataset="demo", row="trust_general", col="country"))
    assert crosstab_figure(xt)["data"] == crosstab_figure(xt, intervals=True)["data"]
    assert "error_x" in crosstab_figure(xt)["data"][0]


def test_suppressed_columns_draw_neither_bar_nor_whisker(service):
    q = Query(dataset="demo", row="trust_police", col="ethnicity", filters=(("country", (2,)), ("year", (2022,))))
    xt = service.crosstab(q)
    hidden = {c.label for c, b in zip(xt.cols, xt.bases, strict=True) if b.suppressed}
    assert hidden
    fig = crosstab_figure(xt, intervals=True)
    for t in fig["data"]:
        assert not hidden & set(t["y"])
        assert None not in t["error_x"]["array"] and None not in t["error_x"]["arrayminus"]
    # A cell without an estimate has no whisker either.
    assert interval_arms([40.0, None], [37.0, None], [43.5, None]) == ([3.5, None], [3.0, None])
    assert interval_arms([40.0], [None], [None]) == ([None], [None])


def test_whiskers_stand_out_against_every_bar_colour_and_the_background():
    colours = {c for p in DIVERGING.values() for c in p} | set(QUALITATIVE) | set(MISSING_GREYS) | set(SEQUENTIAL)
    for bar in colours:
        w = whisker_colour(bar)
        assert contrast(w, WHITE) >= 3 and contrast(w, bar) >= 3, (bar, w)


def test_figure_whiskers_use_the_contrasting_colour(service):
    fig = crosstab_figure(service.crosstab(Query(dataset="demo", row="trust_police", col="country")), intervals=True)
    for t in fig["data"]:
        assert t["error_x"]["color"] == whisker_colour(t["marker"]["color"])


def test_trend_points_carry_their_intervals(service):
    tr = trend(service, "demo", "trust_eu", by="employment", lang="sq")  # six lines: light colours too
    off, on = trend_figure(tr), trend_figure(tr, intervals=True)
    assert not any("error_y" in t for t in off["data"])
    lines = [t for t in on["data"] if t.get("mode") == "lines+markers"]
    assert len(lines) == len(tr.series)
    for t, s in zip(lines, tr.series, strict=True):
        e = t["error_y"]
        for p, plus, minus in zip(s.points, e["array"], e["arrayminus"], strict=True):
            assert (p.percent + plus, p.percent - minus) == pytest.approx((p.ci_high, p.ci_low))
        assert contrast(e["color"], WHITE) >= 3
        assert e["color"] == t["line"]["color"] or contrast(t["line"]["color"], WHITE) < 3  # its hue, darkened
    assert [t for t in on["data"] if t.get("fill")] == [t for t in off["data"] if t.get("fill")]  # the band stays
    assert set(COLOURS) >= {t["line"]["color"] for t in lines}
    assert any(t["error_y"]["color"] != t["line"]["color"] for t in lines)


def test_country_panels_carry_each_countrys_intervals(service):
    tables = [service.crosstab(Query("demo", "trust_police", "age_group", filters=(("country", (c,)),)))
              for c in (1, 2, 3)]
    fig = country_panels(tables, width_px=1000, intervals=True)
    assert fig["layout"]["barmode"] == "group"
    for k, xt in enumerate(tables):
        axis = "x" if k == 0 else f"x{k + 1}"
        panel = {"data": [t for t in fig["data"] if t["xaxis"] == axis]}
        cells = _table_cells(xt)
        for name, category, x, low, high in _cells_by_bar(xt, panel):
            assert (x, low, high) == pytest.approx(cells[(name, category)], abs=1e-9)
    assert country_panels(tables, width_px=1000)["layout"]["barmode"] == "stack"
    assert not any("error_x" in t for t in country_panels(tables, width_px=1000)["data"])


@pytest.mark.parametrize("pct", ["column", "row", "total"])
def test_print_figure_draws_the_pages_whiskers(service, pct):
    xt = service.crosstab(Query(dataset="demo", row="trust_police", col="country", percent=pct))
    page = crosstab_figure(xt, intervals=True)
    image = print_figure(xt, "phone", "https://example.org/?ci=1", intervals=True)
    for a, b in zip(page["data"], image["data"], strict=True):
        assert (a["x"], a["y"]) == (b["x"], b["y"])
        arms = ("array", "arrayminus")
        assert [a["error_x"][k] for k in arms] == [b["error_x"][k] for k in arms]
    assert image["layout"]["barmode"] == page["layout"]["barmode"] == "group"
    assert not any("error_x" in t for t in print_figure(xt, "phone")["data"])
