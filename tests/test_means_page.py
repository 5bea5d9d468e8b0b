"""Means of numeric questions on every surface: markers against the other columns and the
comparison box's difference of two means, equal to `Survey`'s design-based tests (which are
checked against svy in tests/unit/test_stats_survey.py)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from barometer_dash import Barometer
from barometer_dash.app_factory import create_app
from barometer_dash.render.dom import to_html
from barometer_dash.render.table import crosstab_table
from barometer_dash.stats import Survey
from barometer_dash.ui.controls import comparison_options
from barometer_dash.view.links import parse_page

DEMO = Path(__file__).resolve().parents[1] / "data"


def _get(client, url: str, status: int = 200) -> dict:
    resp = client.get(url)
    assert resp.status_code == status, (url, resp.get_data(as_text=True)[:400])
    return resp.get_json()


@pytest.fixture(scope="module")
def demo_client():  # type: ignore[no-untyped-def]
    return create_app({"data_dir": DEMO, "cache": "null"}).server.test_client()


@pytest.fixture(scope="module")
def demo_survey() -> Survey:
    frame = pd.read_parquet(DEMO / "demo" / "responses.parquet")
    return Survey(frame, weight="weight", strata="stratum", psu="psu")


MISSING = {"trust_general": [98, 99]}


def test_mean_markers_and_differences_equal_the_survey_through_the_api(demo_client, demo_survey):
    body = _get(demo_client, "/api/v1/datasets/demo/crosstab?row=trust_general&col=country")
    assert body["question"]["kind"] == "numeric"
    ref = demo_survey.mean("trust_general", "country", missing=MISSING).means.set_index("col")
    codes = [c["code"] for c in body["cols"]]
    marks = {codes[j]: m["sig"] for j, m in enumerate(body["mean_ci"]) if m is not None and j > 0}
    assert marks == {code: int(ref.loc[code, "sig"]) for code in marks}
    assert any(v != 0 for v in marks.values())  # the test data has differences to mark
    for j, mean in enumerate(body["means"][1:], start=1):
        assert math.isclose(mean, ref.loc[codes[j], "mean"], rel_tol=1e-9)
    a, b = codes[1], codes[-1]
    body = _get(demo_client, f"/api/v1/datasets/demo/crosstab?row=trust_general&col=country&cmp=mean,{a},{b}")
    change = body["change"]
    d = demo_survey.mean_difference("trust_general", "country", a, b, missing=MISSING)
    assert change["mean"] is True and change["answer"] == "mean"
    for key, want in (("estimate", d.estimate), ("se", d.se), ("ci_low", d.ci_low), ("ci_high", d.ci_high),
                      ("p", d.p)):
        assert math.isclose(change[key], want, rel_tol=1e-9, abs_tol=1e-12), key
    assert change["sentence"].startswith("Mean: ")


def test_the_page_table_marks_means_and_writes_their_intervals() -> None:
    xt = Barometer(DEMO).crosstab("demo", "trust_general", by="country")
    assert xt.numbers is not None and xt.numbers.means is not None
    sigs = [m.sig if m else 0 for m in xt.numbers.means]
    assert 1 in sigs and -1 in sigs
    html = to_html(crosstab_table(xt, show_ci=True))
    row = html.split('class="mean-row"')[1].split("</tr>")[0]
    assert row.count("sig-up") == sigs.count(1) and row.count("sig-down") == sigs.count(-1)
    assert "significantly higher" in row and "significantly lower" in row
    m = xt.numbers.means[1]
    assert m is not None and f"({m.ci_low:.2f}\u2013{m.ci_high:.2f})" in row
    assert "(" not in to_html(crosstab_table(xt)).split('class="mean-row"')[1].split("</tr>")[0]


def test_comparison_box_offers_the_mean_first_for_a_numeric_question(demo_survey) -> None:
    bar = Barometer(DEMO)
    cb = bar.codebook("demo")
    view = parse_page("?q=trust_general&by=year", cb).view
    answers, cats = comparison_options(cb, view)
    assert answers[0] == {"label": "Mean", "value": "mean"} and len(cats) == 4
    xt = bar.crosstab("demo", "trust_general", by="year", compare="mean,2021,2024", lang="sr")
    assert xt.change is not None and xt.change.mean and xt.change.answer_label == "Prosek"
    d = demo_survey.mean_difference("trust_general", "year", 2021, 2024, missing=MISSING)
    assert xt.change.estimate == pytest.approx(d.estimate, rel=1e-9, abs=1e-12)
    assert xt.change.se == pytest.approx(d.se, rel=1e-9)
    assert np.isfinite(xt.change.p)


def test_means_markers_and_mean_comparison_share_one_scan_per_breakdown(monkeypatch: pytest.MonkeyPatch) -> None:
    import barometer_dash.service as service_module
    from barometer_dash.data.store import Store
    from barometer_dash.domain.query import Comparison, Query
    from barometer_dash.service import Service

    calls: list[int] = []
    real = service_module.mean_totals

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[3])  # n_cols
        return real(*args, **kwargs)

    monkeypatch.setattr(service_module, "mean_totals", counted)
    service = Service(Store(DEMO))
    q = Query(dataset="demo", row="trust_general", col="year")
    xt = service.crosstab(q, comparison=Comparison(variable="year", answer="mean", a=2021, b=2024))
    assert xt.change is not None and xt.change.mean and xt.means is not None
    assert sorted(calls) == [1, 4]  # the Total, and the four waves: means, markers and comparison from one scan
    # Another confidence level reuses the scans: only the intervals change.
    service.crosstab(Query(dataset="demo", row="trust_general", col="year", level=0.99))
    assert len(calls) == 2
