"""What a journalist takes away, in a real Chromium: trend lines equal to the API's numbers, a
summary whose numbers are the table's, an embed inside another site's iframe, and citations."""

from __future__ import annotations

import http.server
import re
import socket
import threading
import urllib.request

import pytest

from barometer_dash.app_factory import create_app

from .conftest import read_table

pytestmark = pytest.mark.browser


def _json(url: str) -> dict:
    import json

    with urllib.request.urlopen(url) as resp:
        return json.loads(resp.read())


def _lines(driver) -> list[dict]:
    return driver.execute_script(
        "const g = document.querySelector('#crosstab-chart .js-plotly-plot');"
        "return g.data.filter(t => t.mode && t.mode.includes('lines') && t.name && t.showlegend !== false)"
        "  .map(t => ({name: t.name, x: t.x, y: t.y}));")


@pytest.mark.parametrize("ans, answer_row", [("1", 1), (None, "trust")])
def test_trend_lines_equal_the_api_per_country_and_wave(dash_duo, artifacts, ans, answer_row):
    dash_duo.start_server(create_app({"cache": "null"}))
    search = "?q=trust_police&by=country&chart=trend" + (f"&ans={ans}" if ans else "")
    dash_duo.driver.get(dash_duo.server_url + "/" + search)
    dash_duo.wait_for_element("#trend-table tbody tr", timeout=20)
    dash_duo.wait_for_element("#crosstab-chart .scatterlayer path", timeout=20)
    lines = _lines(dash_duo.driver)
    names = {"Albania": 1, "Kosovo": 2, "Serbia": 3}
    assert sorted(line["name"] for line in lines) == sorted(names)
    for line in lines:
        api = _json(f"{dash_duo.server_url}/api/v1/datasets/demo/crosstab?row=trust_police&col=year"
                    f"&filter=country:{names[line['name']]}")
        by_wave = {c["col_label"]: c["percent"] for c in api["cells"] if c["row"] == answer_row and c["col"]}
        assert [str(x) for x in line["x"]] == ["2021", "2022", "2023", "2024"]
        for wave, y in zip(line["x"], line["y"], strict=True):
            assert y == pytest.approx(by_wave[str(wave)], abs=1e-9), (line["name"], wave)
    rows = dash_duo.find_elements("#trend-table tbody tr")
    assert len(rows) == 12  # three countries, four waves: the same points as a table
    dash_duo.driver.save_screenshot(str(artifacts / f"trend-{ans or 'net'}-1280.png"))
    dash_duo.driver.set_window_size(390, 844)
    dash_duo.driver.execute_script("document.querySelector('#crosstab-chart').scrollIntoView();")
    dash_duo.driver.save_screenshot(str(artifacts / f"trend-{ans or 'net'}-390.png"))
    assert dash_duo.get_logs() == []


def test_summary_numbers_are_in_the_table_and_links_cite_and_embed(dash_duo):
    dash_duo.start_server(create_app({"cache": "null"}))
    dash_duo.driver.get(dash_duo.server_url + "/?q=trust_police&by=age_group&country=XK&year=2022")
    dash_duo.wait_for_element("#summary", timeout=20)
    text = dash_duo.find_element("#summary").text
    assert text.startswith("Kosovo, 2022:") and "significant" in text
    _, _, shown = read_table(dash_duo.driver)
    table_values = {f"{v:.1f}" for v in shown.ravel() if v == v}
    # Interval bounds are in each cell's title (and in the table with intervals shown).
    titles = dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('#crosstab-table td[title]')].map(td => td.title).join(' ')")
    table_values |= set(re.findall(r"\d+\.\d", titles))
    for pct in re.findall(r"(\d+\.\d)%", text):
        assert pct in table_values, (pct, text)
    cite = dash_duo.driver.execute_script("return document.getElementById('cite-text').textContent")
    assert "version" in cite and dash_duo.server_url in cite and "country=XK" in cite
    code = dash_duo.driver.execute_script("return document.getElementById('embed-code').value")
    src = re.search(r'src="([^"]+)"', code).group(1)
    assert src.startswith(dash_duo.server_url + "/embed?") and "country=XK" in src
    assert dash_duo.get_logs() == []


def test_embed_shows_inside_an_iframe_on_another_origin(dash_duo, artifacts, tmp_path):
    dash_duo.start_server(create_app({"cache": "null"}))
    embed = dash_duo.server_url.replace("localhost", "127.0.0.1") + "/embed?q=trust_police&by=age_group&country=XK"
    (tmp_path / "index.html").write_text(
        f'<!DOCTYPE html><html><body><h1>A newspaper</h1><iframe id="bd" src="{embed}" width="700" height="900">'
        "</iframe></body></html>", encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *args):
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", port), Quiet)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        dash_duo.driver.get(f"http://localhost:{port}/index.html")
        frame = dash_duo.wait_for_element("#bd", timeout=10)
        dash_duo.driver.switch_to.frame(frame)
        title = dash_duo.wait_for_element("#embed-title", timeout=20).text
        assert title == "How much do you trust the police?"
        assert "Kosovo" in dash_duo.find_element("#summary").text
        img = dash_duo.find_element(".bd-chart img")
        assert img.get_attribute("alt") == dash_duo.find_element("#summary").text
        assert dash_duo.driver.execute_script("return arguments[0].naturalWidth", img) > 0
        dash_duo.driver.switch_to.default_content()
        dash_duo.driver.save_screenshot(str(artifacts / "embed-in-iframe.png"))
    finally:
        site.shutdown()
