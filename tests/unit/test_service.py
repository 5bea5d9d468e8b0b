"""The service: one path from a Query to the labelled table, with the minimum-base rules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from barometer_dash.data.store import Store
from barometer_dash.domain.errors import QueryError, VariableNotFound
from barometer_dash.domain.query import Comparison, Query
from barometer_dash.render.figure import as_graph_object, crosstab_figure
from barometer_dash.service import Rules, Service
from barometer_dash.stats import crosstab

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def service() -> Service:
    return Service(Store(DATA), rules=Rules(min_base=30, flag_base=100))


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return pd.read_parquet(DATA / "demo" / "responses.parquet")


def test_wiring_service_equals_stats_crosstab(service, frame):
    """Wiring: the service and `stats.crosstab` share the engine; independent checks are in tests/golden."""
    q = Query(dataset="demo", row="trust_police", col="age_group", filters=(("country", (2,)), ("year", (2022,))))
    xt = service.crosstab(q)
    where = (frame["country"] == 2) & (frame["year"] == 2022)
    ref = crosstab(frame, "trust_police", "age_group", weight="weight", strata="stratum", psu="psu",
                   where=where, missing={"trust_police": [98, 99]})
    for cell in xt.cells:
        if cell.col is None or isinstance(cell.row, str):  # nets are checked against numpy below
            continue
        r = ref.cells[(ref.cells["row"] == cell.row) & (ref.cells["col"] == cell.col)].iloc[0]
        assert cell.n == r["n"]
        assert cell.percent == pytest.approx(r["percent"], abs=1e-9)
        assert cell.se == pytest.approx(r["se"], abs=1e-9)
        assert cell.ci_low == pytest.approx(r["ci_low"], abs=1e-9)
        assert cell.ci_high == pytest.approx(r["ci_high"], abs=1e-9)
    assert xt.test is not None and xt.test.p == pytest.approx(ref.test.p, abs=1e-12)


def test_total_column_is_plain_weighted_share(service, frame):
    xt = service.crosstab(Query(dataset="demo", row="trust_eu", col="year"))
    valid = frame["trust_eu"].isin([1, 2, 3, 4])
    w = frame.loc[valid].groupby("trust_eu")["weight"].sum()
    expected = (w / w.sum() * 100).to_numpy()
    answers = [i for i, r in enumerate(xt.rows) if not r.net]
    totals = np.array([xt.cell(i, 0).percent for i in answers])
    assert np.allclose(totals, expected, atol=1e-9)
    assert xt.bases[0].n == int(valid.sum())
    # A net is the weighted share of its answers together, computed here with numpy alone.
    for i, r in enumerate(xt.rows):
        if r.net:
            codes = next(n.codes for n in service.store.get("demo").codebook.by_name["trust_eu"].all_nets
                         if n.key == r.key)
            assert xt.cell(i, 0).percent == pytest.approx(w.loc[list(codes)].sum() / w.sum() * 100, abs=1e-9)
    assert sum(r.net for r in xt.rows) == 2


def test_small_bases_suppressed_and_flagged(service):
    q = Query(dataset="demo", row="trust_police", col="ethnicity", filters=(("country", (2,)), ("year", (2022,))))
    xt = service.crosstab(q)
    suppressed = [b for b in xt.bases if b.suppressed]
    flagged = [b for b in xt.bases if b.flagged]
    assert suppressed and flagged
    assert all(b.n < 30 for b in suppressed) and all(30 <= b.n < 100 for b in flagged)
    for cell in xt.cells:
        hidden = next(b for b in xt.bases if b.col == cell.col).suppressed
        assert (cell.percent is None) == hidden
        if hidden:
            assert cell.se is None and cell.ci_low is None and cell.sig == 0
    fig = crosstab_figure(xt)
    labels = {y for trace in fig["data"] for y in trace["y"]}
    assert not labels & {c.label for c, b in zip(xt.cols, xt.bases, strict=True) if b.suppressed}


def test_filter_leaves_out_empty_columns(service):
    xt = service.crosstab(Query(dataset="demo", row="trust_police", col="region", filters=(("country", (2,)),)))
    assert all(b.n > 0 for b in xt.bases)
    assert len(xt.cols) == 1 + 7  # Total and Kosovo's seven districts
    full = service.crosstab(Query(dataset="demo", row="trust_police", col="region"))
    assert len(full.cols) == 1 + 12 + 7 + 4


def test_dont_know_shown_on_request(service):
    hidden = service.crosstab(Query(dataset="demo", row="trust_nato", col="country"))
    shown = service.crosstab(Query(dataset="demo", row="trust_nato", col="country", include_missing=True))
    answers = [i for i, r in enumerate(shown.rows) if not r.net]
    assert [shown.rows[i].missing for i in answers][-2:] == [True, True]
    assert len(shown.rows) == len(hidden.rows) + 2
    assert shown.bases[0].n > hidden.bases[0].n
    assert sum(shown.cell(i, 0).percent for i in answers) == pytest.approx(100)


def test_multiple_response_set(service, frame):
    xt = service.crosstab(Query(dataset="demo", row="threats", col="country"))
    assert xt.kind == "multi" and xt.test is None
    total = sum(xt.cell(i, 0).percent for i in range(len(xt.rows)))
    assert 100 < total <= 300
    base = frame["threats_1"].notna()
    w = frame["weight"]
    expected = (frame.loc[base, "threats_2"] * w[base]).sum() / w[base].sum() * 100
    assert xt.cell(1, 0).percent == pytest.approx(expected, abs=1e-9)


def test_numeric_question_has_means(service, frame):
    xt = service.crosstab(Query(dataset="demo", row="trust_general", col="country"))
    assert xt.means is not None and len(xt.means) == len(xt.cols)
    x = frame["trust_general"]
    ok = x.notna() & ~x.isin([98, 99])
    expected = np.average(x[ok], weights=frame.loc[ok, "weight"])
    assert xt.means[0] == pytest.approx(expected, abs=1e-9)


def test_change_between_waves(service):
    q = Query(dataset="demo", row="trust_eu", col="year")
    xt = service.crosstab(q, comparison=Comparison(variable="year", answer=1, a=2021, b=2024))
    c = xt.change
    assert c is not None
    assert c.estimate == pytest.approx(c.b_percent - c.a_percent, abs=1e-9)
    assert c.ci_low < c.estimate < c.ci_high
    assert c.a_percent == pytest.approx(xt.cell(0, 1).percent)


def test_asked_only_note_and_wording_note(service, frame):
    ksf = service.crosstab(Query(dataset="demo", row="trust_ksf", col="year"))
    assert ksf.notes == ("Asked only in: Kosovo.",)  # once, not a second time in other words
    assert service.crosstab(Query(dataset="demo", row="trust_ksf"), "sq").notes == ("Pyetur vetëm në: Kosova.",)
    asked = frame["trust_ksf"].isin([1, 2, 3, 4])
    assert ksf.bases[0].n == int(asked.sum()) and set(frame.loc[asked, "country"]) == {2}
    ukraine = service.crosstab(Query(dataset="demo", row="ukraine_war_threat"))
    assert ukraine.notes == ("Asked only in: 2022, 2023, 2024.",)
    assert service.crosstab(Query(dataset="demo", row="trust_police")).notes == ()
    army = service.crosstab(Query(dataset="demo", row="trust_army"))
    assert army.notes == ("In Kosovo this item refers to the Kosovo Security Force.",)


@pytest.mark.parametrize(
    "query, error",
    [
        (Query(dataset="demo", row="nope"), VariableNotFound),
        (Query(dataset="demo", row="trust_police", col="threats"), QueryError),
        (Query(dataset="demo", row="trust_police", col="trust_police"), QueryError),
        (Query(dataset="demo", row="trust_police", filters=(("country", (9,)),)), QueryError),
        (Query(dataset="demo", row="trust_police", percent="half"), QueryError),  # type: ignore[arg-type]
    ],
)
def test_bad_queries_name_the_problem(service, query, error):
    with pytest.raises(error):
        service.crosstab(query)


@pytest.mark.parametrize("row", ["trust_police", "threats", "trust_general", "news_source"])
def test_figures_are_valid_plotly(service, row):
    xt = service.crosstab(Query(dataset="demo", row=row, col="age_group", include_missing=True))
    fig = as_graph_object(crosstab_figure(xt))
    assert fig.layout.title.text.startswith(xt.question[:20])
    assert "Synthetic" in fig.layout.annotations[0].text


def test_year_columns_stay_categories_in_the_chart(service):
    fig = crosstab_figure(service.crosstab(Query(dataset="demo", row="trust_eu", col="year")))
    assert fig["layout"]["yaxis"]["type"] == "category"  # "2021" must not become a number axis
    assert fig["data"][0]["y"][0] == "Total"


def test_change_is_the_same_whichever_percent_base_is_shown(service):
    cmp = Comparison(variable="year", answer=1, a=2021, b=2024)
    column = service.crosstab(Query(dataset="demo", row="trust_eu", col="year"), comparison=cmp).change
    row = service.crosstab(Query(dataset="demo", row="trust_eu", col="year", percent="row"), comparison=cmp).change
    assert column is not None and row is not None
    assert column.a_percent == pytest.approx(row.a_percent, abs=1e-12)
    assert column.estimate == pytest.approx(row.estimate, abs=1e-12)


def test_filters_are_named_by_their_short_label() -> None:
    # Captions, exports and the citation read "Year: 2024", not "Survey year: 2024".
    from barometer_dash.settings import load_config

    service = Service(Store(load_config().data_dir))
    xt = service.crosstab(Query("demo", "trust_police", "country", filters=(("year", (2024,)), ("settlement", (1,)))),
                          "en")
    cb = service.store.get("demo").codebook
    assert cb.by_name["year"].label.get("en") == "Survey year"  # the long label differs
    assert [name for name, _ in xt.filters] == ["Year", "Urban / rural"]
    assert xt.filters[0][1] == "2024"
