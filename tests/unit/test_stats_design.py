"""prepare_design: PSU numbering, nesting in strata, and the degenerate domains it must survive."""

from __future__ import annotations

import numpy as np
import pytest

from barometer_dash.stats import mean_by, prepare_design, tabulate


def test_weights_only_make_every_respondent_a_psu_in_one_stratum() -> None:
    design = prepare_design(5, weight=np.array([1.0, 2.0, 1.5, 1.0, 3.0]))
    assert design.n_psu == 5 and design.n_strata == 1
    np.testing.assert_array_equal(design.psu, np.arange(5))
    np.testing.assert_array_equal(design.psu_stratum, np.zeros(5))
    assert design.order is None and design.max_psu_size == 1


def test_no_weight_means_weight_one() -> None:
    design = prepare_design(3)
    np.testing.assert_array_equal(design.weight, np.ones(3))
    assert design.weight.dtype == np.float64


def test_psus_are_nested_in_strata_and_contiguous() -> None:
    strata = np.array(["b", "a", "b", "a", "b", "a", "c", "c"])
    psu = np.array([1, 1, 2, 1, 1, 2, 1, 2])  # PSU 1 of "a" and PSU 1 of "b" are different
    design = prepare_design(8, strata=strata, psu=psu)
    assert design.n_strata == 3 and design.n_psu == 6
    assert np.all(np.diff(design.psu_stratum) >= 0)
    np.testing.assert_array_equal(design.stratum_size, [2, 2, 2])
    np.testing.assert_array_equal(design.stratum_start, [0, 2, 4])
    # respondents 0 and 4 share ("b", 1); respondents 1 and 3 share ("a", 1); they differ
    assert design.psu[0] == design.psu[4] and design.psu[1] == design.psu[3]
    assert design.psu[0] != design.psu[1]
    assert design.psu_stratum[design.psu[0]] == design.psu_stratum[design.psu[2]]
    assert design.order is not None
    np.testing.assert_array_equal(np.diff(design.psu[design.order]) >= 0, True)
    np.testing.assert_allclose(design.psu_scale, 2.0)


def test_design_arrays_are_read_only() -> None:
    design = prepare_design(3, weight=np.ones(3))
    with pytest.raises(ValueError):
        design.weight[0] = 5.0


def test_an_empty_domain_gives_an_empty_table_not_an_error() -> None:
    rng = np.random.default_rng(0)
    n = 50
    design = prepare_design(n, strata=rng.integers(0, 3, n), psu=rng.integers(0, 4, n))
    row, col = rng.integers(0, 2, n), rng.integers(0, 3, n)
    table = tabulate(design, row, 2, col, 3, domain=np.zeros(n, dtype=bool))
    assert table.total_n == 0 and table.df == 0 and table.test is None
    assert np.isfinite(table.ci_low).all() and (table.percent == 0).all()
    means = mean_by(design, rng.normal(size=n), col, 3, domain=np.zeros(n, dtype=bool))
    assert np.isnan(means.mean).all() and (means.n == 0).all()


def test_a_domain_inside_one_psu_has_no_df_and_no_test() -> None:
    n = 40
    psu = np.repeat(np.arange(4), 10)
    design = prepare_design(n, psu=psu)
    rng = np.random.default_rng(1)
    table = tabulate(design, rng.integers(0, 2, n), 2, rng.integers(0, 2, n), 2, domain=psu == 0)
    assert table.df == 0 and table.test is None
    assert table.total_n == 10 and np.isfinite(table.se).all()
