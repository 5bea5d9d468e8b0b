"""Researchers' tools: a prepared Survey against plain weighted counts, and a whole tab book.

    python benchmarks/bench_research.py [--sizes 100000 1000000 10000000] [--rounds 9]
                                        [--svy-max 1000000] [--psu-size 10] [--blas-threads N]
                                        [--tabbook-only | --no-tabbook]

Table 1: a 5x6 design-based table (5 answers plus two missing codes, 6 columns, a domain,
weights, 300 strata, PSUs of about ``--psu-size`` respondents, 10 by default, in random
row order) at each size.  Each method is timed call by call, the methods taking turns of
five consecutive calls in ``--rounds`` rounds, and the median call is reported (one-off
tables once in every third round, svy once):

* plain counts: ``np.bincount`` of weighted counts on integer codes prepared beforehand
  (the floor: no SE, no test);
* ``Survey.crosstab``: the design prepared once and the columns' codes kept (every call
  after the first; the first call, which also encodes the two columns, is shown apart);
* ``stats.crosstab``: the one-off function (prepares the design each call);
* svy's ``categorical.tabulate`` (the reference implementation), up to ``--svy-max``.

Percentages are checked to agree before any time is reported.  ``--blas-threads 1`` pins
BLAS to one thread as the production server does (gunicorn.conf.py); by default BLAS keeps
its own thread count.

Table 2: the demo tab book, all 52 questions by a 4-column banner (Total + 3 countries),
built from a service with an empty cache and written as an .xlsx workbook.

Results and the commands that printed them: benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from barometer_dash.stats import CrosstabResult, Survey, crosstab

ROOT = Path(__file__).resolve().parents[1]
TURN = 5
"""Consecutive timed calls of one method in each round."""


def make_frame(n: int, seed: int = 1, psu_size: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    stratum = rng.integers(0, 300, n)
    psu = stratum * 100_000 + rng.integers(0, max(n // (300 * psu_size), 2), n)
    answer = rng.choice([1, 2, 3, 4, 5, 98, 99], n, p=[.2, .25, .25, .15, .1, .04, .01])
    return pd.DataFrame({
        "answer": answer.astype(np.int8),
        "group": rng.integers(1, 7, n).astype(np.int8),
        "country": rng.integers(1, 4, n).astype(np.int8),
        "weight": rng.gamma(4.0, 0.25, n),
        "stratum": stratum.astype(np.int32),
        "psu": psu.astype(np.int64),
    })


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t0) * 1000, out


def svy_table(f: pd.DataFrame) -> tuple[Callable[[], object], Callable[[object], np.ndarray]]:
    import polars as pl
    import svy

    data = pl.from_pandas(f.assign(dom=(f["country"] != 3) & f["answer"].isin([1, 2, 3, 4, 5])))
    sample = svy.Sample(data, svy.Design(stratum="stratum", psu="psu", wgt="weight"))

    def run() -> object:
        return sample.categorical.tabulate("answer", "group", units="percent", share_of="col", where=svy.col("dom"))

    def percents(table: object) -> np.ndarray:
        est = {(int(float(c.rowvar)), int(float(c.colvar))): c.est for c in table.estimates}  # type: ignore[attr-defined]
        return np.array([[est.get((r, c), 0.0) for c in range(1, 7)] for r in range(1, 6)])

    return run, percents


def survey_row(n: int, rounds: int, svy_max: int, psu_size: int) -> str:
    f = make_frame(n, psu_size=psu_size)
    where = (f["country"] != 3).to_numpy()
    missing = {"answer": [98, 99]}
    # Plain counts on integer codes made beforehand, as the service keeps them.
    row = np.where(f["answer"].isin([1, 2, 3, 4, 5]).to_numpy(), f["answer"].to_numpy().astype(np.intp) - 1, -1)
    col = f["group"].to_numpy().astype(np.intp) - 1
    weight = f["weight"].to_numpy()

    def plain() -> np.ndarray:
        keep = np.flatnonzero((row >= 0) & where)
        counts = np.bincount(row[keep] * 6 + col[keep], weights=weight[keep], minlength=30).reshape(5, 6)
        return 100.0 * counts / counts.sum(axis=0)

    t0 = time.perf_counter()
    survey = Survey(f, weight="weight", strata="stratum", psu="psu")
    prepare_ms = (time.perf_counter() - t0) * 1000
    first_ms, _ = timed(lambda: survey.crosstab("answer", "group", where=where, missing=missing))

    def prepared() -> object:
        return survey.crosstab("answer", "group", where=where, missing=missing)

    def one_off() -> object:
        return crosstab(f, "answer", "group", weight="weight", strata="stratum", psu="psu", where=where,
                        missing=missing)

    # Turns of consecutive calls (after one untimed call), so plain counts run with their
    # arrays in cache as they would alone: the ratio is not flattered by a cold baseline.
    times: dict[str, list[float]] = {"plain": [], "survey": [], "one-off": []}
    outputs: dict[str, object] = {}
    for i in range(rounds):
        for name, fn in (("plain", plain), ("survey", prepared)):
            fn()
            for _ in range(TURN):
                ms, outputs[name] = timed(fn)
                times[name].append(ms)
        if i % 3 == 0:
            ms, outputs["one-off"] = timed(one_off)
            times["one-off"].append(ms)
    ref, res, once = outputs["plain"], outputs["survey"], outputs["one-off"]
    assert isinstance(ref, np.ndarray) and isinstance(res, CrosstabResult) and isinstance(once, CrosstabResult)
    np.testing.assert_allclose(res.table.percent, ref, rtol=1e-9)
    np.testing.assert_allclose(once.table.percent, ref, rtol=1e-9)
    plain_ms, survey_ms, one_ms = (float(np.median(times[k])) for k in ("plain", "survey", "one-off"))
    svy_text = "—"
    if n <= svy_max:
        run, percents = svy_table(f)
        svy_ms, table = timed(run)
        np.testing.assert_allclose(percents(table), ref, rtol=1e-6)
        svy_text = f"{svy_ms:,.0f} ({svy_ms / plain_ms:,.0f}x)"
    return (f"| {n:,} | {survey.design.n_psu:,} | {plain_ms:.1f} | {survey_ms:.1f} ({survey_ms / plain_ms:.1f}x) "
            f"| {first_ms:.0f} | {prepare_ms:.0f} | {one_ms:.0f} ({one_ms / plain_ms:.1f}x) | {svy_text} |")


def tabbook_row(repeat: int) -> str:
    from barometer_dash.data.store import Store
    from barometer_dash.render.tabbook import tabbook_xlsx
    from barometer_dash.service import Service
    from barometer_dash.tabbook import tabbook_tables

    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        service = Service(Store(ROOT / "data"))
        book = tabbook_tables(service, "demo", ("country",))
        data = tabbook_xlsx(book)
        times.append(time.perf_counter() - t0)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "book.xlsx").write_bytes(data)
    n_cols = len(book.sheets[0].columns)
    return f"| demo, {len(book.sheets)} questions | {n_cols} | {min(times):.2f} | {len(data) / 1024:,.0f} |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--rounds", type=int, default=9, help="turns of each method (a third for one-off)")
    parser.add_argument("--svy-max", type=int, default=1_000_000, help="largest size also run with svy")
    parser.add_argument("--psu-size", type=int, default=10, help="respondents per PSU, about")
    parser.add_argument("--blas-threads", type=int, default=None, help="pin BLAS to this many threads")
    parser.add_argument("--tabbook-only", action="store_true")
    parser.add_argument("--no-tabbook", action="store_true")
    args = parser.parse_args()
    with threadpool_limits(args.blas_threads):
        if not args.tabbook_only:
            print(f"medians of {args.rounds * TURN} calls ({(args.rounds + 2) // 3} for stats.crosstab); "
                  f"BLAS threads: {args.blas_threads or 'default'}")
            print("| respondents | PSUs | plain counts ms | Survey.crosstab ms (x plain) | first call ms | "
                  "Survey() ms | stats.crosstab ms (x plain) | svy ms (x plain) |")
            print("|---:|---:|---:|---:|---:|---:|---:|---:|")
            for n in args.sizes:
                print(survey_row(n, args.rounds, args.svy_max, args.psu_size), flush=True)
        if not args.no_tabbook:
            print()
            print("| tab book | banner columns | build + write s (best) | workbook KB |")
            print("|---|---:|---:|---:|")
            print(tabbook_row(max(1, args.rounds // 5)))


if __name__ == "__main__":
    main()
