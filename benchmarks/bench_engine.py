"""The cross-tab engine against pandas.crosstab on the same weighted table.

    python benchmarks/bench_engine.py [--sizes 100000 1000000] [--repeat 7]

A synthetic file of N respondents (a 5-answer question with don't-know codes, a 4-category
breakdown, a filter, weights, ~10 respondents per PSU in 300 strata) is built in memory. Each
method is timed best-of-`repeat`; the numbers are checked to agree before timing is reported.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from barometer_dash.stats.counts import column_percent, weighted_counts
from barometer_dash.stats.design import prepare_design
from barometer_dash.stats.table import tabulate


def make_frame(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    stratum = rng.integers(0, 300, n)
    psu = stratum * 100_000 + rng.integers(0, max(n // 3000, 2), n)
    answer = rng.choice([1, 2, 3, 4, 5, 98, 99], n, p=[.2, .25, .25, .15, .1, .04, .01])
    return pd.DataFrame({
        "answer": answer.astype(np.int8),
        "age": rng.integers(1, 5, n).astype(np.int8),
        "country": rng.integers(1, 4, n).astype(np.int8),
        "weight": rng.gamma(4.0, 0.25, n),
        "stratum": stratum.astype(np.int32),
        "psu": psu.astype(np.int64),
    })


def best(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1000, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print("| respondents | pandas.crosstab ms | engine counts+% ms | ratio | engine with SE, CI, test ms |")
    print("|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        print(run(n, args.repeat))


def run(n: int, repeat: int) -> str:
    """One line of the table for `n` respondents."""
    f = make_frame(n)
    valid = f["answer"].isin([1, 2, 3, 4, 5]).to_numpy()
    domain = (f["country"] != 3).to_numpy()
    # Codes -> positions once per dataset, as the service does.
    row = np.where(valid, f["answer"].to_numpy().astype(np.intp) - 1, -1)
    col = f["age"].to_numpy().astype(np.intp) - 1
    weight = f["weight"].to_numpy()
    design = prepare_design(n, weight=weight, strata=f["stratum"].to_numpy(), psu=f["psu"].to_numpy())

    def with_pandas() -> pd.DataFrame:
        sub = f[valid & domain]
        return pd.crosstab(sub["answer"], sub["age"], values=sub["weight"], aggfunc="sum",
                           normalize="columns") * 100

    def engine() -> np.ndarray:
        return column_percent(weighted_counts(row, 5, col, 4, weight, domain=domain)[1])

    def engine_full() -> object:
        return tabulate(design, row, 5, col, 4, domain=domain)

    t_pd, ref = best(with_pandas, repeat)
    t_en, ours = best(engine, repeat)
    t_full, full = best(engine_full, max(3, repeat // 2))
    assert np.allclose(np.asarray(ref), ours, atol=1e-9)
    assert np.allclose(full.percent, ours, atol=1e-9)  # type: ignore[attr-defined]
    return f"| {n:,} | {t_pd:.1f} | {t_en:.1f} | {t_pd / t_en:.1f}x | {t_full:.1f} |"


if __name__ == "__main__":
    main()
