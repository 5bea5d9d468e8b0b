"""One scan for the total and split tables, codes at their own width, Rao-Scott without an SVD."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from barometer_dash.stats import tabulate
from barometer_dash.stats import variance as variance_module
from barometer_dash.stats.codes import code_index, code_mask
from barometer_dash.stats.raoscott import _pinv_symmetric, rao_scott
from barometer_dash.stats.table import tabulate_with_total
from tests.unit.test_stats_table import C, R, design_of, survey

FIELDS = ("n", "weighted", "percent", "se", "ci_low", "ci_high", "deff", "sig", "col_n", "col_weighted")


def _same(got, ref) -> None:  # type: ignore[no-untyped-def]
    for name in FIELDS:
        np.testing.assert_allclose(getattr(got, name), getattr(ref, name), rtol=1e-12, atol=1e-12, err_msg=name)
    assert (got.df, got.total_n) == (ref.df, ref.total_n)
    if ref.test is None:
        assert got.test is None
    else:
        assert got.test is not None
        for name in ("statistic", "df1", "df2", "p", "chisq"):
            assert getattr(got.test, name) == pytest.approx(getattr(ref.test, name), rel=1e-12, abs=1e-15), name


@pytest.mark.filterwarnings("ignore::barometer_dash.stats.design.SingletonStrataWarning")
@pytest.mark.parametrize("path", ["full", "blocked", "sparse", "diagonal"])
@pytest.mark.parametrize("percent", ["column", "row", "total"])
@pytest.mark.parametrize("rows", ["shuffled", "psu-order"])
def test_total_and_split_from_one_scan_equal_two_tables(
    path: str, percent: str, rows: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = survey(seed=3, lonely=1)
    if rows != "shuffled":
        frame = frame.sort_values(["stratum", "psu"], kind="stable").reset_index(drop=True)
    if path == "diagonal":
        frame = frame.assign(psu=np.arange(len(frame)).astype(str))
    row = frame["row"].to_numpy().astype(np.int8)
    col = frame["col"].to_numpy().astype(np.int8)
    col[::7] = -1  # outside every column: in the total only
    col[frame["stratum"].to_numpy() == "s2"] = -1  # a stratum in the total only: the dfs differ
    domain = frame["domain"].to_numpy()
    design = design_of(frame)
    if path == "blocked":
        monkeypatch.setattr(variance_module, "_FULL", 1)
        monkeypatch.setattr(variance_module, "_BLOCK", 40)
    if path == "sparse":
        monkeypatch.setattr(variance_module, "_FULL", 1)
        monkeypatch.setattr(variance_module, "_DENSE_MAX_COLUMNS", 2)
    assert variance_module._path(design, R * (C + 1), 1) == path
    total, split = tabulate_with_total(design, row, R, col, C, domain=domain, percent=percent)  # type: ignore[arg-type]
    ref_split = tabulate(design, row, R, col, C, domain=domain, percent=percent)  # type: ignore[arg-type]
    ref_total = tabulate(design, row, R, np.zeros(len(row), np.intp), 1, domain=domain, percent=percent)  # type: ignore[arg-type]
    _same(split, ref_split)
    _same(total, ref_total)
    assert total.df > split.df and total.total_n > split.total_n


def test_a_domain_missing_from_some_psus_keeps_its_own_df() -> None:
    frame = survey(seed=5)
    row = frame["row"].to_numpy()
    col = np.where(frame["stratum"].isin(["s0", "s1"]), frame["col"], -1)
    design = design_of(frame)
    total, split = tabulate_with_total(design, row, R, col, C)
    assert split.df == tabulate(design, row, R, col, C).df < total.df


@pytest.mark.parametrize("rows", ["shuffled", "psu-order"])
def test_many_cells_from_int8_codes_do_not_overflow(rows: str) -> None:
    # 40 answers x (4 columns + total) = 200 cells: combined codes need more than 8 bits.
    frame = survey(seed=6)
    if rows != "shuffled":
        frame = frame.sort_values(["stratum", "psu"], kind="stable").reset_index(drop=True)
    rng = np.random.default_rng(6)
    n_rows, n_cols = 40, 4
    row = rng.integers(-1, n_rows, len(frame)).astype(np.int8)
    col = rng.integers(-1, n_cols, len(frame)).astype(np.int8)
    design = design_of(frame)
    total, split = tabulate_with_total(design, row, n_rows, col, n_cols)
    ref_split = tabulate(design, row.astype(np.intp), n_rows, col.astype(np.intp), n_cols)
    ref_total = tabulate(design, row.astype(np.intp), n_rows, np.zeros(len(frame), np.intp), 1)
    _same(split, ref_split)
    _same(total, ref_total)


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.uint8, np.int32, np.float64])
def test_code_index_matches_a_search_on_float_codes(dtype: type) -> None:
    rng = np.random.default_rng(2)
    values = rng.choice([1, 2, 3, 5, 98, 99, 120], 5000).astype(dtype)
    valid = rng.random(5000) > 0.1
    codes = (5, 1, 99, 3, 300)
    got = code_index(values, valid, codes)
    x = np.where(valid, values.astype(float), np.nan)
    expected = np.array([codes.index(int(v)) if not np.isnan(v) and int(v) in codes else -1 for v in x])
    np.testing.assert_array_equal(got, expected)
    assert got.dtype == np.int8 and not got.flags.writeable
    np.testing.assert_array_equal(code_mask(values, valid, (1, 98)), np.isin(x, [1, 98]))


def test_code_index_handles_negative_int8_codes_and_many_codes() -> None:
    values = np.array([-5, -1, 0, 7, 127, -128], dtype=np.int8)
    np.testing.assert_array_equal(code_index(values, None, (-1, 127, -128)), [-1, 0, -1, -1, 1, 2])
    many = tuple(range(200))
    got = code_index(np.array([0, 150, 199, 250], dtype=np.int16), None, many)
    assert got.dtype == np.int16 and got.tolist() == [0, 150, 199, -1]


def test_symmetric_pseudo_inverse_equals_numpy_pinv() -> None:
    rng = np.random.default_rng(4)
    a = rng.normal(size=(6, 3))
    singular = a @ a.T  # rank 3
    np.testing.assert_allclose(_pinv_symmetric(singular), np.linalg.pinv(singular), atol=1e-10)
    full = singular + np.eye(6)
    np.testing.assert_allclose(_pinv_symmetric(full), np.linalg.inv(full), rtol=1e-10)


def test_rao_scott_with_an_empty_cell_matches_the_svd_version() -> None:
    frame = survey(seed=6)
    row, col = frame["row"].to_numpy(), frame["col"].to_numpy()
    col = np.where((row == 0) & (col == 1), -1, col)  # one empty cell inside non-empty margins
    table = tabulate(design_of(frame), row, R, col, C)
    assert table.weighted[0, 1] == 0 and table.test is not None
    # The same statistic with numpy's general pseudo-inverse.
    weighted = table.weighted
    p = weighted.ravel() / weighted.sum()
    assert table.test.statistic > 0 and 0 <= table.test.p <= 1
    ref = _reference_rao_scott(weighted, frame, row, col)
    assert table.test.statistic == pytest.approx(ref, rel=1e-10)
    assert p[1] == 0


def _reference_rao_scott(weighted: np.ndarray, frame: pd.DataFrame, row: np.ndarray, col: np.ndarray) -> float:
    """The pre-eigendecomposition arithmetic: Jacobian products and np.linalg.pinv."""
    from barometer_dash.stats.raoscott import _contrasts
    from barometer_dash.stats.scan import cell_scan
    from barometer_dash.stats.variance import Part, totals

    design = design_of(frame)
    scan = cell_scan(design, row, R, col, C, None)
    tot = totals(design, [Part(scan.psu, scan.cell, scan.weight)], R * C, scan.psu)
    total = weighted.sum()
    p = weighted.ravel() / total
    k = p.shape[0]
    jac = (np.eye(k) - np.outer(p, np.ones(k))) / total
    cov = jac @ tot.cov @ jac.T
    contrast = _contrasts(R, C)
    inv_p = np.where(p > 0, 1.0 / np.where(p > 0, p, 1.0), 0.0)
    scaled = contrast * inv_p[:, None]
    n_obs = int((row >= 0).sum() - ((col < 0) & (row >= 0)).sum())
    delta = np.linalg.pinv(contrast.T @ (scaled / n_obs)) @ (scaled.T @ cov @ scaled)
    expected = np.outer(weighted.sum(axis=1), weighted.sum(axis=0)).ravel() / total**2
    chisq = n_obs * np.sum((p - expected) ** 2 / expected)
    return float(chisq / np.trace(delta))


def test_rao_scott_refuses_tables_without_two_rows() -> None:
    assert rao_scott(np.array([[1.0, 2.0]]), np.eye(2), 10, 5) is None
