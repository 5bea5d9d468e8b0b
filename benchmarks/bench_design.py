"""Speed of a design-based cross-tab against svy and against plain weighted counts.

    python -m benchmarks.bench_design [--sizes 100000 1000000 10000000] [--svy-limit 1000000]

Synthetic surveys of n respondents in 300 strata and PSUs of about 10 respondents, with PSU
effects so design effects are real.  The table is a 5 x 6 column-percent cross-tab (SEs,
logit CIs, cell tests, Rao-Scott F) with about 5% "not in base" answers, timed with the rows
in PSU order, shuffled, and shuffled inside a domain (about half the sample).  The design is
prepared once per dataset; each table is timed as the best of several runs, against
``numpy.bincount`` weighted counts of the same cells (no variance at all).  svy (Sample
built once, ``tabulate`` timed) runs up to ``--svy-limit`` respondents; its percents, SEs
and Rao-Scott F are compared with ours.
Prints a markdown table.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from barometer_dash.stats import Design, Table, prepare_design, tabulate

N_STRATA, PSU_SIZE, N_ROWS, N_COLS = 300, 10, 5, 6


def synth(n: int, seed: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    n_psu = max(N_STRATA * 2, n // PSU_SIZE)
    psu = rng.permutation(np.arange(n) % n_psu)
    stratum = psu % N_STRATA
    effect = rng.normal(0.0, 0.6, n_psu)[psu]
    col = rng.integers(0, N_COLS, n)
    score = effect + 0.15 * col + rng.normal(0.0, 1.0, n)
    row = np.digitize(score, [-1.0, -0.2, 0.5, 1.3]).astype(np.int64)
    row[rng.random(n) < 0.05] = -1
    return {
        "row": row,
        "col": col.astype(np.int64),
        "psu": psu,
        "stratum": stratum,
        "weight": rng.lognormal(0.0, 0.4, n),
        "domain": rng.random(n) < 0.5,
    }


def best(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run_svy(data: dict[str, np.ndarray], ours: Table) -> tuple[float, str]:
    import polars as pl
    import svy

    frame = pl.DataFrame(
        {
            "row": data["row"],
            "col": data["col"],
            "psu": data["psu"],
            "stratum": data["stratum"],
            "weight": data["weight"],
        }
    ).with_columns(pl.when(pl.col("row") >= 0).then(pl.col("row")).alias("row"))
    sample = svy.Sample(frame, svy.Design(stratum="stratum", psu="psu", wgt="weight"))

    def call() -> object:
        return sample.categorical.tabulate("row", "col", units="percent", share_of="col", drop_nulls=True)

    start = time.perf_counter()
    table = call()
    elapsed = time.perf_counter() - start
    if elapsed < 20:
        elapsed = min(elapsed, best(call, 2))
    worst = 0.0
    for cell in table.estimates:
        r, c = int(float(cell.rowvar)), int(float(cell.colvar))
        worst = max(worst, abs(cell.est - ours.percent[r, c]), abs(cell.se - ours.se[r, c]))
    f_rel = abs(table.stats.f.value - ours.test.statistic) / ours.test.statistic
    return elapsed, f"{worst:.1e} / {f_rel:.1e}"


def bench(n: int, svy_limit: int, runs: int) -> str:
    data = synth(n)
    start = time.perf_counter()
    design = prepare_design(n, weight=data["weight"], strata=data["stratum"], psu=data["psu"])
    prepare = time.perf_counter() - start
    order = np.argsort(data["psu"], kind="stable")
    in_order = {key: value[order] for key, value in data.items()}
    design_in_order = prepare_design(n, weight=in_order["weight"], strata=in_order["stratum"], psu=in_order["psu"])

    def table(d: Design, v: dict[str, np.ndarray], domain: bool = False) -> Table:
        mask = v["domain"] if domain else None
        return tabulate(d, v["row"], N_ROWS, v["col"], N_COLS, domain=mask)

    ours = table(design, data)
    t_sorted = best(lambda: table(design_in_order, in_order), runs)
    t_ours = best(lambda: table(design, data), runs)
    t_domain = best(lambda: table(design, data, True), runs)

    def counts() -> np.ndarray:
        ok = data["row"] >= 0
        cell = data["row"][ok] * N_COLS + data["col"][ok]
        return np.bincount(cell, weights=data["weight"][ok], minlength=N_ROWS * N_COLS)

    t_counts = best(counts, runs)
    if n <= svy_limit:
        t_svy, agree = run_svy(data, ours)
        svy_cell, ratio = f"{t_svy * 1e3:,.0f} ms", f"{t_svy / t_ours:,.0f}x"
    else:
        svy_cell, ratio, agree = "skipped (too slow)", "-", "-"
    return (
        f"| {n:,} | {design.n_strata} | {design.n_psu:,} | {prepare * 1e3:,.0f} ms "
        f"| {t_sorted * 1e3:,.1f} ms | {t_ours * 1e3:,.1f} ms | {t_domain * 1e3:,.1f} ms "
        f"| {t_counts * 1e3:,.1f} ms | {t_ours / t_counts:,.1f}x | {svy_cell} | {ratio} "
        f"| {agree} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--svy-limit", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(
        "| respondents | strata | PSUs | prepare_design (shuffled) | table, rows in PSU order "
        "| table, rows shuffled | shuffled, in a domain | numpy bincount counts "
        "| table / counts | svy tabulate (shuffled) | svy / table | max abs diff pct, SE "
        "/ F rel diff |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for n in args.sizes:
        print(bench(n, args.svy_limit, args.runs), flush=True)


if __name__ == "__main__":
    main()
