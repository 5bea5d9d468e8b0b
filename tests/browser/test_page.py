"""The page as a visitor meets it, in a real Chromium: permalinks, controls, URL, phone width."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from barometer_dash.app_factory import create_app

from .conftest import independent_column_percent, read_table, variable

pytestmark = pytest.mark.browser

PERMALINK = "/?q=trust_police&by=age_group&country=XK&year=2022"


def _open(dash_duo, path: str) -> None:
    app = create_app({"cache": "null"})
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element("#crosstab-table tbody tr", timeout=20)
    dash_duo.wait_for_element("#crosstab-chart .bars path", timeout=20)


def _query(dash_duo) -> dict[str, list[str]]:
    return parse_qs(urlparse(dash_duo.driver.current_url).query)


def _no_overflow(driver) -> bool:
    return driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth;"
    )


def test_permalink_shows_independently_checked_percentages(dash_duo, demo_frame, demo_codebook, artifacts):
    _open(dash_duo, PERMALINK)
    headers, labels, shown = read_table(dash_duo.driver)
    expected = independent_column_percent(
        demo_frame, demo_codebook, "trust_police", "age_group", {"country": [2], "year": [2022]}
    )
    age = variable(demo_codebook, "age_group")
    answers = variable(demo_codebook, "trust_police")
    valid_answers = [v for v in answers["values"] if v["code"] not in answers.get("missing", [])]
    assert headers[0] == "Total"
    assert headers[1:] == [v["label"]["en"] for v in age["values"] if v["code"] not in age.get("missing", [])]
    nets = answers["nets"]
    assert labels == [v["label"]["en"] for v in valid_answers] + [n["label"]["en"] for n in nets]
    for i, ans in enumerate(valid_answers):
        for j, grp in enumerate(v for v in age["values"] if v["code"] not in age.get("missing", [])):
            want = expected.loc[ans["code"], grp["code"]] if grp["code"] in expected.columns else 0.0
            assert abs(shown[i, j + 1] - want) <= 0.051, (ans, grp, shown[i, j + 1], want)
    # Percentages of each column add up to 100 (rounded to one decimal); nets are their answers together.
    k = len(valid_answers)
    assert np.allclose(np.nansum(shown[:k], axis=0), 100, atol=0.3)
    codes = [v["code"] for v in valid_answers]
    for n, net in enumerate(nets):
        members = [codes.index(c) for c in net["codes"]]
        assert np.allclose(shown[k + n], shown[members].sum(axis=0), atol=0.15)
    caption = dash_duo.find_element("#crosstab-table caption").text
    assert answers["label"]["en"] in caption
    assert "Synthetic" in dash_duo.find_element("#synthetic-notice").text
    valid = demo_frame["trust_police"].isin([v["code"] for v in valid_answers])
    n_expected = int((valid & (demo_frame["country"] == 2) & (demo_frame["year"] == 2022)).sum())
    base_text = dash_duo.find_element("#crosstab-table .base-row td").text
    assert int(base_text.replace(",", "").replace("\u202f", "")) == n_expected
    assert len(dash_duo.find_elements("#crosstab-chart .bars path")) >= len(valid_answers)
    assert dash_duo.find_element(".gtitle").text  # chart carries the question wording
    dash_duo.driver.save_screenshot(str(artifacts / "permalink-1280.png"))
    assert dash_duo.get_logs() == []


def test_phone_width_has_no_horizontal_overflow(dash_duo, artifacts):
    _open(dash_duo, PERMALINK)
    dash_duo.driver.set_window_size(390, 844)
    time.sleep(0.5)
    assert _no_overflow(dash_duo.driver)
    table_box = dash_duo.find_element("#table-container")
    chart = dash_duo.find_element("#crosstab-chart")
    # Stacked, not side by side, on a phone.
    assert chart.location["y"] > table_box.location["y"] + table_box.size["height"] - 5
    dash_duo.driver.save_screenshot(str(artifacts / "permalink-390.png"))
    dash_duo.driver.execute_script("window.scrollTo(0, document.body.scrollHeight / 2);")
    dash_duo.driver.save_screenshot(str(artifacts / "permalink-390-chart.png"))
    assert dash_duo.get_logs() == []


def test_changing_controls_updates_table_and_url(dash_duo, demo_codebook, artifacts):
    _open(dash_duo, PERMALINK)
    army = variable(demo_codebook, "trust_army")
    dash_duo.select_dcc_dropdown("#question", value=(army.get("short") or army["label"])["en"])
    dash_duo.wait_for_contains_text("#crosstab-table caption", army["label"]["en"], timeout=10)
    assert _query(dash_duo)["q"] == ["trust_army"]
    gender = variable(demo_codebook, "gender")
    dash_duo.select_dcc_dropdown("#breakdown", value=(gender.get("short") or gender["label"])["en"])
    first_gender = gender["values"][0]["label"]["en"]
    dash_duo.wait_for_contains_text("#crosstab-table thead", first_gender, timeout=10)
    query = _query(dash_duo)
    assert query["by"] == ["gender"] and query["country"] == ["XK"] and query["year"] == ["2022"]
    # The new address reproduces the view when opened afresh.
    url = dash_duo.driver.current_url
    dash_duo.driver.get(url)
    dash_duo.wait_for_contains_text("#crosstab-table thead", first_gender, timeout=10)
    assert army["label"]["en"] in dash_duo.find_element("#crosstab-table caption").text
    dash_duo.driver.save_screenshot(str(artifacts / "changed-1280.png"))
    # Back goes to the previous view, controls and table included.
    dash_duo.driver.back()
    dash_duo.wait_for_contains_text("#crosstab-table thead", "18", timeout=10)
    assert _query(dash_duo)["by"] == ["age_group"]
    assert army["label"]["en"] in dash_duo.find_element("#crosstab-table caption").text
    assert dash_duo.get_logs() == []


def test_bad_link_falls_back_with_notice(dash_duo):
    _open(dash_duo, "/?q=no_such_question&country=FR&pct=half")
    notice = dash_duo.find_element("#url-notice").text
    assert "q=" in notice and "country=" in notice and "pct=" in notice
    assert dash_duo.find_elements("#crosstab-table tbody tr")
    assert dash_duo.get_logs() == []
