"""A first visit in headless Chromium: bytes transferred and time until the table and the chart
are drawn, beside a minimal Dash app with one graph, measured in the same run.

    python benchmarks/bench_first_visit.py [--repeat 3]

Each visit is a new browser (empty cache). "local" is the loopback network as it is; "4G" is
Chromium's network emulation at 9 Mbit/s down, 1.5 Mbit/s up and 60 ms round trips, where bytes
cost time. Times are from the start of navigation (performance.now()), medians over the visits.
Uses Debian's /usr/bin/chromium and chromedriver; downloads no browser.

Measured on the 2-core development machine (Chromium 156, --repeat 3, a 390x844 window):

    page                      network    KB sent  requests  table ms  chart ms
    Barometer Dash            local          694        21       994      1251
    minimal Dash, one graph   local        5,923        15         -      2175
    Barometer Dash            4G             694        20      1617      1784
    minimal Dash, one graph   4G           5,923        15         -      8500

The difference is gzip (Dash's compress=True), plotly.js's "basic" bundle in assets/ instead of the
full plotly.min.js (395 KB against 1.4 MB gzipped) and no DataTable bundle.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import threading

from dash import Dash, dcc, html
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from werkzeug.serving import make_server

from barometer_dash.app_factory import create_app

VIEW = "/?q=trust_police&by=age_group&country=XK&year=2022"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NETWORKS = {
    "local": None,
    "4G": {"offline": False, "latency": 60, "downloadThroughput": 9_000_000 / 8,
           "uploadThroughput": 1_500_000 / 8},
}
# Runs before the page's own scripts: note when each awaited element first appears.
WATCH = """
window.__drawn = {};
const wanted = %s;
function look() {
  for (const [name, sel] of Object.entries(wanted)) {
    if (!(name in window.__drawn) && document.querySelector(sel)) window.__drawn[name] = performance.now();
  }
}
new MutationObserver(look).observe(document, {childList: true, subtree: true});
"""
READ = """
const nav = performance.getEntriesByType('navigation')[0], res = performance.getEntriesByType('resource');
return {drawn: window.__drawn, bytes: nav.transferSize + res.reduce((s, e) => s + e.transferSize, 0),
        requests: res.length + 1};
"""


def minimal_app() -> Dash:
    """Dash as it comes: one bar chart, nothing else."""
    app = Dash(__name__)
    figure = {"data": [{"type": "bar", "x": ["A", "B", "C"], "y": [40, 35, 25]}], "layout": {"height": 320}}
    app.layout = html.Div([html.H1("One graph"), dcc.Graph(id="graph", figure=figure)])
    return app


def serve(app: Dash) -> tuple[str, object]:
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def visit(url: str, wanted: dict[str, str], network: dict | None) -> dict:
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in FLAGS + ["--window-size=390,844"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                              options=options)
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH % wanted})
        if network:
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd("Network.emulateNetworkConditions", network)
        driver.set_script_timeout(120)
        driver.get(url)
        driver.execute_async_script(
            """const [n, done] = arguments, until = Date.now() + 110000;
            (function poll() { if (Object.keys(window.__drawn).length >= n || Date.now() > until) done();
                               else setTimeout(poll, 20); })();""", len(wanted))
        result: dict = driver.execute_script(READ)
    finally:
        driver.quit()
    missing = set(wanted) - set(result["drawn"])
    if missing:
        raise SystemExit(f"{url}: never drawn: {', '.join(sorted(missing))}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    ours, ours_server = serve(create_app({"cache": "simple"}))
    mini, mini_server = serve(minimal_app())
    pages = {
        "Barometer Dash": (ours + VIEW, {"table": "#crosstab-table tbody tr", "chart": "#crosstab-chart .bars path"}),
        "minimal Dash, one graph": (mini + "/", {"chart": "#graph .bars path"}),
    }
    print(f"{'page':<26}{'network':<9}{'KB sent':>9}{'requests':>10}{'table ms':>10}{'chart ms':>10}")
    for net_name, network in NETWORKS.items():
        for name, (url, wanted) in pages.items():
            runs = [visit(url, wanted, network) for _ in range(args.repeat)]
            kb = statistics.median(r["bytes"] for r in runs) / 1024
            reqs = statistics.median(r["requests"] for r in runs)
            times = {k: statistics.median(r["drawn"][k] for r in runs) for k in wanted}
            table = f"{times['table']:.0f}" if "table" in times else "-"
            print(f"{name:<26}{net_name:<9}{kb:>9,.0f}{reqs:>10.0f}{table:>10}{times['chart']:>10.0f}")
    for server in (ours_server, mini_server):
        server.shutdown()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
