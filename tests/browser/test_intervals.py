"""The intervals switch draws error bars on the chart in the real page, at desktop and phone width."""

from __future__ import annotations

import pytest

from .live import browser, live_url, open_view, set_viewport  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

VIEWS = {
    "column": "/?q=trust_police&by=country",
    "multi": "/?q=threats&by=gender",
    "trend": "/?q=trust_eu&chart=trend",
}
# Drawn whiskers, and the bars or points they belong to (a path per bar; a path per trend point).
COUNT = """
const chart = document.querySelector('#crosstab-chart');
const whiskers = Array.from(chart.querySelectorAll('g.errorbar path.xerror, g.errorbar path.yerror'))
  .filter(p => (p.getAttribute('d') || '').length > 0);
const bars = chart.querySelectorAll('g.trace.bars g.point path').length;
const points = chart.querySelectorAll('g.trace.scatter g.points path.point').length;
const colours = whiskers.map(p => getComputedStyle(p).stroke);
return {whiskers: whiskers.length, bars: bars, points: points, colours: Array.from(new Set(colours)),
        search: location.search, alt: document.querySelector('#chart-alt').textContent,
        label: document.querySelector('#show-ci').closest('.field, div').textContent};
"""
WAIT = """
const done = arguments[arguments.length - 1], until = Date.now() + 20000, want = arguments[0];
(function poll() {
  const n = document.querySelectorAll('#crosstab-chart g.errorbar path').length;
  const busy = document.querySelector('[data-dash-is-loading="true"]');
  if ((want ? n > 0 : n === 0) && !busy && location.search.includes('ci=1') === want || Date.now() > until) done();
  else setTimeout(poll, 50);
})();
"""


def _switch(driver, width: int) -> None:
    """Tick "Show confidence intervals" as a visitor does (on a phone, after opening the controls)."""
    if width < 700:
        driver.find_element("css selector", "#view-summary").click()
        driver.execute_async_script("const d = arguments[arguments.length - 1]; setTimeout(d, 300);")
    box = driver.find_element("css selector", "#show-ci input[type=checkbox]")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
    box.click()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("view", list(VIEWS))
def test_switch_draws_an_error_bar_per_bar(browser, live_url, artifacts, view, width):  # noqa: F811
    set_viewport(browser, width, 900)
    open_view(browser, live_url + VIEWS[view])
    before = browser.execute_script(COUNT)
    assert before["whiskers"] == 0 and "ci=1" not in before["search"]
    _switch(browser, width)
    browser.execute_async_script(WAIT, True)
    after = browser.execute_script(COUNT)
    assert "ci=1" in after["search"]
    drawn = after["points"] if view == "trend" else after["bars"]
    assert drawn > 0 and after["whiskers"] == drawn, after
    assert "rgb(255, 255, 255)" not in after["colours"]
    if view != "trend":
        assert "error bar" in after["alt"]
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth;")
    browser.execute_script("document.querySelector('#crosstab-chart').scrollIntoView();")
    browser.save_screenshot(str(artifacts / f"intervals-{view}-{width}.png"))
    # Off again: no whiskers left, and stacked bars come back.
    _switch(browser, 1280)  # the controls are open already
    browser.execute_async_script(WAIT, False)
    assert browser.execute_script(COUNT)["whiskers"] == 0


def test_hover_names_the_interval(browser, live_url):  # noqa: F811
    set_viewport(browser, 1280, 900)
    open_view(browser, f"{live_url}/?q=trust_police&by=country&ci=1&lang=sq")
    text = browser.execute_async_script(
        """const done = arguments[arguments.length - 1];
        const gd = document.querySelector('#crosstab-chart .js-plotly-plot');
        Plotly.Fx.hover(gd, [{curveNumber: 0, pointNumber: 1}]);
        setTimeout(() => done(Array.from(gd.querySelectorAll('.hoverlayer text'), t => t.textContent).join(' ')),
                   200);""")
    gd = "document.querySelector('#crosstab-chart .js-plotly-plot')"
    x = browser.execute_script(f"return {gd}.data[0].x[1]")
    low, high = browser.execute_script(f"return {gd}.data[0].customdata[1]")
    assert f"{x:.1f}".replace(".", ",") in text
    assert f"({low:.1f}\u2013{high:.1f})".replace(".", ",") in text, text
    assert browser.get_log("browser") == []
