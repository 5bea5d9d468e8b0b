"""Every chart draws the table's numbers, in every percent base and question kind, at desktop
and phone width; the download links give the same numbers; markers point the right way."""

from __future__ import annotations

import csv
import io
import re
import urllib.request

import numpy as np
import pytest

from barometer_dash.app_factory import create_app

from .conftest import read_table

pytestmark = pytest.mark.browser

VIEWS = [
    ("single-column", "?q=trust_police&by=age_group&country=XK", "stack"),
    ("single-row", "?q=trust_police&by=country&pct=row", "stack"),
    ("single-total", "?q=trust_police&by=country&pct=total", "stack"),
    ("single-row-dk", "?q=trust_courts&by=country&pct=row&missing=include", "stack"),
    ("single-total-nobreak", "?q=trust_courts&by=none&pct=total", "stack"),
    ("multi-column", "?q=threats&by=country", "group"),
    ("numeric-column", "?q=trust_general&by=country", "mean"),
    ("numeric-row", "?q=trust_general&by=year&pct=row", "mean"),
    ("nested-column", "?q=trust_police&by=country&by2=gender", "stack"),
    ("nested-row", "?q=trust_police&by=country&by2=gender&pct=row", "stack"),
    ("nested-total", "?q=trust_police&by=year&by2=gender&pct=total", "stack"),
    ("nested-numeric", "?q=trust_general&by=country&by2=gender", "mean"),
    ("nested-multi", "?q=threats&by=country&by2=gender", "group"),
]


def _figure(driver) -> dict:
    return driver.execute_script(
        "const g = document.querySelector('#crosstab-chart .js-plotly-plot');"
        "return {data: g.data.map(t => ({x: t.x, y: t.y, type: t.type, name: t.name})),"
        "        barmode: g.layout.barmode, title: g.layout.title.text};")


def _load(dash_duo, search: str) -> None:
    dash_duo.driver.get(dash_duo.server_url + "/" + search)
    dash_duo.wait_for_element("#crosstab-table tbody tr", timeout=20)
    dash_duo.wait_for_element("#crosstab-chart .bars path", timeout=20)


@pytest.mark.parametrize("width", [1280, 390])
def test_chart_draws_the_table_in_every_base_and_kind(dash_duo, artifacts, width):
    dash_duo.start_server(create_app({"cache": "null"}))
    dash_duo.driver.set_window_size(width, 900)
    for name, search, mode in VIEWS:
        _load(dash_duo, search)
        headers, labels, shown = read_table(dash_duo.driver)
        fig = _figure(dash_duo.driver)
        drawn = [x for t in fig["data"] for x in t["x"] if x is not None]
        assert drawn, name
        table_numbers = shown[~np.isnan(shown)]
        tolerance = 0.0051 if mode == "mean" else 0.051
        for x in drawn:
            assert np.min(np.abs(table_numbers - x)) <= tolerance, (name, x)
        if mode == "mean":
            means = shown[labels.index("Mean")]
            assert np.allclose(sorted(drawn), sorted(means[~np.isnan(means)]), atol=tolerance), name
        if mode == "stack":
            totals: dict[str, float] = {}
            for t in fig["data"]:
                for y, x in zip(t["y"], t["x"], strict=True):
                    totals[y] = totals.get(y, 0.0) + (x or 0.0)
            assert max(totals.values()) <= 100.05, (name, totals)
            if "pct=total" in search and "by2=" in search:
                # Nested: total percentages add up to 100 within each outer category.
                groups: dict[str, float] = {}
                for y, v in totals.items():
                    groups[y.split(" \u00b7 ")[0]] = groups.get(y.split(" \u00b7 ")[0], 0.0) + v
                assert len(groups) >= 2 and all(abs(v - 100) <= 0.3 for v in groups.values()), (name, groups)
            elif "pct=total" in search:
                assert abs(sum(totals.values()) - 100) <= 0.3, (name, totals)
            else:
                assert all(abs(v - 100) <= 0.3 for v in totals.values()), (name, totals)
        moe = re.search(r"±\s?([\d.,]+)", fig["title"])
        assert moe is not None and float(moe.group(1).replace(",", ".")) > 0, (name, fig["title"])
        assert dash_duo.driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth;"), name
        dash_duo.driver.execute_script("document.querySelector('#crosstab-chart').scrollIntoView();")
        dash_duo.driver.save_screenshot(str(artifacts / f"chart-{name}-{width}.png"))
    assert dash_duo.get_logs() == []


def test_download_links_give_the_numbers_shown(dash_duo):
    dash_duo.start_server(create_app({"cache": "null"}))
    for search in ("?q=trust_police&by=age_group&country=XK&year=2022", "?q=trust_eu&by=country&pct=row&level=0.9"):
        _load(dash_duo, search)
        headers, labels, shown = read_table(dash_duo.driver)
        links = {a.text: a.get_attribute("href") for a in dash_duo.find_elements("#downloads a")}
        with urllib.request.urlopen(links["Download CSV"]) as resp:
            text = resp.read().decode("utf-8-sig")
        _, _, table = text.partition("\r\n\r\n")
        rows = list(csv.DictReader(io.StringIO(table)))
        by_cell = {(r["answer"], r["column"]): r["percent"] for r in rows}
        for i, label in enumerate(labels):
            for j, header in enumerate(headers):
                if np.isnan(shown[i, j]):
                    continue
                assert abs(float(by_cell[(label, header)]) - shown[i, j]) <= 0.051, (search, label, header)
        with urllib.request.urlopen(links["JSON"]) as resp:
            body = resp.read().decode()
        assert '"level": 0.9' in body or "pct=row" not in search
        xlsx = links["Download Excel"]
        assert "format=xlsx" in xlsx
        with urllib.request.urlopen(xlsx) as resp:
            assert resp.status == 200 and resp.read(2) == b"PK"
    assert dash_duo.get_logs() == []


def test_markers_point_the_way_of_the_difference(dash_duo):
    dash_duo.start_server(create_app({"cache": "null"}))
    _load(dash_duo, "?q=trust_eu&by=country")
    headers, labels, shown = read_table(dash_duo.driver)
    rows = dash_duo.find_elements("#crosstab-table tbody tr")
    seen = 0
    for i, tr in enumerate(rows):
        for j, td in enumerate(tr.find_elements("css selector", "td")):
            cls = td.get_attribute("class") or ""
            if "sig-up" in cls:
                assert shown[i, j] > shown[i, 0], (labels[i], headers[j])
                seen += 1
            elif "sig-down" in cls:
                assert shown[i, j] < shown[i, 0], (labels[i], headers[j])
                seen += 1
    assert seen >= 2
