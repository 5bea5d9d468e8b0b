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
