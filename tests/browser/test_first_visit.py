"""A light first visit: what a fresh browser downloads, and the headers that make it small."""

from __future__ import annotations

import gzip
import re

import pytest

from barometer_dash.app_factory import create_app

from .live import chrome, live_url, open_view  # noqa: F401  (fixture)

LIMIT = 1.2 * 1024 * 1024
TRANSFERRED = """
const nav = performance.getEntriesByType('navigation')[0];
const res = performance.getEntriesByType('resource');
return {total: nav.transferSize + res.reduce((s, e) => s + e.transferSize, 0),
        names: res.map(e => e.name), plotly: window.Plotly ? window.Plotly.version : null};
"""


@pytest.mark.browser
def test_first_visit_stays_under_the_target(live_url, artifacts):  # noqa: F811
    driver = chrome(390, 844)  # a new browser: empty cache, as on a first visit
    try:
        driver.set_script_timeout(30)
        open_view(driver, f"{live_url}/?q=trust_police&by=age_group&country=XK&year=2022")
        seen = driver.execute_script(TRANSFERRED)
        driver.save_screenshot(str(artifacts / "first-visit-390.png"))
    finally:
        driver.quit()
    names = seen["names"]
    assert any("/assets/plotly-basic-" in n for n in names)
    # Dash's own 4.8 MB plotly.min.js and the DataTable bundle are never fetched.
    assert not [n for n in names if n.split("?")[0].endswith("plotly.min.js") or "dash_table" in n]
    assert seen["plotly"] == "4.1.1"
    assert 300_000 < seen["total"] <= LIMIT, f"{seen['total']:,} bytes on a first visit"


@pytest.fixture(scope="module")
def client():
    return create_app({"cache": "null"}).server.test_client()


def _scripts(client) -> list[str]:
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    html = gzip.decompress(page.get_data()).decode()
    return re.findall(r'<script src="([^"]+)"', html)


def test_index_is_compressed_and_names_its_language(client):
    page = client.get("/?lang=sr-Cyrl", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert '<html lang="sr-Cyrl">' in gzip.decompress(page.get_data()).decode()
    plain = client.get("/?lang=xx").get_data(as_text=True)
    assert '<html lang="en">' in plain


def test_partial_bundle_matches_the_plotly_js_of_plotly_py():
    """Figures are built by plotly.py for its own plotly.js; the bundle in assets/ must be the same
    version. To refresh: `npm pack plotly.js-basic-dist-min@VERSION`, copy plotly-basic.min.js to
    assets/plotly-basic-VERSION.min.js and remove the old one."""
    from plotly.offline import get_plotlyjs_version

    from barometer_dash.app_factory import ASSETS

    assert [p.name for p in ASSETS.glob("plotly*.js")] == [f"plotly-basic-{get_plotlyjs_version()}.min.js"]


def test_no_unused_bundle_and_partial_plotly(client):
    scripts = _scripts(client)
    assert any("/assets/plotly-basic-4.1.1.min.js?m=" in s for s in scripts)
    assert not [s for s in scripts if "dash_table" in s or s.split("?")[0].endswith("/plotly.min.js")]
    assert any("dash_core_components" in s for s in scripts)


def test_assets_are_gzipped_and_cached_for_a_year(client):
    bundle = next(s for s in _scripts(client) if "plotly-basic" in s)
    reply = client.get(bundle, headers={"Accept-Encoding": "gzip, deflate"})
    assert reply.status_code == 200 and reply.headers["Content-Encoding"] == "gzip"
    body = reply.get_data()
    assert len(body) < 450_000 and gzip.decompress(body).startswith(b"/**\n* plotly.js (basic")
    cache = reply.headers["Cache-Control"]
    assert "max-age=31536000" in cache and "immutable" in cache and "no-cache" not in cache
    # Without the version in the address the browser must check back.
    unversioned = client.get(bundle.split("?")[0], headers={"Accept-Encoding": "gzip"})
    assert "max-age=31536000" not in unversioned.headers.get("Cache-Control", "")
    suite = next(s for s in _scripts(client) if "dash_core_components" in s)
    reply = client.get(suite, headers={"Accept-Encoding": "gzip"})
    assert reply.headers["Content-Encoding"] == "gzip" and "max-age=31536000" in reply.headers["Cache-Control"]
