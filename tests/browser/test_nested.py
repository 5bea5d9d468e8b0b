"""A second breakdown on the page: chosen with its own control, drawn as nested columns with
group headers a screen reader can navigate, equal to the API's numbers."""

from __future__ import annotations

import json
import urllib.request

import pytest

from .live import browser, live_url, open_view, set_viewport  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

NESTED = "/?q=trust_police&by=country&by2=gender"


def _wait(driver, script: str, timeout: float = 30) -> None:
    """Poll `script` until it is true (or `timeout` seconds pass; the assertion after says which)."""
    driver.set_script_timeout(timeout + 15)
    driver.execute_async_script(
        """const [test, secs, done] = arguments, until = Date.now() + secs * 1000;
        (function poll() {
          let ok = false;
          try { ok = new Function(test)(); } catch (e) { ok = false; }
          if (ok || Date.now() > until) done(); else setTimeout(poll, 50);
        })();""",
        script, timeout)


def _options(driver, control: str) -> list:
    """The open dropdown's options (rendered in a popover elsewhere in the page)."""
    driver.find_element("css selector", f"#{control}").click()
    _wait(driver, f"return !!document.querySelector('#{control}[aria-controls]')")
    popover = driver.find_element("css selector", f"#{control}").get_attribute("aria-controls")
    _wait(driver, f"return document.querySelectorAll('[id=\"{popover}\"] .dash-dropdown-option').length > 0")
    return driver.find_elements("css selector", f'[id="{popover}"] .dash-dropdown-option')


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_nested_columns_have_group_headers_and_the_apis_numbers(  # noqa: F811
        browser, live_url, width, height, artifacts):  # noqa: F811
    set_viewport(browser, width, height)
    open_view(browser, f"{live_url}{NESTED}")
    heads = browser.execute_script("""
        return [...document.querySelectorAll('#crosstab-table thead th[scope=colgroup]')].map(
            th => [th.textContent, th.getAttribute('colspan')]);""")
    assert heads == [["Albania", "3"], ["Kosovo", "3"], ["Serbia", "3"]]
    spans = browser.execute_script(
        "return [...document.querySelectorAll('#crosstab-table colgroup')].map(c => c.getAttribute('span'))")
    assert spans == ["2", "3", "3", "3"]
    inner = browser.execute_script(
        "return [...document.querySelectorAll('#crosstab-table thead tr:nth-child(2) th')].map(t => t.textContent)")
    assert inner == ["Total", "Male", "Female"] * 3
    with urllib.request.urlopen(f"{live_url}/api/v1/datasets/demo/crosstab?row=trust_police&col=country"
                                "&col2=gender") as resp:
        api = json.load(resp)
    first = browser.execute_script(
        "return [...document.querySelectorAll('#crosstab-table tbody tr:first-child td')].map(t => t.textContent)")
    width_cols = len(api["cols"])
    want = [f"{api['cells'][j]['percent']:.1f}" for j in range(width_cols)]
    assert [t.split("\u25b2")[0].split("\u25bc")[0].split(" ")[0] for t in first] == want
    # The chart names each bar by its group.
    labels = browser.execute_script(
        "return document.querySelector('#crosstab-chart .js-plotly-plot').data[0].y")
    assert "Kosovo \u00b7 Female" in labels
    # Within each group a test sentence.
    tests = browser.find_element("css selector", "#table-test").text
    assert "Within Albania" in tests and "Within Serbia" in tests
    # The sticky answer column does not cover the inner headers on a phone.
    assert browser.execute_script("""
        const a = document.querySelector('#crosstab-table thead tr:first-child th').getBoundingClientRect();
        const b = document.querySelector('#crosstab-table thead tr:nth-child(2) th').getBoundingClientRect();
        return b.left >= a.right - 1;""")
    browser.save_screenshot(str(artifacts / f"nested-{width}.png"))


def test_second_breakdown_control_sets_the_link_and_follows_the_first(browser, live_url, artifacts):  # noqa: F811
    set_viewport(browser, 1280, 900)
    open_view(browser, f"{live_url}/?q=trust_police&by=country")
    # Pick "Gender" in the second breakdown's dropdown.
    options = _options(browser, "breakdown2")
    texts = [o.text for o in options]
    assert "Country" not in texts  # the first breakdown is not offered again
    next(o for o in options if o.text == "Gender").click()
    _wait(browser, "return location.search.includes('by2=gender')")
    assert "by2=gender" in browser.current_url
    _wait(browser, "return !!document.querySelector('#crosstab-table th[scope=colgroup]')")
    assert browser.find_elements("css selector", "#crosstab-table th[scope=colgroup]")
    assert "Police \u00b7 by Gender within Country" in browser.execute_script(
        "return document.querySelector('#view-summary-text').textContent")
    # No first breakdown: the second is dropped and its control disabled.
    next(o for o in _options(browser, "breakdown") if o.text.startswith("Nothing")).click()
    _wait(browser, "return location.search.includes('by=none')")
    assert "by2=" not in browser.current_url
    _wait(browser, "return document.querySelector('#breakdown2').disabled")
    assert browser.execute_script("return document.querySelector('#breakdown2').disabled")
    assert not browser.find_elements("css selector", "#crosstab-table th[scope=colgroup]")
    browser.save_screenshot(str(artifacts / "nested-control-1280.png"))
