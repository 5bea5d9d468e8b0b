"""Reference cross-tabs computed with the ``svy`` package, for tests/unit/test_stats_golden.py.

How it was run (from the repository root, once; the JSON it writes is committed):

    python tests/golden/make_golden.py

with svy 0.35.0 (polars backend), statsmodels 0.15, pandas 3.1, on two real data sets that
ship inside those packages and load offline:

* ``anes96``: statsmodels' ANES 1996 extract (944 respondents, no design variables, no
  weight): weight 1, every respondent its own PSU, one stratum.
* ``wb_ind_2023``: svy's bundled World Bank synthetic individual sample
  (``svy/datasets/_bundled/ind_sample_wb_2023.parquet``, 3,246 people): strata
  geo1 x urbrur (7), PSU ``ea`` (33), weight ``hhweight``.

Each case is a two-way table in column, row and total percentages, with and without a
domain (svy's ``where=``, here a boolean column).  ``missing`` codes are a domain too:
svy gets them as ``where=`` (variable not in the excluded codes), Barometer as
``missing=``.  For every cell the script stores svy's percent, SE and CI, and the table's
Rao-Scott F test (statistic, df1, df2, p) and Pearson chi-square.  Column and row cases
also store svy's design effect (``estimation.prop(deff="wr")``).

What svy does and Barometer follows: a domain keeps every PSU of the design (rows outside
get weight 0, their PSUs add zero totals to the variance sums); its df counts only PSUs with
a respondent in the domain; the Rao-Scott denominator df is that df times df1, and the
Pearson chi-square is scaled by the domain's unweighted size (R's N for a subset design).

Where our rule differs from svy's (explained, and checked by the asserts below):

* Confidence intervals of column (row) percentages.  svy computes them as
  ``estimation.prop(row, by=col)``: each column is its own domain and its CI uses that
  column's df (PSUs with a respondent in the column, minus their strata).  Barometer uses
  one df per table, the df of the table's domain (PSUs with a respondent anywhere in the
  table, minus strata), the df that svy itself uses for total percentages and for the
  Rao-Scott denominator.  The two agree whenever every column (row) reaches every PSU of
  the domain.  So each cell keeps svy's bounds as ``ci_low_svy``/``ci_high_svy`` with the
  df svy used (``df_svy``, read from svy), and ``ci_low``/``ci_high`` are svy's own logit
  interval recomputed from svy's percent and SE with the table df.  The script asserts that
  recomputing with ``df_svy`` reproduces svy's bounds, so the only difference is the df.
* Cells whose percent is exactly 0 or 100: svy returns the degenerate interval [p, p] for
  total percentages but NaN (stored as null) for column and row percentages, which come
  from ``prop``; Barometer always returns the finite [p, p], stored as ``ci_low``/``ci_high``.
* svy reports p = 0.0 when the F tail underflows its own incomplete-beta routine; the test
  compares p with an absolute tolerance, so that is no difference in practice.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata, resources
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import statsmodels.api as sm
import svy
from scipy import stats

OUT = Path(__file__).resolve().parent
WB_FILE = "ind_sample_wb_2023.parquet"
SHARE = {"column": "col", "row": "row", "total": "total"}

CASES: list[dict] = [
    {"dataset": "anes96", "row": "PID", "col": "vote"},
    {"dataset": "anes96", "row": "PID", "col": "vote", "where": "age >= 50"},
    {"dataset": "anes96", "row": "educ", "col": "vote"},
    {"dataset": "anes96", "row": "educ", "col": "vote", "where": "income >= 15"},
    {"dataset": "wb_ind_2023", "row": "marstat", "col": "sex"},
    {"dataset": "wb_ind_2023", "row": "marstat", "col": "sex", "where": "age >= 18"},
    {"dataset": "wb_ind_2023", "row": "educ_attain", "col": "geo1"},
    {"dataset": "wb_ind_2023", "row": "educ_attain", "col": "geo1", "where": "sex == 'Female'"},
    {"dataset": "wb_ind_2023", "row": "act_status", "col": "urbrur", "where": "geo1 == 'geo_02'"},
    {"dataset": "wb_ind_2023", "row": "literacy", "col": "sex", "missing": {"literacy": ["Not in universe"]}},
]

DESIGNS = {
    "anes96": {"weight": None, "strata": None, "psu": None},
    "wb_ind_2023": {"weight": "hhweight", "strata": ["geo1", "urbrur"], "psu": "ea"},
}


def wb_path() -> Path:
    return Path(str(resources.files("svy.datasets") / "_bundled" / WB_FILE))


def load(dataset: str) -> pd.DataFrame:
    if dataset == "anes96":
        return sm.datasets.anes96.load_pandas().data
    return pd.read_parquet(wb_path())


def sha256(dataset: str) -> str:
    if dataset == "anes96":
        frame = load(dataset)
        return hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    return hashlib.sha256(wb_path().read_bytes()).hexdigest()


def domain_mask(frame: pd.DataFrame, case: dict) -> np.ndarray:
    mask = np.ones(len(frame), dtype=bool)
    if case.get("where"):
        mask &= frame.eval(case["where"]).to_numpy(dtype=bool)
    for var, codes in case.get("missing", {}).items():
        mask &= ~frame[var].isin(codes).to_numpy()
    return mask


def domain_df(frame: pd.DataFrame, design: dict, mask: np.ndarray) -> int:
    """PSUs with a respondent in the domain minus their strata, counted with pandas."""
    sub = frame[mask]
    if design["psu"] is None:
        return int(mask.sum()) - 1
    strata = sub[design["strata"][0]].astype(str)
    for name in design["strata"][1:]:
        strata = strata + "|" + sub[name].astype(str)
    psus = strata + "#" + sub[design["psu"]].astype(str)
    return int(psus.nunique() - strata.nunique())


def logit_ci(percent: float, se: float, df: int) -> tuple[float, float]:
    p, s = percent / 100.0, se / 100.0
    if p <= 0.0 or p >= 1.0 or s <= 0.0:
        return percent, percent
    t = float(stats.t.ppf(0.975, df))
    centre, half = np.log(p / (1 - p)), t * s / (p * (1 - p))
    return tuple(100.0 / (1.0 + np.exp(-(centre + sign * half))) for sign in (-1, 1))


def sample(frame: pd.DataFrame, dataset: str, mask: np.ndarray) -> svy.Sample:
    data = pl.from_pandas(frame).with_columns(pl.Series("in_domain", mask))
    d = DESIGNS[dataset]
    if d["psu"] is None:
        return svy.Sample(data, svy.Design())
    return svy.Sample(data, svy.Design(stratum=tuple(d["strata"]), psu=d["psu"], wgt=d["weight"]))


def base_df_and_deff(s: svy.Sample, case: dict, percent: str, where: object) -> dict:
    """svy's df and design effect of each column (row) percent, keyed by (row, col)."""
    y, by = (case["row"], case["col"]) if percent == "column" else (case["col"], case["row"])
    est = s.estimation.prop(y, by=by, where=where, deff="wr")
    out = {}
    for p in est.estimates:
        key = (norm(p.y_level), norm(p.by_level[0]))
        out[key if percent == "column" else key[::-1]] = (int(p.df), float(p.deff))
    return out


def norm(value: object) -> str:
    """One spelling per level: svy writes 1.0 as "1" in tables and "1.0" in estimates."""
    try:
        return repr(float(str(value)))
    except ValueError:
        return str(value)


def code(value: object, frame: pd.DataFrame, var: str) -> object:
    """svy's label of a level back to the frame's value (numbers come back as text)."""
    if pd.api.types.is_numeric_dtype(frame[var]):
        return float(value)
    return str(value)


def run_case(frame: pd.DataFrame, case: dict, percent: str) -> dict:
    mask = domain_mask(frame, case)
    s = sample(frame, case["dataset"], mask)
    where = None if mask.all() else svy.col("in_domain")
    table = s.categorical.tabulate(case["row"], case["col"], units="percent", share_of=SHARE[percent], where=where)
    df = domain_df(frame, DESIGNS[case["dataset"]], mask)
    per_base = {} if percent == "total" else base_df_and_deff(s, case, percent, where)
    cells = []
    for c in table.estimates:
        df_svy, deff = per_base.get((norm(c.rowvar), norm(c.colvar)), (df, None))
        boundary = c.est in (0.0, 100.0)
        if boundary:
            assert np.isnan(c.lci) or (c.lci, c.uci) == (c.est, c.est), (case, c)
        else:
            again = logit_ci(c.est, c.se, df_svy)
            assert np.allclose(again, (c.lci, c.uci), rtol=1e-9, atol=1e-9), (case, c, df_svy)
        low, high = logit_ci(c.est, c.se, df)
        cells.append(
            {
                "row": code(c.rowvar, frame, case["row"]),
                "col": code(c.colvar, frame, case["col"]),
                "percent": c.est,
                "se": c.se,
                "ci_low": low,
                "ci_high": high,
                "ci_low_svy": None if np.isnan(c.lci) else c.lci,
                "ci_high_svy": None if np.isnan(c.uci) else c.uci,
                "df_svy": df_svy,
                "deff": None if deff is None or np.isnan(deff) else deff,
            }
        )
    f, chisq = table.stats.f, table.stats.chisq
    assert abs(f.df_den / f.df_num - df) < 1e-6, (case, f, df)
    return {
        **{k: case.get(k) for k in ("row", "col", "where", "missing")},
        "percent_base": percent,
        "df": df,
        "cells": cells,
        "test": {
            "statistic": f.value,
            "df1": f.df_num,
            "df2": f.df_den,
            "p": f.p_value,
            "chisq": chisq.value,
        },
    }


def main() -> None:
    versions = {pkg: metadata.version(pkg) for pkg in ("svy", "statsmodels", "pandas")}
    for dataset in DESIGNS:
        frame = load(dataset)
        cases = [run_case(frame, case, percent) for case in CASES if case["dataset"] == dataset for percent in SHARE]
        payload = {
            "dataset": dataset,
            "sha256": sha256(dataset),
            "design": DESIGNS[dataset],
            "level": 0.95,
            "versions": versions,
            "cases": cases,
        }
        path = OUT / f"crosstab_{dataset}.json"
        path.write_text(json.dumps(payload, indent=1) + "\n")
        print(f"wrote {path.name}: {len(cases)} tables")


if __name__ == "__main__":
    main()
