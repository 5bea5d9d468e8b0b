"""Nets against svy on the recoded 0/1 variable, and their difference against plain numpy."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
import svy
from scipy import stats

from barometer_dash.stats import prepare_design, tabulate
from barometer_dash.stats.inference import logit_ci, t_quantile
from barometer_dash.stats.nets import net_difference, net_index, tabulate_nets

EDUC = ["NIU (not in universe) or no education", "Less than primary", "Primary", "Secondary", "University"]
GEO = ["geo_01", "geo_02", "geo_03", "geo_04"]
NETS = {"upper": (3, 4), "lower": (0, 1)}  # positions in EDUC


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    path = Path(str(resources.files("svy.datasets") / "_bundled" / "ind_sample_wb_2023.parquet"))
    df = pd.read_parquet(path)
    df["stratum"] = df["geo1"].astype(str) + "|" + df["urbrur"].astype(str)
    return df


@pytest.fixture(scope="module")
def arrays(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    row = frame["educ_attain"].map({e: i for i, e in enumerate(EDUC)}).fillna(-1).astype(np.intp).to_numpy()
    col = frame["geo1"].map({g: i for i, g in enumerate(GEO)}).astype(np.intp).to_numpy()
    return {"row": row, "col": col, "female": (frame["sex"] == "Female").to_numpy()}


@pytest.fixture(scope="module")
def design(frame: pd.DataFrame):  # type: ignore[no-untyped-def]
    return prepare_design(len(frame), weight=frame["hhweight"], strata=frame["stratum"], psu=frame["ea"])


def _svy_net(frame: pd.DataFrame, members: tuple[int, ...], where: np.ndarray | None) -> dict[str, tuple]:
    """svy's column percent of the recoded variable ("in the net" = 1), per geo1."""
    net = frame["educ_attain"].isin([EDUC[i] for i in members]).map({True: "in", False: "out"})
    data = pl.from_pandas(frame.assign(net=net, in_domain=True if where is None else where))
    s = svy.Sample(data, svy.Design(stratum="stratum", psu="ea", wgt="hhweight"))
    table = s.categorical.tabulate("net", "geo1", units="percent", share_of="col",
                                   where=None if where is None else svy.col("in_domain"))
    return {str(c.colvar): (c.est, c.se) for c in table.estimates if str(c.rowvar) == "in"}


@pytest.mark.parametrize("domain", [False, True], ids=["all", "women"])
def test_net_matches_svy_on_the_recoded_variable(frame, arrays, design, domain: bool) -> None:
    where = arrays["female"] if domain else None
    nets = list(NETS.values())
    ours = tabulate_nets(design, arrays["row"], nets, arrays["col"], len(GEO), domain=where)
    full = tabulate(design, arrays["row"], len(EDUC), arrays["col"], len(GEO), domain=where)
    tq = t_quantile(0.95, ours.df)
    for k, members in enumerate(nets):
        ref = _svy_net(frame, members, where)
        for j, geo in enumerate(GEO):
            est, se = ref[geo]
            assert ours.percent[k, j] == pytest.approx(est, rel=1e-9)
            assert ours.se[k, j] == pytest.approx(se, rel=1e-6)
            low, high = logit_ci(np.array([est / 100]), np.array([se / 100]), tq)
            assert ours.ci_low[k, j] == pytest.approx(100 * low[0], rel=1e-6)
            assert ours.ci_high[k, j] == pytest.approx(100 * high[0], rel=1e-6)
        # A net is its answers' sum in the estimate, but its SE is not their SEs' sum.
        np.testing.assert_allclose(ours.percent[k], full.percent[list(members)].sum(axis=0), rtol=1e-12)
        assert not np.allclose(ours.se[k], full.se[list(members)].sum(axis=0))
    assert ours.col_n.tolist() == full.col_n.tolist()


def _numpy_difference(frame: pd.DataFrame, row: np.ndarray, col: np.ndarray, members: tuple[int, ...],
                      a: object, b: object) -> tuple:
    """Linearised difference of two domain proportions (columns in `a` and in `b`), by hand."""
    w = frame["hhweight"].to_numpy(float)
    answered = row >= 0
    y = np.isin(row, members).astype(float)
    ina = answered & np.isin(col, a)
    inb = answered & np.isin(col, b)
    pa, pb = (np.sum(w * y * m) / np.sum(w * m) for m in (ina, inb))
    z = w * (inb * (y - pb) / np.sum(w * inb) - ina * (y - pa) / np.sum(w * ina))
    psu = frame["stratum"] + "#" + frame["ea"].astype(str)
    totals = pd.Series(z).groupby(psu.to_numpy()).sum()
    strata = totals.index.str.split("#").str[0]
    var = 0.0
    for _, t in totals.groupby(strata):
        n = len(t)
        if n > 1:
            var += n / (n - 1) * float(np.sum((t - t.mean()) ** 2))
        else:
            var += float(t.iloc[0] ** 2)
    df = psu.nunique() - frame["stratum"].nunique()
    diff, se = 100 * (pb - pa), 100 * np.sqrt(var)
    return diff, se, float(2 * stats.t.sf(abs(diff) / se, df))


def test_net_difference_between_two_columns(frame, arrays, design) -> None:
    members = NETS["upper"]
    d = net_difference(design, arrays["row"], members, arrays["col"], len(GEO), col_a=0, col_b=2)
    diff, se, p = _numpy_difference(frame, arrays["row"], arrays["col"], members, 0, 2)
    assert d.estimate == pytest.approx(diff, rel=1e-9)
    assert d.se == pytest.approx(se, rel=1e-9)
    assert d.p == pytest.approx(p, rel=1e-6, abs=1e-12)
    assert d.ci_low < d.estimate < d.ci_high


@pytest.mark.parametrize("net", list(NETS))
def test_net_cell_test_compares_with_the_rest_of_the_row(frame, arrays, design, net: str) -> None:
    members = NETS[net]
    levels = sorted(frame["marstat"].dropna().unique())
    col = frame["marstat"].map({v: i for i, v in enumerate(levels)}).fillna(-1).astype(np.intp).to_numpy()
    ours = tabulate_nets(design, arrays["row"], [members], col, len(levels))
    tq = t_quantile(0.95, ours.df)
    expected = []
    for j in range(len(levels)):
        rest = [k for k in range(len(levels)) if k != j]
        diff, se, _ = _numpy_difference(frame, arrays["row"], col, members, rest, [j])
        expected.append(int(np.sign(diff)) if abs(diff) > tq * se else 0)
    assert ours.sig[0].tolist() == expected
    assert {-1, 1} <= set(expected), "the test should see groups above and below the rest"


def test_net_index_keeps_the_base() -> None:
    row = np.array([0, 1, 2, 3, -1, 2])
    assert net_index(row, [2, 3]).tolist() == [1, 1, 0, 0, -1, 0]
    with pytest.raises(ValueError, match="at least one answer"):
        net_index(row, [])
