"""Reference means and differences of means computed with ``svy``, for tests/unit/test_stats_means.py.

How it was run (from the repository root, once; the JSON it writes is committed):

    python tests/golden/make_golden_means.py

with the versions recorded in the file, on the two real data sets of make_golden.py
(statsmodels' ANES 1996 extract, no design; svy's World Bank sample, strata geo1 x urbrur,
PSU ea, weight hhweight).

For each case (a numeric variable by a breakdown, optionally within a domain) it stores:

* each column's mean and SE from ``estimation.mean(y, by=col, where=domain)``;
* each column against the rest: the coefficient and SE of a 0/1 indicator of the column in
  the design-based regression ``glm.fit(y, x=[indicator], where=domain)`` (R's
  ``svyglm(y ~ indicator, subset(design, domain))``): with an intercept, the coefficient is
  the column's mean minus the mean of everyone else, and its sandwich SE is the linearised
  SE of that difference;
* a few pairs of columns (b minus a): the same regression within ``domain & col in {a, b}``.

svy's mean uses each column's own df for intervals and the regression uses the domain df
minus one; Barometer uses the domain df throughout, so the test compares estimates and SEs.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import svy
from make_golden import DESIGNS, load, sha256

OUT = Path(__file__).resolve().parent

CASES: list[dict] = [
    {"dataset": "anes96", "y": "TVnews", "col": "PID"},
    {"dataset": "anes96", "y": "TVnews", "col": "educ", "where": "age >= 50"},
    {"dataset": "wb_ind_2023", "y": "yrs_school", "col": "geo1", "where": "age >= 18"},
    {"dataset": "wb_ind_2023", "y": "yrs_school", "col": "sex"},
    {"dataset": "wb_ind_2023", "y": "yrs_school", "col": "urbrur", "where": "sex == 'Female'"},
]


def sample(frame: pd.DataFrame, dataset: str, extra: dict[str, np.ndarray]) -> svy.Sample:
    data = pl.from_pandas(frame).with_columns([pl.Series(k, v) for k, v in extra.items()])
    d = DESIGNS[dataset]
    if d["psu"] is None:
        return svy.Sample(data, svy.Design())
    return svy.Sample(data, svy.Design(stratum=tuple(d["strata"]), psu=d["psu"], wgt=d["weight"]))


def key(value: object) -> object:
    return float(value) if isinstance(value, int | float | np.integer | np.floating) else str(value)


def regression(frame: pd.DataFrame, dataset: str, y: str, indicator: np.ndarray, domain: np.ndarray) -> dict:
    s = sample(frame, dataset, {"ind": indicator.astype(float), "dom": domain})
    fit = s.glm.fit(y, x=["ind"], where=svy.col("dom"))
    coef = next(c for c in fit.coefs if c.term == "ind")
    return {"estimate": float(coef.est), "se": float(coef.se)}


def run_case(frame: pd.DataFrame, case: dict) -> dict:
    dataset, y, col = case["dataset"], case["y"], case["col"]
    domain = np.ones(len(frame), dtype=bool)
    if case.get("where"):
        domain &= frame.eval(case["where"]).to_numpy(dtype=bool)
    s = sample(frame, dataset, {"dom": domain})
    est = s.estimation.mean(y, by=col, where=svy.col("dom"), drop_nulls=True)
    means = {str(key(e.by_level[0])): {"mean": float(e.est), "se": float(e.se)} for e in est.estimates}
    levels = sorted(frame.loc[domain, col].dropna().unique(), key=key)
    values = frame[col].to_numpy()
    rest = {str(key(v)): regression(frame, dataset, y, values == v, domain) for v in levels}
    pairs = []
    for a, b in ((levels[0], levels[-1]), (levels[0], levels[1])):
        within = domain & np.isin(values, [a, b])
        pairs.append({"a": key(a), "b": key(b), **regression(frame, dataset, y, values == b, within)})
    return {**case, "where": case.get("where"), "means": means, "rest": rest, "pairs": pairs}


def main() -> None:
    versions = {pkg: metadata.version(pkg) for pkg in ("svy", "statsmodels", "pandas")}
    for dataset in DESIGNS:
        frame = load(dataset)
        cases = [run_case(frame, c) for c in CASES if c["dataset"] == dataset]
        payload = {"dataset": dataset, "sha256": sha256(dataset), "design": DESIGNS[dataset], "versions": versions,
                   "cases": cases}
        path = OUT / f"means_{dataset}.json"
        path.write_text(json.dumps(payload, indent=1) + "\n")
        print(f"wrote {path.name}: {len(cases)} cases")


if __name__ == "__main__":
    main()
