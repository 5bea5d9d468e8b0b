"""A researcher's own survey, ingested from SPSS and served beside the demo, in Chromium."""

from __future__ import annotations

import csv
import io
import shutil
import time

import numpy as np
import pytest

from barometer_dash.app_factory import create_app
from barometer_dash.cli import main as barometer

from ..conftest import write_svy_sav
from .conftest import DEMO, read_table

pytestmark = pytest.mark.browser


@pytest.fixture
def data_dir(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copytree(DEMO, data / "demo")
    sav = write_svy_sav(tmp_path / "household.sav")
    code = barometer(["ingest", str(sav), "--id", "household", "--data-dir", str(data), "--weight", "hhweight",
                      "--strata", "stratum", "--psu", "ea", "--demographic", "geo1,urbrur,sex",
                      "--title", "Household survey 2023"])
    assert code == 0
    return data


def test_ingested_spss_survey_matches_api_and_csv(dash_duo, data_dir, artifacts):
    app = create_app({"data_dir": data_dir, "cache": "null"})
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/?ds=household&q=literacy&by=sex")
    dash_duo.wait_for_contains_text("#crosstab-table caption", "Can read and write", timeout=20)
    dash_duo.wait_for_element("#crosstab-chart .bars path", timeout=20)
    headers, labels, shown = read_table(dash_duo.driver)
    assert headers == ["Total", "Male", "Female"] and labels == ["Yes", "No"]
    # No country or wave column: no such filters on the page.
    assert not dash_duo.find_element("#country-filter").is_displayed()
    assert not dash_duo.find_element("#year-filter").is_displayed()
    assert "Household survey 2023" in dash_duo.find_element(".dataset-info").text
    assert not dash_duo.find_elements("#synthetic-notice")
    client = app.server.test_client()
    body = client.get("/api/v1/datasets/household/crosstab?row=literacy&col=sex").get_json()
    api = {(c["row"], c["col"]): c["percent"] for c in body["cells"]}
    for i, answer in enumerate((1, 2)):
        for j, sex in enumerate((None, 1, 2)):
            assert shown[i, j] == pytest.approx(api[(answer, sex)], abs=0.05)
    text = client.get("/api/v1/datasets/household/crosstab?row=literacy&col=sex&format=csv").get_data(as_text=True)
    rows = [r for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if len(r) > 6]
    header = rows[0]
    from_csv = {(r[header.index("answer_code")], r[header.index("column_code")]): float(r[header.index("percent")])
                for r in rows[1:] if r[header.index("percent")]}
    assert np.isclose(from_csv[("1", "1")], api[(1, 1)], atol=1e-6)
    dash_duo.driver.save_screenshot(str(artifacts / "household-1280.png"))
    # The picker switches to the demo; the default dataset needs no `ds` in the address.
    dash_duo.select_dcc_dropdown("#dataset", value="Western Balkans Security Barometer \u2014 synthetic demo")
    dash_duo.wait_for_element("#synthetic-notice", timeout=20)
    dash_duo.wait_for_element("#crosstab-table tbody tr", timeout=20)
    time.sleep(0.5)
    assert "ds=" not in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []
