"""WCAG 2.1 AA in the real page: axe-core finds nothing, and a keyboard alone gets everywhere."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from .live import AXE, browser, live_url, open_view, set_viewport  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

VIEWS = {
    "home": "/?",
    "filtered": "/?country=XK&f.gender=2&",
    "multiple": "/?q=threats&by=year&",  # several answers allowed
    "nested": "/?q=trust_police&by=country&by2=gender&",  # a second breakdown: two header rows
}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): '
                                   + v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(' | '))))
  .catch(e => done(['axe failed: ' + e]));
"""


def audit(driver) -> list[str]:
    if not driver.execute_script("return !!window.axe"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    # Let the page's own fixes (assets/a11y.js) run after the last render, as a visitor's frame would.
    driver.execute_async_script("const d = arguments[arguments.length - 1]; requestAnimationFrame(() => d());")
    return driver.execute_async_script(RUN_AXE, WCAG)


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
@pytest.mark.parametrize("lang", ["en", "sq", "sr", "sr-Cyrl"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_axe_finds_no_violations(browser, live_url, view, lang, width, height):  # noqa: F811
    assert AXE.is_file(), "scripts/test.sh installs axe-core into .cache/node"
    browser.set_script_timeout(60)
    set_viewport(browser, width, height)
    open_view(browser, f"{live_url}{VIEWS[view]}lang={lang}")
    assert browser.execute_script("return document.documentElement.lang") == lang
    assert audit(browser) == []


def test_axe_would_see_the_problems_the_page_fixes(browser, live_url):  # noqa: F811
    """The audit is live: without assets/a11y.js, axe reports Dash's own markup."""
    set_viewport(browser, 1280, 900)
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/assets/a11y.js*"]})
    try:
        open_view(browser, f"{live_url}/?")
        found = audit(browser)
    finally:
        browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    ids = {f.split(" ")[0] for f in found}
    assert {"aria-hidden-focus", "aria-input-field-name", "nested-interactive"} <= ids


def test_significance_and_chart_have_words_for_screen_readers(browser, live_url):  # noqa: F811
    set_viewport(browser, 1280, 900)
    open_view(browser, f"{live_url}/?q=trust_eu&by=year&lang=sr-Cyrl")
    marked = browser.find_elements("css selector", "#crosstab-table td.sig-up, #crosstab-table td.sig-down")
    assert marked
    for td in marked:
        arrow = td.find_element("css selector", ".sig")
        assert arrow.get_attribute("aria-hidden") == "true"
        said = td.find_element("css selector", ".sr-only").get_attribute("textContent").strip()
        assert said in ("статистички значајно више од осталих", "статистички значајно ниже од осталих")
    figure = browser.find_element("css selector", "figure.chart-box")
    assert figure.get_attribute("aria-describedby") == "table-container"  # whichever table is shown
    assert figure.find_element("css selector", "figcaption").get_attribute("textContent") == (
        "Стубичасти графикон процената из табеле.")
    # Headers carry scopes, the table its caption.
    assert browser.find_elements("css selector", "#crosstab-table caption")
    assert all(th.get_attribute("scope") in ("col", "row")
               for th in browser.find_elements("css selector", "#crosstab-table th"))


def _press(driver, *keys: str) -> None:
    ActionChains(driver).send_keys(*keys).perform()
    # Dash moves focus inside its dropdowns on the next animation frame.
    driver.execute_async_script("const d = arguments[arguments.length - 1]; setTimeout(d, 80);")


def _active(driver) -> dict:
    return driver.execute_script("""
        const a = document.activeElement, s = getComputedStyle(a);
        return {id: a.id, tag: a.tagName, cls: String(a.className),
                text: ((a.closest('label') || a).textContent || '').trim().slice(0, 60),
                href: a.getAttribute('href') || '', outline: s.outlineStyle + ' ' + s.outlineWidth};""")


def _tab_to(driver, match, limit: int = 60) -> dict:
    for _ in range(limit):
        _press(driver, Keys.TAB)
        here = _active(driver)
        if match(here):
            return here
    raise AssertionError("not reached with the Tab key")


def _wait_caption(driver, text: str, timeout: float = 15) -> None:
    driver.execute_async_script(
        """const [text, secs, done] = arguments, until = Date.now() + secs * 1000;
        (function poll() {
          const c = document.querySelector('#crosstab-table caption');
          if ((c && c.textContent.includes(text)) || Date.now() > until) done(); else setTimeout(poll, 50);
        })();""", text, timeout)


def test_keyboard_alone_picks_a_question_changes_the_breakdown_and_reaches_downloads(
        browser, live_url, artifacts):  # noqa: F811
    set_viewport(browser, 1280, 900)
    open_view(browser, f"{live_url}/?")
    browser.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
    # The first stop is the skip link, visible when focused.
    first = _tab_to(browser, lambda a: True, 1)
    assert first["cls"] == "skip-link" and first["href"] == "#results"
    assert browser.find_element("css selector", ".skip-link").is_displayed()
    assert first["outline"].startswith("solid")
    # Pick a question by typing its words.
    here = _tab_to(browser, lambda a: a["id"] == "question")
    assert here["outline"].startswith("solid"), here
    for ch in "trust courts":
        _press(browser, ch)
    search = _active(browser)
    assert search["tag"] == "INPUT" and browser.execute_script("return document.activeElement.value") == (
        "trust courts"), search
    browser.execute_async_script("const d = arguments[arguments.length - 1]; setTimeout(d, 300);")
    _press(browser, Keys.ENTER)
    _wait_caption(browser, "How much do you trust the courts?")
    assert "How much do you trust the courts?" in browser.find_element("css selector", "#crosstab-table caption").text
    assert "q=trust_courts" in browser.current_url
    # Change the breakdown with the arrow keys.
    browser.execute_async_script("const d = arguments[arguments.length - 1]; setTimeout(d, 300);")
    _tab_to(browser, lambda a: a["id"] == "breakdown", 10)
    _press(browser, Keys.ENTER)
    browser.execute_async_script("const d = arguments[arguments.length - 1]; setTimeout(d, 300);")
    for _ in range(15):
        if _active(browser)["text"] == "Gender":
            break
        _press(browser, Keys.ARROW_DOWN)
    assert _active(browser)["text"] == "Gender"
    _press(browser, Keys.ENTER)
    browser.execute_async_script(
        """const done = arguments[arguments.length - 1], until = Date.now() + 15000;
        (function poll() { if (location.search.includes('by=gender') || Date.now() > until) done();
                           else setTimeout(poll, 50); })();""")
    assert "by=gender" in browser.current_url
    # The phone's one-line summary follows the view.
    browser.execute_async_script(
        """const done = arguments[arguments.length - 1], until = Date.now() + 10000;
        (function poll() { const t = document.querySelector('#view-summary-text').textContent;
                           if (t.includes('Gender') || Date.now() > until) done(); else setTimeout(poll, 50); })();""")
    assert browser.execute_script("return document.querySelector('#view-summary-text').textContent") == (
        "Courts \u00b7 by Gender")
    browser.save_screenshot(str(artifacts / "keyboard-1280.png"))
    # On to the downloads.
    link = _tab_to(browser, lambda a: "format=csv" in a["href"], 80)
    assert link["tag"] == "A" and link["outline"].startswith("solid")
    # And the skip link moves focus to the results.
    browser.execute_script("window.scrollTo(0, 0); document.querySelector('.skip-link').focus();")
    _press(browser, Keys.ENTER)
    assert _active(browser)["id"] == "results"
