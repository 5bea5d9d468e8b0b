"""Significance, comparisons and small bases as a visitor sees them, in Chromium."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By

from barometer_dash.app_factory import create_app

pytestmark = pytest.mark.browser


def _open(dash_duo, path: str) -> None:
    dash_duo.start_server(create_app({"cache": "null"}))
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element("#crosstab-table tbody tr", timeout=20)
    dash_duo.wait_for_element("#crosstab-chart .bars path", timeout=20)


def test_wave_breakdown_shows_test_markers_and_change(dash_duo, artifacts):
    _open(dash_duo, "/?q=trust_eu&by=year")
    test = dash_duo.find_element("#table-test").text
    assert "Rao-Scott F" in test and re.search(r"p [<=] \d", test)
    markers = dash_duo.find_elements("#crosstab-table td.sig-up") + dash_duo.find_elements(
        "#crosstab-table td.sig-down")
    assert markers, "a four-wave trend should mark at least one cell"
    legend = dash_duo.find_element("#sig-legend").text
    assert "significantly higher" in legend and "significantly lower" in legend
    # Every column of the table is a bar of the chart, Total first (years stay categories).
    headers = [th.text for th in dash_duo.find_elements("#crosstab-table thead th")][1:]
    ticks = sorted(dash_duo.find_elements("#crosstab-chart .ytick text"), key=lambda t: t.location["y"])
    assert [t.text.strip() for t in ticks] == headers == ["Total", "2021", "2022", "2023", "2024"]
    change = dash_duo.find_element("#change").text
    assert re.search(r"(up|down) \d+\.\d points from 2021 \(\d+\.\d%\) to 2024", change), change
    assert "significant" in change
    # Choose other waves: the sentence and the address follow.
    dash_duo.select_dcc_dropdown("#cmp-a", value="2022")
    dash_duo.wait_for_contains_text("#change", "from 2022", timeout=10)
    assert "cmp=" in dash_duo.driver.current_url
    dash_duo.driver.save_screenshot(str(artifacts / "trend-1280.png"))
    assert dash_duo.get_logs() == []


def test_small_bases_are_flagged_and_suppressed(dash_duo, artifacts):
    _open(dash_duo, "/?q=trust_police&by=ethnicity&country=XK&year=2022")
    flagged = dash_duo.find_elements("#crosstab-table td.base.flagged")
    suppressed_bases = dash_duo.find_elements("#crosstab-table td.base.suppressed")
    assert flagged and suppressed_bases
    cells = dash_duo.find_elements("#crosstab-table tbody td.suppressed")
    assert cells and all(c.text == "\u2013" for c in cells)
    legend = dash_duo.find_element("#sig-legend").text
    assert "small base" in legend and "not shown" in legend
    # Suppressed columns never reach the chart.
    headers = [th.text for th in dash_duo.find_elements("#crosstab-table thead th")][1:]
    base_cells = dash_duo.find_elements("#crosstab-table .base-row td")
    hidden = [h for h, td in zip(headers, base_cells, strict=True) if "suppressed" in td.get_attribute("class")]
    chart_labels = dash_duo.driver.execute_script(
        "const g = document.querySelector('#crosstab-chart .js-plotly-plot');"
        "return g.data.flatMap(t => t.y);"
    )
    assert hidden and not set(hidden) & set(chart_labels)
    table_html = dash_duo.find_element("#crosstab-table").get_attribute("outerHTML")
    assert "confidence interval" in table_html  # shown cells carry their interval
    assert not any(c.get_attribute("title") and "confidence" in c.get_attribute("title") for c in cells)
    dash_duo.driver.save_screenshot(str(artifacts / "small-bases-1280.png"))
    assert dash_duo.get_logs() == []


def test_language_switch_translates_page_and_labels(dash_duo, artifacts):
    _open(dash_duo, "/?q=trust_police&by=country")
    dash_duo.driver.find_element(By.CSS_SELECTOR, "#lang input[value='sq']").click()
    dash_duo.wait_for_contains_text("#crosstab-table thead", "Shqip\u00ebria", timeout=10)
    assert "lang=sq" in dash_duo.driver.current_url
    assert "sintetike" in dash_duo.find_element("#synthetic-notice").text.lower()
    dash_duo.driver.save_screenshot(str(artifacts / "albanian-1280.png"))
    assert dash_duo.get_logs() == []
