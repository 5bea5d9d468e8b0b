"""The page in-process, through Flask's test client: layout, and callbacks as the browser posts them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from barometer_dash.app_factory import create_app
from barometer_dash.domain.query import Query
from tests.callbacks import Callbacks

CONTROLS = {
    "question.value": "trust_police", "breakdown.value": "age_group", "country-filter.value": [2],
    "year-filter.value": [2022], "percent.value": "column", "show-dk.value": [], "view.value": "both",
    "dataset.value": "demo", "lang.value": "en",
}


@pytest.fixture(scope="module")
def page_app():
    return create_app({"cache": "null"})


@pytest.fixture(scope="module")
def page(page_app) -> Callbacks:
    return Callbacks(page_app.server.test_client())


def _state(search: str, lang: str = "en") -> dict:
    return {"view-state.data": {"search": search, "ds": "demo", "lang": lang, "built": True}}


def _components(tree) -> dict:
    """id (as text) -> props of every component in a layout tree."""
    out = {}

    def walk(node):
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict) and "props" in node:
            props = node["props"]
            if "id" in props:
                out[json.dumps(props["id"], sort_keys=True) if isinstance(props["id"], dict) else props["id"]] = props
            walk(props.get("children"))
    walk(tree)
    return out


def test_index_and_layout_load(page):
    assert page.client.get("/").status_code == 200
    layout = page.client.get("/_dash-layout").get_json()
    text = json.dumps(layout)
    assert '"url"' in text and '"page"' in text
    assert page.client.get("/healthz").get_json()["datasets"] == ["demo"]


def test_page_callback_sets_controls_from_permalink(page):
    out = page.post("page.children", {"url.search": "?q=trust_police&by=age_group&country=XK&year=2022&f.gender=2"
                                      "&pct=row&dk=1"}, changed="url.search")
    comps = _components(out["page"]["children"])
    assert comps["question"]["value"] == "trust_police"
    assert comps["breakdown"]["value"] == "age_group"
    assert comps["country-filter"]["value"] == [2] and comps["year-filter"]["value"] == [2022]
    assert comps[json.dumps({"type": "demo-filter", "var": "gender"}, sort_keys=True)]["value"] == [2]
    assert comps["percent"]["value"] == "row"
    assert comps["show-dk"]["value"] == ["dk"]  # the old `dk=1` still opens the same view
    state = out["view-state"]["data"]
    assert state["ds"] == "demo"
    assert state["search"] == "?q=trust_police&by=age_group&country=XK&f.gender=2&year=2022&pct=row&missing=include"


def test_controls_with_demographic_filters_make_the_link(page):
    out = page.post("url.search", {**CONTROLS, **_state(""), "url.search": ""},
                    matches={"demo-filter": {"gender": [2], "education": []}}, changed="question.value")
    assert out["url"]["search"] == "?q=trust_police&by=age_group&country=XK&f.gender=2&year=2022"
    assert out["view-state"]["data"]["search"] == out["url"]["search"]


def test_results_callbacks_show_the_service_numbers(page, page_app):
    search = "?q=trust_police&by=age_group&country=XK&year=2022&f.gender=2"
    service = page_app.server.extensions["barometer_service"]
    xt = service.crosstab(Query(dataset="demo", row="trust_police", col="age_group",
                                filters=(("country", (2,)), ("gender", (2,)), ("year", (2022,)))))
    table = json.dumps(page.post("table-container.children", _state(search))["table-container"]["children"])
    assert '"id": "crosstab-table"' in table
    shown = re.findall(r'"children": \["(\d+\.\d)"', table)
    expected = [f"{c.percent:.1f}" for c in xt.cells if c.percent is not None]
    assert shown == expected
    fig = page.post("crosstab-chart.figure", _state(search))["crosstab-chart"]["figure"]
    drawn = sorted(round(x, 6) for trace in fig["data"] for x in trace["x"] if x is not None)
    # The chart stacks the answers (nets would count people twice) of every shown column.
    assert drawn == sorted(round(c.percent, 6) for c in xt.cells if c.percent is not None and not
                           isinstance(c.row, str))


def test_download_links_carry_the_view(page):
    search = "?q=trust_police&by=age_group&country=XK&pct=row&missing=include&level=0.99"
    links = page.post("downloads.children", _state(search))["downloads"]["children"]
    hrefs = [c["props"]["href"] for c in links if c.get("type") == "A" and "/crosstab?" in c["props"]["href"]]
    assert len(hrefs) == 3
    for href in hrefs:
        assert href.startswith("/api/v1/datasets/demo/crosstab?row=trust_police&col=age_group&filter=country:2")
        assert "percent=row" in href and "missing=include" in href and "level=0.99" in href
    names = [c["props"].get("download") for c in links if c.get("type") == "A"]
    assert "demo_trust_police_by_age_group_country-XK_row-pct_with-missing_level-99.csv" in names


def test_language_switch_relabels_without_recomputing(tmp_path):
    from barometer_dash import service as service_module

    app = create_app({"cache": "simple"})
    calls = []
    original = service_module.Service._compute

    def counting(self, *args, **kwargs):
        calls.append(args[1])
        return original(self, *args, **kwargs)

    service_module.Service._compute = counting  # type: ignore[method-assign]
    try:
        cbs = Callbacks(app.server.test_client())
        en = json.dumps(cbs.post("table-container.children", _state("?q=trust_police"))["table-container"])
        sq = json.dumps(cbs.post("table-container.children", _state("?q=trust_police&lang=sq", "sq"))
                        ["table-container"])
    finally:
        service_module.Service._compute = original  # type: ignore[method-assign]
    assert "Total" in en and "Gjithsej" in sq
    assert len(calls) == 1


FORGED = [
    {"question.value": "nope", "breakdown.value": "shoe_size"},
    {"question.value": ["trust_police"], "breakdown.value": {"x": 1}},
    {"country-filter.value": [99, "x", None], "year-filter.value": "2022"},
    {"percent.value": "half", "show-dk.value": "dk", "view.value": 3},
    {"cmp-answer.value": "1", "cmp-a.value": [1], "cmp-b.value": 9999},
    {"lang.value": "de", "dataset.value": "../../etc"},
]


@pytest.mark.parametrize("forged", FORGED)
def test_forged_control_values_fall_back(page, forged):
    out = page.post("url.search", {**CONTROLS, **forged, **_state(""), "url.search": ""},
                    matches={"demo-filter": {"gender": ["'; drop", 7], "nope": [1]}}, changed="question.value")
    search = out.get("url", {}).get("search", "")
    assert "nope" not in search and "drop" not in search and "etc" not in search


@pytest.mark.parametrize("state", [None, "?q=x", [], {"ds": 5}, {"ds": "demo", "search": {"q": 1}},
                                   {"ds": "demo", "search": "?q=nope&by=" + "x" * 5000, "lang": "zz"}])
def test_forged_view_state_never_fails(page, state):
    for output in ("table-container.children", "crosstab-chart.figure", "result-heading.children",
                   "downloads.children", "change-box.hidden", "table-test.children"):
        resp = page.post(output, {"view-state.data": state, "viewport.data": {"width": "x"}}, raw=True)
        assert resp.status_code in (200, 204), (output, resp.get_data(as_text=True)[:300])


def test_empty_data_folder_says_what_to_do(tmp_path):
    cbs = Callbacks(create_app({"cache": "null", "data_dir": tmp_path}).server.test_client())
    out = cbs.post("page.children", {"url.search": ""}, changed="url.search")
    text = json.dumps(out["page"]["children"])
    assert "page-error" in text and "barometer demo" in text
    assert f"no datasets in {tmp_path.name}" in text and str(tmp_path) not in text  # no server path


def test_broken_dataset_names_the_file(tmp_path):
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "demo", tmp_path / "demo")
    (tmp_path / "demo" / "codebook.json").write_text("{not json", encoding="utf-8")
    cbs = Callbacks(create_app({"cache": "null", "data_dir": tmp_path}).server.test_client())
    out = cbs.post("page.children", {"url.search": ""}, changed="url.search")
    text = json.dumps(out["page"]["children"])
    assert "codebook.json" in text and "not valid JSON" in text


@pytest.mark.parametrize("search", ["?q=trust_police&by=country", "?q=threats&by=gender", "?q=trust_eu&chart=trend",
                                    "?q=trust_police&by=age_group&chart=countries"])
def test_intervals_switch_draws_error_bars_and_says_so(page, search):
    def chart(extra: str) -> tuple[list[dict], str]:
        out = page.post("crosstab-chart.figure", {**_state(search + extra), "viewport.data": {"width": 1280}})
        return out["crosstab-chart"]["figure"]["data"], out.get("chart-alt", {}).get("children", "")

    off, alt_off = chart("")
    on, alt_on = chart("&ci=1")
    drawn = [t for t in on if t.get("mode") != "lines"]  # a trend's band edges are not points
    assert drawn and all("error_x" in t or "error_y" in t for t in drawn)
    assert not any("error_x" in t or "error_y" in t for t in off)
    if "chart=" not in search:
        assert "error bar" in alt_on and "error bar" not in alt_off
