"""Country panels: one panel per country's table, on one shared percent axis, one legend."""

from __future__ import annotations

from pathlib import Path

import pytest

from barometer_dash.data.store import Store
from barometer_dash.domain.query import Query
from barometer_dash.render.figure import as_graph_object
from barometer_dash.render.panels import country_panels
from barometer_dash.service import Service

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def tables():  # type: ignore[no-untyped-def]
    service = Service(Store(DATA))
    return [service.crosstab(Query("demo", "trust_police", "age_group", filters=(("country", (c,)),)), "sq")
            for c in (1, 2, 3)]


@pytest.mark.parametrize("width", [390, 1000])
def test_each_panel_shows_its_countrys_table(tables, width: int) -> None:  # type: ignore[no-untyped-def]
    fig = country_panels(tables, width_px=width)
    as_graph_object(fig)
    for k, xt in enumerate(tables):
        axis = "x" if k == 0 else f"x{k + 1}"
        traces = [t for t in fig["data"] if t["xaxis"] == axis]
        answers = [i for i, r in enumerate(xt.rows) if not r.net]  # nets are never stacked with answers
        assert len(traces) == len(answers)
        for i, trace in zip(answers, traces, strict=True):
            assert trace["x"] == [xt.cell(i, j).percent for j in range(len(xt.cols))]
            assert trace["showlegend"] == (k == 0)
        if k:
            assert fig["layout"][f"xaxis{k + 1}"]["matches"] == "x"
    titles = [a["text"] for a in fig["layout"]["annotations"][:3]]
    assert titles == ["<b>Shqipëria</b>", "<b>Kosova</b>", "<b>Serbia</b>"]
    domains = [fig["layout"]["yaxis" + ("" if k == 0 else str(k + 1))]["domain"] for k in range(3)]
    if width < 760:
        assert domains[0][0] > domains[1][1] > domains[2][1]  # stacked, top to bottom
    else:
        assert domains[0] == domains[1] == domains[2]  # side by side
        assert [fig["layout"][a]["showticklabels"] for a in ("yaxis", "yaxis2", "yaxis3")] == [True, False, False]


def test_panels_need_tables_and_matching_titles(tables) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="at least one table"):
        country_panels([])
    with pytest.raises(ValueError, match="one title per table"):
        country_panels(tables, titles=["A"])
    fig = country_panels(tables, titles=["A", "B", "C"])
    assert [a["text"] for a in fig["layout"]["annotations"][:3]] == ["<b>A</b>", "<b>B</b>", "<b>C</b>"]
