"""Covariances and cell SEs against the textbook formula written out, on random designs.

The reference builds the per-PSU totals of every cell's linearised score respondent by
respondent and takes the stratum-centred cross-products (single-PSU strata centred at the
grand mean), as R's survey package does.  Every variance path, PSU-ordered or shuffled rows,
a prepared Survey and the one-off table must agree with it to 1e-12.
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from barometer_dash.stats import Survey, prepare_design, tabulate
from barometer_dash.stats import variance as variance_module
from barometer_dash.stats.design import Design
from barometer_dash.stats.raoscott import rao_scott
from barometer_dash.stats.variance import Part, totals

N_ROWS, N_COLS = 4, 3
SEEDS = range(6)


def random_design(seed: int) -> pd.DataFrame:
    """Strata of 1-6 PSUs (some single), PSUs of 1-15 people, missing codes, a patchy domain."""
    rng = np.random.default_rng(seed)
    rows = []
    for h in range(int(rng.integers(3, 12))):
        for j in range(int(rng.integers(1, 7))):
            rows += [(h, j)] * int(rng.integers(1, 16))
    frame = pd.DataFrame(rows, columns=["stratum", "psu"])
    n = len(frame)
    frame["weight"] = rng.lognormal(0.0, 0.6, n)
    frame["row"] = rng.integers(-1, N_ROWS, n)
    frame["col"] = np.where(rng.random(n) < 0.05, -1, rng.integers(0, N_COLS, n))
    # Whole PSUs fall outside the domain too: they keep their place in the design.
    out = rng.random((frame["stratum"].max() + 1, frame["psu"].max() + 1)) < 0.15
    frame["domain"] = (rng.random(n) < 0.8) & ~out[frame["stratum"], frame["psu"]]
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def design_of(frame: pd.DataFrame) -> Design:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return prepare_design(len(frame), weight=frame["weight"].to_numpy(), strata=frame["stratum"].to_numpy(),
                              psu=frame["psu"].to_numpy())


def psu_sums(frame: pd.DataFrame, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Totals of ``values`` (respondents x k) in every PSU of the design, and each PSU's stratum."""
    keys = frame["stratum"].to_numpy() * 1000 + frame["psu"].to_numpy()
    psus, index = np.unique(keys, return_inverse=True)
    out = np.zeros((psus.size, values.shape[1]))
    np.add.at(out, index, values)
    return out, psus // 1000


def textbook_cov(frame: pd.DataFrame, values: np.ndarray) -> np.ndarray:
    """sum_h n_h/(n_h-1) sum_j (z_hj - zbar_h)(z_hj - zbar_h)'; lonely PSUs centred at the grand mean."""
    z, stratum = psu_sums(frame, values)
    grand = z.mean(axis=0)
    cov = np.zeros((values.shape[1], values.shape[1]))
    for h in np.unique(stratum):
        zh = z[stratum == h]
        if len(zh) == 1:
            d = zh - grand
            cov += d.T @ d
        else:
            d = zh - zh.mean(axis=0)
            cov += len(zh) / (len(zh) - 1) * (d.T @ d)
    return cov


def cell_indicators(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Weighted cell indicators (respondents x R*C, zero outside the base) and the base mask."""
    base = (frame["domain"] & (frame["row"] >= 0) & (frame["col"] >= 0)).to_numpy()
    cell = np.where(base, frame["row"] * N_COLS + frame["col"], 0)
    x = np.zeros((len(frame), N_ROWS * N_COLS))
    x[np.arange(len(frame)), cell] = np.where(base, frame["weight"], 0.0)
    return x, base


def score_se(frame: pd.DataFrame, percent: str) -> np.ndarray:
    """SE (points) of every cell percent from PSU totals of its linearised score."""
    x, _ = cell_indicators(frame)
    t = x.sum(axis=0)
    k = np.arange(N_ROWS * N_COLS)
    same = {"column": k[:, None] % N_COLS == k[None, :] % N_COLS,
            "row": k[:, None] // N_COLS == k[None, :] // N_COLS,
            "total": np.ones((k.size, k.size), bool)}[percent]
    base = x @ same.T  # each respondent's weight in the base of each cell
    den = same @ t
    p = np.where(den > 0, t / np.where(den > 0, den, 1.0), 0.0)
    scores = np.where(den > 0, (x - p * base) / np.where(den > 0, den, 1.0), 0.0)
    return 100.0 * np.sqrt(np.diag(textbook_cov(frame, scores)))


def textbook_df(frame: pd.DataFrame) -> int:
    _, base = cell_indicators(frame)
    inside = frame[base]
    return int(inside.groupby(["stratum", "psu"]).ngroups - inside["stratum"].nunique())


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("path", ["full", "blocked", "sparse"])
def test_cell_totals_covariance_matches_the_textbook_formula(
    seed: int, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = random_design(seed)
    design = design_of(frame)
    x, base = cell_indicators(frame)
    if path == "blocked":
        monkeypatch.setattr(variance_module, "_FULL", 1)
        monkeypatch.setattr(variance_module, "_BLOCK", 40)
    if path == "sparse":
        monkeypatch.setattr(variance_module, "_FULL", 1)
        monkeypatch.setattr(variance_module, "_DENSE_MAX_COLUMNS", 2)
    m = N_ROWS * N_COLS
    assert variance_module._path(design, m, 1) == path
    sel = design.sorted_index(base) if path == "blocked" else np.flatnonzero(base)
    cell = (frame["row"].to_numpy() * N_COLS + frame["col"].to_numpy())[sel]
    tot = totals(design, [Part(design.psu[sel], cell, design.weight[sel])], m, design.psu[sel])
    expected = textbook_cov(frame, x)
    np.testing.assert_allclose(tot.total, x.sum(axis=0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(tot.cov, expected, rtol=1e-12, atol=1e-12 * np.abs(expected).max())
    assert tot.df == textbook_df(frame)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("percent", ["column", "row", "total"])
@pytest.mark.parametrize("rows", ["shuffled", "psu-order"])
@pytest.mark.parametrize("blocks", ["one range of PSUs", "ranges of 3 PSUs"])
def test_tables_match_the_linearised_scores(
    seed: int, percent: str, rows: str, blocks: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if blocks != "one range of PSUs":
        monkeypatch.setattr(variance_module, "_BLOCK", 3 * N_ROWS * N_COLS)
    frame = random_design(seed)
    if rows == "psu-order":
        frame = frame.sort_values(["stratum", "psu"], kind="stable").reset_index(drop=True)
    expected_se = score_se(frame, percent).reshape(N_ROWS, N_COLS)
    x, base = cell_indicators(frame)
    weighted = x.sum(axis=0).reshape(N_ROWS, N_COLS)
    expected_test = rao_scott(weighted, textbook_cov(frame, x), int(base.sum()), textbook_df(frame))
    direct = tabulate(design_of(frame), frame["row"].to_numpy(), N_ROWS, frame["col"].to_numpy(), N_COLS,
                      domain=frame["domain"].to_numpy(), percent=percent)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        survey = Survey(frame, weight="weight", strata="stratum", psu="psu")
    prepared = survey.crosstab("row", "col", where=frame["domain"], missing={"row": [-1], "col": [-1]},
                               percent=percent)  # type: ignore[arg-type]
    for table in (direct, prepared.table):
        np.testing.assert_allclose(table.weighted, weighted, rtol=1e-12)
        np.testing.assert_allclose(table.se, expected_se, rtol=1e-12, atol=1e-13)
        assert table.df == textbook_df(frame)
        if expected_test is None:
            assert table.test is None
        else:
            assert table.test is not None
            assert table.test.statistic == pytest.approx(expected_test.statistic, rel=1e-12)
            assert table.test.df1 == pytest.approx(expected_test.df1, rel=1e-12)
    np.testing.assert_array_equal(prepared.table.sig, direct.sig)
    np.testing.assert_array_equal(prepared.table.n, direct.n)


def test_tables_computed_in_threads_at_once_match(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each thread fills its own block matrix: the server answers tables from several threads.
    monkeypatch.setattr(variance_module, "_BLOCK", 3 * N_ROWS * N_COLS)
    frames = [random_design(seed).sort_values(["stratum", "psu"], kind="stable").reset_index(drop=True)
              for seed in SEEDS]
    designs = [design_of(frame) for frame in frames]

    def table(i: int) -> np.ndarray:
        frame = frames[i]
        got = tabulate(designs[i], frame["row"].to_numpy(), N_ROWS, frame["col"].to_numpy(), N_COLS,
                       domain=frame["domain"].to_numpy())
        return np.concatenate([got.weighted.ravel(), got.se.ravel()])

    expected = [table(i) for i in range(len(frames))]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(5):
            for got, want in zip(pool.map(table, range(len(frames))), expected, strict=True):
                np.testing.assert_array_equal(got, want)
