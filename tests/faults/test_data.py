"""A data file that breaks while the app serves: every worker gives the same answer, /healthz
names the dataset, nothing shows a server path or a traceback, and the data comes back whole
once the file is restored. Also: a deeply nested codebook, and GET /api/v1/ on its own."""

from __future__ import annotations

import json
import logging
import shutil

from barometer_dash.app_factory import create_app
from barometer_dash.cli import main

from .conftest import assert_clean

TABLE = "/api/v1/datasets/demo/crosstab?row=trust_police&col=country"
PAGE = {"output": "..page.children...view-state.data..",
        "outputs": [{"id": "page", "property": "children"}, {"id": "view-state", "property": "data"}],
        "inputs": [{"id": "url", "property": "search", "value": "?ds=demo"}],
        "state": [{"id": "view-state", "property": "data", "value": None}], "changedPropIds": ["url.search"]}


def _workers(data_dir, n=2):  # type: ignore[no-untyped-def]
    return [create_app({"data_dir": data_dir, "cache": "null"}).server.test_client() for _ in range(n)]


def _answers(clients, data_dir):  # type: ignore[no-untyped-def]
    """(status of the table, of /healthz, of the dataset list) from each worker; bodies checked clean."""
    out = []
    for client in clients:
        row = []
        for url in (TABLE, "/healthz", "/api/v1/datasets"):
            response = client.get(url)
            assert response.status_code < 500 or url == "/healthz"
            assert_clean(response.get_data(as_text=True), data_dir)
            row.append((response.status_code, response.get_json()))
        page = client.post("/_dash-update-component", json=PAGE)
        assert page.status_code == 200
        assert_clean(page.get_data(as_text=True), data_dir)
        out.append(row)
    return out


def test_broken_data_file_same_answer_from_every_worker(demo_copy, caplog):
    data_file = demo_copy / "demo" / "responses.parquet"
    saved = data_file.read_bytes()
    first = _workers(demo_copy, 1)[0]
    before = first.get(TABLE).get_json()  # this worker has the dataset open
    data_file.write_bytes(saved[: len(saved) // 3])  # truncated in place
    later = _workers(demo_copy, 1)[0]  # a worker started after the break
    caplog.set_level(logging.WARNING)
    answers = _answers([first, later], demo_copy)
    assert answers[0] == answers[1]
    table, health, listing = answers[0]
    assert table[0] == 404 and table[1]["error"]["parameter"] == "id"
    assert health[0] == 503 and [u["id"] for u in health[1]["unavailable"]] == ["demo"]
    assert "responses.parquet" in health[1]["unavailable"][0]["problem"]
    assert listing == (200, {"datasets": []})
    assert not any(r.exc_info for r in caplog.records)  # log lines, no tracebacks
    data_file.write_bytes(saved)  # restored: both workers serve the same numbers as before
    for client in (first, later):
        after = client.get(TABLE).get_json()
        after["dataset"].pop("version"), before["dataset"].pop("version", None)
        after.pop("cite"), before.pop("cite", None)  # the citation names the version too
        assert after == before
        assert client.get("/healthz").status_code == 200


def test_error_page_names_the_dataset_not_the_server_path(demo_copy):
    (demo_copy / "demo" / "codebook.json").write_text("{", encoding="utf-8")
    client = _workers(demo_copy, 1)[0]
    body = client.post("/_dash-update-component", json=PAGE).get_data(as_text=True)
    assert "demo\\u002fcodebook.json: not valid JSON" in body
    assert_clean(body, demo_copy)


def test_deeply_nested_codebook_is_a_clear_error(demo_copy, barometer, tmp_path):
    nested = tmp_path / "nested.json"
    nested.write_text('{"dataset": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    run = barometer("ingest", str(demo_copy / "demo" / "responses.parquet"), "--id", "deep", "--codebook", str(nested),
                    "--data-dir", str(demo_copy))
    assert run.code == 1
    assert f"error: {nested}: JSON nested too deeply" in run.err and "Recursion" not in run.err
    shutil.copy(nested, demo_copy / "demo" / "codebook.json")
    run = barometer("validate", str(demo_copy))
    assert run.code == 1 and "codebook.json: JSON nested too deeply" in run.out
    health = _workers(demo_copy, 1)[0].get("/healthz")
    assert health.status_code == 503 and "nested too deeply" in health.get_json()["unavailable"][0]["problem"]


def test_api_root_is_json(demo_copy):
    client = _workers(demo_copy, 1)[0]
    for url in ("/api/v1/", "/api/v1"):
        response = client.get(url)
        assert response.status_code == 404 and response.is_json
        assert "/api/v1/openapi.json" in response.get_json()["error"]["message"]


def test_intact_copy_validates(demo_copy):
    # The CLI's `validate` on the intact copy: the control for the tests above.
    assert main(["validate", str(demo_copy)]) == 0
    assert json.loads((demo_copy / "demo" / "codebook.json").read_text())["dataset"]["id"] == "demo"
