"""A running app and a Chromium driver shared by a module's tests (dash_duo starts one per test)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from werkzeug.serving import make_server

from barometer_dash.app_factory import create_app

from .conftest import CHROMIUM_FLAGS

AXE = Path(__file__).resolve().parents[2] / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"


def chrome(width: int = 1280, height: int = 900) -> webdriver.Chrome:
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in CHROMIUM_FLAGS:
        if not flag.startswith("--window-size"):
            options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_window_size(width, height)
    return driver


@pytest.fixture(scope="module")
def live_url() -> Iterator[str]:
    app = create_app({"cache": "simple"})
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    driver = chrome()
    yield driver
    driver.quit()


def set_viewport(driver: webdriver.Chrome, width: int, height: int) -> None:
    """The page's viewport (not the window) at exactly width x height CSS pixels."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def open_view(driver: webdriver.Chrome, url: str, timeout: float = 20) -> None:
    """Load a page and wait until the table and the chart are drawn."""
    driver.get(url)
    driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1], until = Date.now() + arguments[0] * 1000;
        (function poll() {
            const ready = document.querySelector('#crosstab-table tbody tr')
                && (document.querySelector('#crosstab-chart .bars path')
                    || getComputedStyle(document.querySelector('.chart-box')).display === 'none')
                && !document.querySelector('[data-dash-is-loading="true"]');
            if (ready || Date.now() > until) { done(!!ready); } else { setTimeout(poll, 50); }
        })();
        """,
        timeout,
    )
