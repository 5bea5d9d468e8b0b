"""Oversized bodies and URLs, too many filters: refused early with a short answer naming the
limit, JSON under /api/, plain text elsewhere (Dash's callback route too), never echoing."""

from __future__ import annotations

import http.client
import json
import re
import time

import pytest

from barometer_dash.app_factory import create_app
from barometer_dash.limits import MAX_BODY_BYTES, MAX_FILTER_CODES, MAX_QUERY_VARIABLES, MAX_URL_LENGTH

from .conftest import DEMO, assert_clean, serve
from .test_data import PAGE

BIG = b"[" + b'"x",' * (MAX_BODY_BYTES // 4) + b'"x"]'


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    return create_app({"cache": "null"}).server.test_client()


@pytest.mark.parametrize("path", ["/api/v1/datasets", "/", "/_dash-update-component"])
def test_oversized_body_is_413(client, path):
    response = client.post(path, data=BIG, content_type="application/json")
    assert response.status_code == 413
    text = response.get_data(as_text=True)
    assert len(text) < 200 and "1,000,000 bytes" in text
    if path.startswith("/api/"):
        assert response.get_json()["error"]["message"].startswith("request body too large")
    else:
        assert response.mimetype == "text/plain"


@pytest.mark.parametrize("path", ["/api/v1/datasets/demo/crosstab?row=trust_police&x=", "/?q="])
def test_overlong_url_is_414(client, path):
    response = client.get(path + "a" * MAX_URL_LENGTH)
    assert response.status_code == 414
    assert "4,096 characters" in response.get_data(as_text=True)
    assert response.is_json == path.startswith("/api/")


def test_filter_and_variable_caps_name_the_limit(client):
    base = "/api/v1/datasets/demo/crosstab?row=trust_police"
    codes = ",".join(["1"] * (MAX_FILTER_CODES + 1))
    body = client.get(f"{base}&filter=country:{codes}").get_json()
    assert body["error"] == {"parameter": "filter", "message": f"too many filter codes; the limit is "
                                                              f"{MAX_FILTER_CODES} in all"}
    many = "&".join(f"filter=v{i}:1" for i in range(MAX_QUERY_VARIABLES + 1))
    response = client.get(f"{base}&{many}")
    assert response.status_code == 400 and f"the limit is {MAX_QUERY_VARIABLES} variables" in response.get_json()[
        "error"]["message"]
    # A tab book is every question against its banner: the same cap, before any table is made.
    banner = "&".join(["col=country", "col=year", "col=gender",
                       *(f"filter=v{i}:1" for i in range(MAX_QUERY_VARIABLES))])
    book = client.get(f"/api/v1/datasets/demo/tabbook?{banner}")
    assert book.status_code == 400 and book.get_json()["error"] == {
        "parameter": "col", "message": f"the limit is {MAX_QUERY_VARIABLES} variables"}


def test_errors_quote_only_a_short_piece(client):
    long_name = "z" * 3000
    for url in (f"/api/v1/datasets/demo/crosstab?row={long_name}", f"/api/v1/datasets/{long_name}",
                f"/api/v1/datasets/demo/crosstab?row=trust_police&filter={long_name}",
                f"/api/v1/datasets?{long_name}=1", f"/api/v1/{long_name}"):
        response = client.get(url)
        assert 400 <= response.status_code < 500
        text = response.get_data(as_text=True)
        assert len(text) < 400 and re.search(r"\(30\d\d characters\)", text), url[:60]


def test_real_server_refuses_big_bodies_and_names_no_versions(record):
    served = serve(DEMO.parent)
    host, port = served.url.removeprefix("http://").split(":")
    try:
        status, headers, _ = served.get("/")
        assert status == 200
        assert headers["Server"] == "Barometer Dash"  # not Werkzeug/x.y Python/x.y
        # 20 MB announced: refused before it is read.
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        started = time.perf_counter()
        conn.putrequest("POST", "/_dash-update-component")
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", str(20_000_000))
        conn.endheaders()
        conn.send(b"[" * 1000)
        response = conn.getresponse()
        record["post_20mb_refused_s"] = round(time.perf_counter() - started, 3)
        assert response.status == 413 and len(response.read()) < 200
        conn.close()
        # No length given (chunked): the cap applies while reading.
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        chunks = iter([BIG[i:i + 65536] for i in range(0, len(BIG), 65536)])
        conn.request("POST", "/_dash-update-component", body=chunks, headers={"Content-Type": "application/json"},
                     encode_chunked=True)
        response = conn.getresponse()
        assert response.status == 413
        body = response.read()
        assert len(body) < 400
        conn.close()
        conn = http.client.HTTPConnection(host, int(port), timeout=30)  # a small chunked body still works
        conn.request("POST", "/_dash-update-component", body=iter([json.dumps(PAGE).encode()]),
                     headers={"Content-Type": "application/json"}, encode_chunked=True)
        response = conn.getresponse()
        assert response.status == 200 and b"page" in response.read()
        conn.close()
        status, _, body = served.get("/api/v1/datasets/demo/crosstab?row=trust_police&col=country")
        assert status == 200 and json.loads(body)["cells"]
    finally:
        log = served.stop()
    assert "Traceback" not in log
    assert_clean(log.replace(str(DEMO.parent), ""))
