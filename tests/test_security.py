"""Security headers on every route, no versions in the page, limits in the OpenAPI document,
and the dataset endpoint linear in the number of variables."""

from __future__ import annotations

import re
import sys
from types import SimpleNamespace
from typing import Any

import dash
import plotly
import pytest

from barometer_dash import api
from barometer_dash.domain.codebook import Codebook, parse_codebook

ROUTES = ["/", "/?q=trust_police", "/api/v1/datasets", "/api/v1/openapi.json", "/healthz", "/assets/style.css",
          "/api/v1/nope", "/_dash-layout"]


@pytest.fixture(scope="module")
def page_client():  # type: ignore[no-untyped-def]
    from barometer_dash.app_factory import create_app

    return create_app({"cache": "null"}).server.test_client()


def _policy(header: str) -> dict[str, str]:
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in header.split("; ")}


@pytest.mark.parametrize("path", ROUTES)
def test_headers_on_every_route(page_client, path):
    response = page_client.get(path)
    policy = _policy(response.headers["Content-Security-Policy"])
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"]
    assert policy["frame-ancestors"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Server" not in response.headers


@pytest.mark.parametrize("path", ["/embed", "/embed/chart"])
def test_embed_may_be_framed_by_anyone(page_client, path):
    response = page_client.get(path)
    assert _policy(response.headers["Content-Security-Policy"])["frame-ancestors"] == "*"
    assert "X-Frame-Options" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_script_hashes_match_the_inline_scripts(page_client):
    import base64
    import hashlib

    response = page_client.get("/")
    html = response.get_data(as_text=True)
    inline = re.findall(r"<script(?: id=\"_dash-renderer\" type=\"application/javascript\")?>(.*?)</script>", html,
                        re.S)
    inline = [s for s in inline if s.strip() and "alert(" not in s]  # the IE-only one is in a comment
    assert len(inline) >= 2
    allowed = _policy(response.headers["Content-Security-Policy"])["script-src"]
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed


def test_page_shows_no_versions(page_client):
    html = page_client.get("/").get_data(as_text=True)
    for version in (dash.__version__, dash.__version__.replace(".", "_"), plotly.__version__, sys.version.split()[0]):
        assert version not in html
    assert "python_version" not in html and "dash_version" not in html
    for src in re.findall(r'src="(/_dash-component-suites/[^"]+)"', html) + ["/_favicon.ico"]:
        assert page_client.get(src).status_code == 200, src  # the renamed script URLs are served


def test_openapi_documents_413_and_414_everywhere(page_client):
    doc = page_client.get("/api/v1/openapi.json").get_json()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            assert {"413", "414"} <= set(op["responses"]), (path, method)


def test_dataset_endpoint_is_linear_in_variables(monkeypatch):
    n = 10_000
    values = [{"code": 1, "label": "yes"}, {"code": 2, "label": "no"}]
    cb = parse_codebook({"dataset": {"id": "wide", "title": "Wide"},
                         "variables": [{"name": f"q{i}", "label": f"Q{i}", "kind": "single", "values": values}
                                       for i in range(n)]})
    calls = {"questions": 0, "breakdowns": 0}

    def counting(name: str) -> Any:
        original = getattr(Codebook, name)

        def get(self: Codebook) -> Any:
            calls[name] += 1
            return original.fget(self)

        return property(get)

    for name in calls:
        monkeypatch.setattr(Codebook, name, counting(name))
    ds = SimpleNamespace(codebook=cb, n=10, version="v")
    detail = api.dataset_detail(ds, "en")  # type: ignore[arg-type]
    assert len(detail["variables"]) == n and all(v["question"] for v in detail["variables"])
    assert calls["questions"] <= 2 and calls["breakdowns"] <= 2  # not once per variable


def test_api_docs_state_the_limits():
    from pathlib import Path

    from barometer_dash.limits import MAX_BODY_BYTES, MAX_FILTER_CODES, MAX_QUERY_VARIABLES, MAX_URL_LENGTH

    text = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
    for phrase in (f"{MAX_BODY_BYTES:,} bytes", f"{MAX_URL_LENGTH:,} characters", f"{MAX_FILTER_CODES} filter codes",
                   f"{MAX_QUERY_VARIABLES} variables"):
        assert phrase in text, phrase
