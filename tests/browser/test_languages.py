"""No English left on an Albanian or Serbian page; Serbian in both scripts, with a switch."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

from barometer_dash.domain.codebook import Text, parse_codebook
from barometer_dash.i18n import catalog

from .live import browser, live_url, open_view, set_viewport  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo" / "codebook.json"
VIEWS = (
    "/?country=XK&f.gender=2",  # filtered
    "/?q=trust_eu&by=year",  # a wave breakdown: significance test, comparison of waves
    "/?q=threats&by=gender",  # multiple responses
    "/?q=no_such_question",  # a notice about the link
)
# Texts written alike in every language: the product's name, a symbol, a format's name.
SAME_EVERYWHERE = {"app.title", "chart.base", "download.json", "footer.api", "download.png", "download.svg",
                   "cite.bibtex", "cite.ris"}
NAMES = {"Rao-Scott F ="}
VISIBLE = """
// The page's text, chart included; a wrapped chart text has one tspan per line: keep the spaces.
for (const t of document.querySelectorAll('#crosstab-chart .main-svg tspan.line:not(:first-child)')) {
  if (!t.textContent.startsWith(' ')) t.textContent = ' ' + t.textContent;
}
const chart = Array.from(document.querySelectorAll('#crosstab-chart .main-svg text'), t => t.textContent);
// Program code (the R and Python that reproduce a view) is not interface text.
const code = Array.from(document.querySelectorAll('[data-program]'), e => e.innerText);
let text = document.body.innerText;
for (const c of code) if (c.trim()) text = text.split(c).join(' ');
return text + '\\n' + chart.join('\\n');
"""


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u200b", ""))


def english_fragments(lang: str) -> set[str]:
    """Pieces of English interface text (between placeholders) that the language translates."""
    out: set[str] = set()
    en = catalog("en")
    for key, text in en.items():
        if key in SAME_EVERYWHERE:
            continue
        for literal, *_ in string.Formatter().parse(text):
            piece = literal.strip(" .,:;()\u201c\u201d\"'\u00b7\u2192\u00b1")
            if re.search(r"[A-Za-z]{4,}", piece) and (len(piece.split()) >= 2 or len(piece) >= 5) \
                    and piece not in NAMES:
                out.add(piece)
    return out


def english_labels(lang: str) -> set[str]:
    """English wording of the demo's questions, answers and titles that has a translation."""
    cb = parse_codebook(json.loads(DEMO.read_text(encoding="utf-8")))
    texts: list[Text] = [cb.dataset.title, cb.dataset.source, cb.dataset.citation]
    for v in cb.variables:
        texts += [v.label, *(x.label for x in v.values), *([v.short] if v.short else [])]
    return {t.get("en") for t in texts if t.get(lang) != t.get("en") and len(t.get("en")) >= 5}


def test_fragments_are_found_where_they_should_be():
    assert "Scroll sideways for more columns" in english_fragments("sq")
    assert "Download CSV" in english_fragments("sr-Cyrl") and "JSON" not in english_fragments("sr")
    assert "How much do you trust the police?" in english_labels("sr-Cyrl")
    assert any(t.startswith("Barometer Dash synthetic demo (seed") for t in english_labels("sq"))


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["sq", "sr", "sr-Cyrl"])
def test_no_visible_english_on_a_translated_page(browser, live_url, lang, width):  # noqa: F811
    set_viewport(browser, width, 900)
    fragments, labels = english_fragments(lang), english_labels(lang)
    for view in VIEWS:
        open_view(browser, f"{live_url}{view}&lang={lang}")
        # Open what a visitor can open: the about box and the folded controls on a phone.
        browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true);"
                               "document.querySelector('#controls').classList.add('is-open');")
        seen = _plain(browser.execute_script(VISIBLE))
        # Whole words: Albanian "versioni" is not English "version".
        left = sorted(f for f in fragments | labels if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", seen))
        assert left == [], f"{view}: English on the {lang} page"


def test_english_page_shows_the_fragments_the_check_looks_for(browser, live_url):  # noqa: F811
    """The check above is live: the same fragments are found on the English page."""
    set_viewport(browser, 1280, 900)
    open_view(browser, f"{live_url}/?q=trust_eu&by=year")
    seen = browser.execute_script(VISIBLE)
    found = {f for f in english_fragments("sr-Cyrl") | english_labels("sr-Cyrl") if f in seen}
    assert {"Download CSV", "Compare two columns", "How much do you trust the European Union?"} <= found
    assert len(found) > 25


def test_serbian_switch_between_scripts(browser, live_url):  # noqa: F811
    set_viewport(browser, 1280, 900)
    open_view(browser, f"{live_url}/?q=trust_police&lang=sr")
    assert "Koliko imate poverenja u policiju?" in browser.find_element("css selector", "#crosstab-table caption").text
    choice = browser.find_element("css selector", "#lang input[value='sr-Cyrl']")
    assert choice.find_element("xpath", "./ancestor::label").text == "Српски"
    choice.click()
    browser.execute_async_script(
        """const done = arguments[arguments.length - 1], until = Date.now() + 15000;
        (function poll() {
          const c = document.querySelector('#crosstab-table caption');
          if ((location.search.includes('lang=sr-Cyrl') && c && c.textContent.includes('полицију'))
              || Date.now() > until) done(); else setTimeout(poll, 50);
        })();""")
    assert "lang=sr-Cyrl" in browser.current_url
    caption = browser.find_element("css selector", "#crosstab-table caption").text
    assert "Колико имате поверења у полицију?" in caption
    assert browser.execute_script("return document.documentElement.lang") == "sr-Cyrl"
    # Numbers as Serbian writes them: decimal comma, full stop between thousands.
    base = browser.find_element("css selector", "#crosstab-table .base-row td").text
    assert re.fullmatch(r"\d{1,2}\.\d{3}", base), base
    cell = browser.find_element("css selector", "#crosstab-table tbody td").text
    assert re.match(r"\d+,\d", cell), cell
