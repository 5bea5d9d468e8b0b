"""The trend chart and its table show the trend's numbers, its significant changes and wording notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from barometer_dash.data.store import Store
from barometer_dash.i18n import number
from barometer_dash.render.figure import as_graph_object
from barometer_dash.render.trend import trend_figure, trend_table
from barometer_dash.service import Service
from barometer_dash.trends import trend

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def women():  # type: ignore[no-untyped-def]
    service = Service(Store(DATA))
    return trend(service, "demo", "women_security", by="age_group", filters=(("country", (2,)),), lang="sr")


def test_one_line_and_band_per_series_with_the_points(women) -> None:  # type: ignore[no-untyped-def]
    fig = trend_figure(women)
    as_graph_object(fig)  # plotly accepts it
    lines = [t for t in fig["data"] if t.get("mode") == "lines+markers"]
    assert [t["name"] for t in lines] == [s.label for s in women.series]
    for trace, s in zip(lines, women.series, strict=True):
        assert trace["y"] == [p.percent for p in s.points]
        assert trace["x"] == [p.wave_label for p in s.points]
        big = [p.significant for p in s.points]
        assert [size == 12 for size in trace["marker"]["size"]] == big
        assert [sym == "diamond" for sym in trace["marker"]["symbol"]] == big
    bands = [t for t in fig["data"] if t.get("fill") == "tonexty"]
    assert len(bands) == len(women.series)
    assert bands[0]["y"] == [p.ci_high for p in women.series[0].points]
    assert any(p.significant for s in women.series for p in s.points)


def test_wording_change_is_marked_between_the_waves(women) -> None:  # type: ignore[no-untyped-def]
    fig = trend_figure(women)
    (shape,) = fig["layout"]["shapes"]
    assert shape["x0"] == shape["x1"] == 1.5  # between 2022 and 2023
    note = [a for a in fig["layout"]["annotations"] if a.get("hovertext")]
    assert note[0]["text"] == "Formulacija promenjena" and "2023" in note[0]["hovertext"]
    assert fig["layout"]["xaxis"]["categoryarray"] == ["2021", "2022", "2023", "2024"]


def test_table_alternative_lists_the_same_numbers(women) -> None:  # type: ignore[no-untyped-def]
    table = trend_table(women)
    assert len(table.rows) == sum(len(s.points) for s in women.series)
    by_key = {(r[0], r[1]): r for r in table.rows}
    for s in women.series:
        for p in s.points:
            row = by_key[(s.label, p.wave_label)]
            assert row[2] == number(p.percent or 0, "sr", 1) and row[4] == number(p.n, "sr", 0)
            assert row[3] == f"{number(p.ci_low or 0, 'sr', 1)}–{number(p.ci_high or 0, 'sr', 1)}"
            if p.change is not None:
                assert number(p.change, "sr", 1) in row[5]
                assert ("(značajna)" in row[5]) == p.significant
    assert table.notes[0].startswith("2023: ")
    assert "Starosna grupa" in table.caption


def test_axis_reaches_the_highest_interval_and_no_further_than_needed(women) -> None:  # type: ignore[no-untyped-def]
    top = max(p.ci_high for s in women.series for p in s.points if p.ci_high is not None)
    assert top < 90  # so that a fixed 0-100 axis would be caught
    low, high = trend_figure(women)["layout"]["yaxis"]["range"]
    assert low == 0 and top < high <= top + 8
