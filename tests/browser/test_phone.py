"""Phone first, in Chromium at 390x844 and 1280x900: numbers above the fold, nothing clipped."""

from __future__ import annotations

import pytest

from .live import browser, live_url, open_view, set_viewport  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

LANGS = ("en", "sq", "sr", "sr-Cyrl")
VIEW = "/?q=trust_police&by=region&country=XK"  # a wide table: seven regions plus the total

# Everything that sticks out of its box: the page, the table wrapper, the chart and its texts.
OVERFLOW = """
const out = [];
const vw = document.documentElement.clientWidth;
if (document.documentElement.scrollWidth > vw) out.push('page ' + document.documentElement.scrollWidth);
for (const el of document.querySelectorAll('body *')) {
  const r = el.getBoundingClientRect();
  if (r.width && getComputedStyle(el).position !== 'fixed' && r.right > vw + 0.5 && !el.closest('.table-box')
      && !el.closest('#crosstab-chart svg')) {
    out.push('sticks out: ' + (el.id || el.className.baseVal || el.className || el.tagName) + ' ' + r.right);
  }
}
const box = document.querySelector('#table-container');
if (box.getBoundingClientRect().right > vw + 0.5) out.push('table wrapper wider than the screen');
// The chart as a whole stays inside its box (its inner texts are laid out by the figure builder).
const chartBox = document.querySelector('.chart-box');
if (chartBox && chartBox.offsetWidth) {
  const svg = document.querySelector('#crosstab-chart .main-svg');
  if (document.querySelector('#crosstab-chart').scrollWidth > chartBox.clientWidth + 1
      || (svg && svg.getBoundingClientRect().right > chartBox.getBoundingClientRect().right + 0.5))
    out.push('chart wider than its box');
}
for (const el of document.querySelectorAll('.source-line, .view-summary-text, .question-title')) {
  if (el.scrollWidth > el.clientWidth + 1) out.push('text clipped: ' + el.className);
}
return out;
"""


def _top(driver, selector: str) -> float:
    return driver.execute_script(f"return document.querySelector('{selector}').getBoundingClientRect().top;")


@pytest.mark.parametrize("lang", LANGS)
def test_first_row_is_above_the_fold_on_a_phone(browser, live_url, lang, artifacts):  # noqa: F811
    set_viewport(browser, 390, 844)
    open_view(browser, f"{live_url}{VIEW}&lang={lang}")
    assert browser.execute_script("return window.innerWidth") == 390
    assert browser.execute_script("return window.scrollY") == 0
    top = _top(browser, "#crosstab-table tbody tr")
    browser.save_screenshot(str(artifacts / f"phone-{lang}-390.png"))
    assert top + 20 < 844, f"first row starts at {top}px"
    # The controls are folded behind the summary line, which names the question and the filter.
    assert not browser.find_element("css selector", "#controls-body").is_displayed()
    summary = browser.find_element("css selector", "#view-summary")
    assert summary.is_displayed() and summary.get_attribute("aria-expanded") == "false"
    assert browser.execute_script("return document.querySelector('#view-summary-text').textContent").count(
        "\u00b7") >= 2
    assert browser.execute_script(OVERFLOW) == []


def test_summary_opens_the_controls_and_says_the_view(browser, live_url, artifacts):  # noqa: F811
    set_viewport(browser, 390, 844)
    open_view(browser, f"{live_url}/?q=trust_police&by=age_group&country=XK&year=2022")
    text = browser.find_element("css selector", "#view-summary-text").text
    assert text == "Police \u00b7 by Age \u00b7 Kosovo \u00b7 2022"
    browser.find_element("css selector", "#view-summary").click()
    browser.execute_async_script("const d = arguments[arguments.length - 1]; setTimeout(d, 300);")
    assert browser.find_element("css selector", "#controls-body").is_displayed()
    assert browser.find_element("css selector", "#view-summary").get_attribute("aria-expanded") == "true"
    browser.save_screenshot(str(artifacts / "phone-controls-open-390.png"))
    assert browser.execute_script(OVERFLOW) == []


def test_wide_table_scrolls_with_a_cue_and_a_sticky_first_column(browser, live_url, artifacts):  # noqa: F811
    set_viewport(browser, 390, 844)
    open_view(browser, f"{live_url}{VIEW}")
    box = "document.querySelector('#table-container')"
    assert browser.execute_script(f"return {box}.scrollWidth > {box}.clientWidth")
    assert browser.execute_script(f"return {box}.hasAttribute('data-overflow')")
    hint = browser.execute_script(f"return getComputedStyle({box}, '::before').content")
    assert "Scroll sideways" in hint
    first = "document.querySelector('#crosstab-table tbody th')"
    left = browser.execute_script(f"return {first}.getBoundingClientRect().left")
    browser.execute_script(f"{box}.scrollLeft = 200")
    browser.execute_async_script("const d = arguments[arguments.length - 1]; requestAnimationFrame(() => d());")
    assert browser.execute_script(f"return {box}.scrollLeft") > 100
    assert abs(browser.execute_script(f"return {first}.getBoundingClientRect().left") - left) < 1
    browser.save_screenshot(str(artifacts / "phone-table-scrolled-390.png"))
    # A table that fits shows no cue.
    set_viewport(browser, 1280, 900)
    open_view(browser, f"{live_url}/?q=trust_police&by=gender")
    assert not browser.execute_script(f"return {box}.hasAttribute('data-overflow')")


@pytest.mark.parametrize("lang", LANGS)
def test_wide_screen_shows_controls_and_clips_nothing(browser, live_url, lang, artifacts):  # noqa: F811
    set_viewport(browser, 1280, 900)
    open_view(browser, f"{live_url}{VIEW}&lang={lang}")
    assert browser.find_element("css selector", "#controls-body").is_displayed()
    assert not browser.find_element("css selector", "#view-summary").is_displayed()
    browser.save_screenshot(str(artifacts / f"wide-{lang}-1280.png"))
    assert browser.execute_script(OVERFLOW) == []


def test_hover_hint_only_where_the_device_hovers(browser, live_url):  # noqa: F811
    set_viewport(browser, 1280, 900)
    open_view(browser, f"{live_url}{VIEW}")
    hint = "Hover over a percentage"
    legend = "document.querySelector('#sig-legend')"
    # Headless Chromium is a device without hover (and cannot be told otherwise): no hint.
    assert browser.execute_script("return matchMedia('(hover: none)').matches")
    assert hint not in browser.execute_script(f"return {legend}.innerText")
    assert hint in browser.execute_script(f"return {legend}.textContent")
    assert "significantly higher" in browser.execute_script(f"return {legend}.innerText")
    # What hides it is the rule for devices without hover: without that rule the hint shows.
    removed = browser.execute_script("""
        let n = 0;
        for (const sheet of document.styleSheets) {
          for (let i = sheet.cssRules.length - 1; i >= 0; i--) {
            const rule = sheet.cssRules[i];
            if (rule.media && rule.media.mediaText.includes('hover: none')) { sheet.deleteRule(i); n++; }
          }
        }
        return n;""")
    assert removed == 1
    assert hint in browser.execute_script(f"return {legend}.innerText")
