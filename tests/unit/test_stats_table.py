"""The numerical engine against independent plain numpy/pandas computations."""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from barometer_dash.stats import (
    Design,
    SingletonStrataWarning,
    crosstab,
    difference,
    mean_by,
    prepare_design,
    tabulate,
    tabulate_multi,
)
from barometer_dash.stats import variance as variance_module

R, C = 4, 3
Percent = Literal["column", "row", "total"]


def survey(seed: int = 1, n_strata: int = 10, lonely: int = 0) -> pd.DataFrame:
    """A clustered sample in random row order; ``lonely`` strata get a single PSU."""
    rng = np.random.default_rng(seed)
    rows = []
    for h in range(n_strata):
        n_psu = 1 if h < lonely else int(rng.integers(2, 6))
        for j in range(n_psu):
            size = int(rng.integers(3, 12))
            effect = rng.normal(0, 0.8)
            for _ in range(size):
                rows.append((f"s{h}", f"p{j}", effect))
    frame = pd.DataFrame(rows, columns=["stratum", "psu", "effect"])
    n = len(frame)
    frame["weight"] = rng.lognormal(0, 0.5, n)
    frame["col"] = rng.integers(0, C, n)
    score = frame["effect"] + 0.4 * frame["col"] + rng.normal(0, 1, n)
    frame["row"] = np.digitize(score, [-0.5, 0.4, 1.2])
    frame.loc[rng.random(n) < 0.08, "row"] = -1
    frame["y"] = 10 + 3 * frame["effect"] + frame["col"] + rng.normal(0, 2, n)
    frame.loc[rng.random(n) < 0.1, "y"] = np.nan
    frame["domain"] = rng.random(n) < 0.6
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def design_of(frame: pd.DataFrame) -> Design:
    return prepare_design(
        len(frame),
        weight=frame["weight"].to_numpy(),
        strata=frame["stratum"].to_numpy(),
        psu=frame["psu"].to_numpy(),
    )


def ratio_se(frame: pd.DataFrame, num: np.ndarray, den: np.ndarray) -> tuple[float, float]:
    """Ratio sum(w num) / sum(w den) and its Taylor SE, written out with pandas.

    ``num``/``den`` are zero outside the domain; PSU totals run over every PSU of the
    sample, with-replacement variance, single-PSU strata centred at the grand mean (0).
    """
    y, x = frame["weight"] * num, frame["weight"] * den
    ratio = y.sum() / x.sum()
    z = (y - ratio * x) / x.sum()
    psu_totals = z.groupby([frame["stratum"], frame["psu"]]).sum()
    var = 0.0
    for _, totals in psu_totals.groupby(level=0):
        m = len(totals)
        if m == 1:
            var += float(totals.iloc[0] ** 2)
        else:
            var += m / (m - 1) * float(((totals - totals.mean()) ** 2).sum())
    return float(ratio), float(np.sqrt(var))


def domain_df(frame: pd.DataFrame, mask: np.ndarray) -> int:
    sub = frame[mask]
    return int(sub.groupby(["stratum", "psu"]).ngroups - sub["stratum"].nunique())


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return survey()


@pytest.mark.parametrize("percent", ["column", "row", "total"])
def test_counts_and_percents_match_pandas(frame: pd.DataFrame, percent: Percent) -> None:
    design = design_of(frame)
    domain = frame["domain"].to_numpy()
    table = tabulate(
        design,
        frame["row"].to_numpy(),
        R,
        frame["col"].to_numpy(),
        C,
        domain=domain,
        percent=percent,
    )
    base = frame[domain & (frame["row"] >= 0)]
    weighted = base.pivot_table(index="row", columns="col", values="weight", aggfunc="sum", fill_value=0.0).reindex(
        index=range(R), columns=range(C), fill_value=0.0
    )
    counts = pd.crosstab(base["row"], base["col"]).reindex(index=range(R), columns=range(C), fill_value=0)
    np.testing.assert_allclose(table.weighted, weighted.to_numpy(), rtol=1e-12)
    np.testing.assert_array_equal(table.n, counts.to_numpy())
    w = weighted.to_numpy()
    expected = {
        "column": w / w.sum(axis=0, keepdims=True),
        "row": w / w.sum(axis=1, keepdims=True),
        "total": w / w.sum(),
    }[percent]
    np.testing.assert_allclose(table.percent, 100 * expected, rtol=1e-12)
    np.testing.assert_array_equal(table.col_n, counts.sum(axis=0))
    np.testing.assert_array_equal(table.row_n, counts.sum(axis=1))
    assert table.total_n == len(base)
    assert table.total_weighted == pytest.approx(base["weight"].sum(), rel=1e-12)
    assert table.df == domain_df(frame, domain & (frame["row"] >= 0).to_numpy())
    assert table.percent_base == percent


@pytest.mark.parametrize("percent", ["column", "row", "total"])
def test_standard_errors_and_intervals_match_linearisation(frame: pd.DataFrame, percent: Percent) -> None:
    design = design_of(frame)
    mask = (frame["domain"] & (frame["row"] >= 0)).to_numpy()
    table = tabulate(
        design,
        frame["row"].to_numpy(),
        R,
        frame["col"].to_numpy(),
        C,
        domain=frame["domain"].to_numpy(),
        percent=percent,
    )
    t = stats.t.ppf(0.975, table.df)
    for r in range(R):
        for c in range(C):
            cell = mask & (frame["row"] == r).to_numpy() & (frame["col"] == c).to_numpy()
            base = {
                "column": mask & (frame["col"] == c).to_numpy(),
                "row": mask & (frame["row"] == r).to_numpy(),
                "total": mask,
            }[percent]
            p, se = ratio_se(frame, cell.astype(float), base.astype(float))
            assert table.se[r, c] == pytest.approx(100 * se, rel=1e-9)
            logit, half = np.log(p / (1 - p)), t * se / (p * (1 - p))
            low = 100 / (1 + np.exp(-(logit - half)))
            assert table.ci_low[r, c] == pytest.approx(low, rel=1e-9)


def test_domain_keeps_the_design(frame: pd.DataFrame) -> None:
    # a domain that empties whole PSUs: the kept-design SE differs from dropping rows first
    domain = (frame["psu"] != "p0").to_numpy()
    design = design_of(frame)
    kept = tabulate(design, frame["row"].to_numpy(), R, frame["col"].to_numpy(), C, domain=domain)
    sub = frame[domain].reset_index(drop=True)
    with pytest.warns(SingletonStrataWarning):
        sub_design = design_of(sub)
    dropped = tabulate(sub_design, sub["row"].to_numpy(), R, sub["col"].to_numpy(), C)
    np.testing.assert_allclose(kept.percent, dropped.percent, rtol=1e-12)
    assert np.abs(kept.se - dropped.se).max() > 1e-3
    mask = domain & (frame["row"] >= 0).to_numpy()
    cell = mask & (frame["row"] == 1).to_numpy() & (frame["col"] == 2).to_numpy()
    _, se = ratio_se(frame, cell.astype(float), (mask & (frame["col"] == 2)).astype(float))
    assert kept.se[1, 2] == pytest.approx(100 * se, rel=1e-9)
    assert kept.df == domain_df(frame, mask)


def test_single_psu_strata_warn_once_and_use_adjust() -> None:
    frame = survey(seed=3, lonely=2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        design = design_of(frame)
    assert [w.category for w in caught] == [SingletonStrataWarning]
    assert "2 of 10 strata" in str(caught[0].message)
    table = tabulate(design, frame["row"].to_numpy(), R, frame["col"].to_numpy(), C)
    assert np.isfinite(table.se).all() and table.test is not None
    mask = (frame["row"] >= 0).to_numpy()
    cell = mask & (frame["row"] == 0).to_numpy() & (frame["col"] == 1).to_numpy()
    _, se = ratio_se(frame, cell.astype(float), (mask & (frame["col"] == 1)).astype(float))
    assert table.se[0, 1] == pytest.approx(100 * se, rel=1e-9)


def test_empty_categories_and_boundary_cells_stay_finite() -> None:
    n = 200
    rng = np.random.default_rng(5)
    col = rng.integers(0, 3, n)
    row = np.where(col == 0, 0, rng.integers(0, 2, n))  # column 0: 100% answer 0
    design = prepare_design(n, weight=rng.uniform(0.5, 2, n))
    table = tabulate(design, row, 4, col, 4)  # answer 2, 3 and column 3 are empty
    assert table.percent.shape == (4, 4)
    assert table.percent[0, 0] == 100 and table.percent[1, 0] == 0
    assert (table.ci_low[0, 0], table.ci_high[0, 0]) == (100.0, 100.0)
    assert (table.ci_low[1, 0], table.ci_high[1, 0]) == (0.0, 0.0)
    for arr in (table.percent, table.se, table.ci_low, table.ci_high):
        assert np.isfinite(arr).all()
    assert (table.n[2:] == 0).all() and (table.n[:, 3] == 0).all()
    assert table.test is not None and table.test.df2 == pytest.approx(table.test.df1 * (n - 1))
    single = tabulate(design, np.zeros(n, np.intp), 2, col, 3)
    assert single.test is None


def test_significance_flags_cells_against_the_rest_of_the_base(frame: pd.DataFrame) -> None:
    design = design_of(frame)
    table = tabulate(design, frame["row"].to_numpy(), R, frame["col"].to_numpy(), C)
    mask = (frame["row"] >= 0).to_numpy()
    t = stats.t.ppf(0.975, table.df)
    for r in range(R):
        for c in range(C):
            col_c = frame["col"].to_numpy() == c
            answer = (frame["row"] == r).to_numpy()
            w = frame["weight"].to_numpy()
            a_num, a_den = w * (mask & answer & col_c), w * (mask & col_c)
            b_num, b_den = w * (mask & answer & ~col_c), w * (mask & ~col_c)
            pa, pb = a_num.sum() / a_den.sum(), b_num.sum() / b_den.sum()
            z = (a_num - pa * a_den) / a_den.sum() - (b_num - pb * b_den) / b_den.sum()
            totals = pd.Series(z).groupby([frame["stratum"], frame["psu"]]).sum()
            var = sum(len(g) / (len(g) - 1) * ((g - g.mean()) ** 2).sum() for _, g in totals.groupby(level=0))
            expected = int(np.sign(pa - pb)) if abs(pa - pb) > t * np.sqrt(var) else 0
            assert table.sig[r, c] == expected
    assert table.sig.dtype == np.int8 and np.abs(table.sig).sum() > 0
    total = tabulate(design, frame["row"].to_numpy(), R, frame["col"].to_numpy(), C, percent="total")
    assert not total.sig.any()


def test_an_empty_column_is_marked_against_nothing(frame: pd.DataFrame) -> None:
    # A column nobody in the domain answers (a region of another country) has no estimate to
    # compare: it is never marked.
    design = design_of(frame)
    col = frame["col"].to_numpy()
    domain = col != C - 1
    table = tabulate(design, frame["row"].to_numpy(), R, col, C, domain=domain)
    assert table.col_n[C - 1] == 0 and not table.sig[:, C - 1].any()


def test_difference_matches_brute_force(frame: pd.DataFrame) -> None:
    design = design_of(frame)
    domain = frame["domain"].to_numpy()
    got = difference(
        design, frame["row"].to_numpy(), R, frame["col"].to_numpy(), C, domain=domain, cell_row=2, col_a=0, col_b=2
    )
    mask = domain & (frame["row"] >= 0).to_numpy()
    w = frame["weight"].to_numpy()
    answer = (frame["row"] == 2).to_numpy()
    parts = []
    for c in (0, 2):
        den = w * (mask & (frame["col"] == c).to_numpy())
        num = den * answer
        p = num.sum() / den.sum()
        parts.append((p, (num - p * den) / den.sum()))
    z = parts[1][1] - parts[0][1]
    totals = pd.Series(z).groupby([frame["stratum"], frame["psu"]]).sum()
    var = sum(len(g) / (len(g) - 1) * ((g - g.mean()) ** 2).sum() for _, g in totals.groupby(level=0))
    df = domain_df(frame, mask)
    se = 100 * np.sqrt(var)
    assert got.estimate == pytest.approx(100 * (parts[1][0] - parts[0][0]), rel=1e-12)
    assert got.se == pytest.approx(se, rel=1e-9)
    assert got.df == df
    assert got.ci_high - got.estimate == pytest.approx(stats.t.ppf(0.975, df) * se, rel=1e-9)
    assert got.p == pytest.approx(2 * stats.t.sf(abs(got.estimate) / se, df), rel=1e-9)
    # the covariance matters: the naive SE from the two cells alone is different
    table = tabulate(design, frame["row"].to_numpy(), R, frame["col"].to_numpy(), C, domain=domain)
    naive = np.hypot(table.se[2, 0], table.se[2, 2])
    assert abs(naive - got.se) > 1e-6


def test_tabulate_multi_matches_single_items(frame: pd.DataFrame) -> None:
    rng = np.random.default_rng(9)
    n = len(frame)
    items = [rng.integers(0, 2, n) for _ in range(3)]
    items[2] = np.where(rng.random(n) < 0.3, -1, items[2])  # item 2 asked of fewer people
    design = design_of(frame)
    domain = frame["domain"].to_numpy()
    col = frame["col"].to_numpy()
    table = tabulate_multi(design, items, col, C, domain=domain)
    assert table.percent.shape == (3, C) and table.test is None
    for k, item in enumerate(items):
        alone = tabulate(design, item, 2, col, C, domain=domain)
        np.testing.assert_allclose(table.percent[k], alone.percent[1], rtol=1e-12)
        np.testing.assert_allclose(table.se[k], alone.se[1], rtol=1e-9)
        np.testing.assert_array_equal(table.n[k], alone.n[1])
        if k < 2:  # same base, same df; item 2's own base reaches fewer PSUs
            assert alone.df == table.df
            np.testing.assert_allclose(table.ci_low[k], alone.ci_low[1], rtol=1e-9)
    assert table.col_n.sum() == table.total_n == int(domain.sum())


def test_mean_by_matches_brute_force(frame: pd.DataFrame) -> None:
    design = design_of(frame)
    domain = frame["domain"].to_numpy()
    got = mean_by(design, frame["y"].to_numpy(), frame["col"].to_numpy(), C, domain=domain)
    present = domain & frame["y"].notna().to_numpy()
    y = frame["y"].fillna(0).to_numpy()
    for c in range(C):
        base = (present & (frame["col"] == c).to_numpy()).astype(float)
        mean, se = ratio_se(frame, base * y, base)
        assert got.mean[c] == pytest.approx(mean, rel=1e-12)
        assert got.se[c] == pytest.approx(se, rel=1e-9)
        assert got.n[c] == int(base.sum())
    half = stats.t.ppf(0.975, got.df) * got.se
    np.testing.assert_allclose(got.ci_high - got.mean, half, rtol=1e-9)
    assert got.df == domain_df(frame, present)


def test_total_percent_without_design_has_unit_design_effect() -> None:
    rng = np.random.default_rng(2)
    n = 500
    design = prepare_design(n)
    table = tabulate(design, rng.integers(0, 3, n), 3, rng.integers(0, 2, n), 2, percent="total")
    np.testing.assert_allclose(table.deff, 1.0, rtol=1e-12)
    assert table.df == n - 1


@pytest.mark.parametrize("path", ["full", "blocked", "sparse", "diagonal"])
def test_every_variance_path_gives_the_same_table(
    frame: pd.DataFrame, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    row, col = frame["row"].to_numpy(), frame["col"].to_numpy()
    domain = frame["domain"].to_numpy()
    if path == "diagonal":
        frame = frame.assign(psu=np.arange(len(frame)).astype(str))
    reference = tabulate(design_of(frame), row, R, col, C, domain=domain)
    if path == "blocked":
        monkeypatch.setattr(variance_module, "_FULL", 1)
        monkeypatch.setattr(variance_module, "_BLOCK", 40)
    if path == "sparse":
        monkeypatch.setattr(variance_module, "_FULL", 1)
        monkeypatch.setattr(variance_module, "_DENSE_MAX_COLUMNS", 2)
    if path == "diagonal":
        monkeypatch.setattr(variance_module, "_FULL", 1)
    design = design_of(frame)
    assert variance_module._path(design, R * C, 1) == path
    got = tabulate(design, row, R, col, C, domain=domain)
    for name in ("percent", "se", "ci_low", "ci_high", "deff"):
        np.testing.assert_allclose(getattr(got, name), getattr(reference, name), rtol=1e-9)
    assert got.df == reference.df
    assert got.test is not None and reference.test is not None
    assert got.test.statistic == pytest.approx(reference.test.statistic, rel=1e-9)
    means = mean_by(design, frame["y"].to_numpy(), col, C, domain=domain)
    assert np.isfinite(means.se).all()


def test_rows_in_psu_order_or_not_agree(frame: pd.DataFrame) -> None:
    ordered = frame.sort_values(["stratum", "psu"], kind="stable").reset_index(drop=True)
    a = crosstab(frame, "row", "col", weight="weight", strata="stratum", psu="psu", missing={"row": [-1]})
    b = crosstab(ordered, "row", "col", weight="weight", strata="stratum", psu="psu", missing={"row": [-1]})
    assert design_of(ordered).order is None and design_of(frame).order is not None
    pd.testing.assert_frame_equal(a.cells, b.cells, rtol=1e-10)


def test_crosstab_frame_api(frame: pd.DataFrame) -> None:
    data = frame.assign(row=frame["row"].astype(float))
    data.loc[data["row"] == -1, "row"] = np.nan
    data.loc[0, "row"] = 9.0  # a "don't know" code excluded through `missing`
    where = pd.Series(frame["domain"])
    got = crosstab(
        data,
        "row",
        "col",
        weight="weight",
        strata="stratum",
        psu="psu",
        where=where,
        missing={"row": [9]},
        percent="row",
    )
    assert list(got.cells.columns) == [
        "row",
        "col",
        "n",
        "weighted",
        "percent",
        "se",
        "ci_low",
        "ci_high",
        "deff",
        "sig",
    ]
    assert list(got.row_codes) == [0.0, 1.0, 2.0, 3.0] and list(got.col_codes) == [0, 1, 2]
    assert len(got.cells) == R * C
    assert got.test is got.table.test
    mask = where.to_numpy() & data["row"].between(0, 3).to_numpy()
    assert got.cells["n"].sum() == mask.sum()
    sums = got.cells.groupby("row")["percent"].sum()
    np.testing.assert_allclose(sums, 100.0)


def test_invalid_inputs_raise_clear_errors() -> None:
    with pytest.raises(ValueError, match="length 3"):
        prepare_design(3, weight=np.ones(4))
    with pytest.raises(ValueError, match="finite and positive"):
        prepare_design(3, weight=np.array([1.0, np.nan, 2.0]))
    with pytest.raises(ValueError, match="finite and positive"):
        prepare_design(3, weight=np.array([1.0, -1.0, 2.0]))
    with pytest.raises(ValueError, match="strata has missing"):
        prepare_design(3, strata=np.array(["a", None, "b"], dtype=object))
    with pytest.raises(ValueError, match="positive integer"):
        prepare_design(0)
    design = prepare_design(3)
    with pytest.raises(ValueError, match="row codes must lie"):
        tabulate(design, np.array([0, 1, 5]), 2, np.zeros(3, int), 1)
    with pytest.raises(ValueError, match="percent must be"):
        tabulate(design, np.zeros(3, int), 1, np.zeros(3, int), 1, percent="cell")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="domain must be boolean"):
        tabulate(design, np.zeros(3, int), 1, np.zeros(3, int), 1, domain=np.ones(3))
    with pytest.raises(ValueError, match="level"):
        tabulate(design, np.zeros(3, int), 1, np.zeros(3, int), 1, level=95)


def test_crosstab_aligns_a_where_series_on_the_frame_index(frame: pd.DataFrame) -> None:
    where = frame["domain"]

    def run(mask: pd.Series | np.ndarray) -> pd.DataFrame:
        result = crosstab(
            frame, "row", "col", weight="weight", strata="stratum", psu="psu", where=mask, missing={"row": [-1]}
        )
        return result.cells

    aligned, shuffled, as_array = run(where), run(where.iloc[::-1]), run(where.to_numpy())
    pd.testing.assert_frame_equal(aligned, shuffled)
    pd.testing.assert_frame_equal(aligned, as_array)
