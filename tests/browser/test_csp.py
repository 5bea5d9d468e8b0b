"""The page under its Content-Security-Policy in a real Chromium: everything works with no
violation, and an injected inline script is refused."""

from __future__ import annotations

import pytest

from barometer_dash.app_factory import create_app

pytestmark = pytest.mark.browser


def _severe(dash_duo) -> list[str]:  # type: ignore[no-untyped-def]
    return [entry["message"] for entry in dash_duo.get_logs() or []]


def test_page_works_under_csp_and_refuses_injected_scripts(dash_duo):
    dash_duo.start_server(create_app({"cache": "null"}))
    dash_duo.driver.get(dash_duo.server_url + "/?q=trust_police&by=age_group")
    dash_duo.wait_for_element("#crosstab-table tbody tr", timeout=20)
    dash_duo.wait_for_element("#crosstab-chart .bars path", timeout=20)
    # The clientside callbacks (inline scripts allowed by hash) ran: the viewport store is set.
    dash_duo.driver.get(dash_duo.server_url + "/?q=trust_police&by=gender")
    dash_duo.wait_for_text_to_equal("#crosstab-table thead th:nth-child(3)", "Male", timeout=20)
    assert _severe(dash_duo) == []
    dash_duo.driver.execute_script(
        "var s = document.createElement('script'); s.textContent = 'window.injected = 1';"
        "document.body.appendChild(s);")
    assert dash_duo.driver.execute_script("return window.injected === undefined")
    violations = _severe(dash_duo)
    assert len(violations) == 1 and "Content Security Policy" in violations[0]
