"""The Python API gives the page's numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from barometer_dash import Barometer
from barometer_dash.domain.errors import QueryError
from barometer_dash.stats import crosstab


@pytest.fixture(scope="module")
def bar() -> Barometer:
    return Barometer()


def test_keys_and_codes_give_the_same_table(bar):
    by_key = bar.crosstab("demo", "trust_police", by="age_group", country="XK", year=2022)
    by_code = bar.crosstab("demo", "trust_police", by="age_group", filters={"country": [2], "year": [2022]})
    assert by_key == by_code
    assert by_key.query.filters == (("country", (2,)), ("year", (2022,)))


def test_frame_matches_public_crosstab(bar):
    xt = bar.crosstab("demo", "eu_support", by="education", year=[2023, 2024])
    frame = bar.frame(xt)
    assert frame.attrs["synthetic"] is True
    data = pd.read_parquet(bar.service.store.get("demo").path / "responses.parquet")
    ref = crosstab(data, "eu_support", "education", weight="weight", strata="stratum", psu="psu",
                   where=data["year"].isin([2023, 2024]), missing={"eu_support": [98, 99]}).cells
    merged = frame.dropna(subset=["col"]).merge(ref, on=["row", "col"], suffixes=("", "_ref"))
    assert len(merged) == len(ref)
    for column in ("n", "percent", "se", "ci_low", "ci_high"):
        assert (merged[column] - merged[f"{column}_ref"]).abs().max() < 1e-9


def test_comparison_by_keys(bar):
    xt = bar.crosstab("demo", "trust_nato", by="country", compare=(1, "XK", "RS"))
    assert xt.change is not None and xt.change.a_label == "Kosovo" and xt.change.b_label == "Serbia"
    assert xt.change.estimate < 0


@pytest.mark.parametrize("kwargs, param", [
    ({"country": "FR"}, "country"), ({"filters": {"shoe": [1]}}, "shoe"), ({"compare": (1, 2021, 2024)}, "compare"),
])
def test_bad_arguments_name_the_parameter(bar, kwargs, param):
    with pytest.raises(QueryError) as err:
        bar.crosstab("demo", "trust_police", **kwargs)
    assert err.value.param == param


def test_sentences_for_a_change_and_a_difference(bar):
    from barometer_dash.render.text import change_sentence

    between = change_sentence(bar.crosstab("demo", "trust_nato", by="country", compare=(1, "XK", "RS")))
    assert between is not None and "points lower in Serbia" in between and "significant difference" in between
    over = change_sentence(bar.crosstab("demo", "trust_eu", by="year", compare=(1, 2021, 2024)))
    assert over is not None and "down" in over and "from 2021" in over and "to 2024" in over
