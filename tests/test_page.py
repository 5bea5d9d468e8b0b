"""The page in-process, through Flask's test client: layout, and callbacks as the browser posts them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from barometer_dash.app_factory import create_app


@pytest.fixture(scope="module")
def page_client():
    app = create_app({"cache": "null"})
    return app.server.test_client()


def _dependency(client, first_output: str) -> dict:
    deps = client.get("/_dash-dependencies").get_json()
    return next(d for d in deps if d["output"].lstrip(".").startswith(first_output))


def _post(client, dep: dict, inputs: dict, state: dict) -> dict:
    def fill(items, values):
        out = []
        for item in items:
            key = item["id"] if isinstance(item["id"], str) else json.dumps(item["id"])
            prop = item["property"]
            value = values.get(f"{key}.{prop}")
            if key.startswith("{"):
                out.append([])  # pattern-matching ALL with no components
            else:
                out.append({"id": item["id"], "property": prop, "value": value})
        return out

    body = {
        "output": dep["output"],
        "outputs": [
            {"id": o.split(".")[0], "property": o.split(".")[1]}
            for o in dep["output"].strip(".").split("...")
        ],
        "inputs": fill(dep["inputs"], inputs),
        "state": fill(dep["state"], state),
        "changedPropIds": [next(iter(inputs))],
    }
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    return resp.get_json()["response"]


def test_index_and_layout_load(page_client):
    assert page_client.get("/").status_code == 200
    layout = page_client.get("/_dash-layout").get_json()
    text = json.dumps(layout)
    assert '"url"' in text and '"page"' in text
    assert page_client.get("/healthz").get_json()["datasets"] == ["demo"]


def test_page_callback_builds_controls_from_permalink(page_client):
    dep = _dependency(page_client, "page.children")
    out = _post(page_client, dep, {"url.search": "?q=trust_police&by=age_group&country=XK&year=2022"},
                {"view-state.data": None})
    text = json.dumps(out["page"]["children"])
    for component_id in ("question", "breakdown", "country-filter", "year-filter", "synthetic-notice"):
        assert f'"id": "{component_id}"' in text
    assert out["view-state"]["data"]["ds"] == "demo"


def test_update_callback_returns_the_table(page_client):
    dep = _dependency(page_client, "url.search")
    inputs = {
        "question.value": "trust_police", "breakdown.value": "age_group", "country-filter.value": [2],
        "year-filter.value": [2022], "percent.value": "column", "show-dk.value": [], "view.value": "both",
        "dataset.value": "demo", "lang.value": "en",
    }
    state = {"view-state.data": {"search": "", "ds": "demo", "lang": "en"}, "url.search": ""}
    out = _post(page_client, dep, inputs, state)
    assert out["url"]["search"] == "?q=trust_police&by=age_group&country=XK&year=2022"
    table = json.dumps(out["table-container"]["children"])
    assert "\"id\": \"crosstab-table\"" in table and "Total" in table and "60+" in table
    fig = out["crosstab-chart"]["figure"]
    assert fig["data"] and fig["data"][0]["type"] == "bar"


def test_empty_data_folder_says_what_to_do(tmp_path):
    client = create_app({"cache": "null", "data_dir": tmp_path}).server.test_client()
    out = _post(client, _dependency(client, "page.children"), {"url.search": ""}, {"view-state.data": None})
    text = json.dumps(out["page"]["children"])
    assert "page-error" in text and "barometer demo" in text
    assert f"no datasets in {tmp_path.name}" in text and str(tmp_path) not in text  # no server path


def test_broken_dataset_names_the_file(tmp_path):
    import shutil

    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "demo", tmp_path / "demo")
    (tmp_path / "demo" / "codebook.json").write_text("{not json", encoding="utf-8")
    client = create_app({"cache": "null", "data_dir": tmp_path}).server.test_client()
    out = _post(client, _dependency(client, "page.children"), {"url.search": ""}, {"view-state.data": None})
    text = json.dumps(out["page"]["children"])
    assert "codebook.json" in text and "not valid JSON" in text
