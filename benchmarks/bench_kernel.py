"""The two ways of summing a table's PSU totals, side by side: numpy's passes (the web
service) and the compiled pass of a prepared Survey, by PSU size and table width.

    python benchmarks/bench_kernel.py [--n 1000000] [--rounds 9]

Random designs of ``--n`` respondents in PSU order (300 strata), a domain of 63 % of them,
cells spread evenly; BLAS on one thread as in production.  Each line: median ms of each
engine for the same cells (checked to agree first), their ratio, and which one
``kernel.suits`` picks.  First, the memory one process takes on by loading the compiler.
Results: benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import warnings
from dataclasses import replace

import numpy as np
from threadpoolctl import threadpool_limits

from barometer_dash.stats import kernel
from barometer_dash.stats.design import in_psu_order, prepare_design
from barometer_dash.stats.scan import coded_totals
from barometer_dash.stats.variance import covariance


def median_ms(fn: object, rounds: int) -> float:
    assert callable(fn)
    fn()
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return float(np.median(times))


MEMORY = """
import os, numpy as np, pandas, scipy.linalg, dash, plotly
def mb(key):
    with open(f"/proc/{os.getpid()}/smaps_rollup") as f:
        return next(int(line.split()[1]) // 1024 for line in f if line.startswith(key + ":"))
def line(step):
    print(f"| {step} | {mb('Rss')} | {mb('Pss_Anon')} | {mb('Pss_File')} |")
line("numpy, pandas, scipy, dash, plotly imported")
import numba
line("numba imported")
from barometer_dash.stats import Survey
s = Survey(pandas.DataFrame({"a": [1, 2] * 50, "b": [1, 1, 2, 2] * 25, "w": 1.0, "p": range(100)}), weight="w", psu="p")
s.crosstab("a", "b")
line("a table through the compiled pass")
"""


def memory() -> None:
    """What loading the compiler costs a process (why the web workers keep to numpy)."""
    print("| one process | RSS MB | Pss_Anon MB | Pss_File MB |")
    print("|---|---:|---:|---:|")
    subprocess.run([sys.executable, "-c", MEMORY], check=True)
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    memory()
    threadpool_limits(1)
    rng = np.random.default_rng(0)
    n = args.n
    print(f"{n:,} respondents, medians of {args.rounds} calls, BLAS on one thread")
    print("| respondents a PSU | cells | numpy ms | compiled ms | compiled / numpy | picked |")
    print("|---:|---:|---:|---:|---:|---|")
    for size in (5, 10, 20, 50, 100, 300):
        n_psu = max(n // size, 2)
        psu = rng.integers(0, n_psu, n)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            design = prepare_design(n, weight=rng.gamma(4.0, 0.25, n), strata=psu % 300, psu=psu)
        numpy_design, _ = in_psu_order(design)
        compiled = replace(numpy_design, compiled=True)
        mask = rng.random(n) < 0.63
        for m in (10, 30, 64, 120):
            cells = rng.integers(0, m, n).astype(np.int8)
            want = coded_totals(numpy_design, mask, cells, m)[1]
            _, strata, square, df, _ = kernel.scan(compiled, mask, cells, m)
            got = covariance(compiled, strata, square, df)
            np.testing.assert_allclose(got.cov, want.cov, rtol=1e-10, atol=1e-10 * np.abs(want.cov).max())
            numpy_ms = median_ms(lambda: coded_totals(numpy_design, mask, cells, m), args.rounds)  # noqa: B023
            compiled_ms = median_ms(lambda: kernel.scan(compiled, mask, cells, m), args.rounds)  # noqa: B023
            picked = "compiled" if kernel.suits(compiled, m, int(mask.sum())) else "numpy"
            print(f"| {n / numpy_design.n_psu:.0f} | {m} | {numpy_ms:.1f} | {compiled_ms:.1f} "
                  f"| {compiled_ms / numpy_ms:.2f} | {picked} |")


if __name__ == "__main__":
    main()
