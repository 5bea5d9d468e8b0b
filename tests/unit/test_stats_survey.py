"""Survey: the design prepared once; nested breakdowns; tests of differences of means."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from barometer_dash.data.store import Store
from barometer_dash.domain.query import Query
from barometer_dash.service import Rules, Service
from barometer_dash.stats import (
    CrosstabResult,
    NestedResult,
    Survey,
    crosstab,
    prepare_design,
    tabulate_multi,
    tabulate_nested_multi,
)
from barometer_dash.stats.frame import CELL_COLUMNS
from tests.conftest import svy_frame
from tests.unit.test_stats_golden import _load

DATA = Path(__file__).resolve().parents[2] / "data"
GOLDEN = Path(__file__).resolve().parents[1] / "golden"
FIELDS = ("n", "weighted", "percent", "se", "ci_low", "ci_high", "deff", "sig")


@pytest.fixture(scope="module")
def anes() -> pd.DataFrame:
    return _load("anes96")[0]


@pytest.fixture(scope="module")
def wb() -> pd.DataFrame:
    return _load("wb_ind_2023")[0]


@pytest.fixture(scope="module")
def wb_survey(wb: pd.DataFrame) -> Survey:
    return Survey(wb, weight="hhweight", strata=["geo1", "urbrur"], psu="ea")


def assert_same(ours: pd.DataFrame, ref: pd.DataFrame) -> None:
    """Equal cell by cell to 1e-9 (NaN where the other is NaN)."""
    assert list(ours["row"]) == list(ref["row"])
    for field in FIELDS:
        np.testing.assert_allclose(ours[field].to_numpy(float), ref[field].to_numpy(float), rtol=1e-9, atol=1e-9,
                                   err_msg=field)


def test_survey_crosstab_equals_one_off_crosstab(wb: pd.DataFrame, wb_survey: Survey) -> None:
    frame = wb.assign(stratum=wb["geo1"] + "|" + wb["urbrur"])
    where = (wb["age"] >= 18).to_numpy()
    one_off = crosstab(frame, "marstat", "geo1", weight="hhweight", strata="stratum", psu="ea", where=where)
    again = wb_survey.crosstab("marstat", "geo1", where=where)
    assert isinstance(again, CrosstabResult)
    assert_same(again.cells, one_off.cells)
    assert again.test is not None and one_off.test is not None
    assert again.test.statistic == pytest.approx(one_off.test.statistic, rel=1e-12)


def test_cells_frame_is_built_on_first_use_and_kept(wb_survey: Survey) -> None:
    result = wb_survey.crosstab("marstat", "geo1")
    assert "cells" not in vars(result)
    cells = result.cells
    assert result.cells is cells
    assert list(cells.columns) == list(CELL_COLUMNS)
    np.testing.assert_array_equal(cells["percent"].to_numpy(), result.table.percent.ravel())
    np.testing.assert_array_equal(cells["n"].to_numpy(), result.table.n.ravel())
    assert list(cells["row"]) == list(np.repeat(result.row_codes, len(result.col_codes)))


def test_survey_encodes_each_column_once(wb_survey: Survey) -> None:
    wb_survey.crosstab("educ_attain", "sex")
    first = wb_survey.codes("educ_attain")[1]
    wb_survey.crosstab("educ_attain", "geo1")
    assert wb_survey.codes("educ_attain")[1] is first


def test_survey_without_breakdown_is_one_total_column(wb_survey: Survey) -> None:
    result = wb_survey.crosstab("sex")
    assert isinstance(result, CrosstabResult)
    assert list(result.col_codes) == ["total"]
    assert result.table.percent.sum() == pytest.approx(100.0)


def _check_nested(survey: Survey, frame: pd.DataFrame, row: str, outer: str, inner: str,
                  where: np.ndarray | None = None, **design: object) -> NestedResult:
    nested = survey.crosstab(row, outer, by2=inner, where=where)
    assert isinstance(nested, NestedResult)
    base = np.ones(len(frame), bool) if where is None else where
    assert len(nested.groups) == frame.loc[base, outer].nunique()
    frame = frame.assign(_all=0)
    for group in nested.groups:
        domain = base & (frame[outer] == group.outer).to_numpy()
        filtered = crosstab(frame, row, inner, where=domain, **design)  # type: ignore[arg-type]
        assert_same(group.split.cells, filtered.cells)
        assert group.split.table.df == filtered.table.df
        assert group.split.test is not None and filtered.test is not None
        assert group.split.test.statistic == pytest.approx(filtered.test.statistic, rel=1e-9)
        assert group.split.test.p == pytest.approx(filtered.test.p, rel=1e-9, abs=1e-12)
        total = crosstab(frame, row, "_all", where=domain, **design)  # type: ignore[arg-type]
        assert_same(group.total.cells, total.cells)
    return nested


def test_nested_columns_equal_the_table_filtered_to_each_outer_category_anes(anes: pd.DataFrame) -> None:
    nested = _check_nested(Survey(anes), anes, "PID", "vote", "educ")
    assert set(nested.cells["outer"]) == {0.0, 1.0}


def test_nested_columns_equal_the_filtered_table_with_strata_psus_and_a_domain(wb: pd.DataFrame,
                                                                                wb_survey: Survey) -> None:
    frame = wb.assign(stratum=wb["geo1"] + "|" + wb["urbrur"])
    where = (wb["age"] >= 15).to_numpy()
    nested = _check_nested(wb_survey, frame, "educ_attain", "geo1", "sex", where,
                           weight="hhweight", strata="stratum", psu="ea")
    # Markers compare columns within their own outer group: some group differs from the pooled table.
    pooled = wb_survey.crosstab("educ_attain", "sex", where=where)
    assert isinstance(pooled, CrosstabResult)
    assert any(not np.array_equal(g.split.table.percent, pooled.table.percent) for g in nested.groups)


def test_nested_columns_equal_the_services_filtered_table_on_ingested_surveys(data_dir: Path) -> None:
    service = Service(Store(data_dir), rules=Rules(min_base=0, flag_base=0))
    for ds, row, outer, inner in (("svy", "educ_attain", "geo1", "sex"), ("anes", "PID", "vote", "educ")):
        dataset = service.store.get(ds)
        cb = dataset.codebook
        frame = pd.read_parquet(dataset.path / "responses.parquet")
        info = cb.dataset
        survey = Survey(frame, weight=info.weight, strata=info.strata, psu=info.psu)
        missing = {v: list(cb.by_name[v].missing) for v in (row, outer, inner)}
        nested = survey.crosstab(row, outer, by2=inner, missing=missing)
        assert isinstance(nested, NestedResult)
        for group in nested.groups:
            xt = service.crosstab(Query(dataset=ds, row=row, col=inner, filters=((outer, (int(group.outer),)),)))
            checked = 0
            for cell in xt.cells:
                split = group.split.cells
                part = group.total.cells if cell.col is None else split[split["col"] == cell.col]
                mine = part[part["row"] == cell.row]
                if mine.empty:
                    assert cell.n == 0
                    continue
                line = mine.iloc[0]
                for field in ("percent", "se", "ci_low", "ci_high"):
                    assert getattr(cell, field) == pytest.approx(line[field], rel=1e-9, abs=1e-9), (ds, field)
                assert cell.n == line["n"]
                if cell.col is not None:
                    assert cell.sig == line["sig"]
                checked += 1
            assert checked >= len(xt.rows)
            assert xt.test is not None and group.split.test is not None
            assert xt.test.statistic == pytest.approx(group.split.test.statistic, rel=1e-9)


def test_nested_on_the_demo_equals_the_service_filtered_to_each_country() -> None:
    service = Service(Store(DATA), rules=Rules(min_base=0, flag_base=0))
    frame = pd.read_parquet(DATA / "demo" / "responses.parquet")
    survey = Survey(frame, weight="weight", strata="stratum", psu="psu")
    where = (frame["year"] == 2024).to_numpy()
    nested = survey.crosstab("trust_police", "country", by2="gender", where=where,
                             missing={"trust_police": [98, 99]})
    assert isinstance(nested, NestedResult)
    for group in nested.groups:
        q = Query(dataset="demo", row="trust_police", col="gender",
                  filters=(("country", (int(group.outer),)), ("year", (2024,))))
        xt = service.crosstab(q)
        for j, cat in enumerate(xt.cols):
            part = group.total.cells if cat.code is None else group.split.cells[group.split.cells["col"] == cat.code]
            for i, r in enumerate(xt.rows):
                if r.net:
                    continue
                line = part[part["row"] == r.code].iloc[0]
                cell = xt.cell(i, j)
                assert cell.percent == pytest.approx(line["percent"], rel=1e-9, abs=1e-9)
                assert cell.se == pytest.approx(line["se"], rel=1e-9, abs=1e-9)
                assert cell.ci_high == pytest.approx(line["ci_high"], rel=1e-9, abs=1e-9)
                assert cell.sig == (line["sig"] if cat.code is not None else 0)


def test_nested_multiple_response_equals_the_set_filtered_to_each_outer_category() -> None:
    frame = pd.read_parquet(DATA / "demo" / "responses.parquet")
    design = prepare_design(len(frame), weight=frame["weight"].to_numpy(), strata=frame["stratum"].to_numpy(),
                            psu=frame["psu"].to_numpy())
    cb = Store(DATA).get("demo").codebook
    items = [np.where(frame[c].isna(), -1, frame[c]).astype(np.intp) for c in cb.by_name["threats"].columns]
    outer = frame["country"].to_numpy().astype(np.intp) - 1
    inner = frame["gender"].to_numpy().astype(np.intp) - 1
    domain = (frame["year"] >= 2023).to_numpy()
    groups = tabulate_nested_multi(design, items, outer, 3, inner, 2, domain=domain)
    for g in groups:
        sub = domain & (outer == g.outer)
        ref = tabulate_multi(design, items, inner, 2, domain=sub)
        ref_total = tabulate_multi(design, items, np.zeros(len(frame), np.intp), 1, domain=sub)
        for mine, other in ((g.split, ref), (g.total, ref_total)):
            for field in ("percent", "se", "ci_low", "ci_high", "sig", "n"):
                np.testing.assert_allclose(getattr(mine, field), getattr(other, field), rtol=1e-12, err_msg=field)
        assert g.total.col_n[0] == int((sub & (np.column_stack(items) >= 0).any(axis=1)).sum())
    assert not np.allclose(groups[0].split.percent, groups[1].split.percent)


def test_nested_needs_an_outer_breakdown_and_distinct_variables(wb_survey: Survey) -> None:
    with pytest.raises(ValueError, match="give col too"):
        wb_survey.crosstab("marstat", by2="sex")
    with pytest.raises(ValueError, match="'sex' is used twice"):
        wb_survey.crosstab("marstat", "sex", by2="sex")
    with pytest.raises(ValueError, match="'nope' is not in the frame"):
        wb_survey.crosstab("marstat", "sex", by2="nope")


def test_survey_refuses_bad_frames_and_designs() -> None:
    with pytest.raises(ValueError, match="no rows"):
        Survey(pd.DataFrame({"a": []}))
    with pytest.raises(ValueError, match="pandas DataFrame"):
        Survey([1, 2])  # type: ignore[arg-type]
    frame = pd.DataFrame({"a": [1, 2], "s": ["x", None], "w": [1.0, -1.0]})
    with pytest.raises(ValueError, match="strata column 's' has missing values"):
        Survey(frame, strata=["s"])
    with pytest.raises(ValueError, match="weight must be finite and positive"):
        Survey(frame, weight="w")


# --- means ------------------------------------------------------------------------------


def _golden_means() -> list:
    params = []
    for path in sorted(GOLDEN.glob("means_*.json")):
        golden = json.loads(path.read_text())
        for case in golden["cases"]:
            params.append(pytest.param(golden, case, id=f"{golden['dataset']}-{case['y']}-by-{case['col']}"))
    return params


def _key(code: object) -> str:
    return str(float(code)) if isinstance(code, int | float | np.integer | np.floating) else str(code)


def test_means_golden_files_exist() -> None:
    assert {p.name for p in GOLDEN.glob("means_*.json")} == {"means_anes96.json", "means_wb_ind_2023.json"}


@pytest.mark.parametrize(("golden", "case"), _golden_means())
def test_mean_tests_match_svy(golden: dict, case: dict, anes: pd.DataFrame, wb_survey: Survey) -> None:
    survey = Survey(anes) if golden["dataset"] == "anes96" else wb_survey
    frame = survey.frame
    where = frame.eval(case["where"]).to_numpy(dtype=bool) if case["where"] else None
    result = survey.mean(case["y"], case["col"], where=where)
    means = result.means.set_index(result.means["col"].map(_key))
    assert set(means.index) == set(case["means"])
    for code, ref in case["means"].items():
        assert means.loc[code, "mean"] == pytest.approx(ref["mean"], rel=1e-9)
        assert means.loc[code, "se"] == pytest.approx(ref["se"], rel=1e-6)
    for code, ref in case["rest"].items():
        assert means.loc[code, "difference"] == pytest.approx(ref["estimate"], rel=1e-9, abs=1e-12)
        assert means.loc[code, "diff_se"] == pytest.approx(ref["se"], rel=1e-6)
    for pair in case["pairs"]:
        d = survey.mean_difference(case["y"], case["col"], pair["a"], pair["b"], where=where)
        assert d.estimate == pytest.approx(pair["estimate"], rel=1e-9, abs=1e-12)
        assert d.se == pytest.approx(pair["se"], rel=1e-6)
        assert d.ci_low < d.estimate < d.ci_high


def test_mean_markers_follow_the_t_test(wb_survey: Survey) -> None:
    means = wb_survey.mean("yrs_school", "geo1").means
    from scipy import stats

    df = wb_survey.mean("yrs_school", "geo1").df
    t = stats.t.ppf(0.975, df)
    expected = np.where(np.abs(means["difference"]) > t * means["diff_se"], np.sign(means["difference"]), 0)
    assert list(means["sig"]) == list(expected.astype(int))
    assert (means["p"] < 0.05).tolist() == (means["sig"] != 0).tolist()


def test_mean_refuses_text_and_unknown_categories(wb_survey: Survey) -> None:
    with pytest.raises(ValueError, match="'sex' is not numeric"):
        wb_survey.mean("sex")
    with pytest.raises(ValueError, match="'geo1' has no category 'geo_99'"):
        wb_survey.mean_difference("yrs_school", "geo1", "geo_01", "geo_99")


def test_svy_frame_codes_match_the_ingest_fixture() -> None:
    # The ingested "svy" dataset used above is the same people as the golden sample.
    assert len(svy_frame()) == len(_load("wb_ind_2023")[0])
