"""crosstab() against reference values computed with svy (tests/golden/make_golden.py)."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from barometer_dash.stats import crosstab

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
FILES = sorted(GOLDEN.glob("crosstab_*.json"))
RTOL, ATOL = 1e-6, 1e-9


def _load(dataset: str) -> tuple[pd.DataFrame, str]:
    if dataset == "anes96":
        import statsmodels.api as sm

        frame = sm.datasets.anes96.load_pandas().data
        return frame, hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    path = Path(str(resources.files("svy.datasets") / "_bundled" / "ind_sample_wb_2023.parquet"))
    return pd.read_parquet(path), hashlib.sha256(path.read_bytes()).hexdigest()


def _cases() -> list:
    params = []
    for path in FILES:
        golden = json.loads(path.read_text())
        for case in golden["cases"]:
            name = f"{golden['dataset']}-{case['row']}x{case['col']}-{case['percent_base']}"
            if case["where"] or case["missing"]:
                name += "-domain"
            params.append(pytest.param(golden, case, id=name))
    return params


def _close(ours: float, ref: float) -> bool:
    return bool(np.isclose(ours, ref, rtol=RTOL, atol=ATOL))


@pytest.fixture(scope="module")
def frames() -> dict[str, tuple[pd.DataFrame, str]]:
    return {}


def test_golden_files_exist() -> None:
    assert {p.name for p in FILES} == {"crosstab_anes96.json", "crosstab_wb_ind_2023.json"}


@pytest.mark.parametrize(("golden", "case"), _cases())
def test_crosstab_matches_svy(golden: dict, case: dict, frames: dict) -> None:
    dataset = golden["dataset"]
    if dataset not in frames:
        frames[dataset] = _load(dataset)
    frame, digest = frames[dataset]
    assert digest == golden["sha256"], "reference data changed; rerun make_golden.py"
    frame = frame.copy()
    design = golden["design"]
    strata = None
    if design["strata"]:
        first, *rest = design["strata"]
        frame["stratum"] = frame[first].astype(str)
        for name in rest:
            frame["stratum"] = frame["stratum"] + "|" + frame[name].astype(str)
        strata = "stratum"
    where = frame.eval(case["where"]).to_numpy(dtype=bool) if case["where"] else None
    result = crosstab(
        frame,
        case["row"],
        case["col"],
        weight=design["weight"],
        strata=strata,
        psu=design["psu"],
        where=where,
        missing=case["missing"],
        percent=case["percent_base"],
        level=golden["level"],
    )
    assert result.table.df == case["df"]
    cells = result.cells.set_index(["row", "col"])
    seen = set()
    for ref in case["cells"]:
        key = (ref["row"], ref["col"])
        if key not in cells.index:
            # a level svy lists although it is excluded as a missing code: always empty
            assert ref["percent"] == 0.0
            continue
        seen.add(key)
        ours = cells.loc[key]
        for field in ("percent", "se", "ci_low", "ci_high"):
            assert _close(ours[field], ref[field]), (key, field, ours[field], ref[field])
        if ref["df_svy"] == case["df"] and ref["ci_low_svy"] is not None:
            assert _close(ours["ci_low"], ref["ci_low_svy"])
            assert _close(ours["ci_high"], ref["ci_high_svy"])
        if ref["deff"] is not None:
            assert _close(ours["deff"], ref["deff"]), (key, ours["deff"], ref["deff"])
    unseen = cells.loc[[k for k in cells.index if k not in seen]]
    assert (unseen["n"] == 0).all()
    assert (unseen["percent"] == 0).all()
    test, ref_test = result.test, case["test"]
    assert test is not None
    assert _close(test.statistic, ref_test["statistic"])
    assert _close(test.df1, ref_test["df1"])
    assert _close(test.df2, ref_test["df2"])
    assert abs(test.p - ref_test["p"]) < 1e-6
    assert _close(test.p, ref_test["p"]) or ref_test["p"] == 0.0
    assert _close(test.chisq, ref_test["chisq"])
