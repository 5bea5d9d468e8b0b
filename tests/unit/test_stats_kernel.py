"""The compiled pass of a prepared Survey against numpy's passes and the textbook formula.

Each case runs the same cells through both engines on the same PSU-ordered design: counts,
totals, covariance, df and the df of each group of totals must agree to 1e-12, and the
covariance must equal the textbook formula written out in test_stats_variance.py.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from barometer_dash.stats import Survey, kernel
from barometer_dash.stats.design import Design, in_psu_order, prepare_design
from barometer_dash.stats.scan import coded_totals
from barometer_dash.stats.table import tabulate_with_total
from barometer_dash.stats.variance import Totals
from tests.unit.test_stats_variance import N_COLS, N_ROWS, SEEDS, random_design, textbook_cov


def ordered(frame: pd.DataFrame) -> tuple[Design, Design, np.ndarray | None]:
    """The frame's design in PSU order for numpy and for the compiled pass, and the rows."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        design = prepare_design(len(frame), weight=frame["weight"].to_numpy(), strata=frame["stratum"].to_numpy(),
                                psu=frame["psu"].to_numpy())
    numpy_design, rows = in_psu_order(design)
    return numpy_design, replace(numpy_design, compiled=True), rows


def assert_same(a: Totals, b: Totals) -> None:
    np.testing.assert_allclose(a.total, b.total, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(a.cov, b.cov, rtol=1e-12, atol=1e-12 * max(np.abs(a.cov).max(), 1.0))
    assert a.df == b.df
    assert a.group_df == b.group_df


SUITS = kernel.suits
"""The engine's own choice (the fixture below overrides it in every other test)."""


@pytest.fixture(autouse=True)
def _always_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    # These designs are small: make sure the compiled pass runs whatever it would choose.
    monkeypatch.setattr(kernel, "suits", lambda design, m, n_domain: True)


def cells_of(frame: pd.DataFrame, rows: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    base = (frame["domain"] & (frame["row"] >= 0) & (frame["col"] >= 0)).to_numpy()
    cells = (frame["row"] * N_COLS + frame["col"]).to_numpy().astype(np.int8)
    if rows is not None:
        base, cells = base[rows], cells[rows]
    return base, cells


@pytest.mark.parametrize("seed", SEEDS)
def test_compiled_totals_equal_numpy_and_the_textbook(seed: int) -> None:
    frame = random_design(seed)
    numpy_design, compiled, rows = ordered(frame)
    mask, cells = cells_of(frame, rows)
    m = N_ROWS * N_COLS
    groups = [np.arange(0, m, 2), np.arange(N_COLS)]
    counts_a, a = coded_totals(numpy_design, mask, cells, m, groups=groups)
    counts_b, b = coded_totals(compiled, mask, cells, m, groups=groups)
    np.testing.assert_array_equal(counts_a, counts_b)
    assert_same(a, b)
    x = np.zeros((len(frame), m))
    base, _ = cells_of(frame, None)
    x[np.arange(len(frame)), np.where(base, frame["row"] * N_COLS + frame["col"], 0)] = \
        np.where(base, frame["weight"], 0.0)
    expected = textbook_cov(frame, x)
    np.testing.assert_allclose(b.cov, expected, rtol=1e-12, atol=1e-12 * np.abs(expected).max())


@pytest.mark.parametrize("seed", SEEDS)
def test_total_and_split_tables_keep_their_own_df(seed: int) -> None:
    # tabulate_with_total asks for the df of the split columns alone (a group of totals).
    frame = random_design(seed)
    numpy_design, compiled, rows = ordered(frame)
    take = (lambda a: a) if rows is None else (lambda a: a[rows])
    row, col, domain = (take(frame[name].to_numpy()) for name in ("row", "col", "domain"))
    for want, got in zip(tabulate_with_total(numpy_design, row, N_ROWS, col, N_COLS, domain=domain),
                         tabulate_with_total(compiled, row, N_ROWS, col, N_COLS, domain=domain), strict=True):
        np.testing.assert_allclose(got.se, want.se, rtol=1e-12, atol=1e-13)
        assert got.df == want.df
        np.testing.assert_array_equal(got.sig, want.sig)


def test_empty_domain_single_respondent_psus_and_wide_tables() -> None:
    rng = np.random.default_rng(7)
    n = 600
    frame = pd.DataFrame({"stratum": rng.integers(0, 5, n), "psu": np.arange(n), "weight": rng.random(n) + 0.5})
    numpy_design, compiled, _ = ordered(frame)
    for m in (3, 90):  # 90 cells: numpy takes its sparse product
        cells = rng.integers(0, m, n).astype(np.int16)
        for mask in (np.zeros(n, dtype=bool), rng.random(n) < 0.5, np.ones(n, dtype=bool)):
            counts_a, a = coded_totals(numpy_design, mask, cells, m)
            counts_b, b = coded_totals(compiled, mask, cells, m)
            np.testing.assert_array_equal(counts_a, counts_b)
            assert_same(a, b)


def test_psus_larger_than_a_chunk_of_the_pass() -> None:
    rng = np.random.default_rng(3)
    n = 10 * kernel._CHUNK + 500
    # Two strata of two PSUs, each PSU several chunks long.
    frame = pd.DataFrame({"stratum": np.arange(n) % 2, "psu": np.arange(n) % 4, "weight": rng.random(n) + 0.5})
    numpy_design, compiled, _ = ordered(frame)
    assert numpy_design.max_psu_size > 2 * kernel._CHUNK
    cells = rng.integers(0, 12, n).astype(np.int8)
    mask = rng.random(n) < 0.7
    counts_a, a = coded_totals(numpy_design, mask, cells, 12, groups=[np.arange(4)])
    counts_b, b = coded_totals(compiled, mask, cells, 12, groups=[np.arange(4)])
    np.testing.assert_array_equal(counts_a, counts_b)
    assert_same(a, b)


def test_a_cell_code_out_of_range_is_refused_not_written() -> None:
    frame = random_design(1)
    _, compiled, _ = ordered(frame)
    cells = np.zeros(compiled.n, dtype=np.int8)
    cells[-1] = N_ROWS * N_COLS
    with pytest.raises(IndexError, match="outside"):
        kernel.scan(compiled, np.ones(compiled.n, dtype=bool), cells, N_ROWS * N_COLS)


def test_a_prepared_survey_takes_the_compiled_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = kernel.scan
    monkeypatch.setattr(kernel, "scan", lambda *args, **kw: calls.append(1) or real(*args, **kw))
    frame = random_design(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        survey = Survey(frame, weight="weight", strata="stratum", psu="psu")
    survey.crosstab("row", "col", missing={"row": [-1], "col": [-1]})
    assert calls


def test_the_choice_follows_the_measured_costs() -> None:
    def design(n: int, n_psu: int) -> Design:
        frame = pd.DataFrame({"stratum": np.arange(n) % n_psu % 7, "psu": np.arange(n) % n_psu, "weight": np.ones(n)})
        return ordered(frame)[1]

    small, large = design(100_000, 10_000), design(100_000, 1_000)
    assert SUITS(small, 30, 63_000)  # PSUs of 10 (the benchmark's): compiled
    assert SUITS(large, 10, 63_000)  # PSUs of 100, a narrow table: compiled
    assert not SUITS(large, 64, 63_000)  # PSUs of 100, a wide table: numpy's BLAS Gram
    assert SUITS(large, 90, 63_000)  # past numpy's dense product


def test_web_workers_never_load_the_compiler() -> None:
    code = (
        "import sys\n"
        "from barometer_dash.app_factory import create_app\n"
        "app = create_app({'cache': 'null'})\n"
        "client = app.server.test_client()\n"
        "r = client.get('/api/v1/datasets/demo/crosstab?row=trust_police&col=country&filter=year:2024')\n"
        "assert r.status_code == 200, r.status_code\n"
        "assert 'numba' not in sys.modules, 'numba loaded'\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().endswith("ok"), out.stderr[-2000:]
