"""Speed of chart images made on the server (kaleido driving the machine's Chromium).

    python -m benchmarks.bench_images [--repeat 5]

On the bundled demo data, for a stacked-bar view (trust in the police by age group, Kosovo
2022) and a grouped multiple-response view (main threats by country), each image size and
format is timed warm: the table is computed and cached first, kaleido's server is already
running, and each image is made `--repeat` times. Times cover the whole path an image
request takes after the table: the print layout (`print_figure`) and the export
(`figure_image`). The first image of the process (server and browser start) is reported
apart. Prints a markdown table; the target is under 400 ms per warm image.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from barometer_dash.data.store import Store
from barometer_dash.domain.query import Query
from barometer_dash.render.image import FORMATS, SIZES, figure_image, stop_server
from barometer_dash.render.print_layout import print_figure
from barometer_dash.service import Service

DATA = Path(__file__).resolve().parents[1] / "data"
VIEWS = {
    "police by age (KS 2022)": Query("demo", "trust_police", "age_group",
                                     filters=(("country", (2,)), ("year", (2022,)))),
    "threats by country": Query("demo", "threats", "country"),
}
LINK = "https://barometer.example/?q=trust_police"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    service = Service(Store(DATA))
    tables = {name: service.crosstab(q, "en") for name, q in VIEWS.items()}
    start = time.perf_counter()
    first = next(iter(tables.values()))
    figure_image(print_figure(first, "article", LINK), "png", 1200, 800)
    cold = time.perf_counter() - start
    print(f"first image of the process (starts Chromium): {cold * 1000:.0f} ms\n")
    print("| view | size | format | median ms | max ms | bytes |")
    print("|---|---|---|---:|---:|---:|")
    worst = 0.0
    try:
        for name, xt in tables.items():
            for size_name, size in SIZES.items():
                for fmt in FORMATS:
                    times, data = [], b""
                    for _ in range(args.repeat):
                        t0 = time.perf_counter()
                        data = figure_image(print_figure(xt, size_name, LINK), fmt, size.width, size.height)
                        times.append(time.perf_counter() - t0)
                    worst = max(worst, statistics.median(times))
                    print(f"| {name} | {size_name} {size.width}x{size.height} | {fmt} | "
                          f"{statistics.median(times) * 1000:.0f} | {max(times) * 1000:.0f} | {len(data):,} |")
    finally:
        stop_server()
    print(f"\nslowest median: {worst * 1000:.0f} ms (target < 400 ms)")


if __name__ == "__main__":
    main()
