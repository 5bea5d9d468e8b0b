"""A second breakdown (`col2` / `by2`): every nested column is the table filtered to its outer
category, through the JSON API and the Python API, on the ingested real surveys and the demo."""

from __future__ import annotations

import math
from pathlib import Path
from urllib.parse import urlencode

import pytest

from barometer_dash import Barometer
from barometer_dash.app_factory import create_app
from barometer_dash.domain.errors import QueryError

DEMO = Path(__file__).resolve().parents[1] / "data"
FIELDS = ("n", "weighted", "percent", "se", "ci_low", "ci_high", "deff")

# (dataset, question, outer, inner, extra parameters)
CASES = [
    ("svy", "educ_attain", "geo1", "sex", {}),
    ("svy", "literacy", "urbrur", "sex", {"percent": "row"}),
    ("svy", "act_status", "geo1", "urbrur", {"percent": "total", "missing": "include"}),
    ("svy", "literacy", "sex", "geo1", {"filter": "urbrur:2"}),
    ("anes", "selfLR", "PID", "educ", {}),
    ("anes", "vote", "educ", "PID", {"missing": "include"}),
    ("tiny", "trust", "year", "country", {}),
    ("tiny", "media", "country", "year", {}),
]


def _get(client, url: str, status: int = 200) -> dict:
    resp = client.get(url)
    assert resp.status_code == status, (url, resp.get_data(as_text=True)[:400])
    return resp.get_json()


def _url(dataset: str, **params: str) -> str:
    return f"/api/v1/datasets/{dataset}/crosstab?" + urlencode(params)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _filtered(params: dict[str, str], outer: str, code: int) -> dict[str, str]:
    """The same request, filtered to one outer category, by the inner breakdown alone."""
    out = {k: v for k, v in params.items() if k not in ("col", "col2", "filter")}
    out["col"] = params["col2"]
    out["filter"] = f"{outer}:{code}"
    return out


@pytest.mark.parametrize(("dataset", "row", "outer", "inner", "extra"), CASES)
def test_every_nested_cell_equals_the_table_filtered_to_its_outer_category(client, dataset, row, outer, inner,
                                                                             extra):
    params = {"row": row, "col": outer, "col2": inner, **extra}
    body = _get(client, _url(dataset, **params))
    plain = _get(client, _url(dataset, **{k: v for k, v in params.items() if k != "col2"}))
    groups = [c["group"] for c in body["cols"]]
    assert groups[0] is None and len(set(groups[1:])) >= 2
    assert body["query"]["col2"] == inner and body["breakdown2"]["name"] == inner
    width = len(body["cols"])
    compared = 0
    for g in dict.fromkeys(groups[1:]):
        extra_filter = extra.get("filter")
        ref_params = _filtered(params, outer, g)
        url = _url(dataset, **ref_params) + (f"&filter={extra_filter}" if extra_filter else "")
        ref = _get(client, url)
        mine = [j for j, c in enumerate(body["cols"]) if c["group"] == g]
        assert [body["cols"][j]["code"] for j in mine] == [c["code"] for c in ref["cols"]]
        assert [body["bases"][j]["n"] for j in mine] == [b["n"] for b in ref["bases"]]
        test = next(t for t in body["group_tests"] if t["group"] == g)["test"]
        assert (test is None) == (ref["test"] is None)
        if test is not None:
            assert all(_close(test[k], ref["test"][k]) for k in ("statistic", "df1", "df2", "p"))
        ref_width = len(ref["cols"])
        for i in range(len(body["rows"])):
            for k, j in enumerate(mine):
                cell, want = body["cells"][i * width + j], ref["cells"][i * ref_width + k]
                assert cell["row"] == want["row"] and cell["col"] == want["col"] and cell["group"] == g
                for f in FIELDS:
                    assert _close(cell[f], want[f]), (dataset, row, g, cell["col"], f, cell[f], want[f])
                assert cell["suppressed"] == want["suppressed"]
                if k > 0:
                    # Inner columns: each against the rest of its own group.
                    assert cell["sig"] == want["sig"]
                compared += 1
    # The group Totals' markers compare the outer categories, as the table by `col` alone does.
    plain_width = len(plain["cols"])
    for j, c in enumerate(body["cols"]):
        if c["group"] is not None and c["code"] is None:
            k = next(k for k, pc in enumerate(plain["cols"]) if pc["code"] == c["group"])
            for i in range(len(body["rows"])):
                if not body["cells"][i * width + j]["suppressed"]:
                    assert body["cells"][i * width + j]["sig"] == plain["cells"][i * plain_width + k]["sig"]
    # The overall Total is the table by `col`'s.
    for i in range(len(body["rows"])):
        assert _close(body["cells"][i * width]["percent"], plain["cells"][i * plain_width]["percent"])
    assert compared >= 2 * len(body["rows"])
    assert body["test"] == plain["test"]


def test_python_api_nested_equals_the_filtered_tables(data_dir: Path) -> None:
    bar = Barometer(data_dir)
    xt = bar.crosstab("svy", "educ_attain", by="geo1", by2="sex", percent="row")
    frame = bar.frame(xt)
    assert list(frame["group"].dropna().unique()) == [1, 2, 3, 4]
    for g in (1, 2, 3, 4):
        ref = bar.crosstab("svy", "educ_attain", by="sex", percent="row", filters={"geo1": [g]})
        mine = [j for j, c in enumerate(xt.cols) if c.group == g]
        assert [xt.cols[j].short for j in mine] == ["Total"] + [c.label for c in ref.cols[1:]]
        assert xt.cols[mine[1]].label == f"{xt.cols[mine[0]].group_label} \u00b7 {ref.cols[1].label}"
        for i in range(len(xt.rows)):
            for k, j in enumerate(mine):
                a, b = xt.cell(i, j), ref.cell(i, k)
                for f in FIELDS:
                    assert _close(getattr(a, f), getattr(b, f)), (g, i, k, f)


def test_demo_nested_numeric_and_multiple_response_questions() -> None:
    bar = Barometer(DEMO)
    mean = bar.crosstab("demo", "trust_general", by="country", by2="gender", year=2024)
    assert mean.means is not None and len(mean.means) == len(mean.cols) == 1 + 3 * 3
    for g in (1, 2, 3):
        ref = bar.crosstab("demo", "trust_general", by="gender", year=2024, country=g)
        mine = [j for j, c in enumerate(mean.cols) if c.group == g]
        assert ref.means is not None
        assert all(_close(mean.means[j], ref.means[k]) for k, j in enumerate(mine))
    multi = bar.crosstab("demo", "threats", by="year", by2="country")
    assert len(multi.group_tests) == 4 and multi.col2_name == "country"


def test_small_inner_columns_are_suppressed_and_the_totals_withhold_their_counts(client):
    # tiny: Serbia in 2023 is kept below the minimum base.
    body = _get(client, _url("tiny", row="trust", col="year", col2="country"))
    cols = body["cols"]
    j = next(j for j, c in enumerate(cols) if c["group"] == 2023 and c["code"] == 3)
    assert body["bases"][j]["suppressed"]
    width = len(cols)
    group_total = next(j for j, c in enumerate(cols) if c["group"] == 2023 and c["code"] is None)
    other_total = next(j for j, c in enumerate(cols) if c["group"] == 2024 and c["code"] is None)
    for i in range(len(body["rows"])):
        assert body["cells"][i * width + j]["percent"] is None
        # Counts of the group's Total and of the overall Total would give the hidden column away.
        assert body["cells"][i * width + group_total]["n"] is None
        assert body["cells"][i * width]["n"] is None
        assert body["cells"][i * width]["percent"] is not None
        assert body["cells"][i * width + other_total]["n"] is not None
    assert "secondary" in body["protection"]


@pytest.mark.parametrize(("params", "problem"), [
    ({"row": "trust", "col2": "country"}, "needs a first one"),
    ({"row": "trust", "col": "country", "col2": "country"}, "must differ"),
    ({"row": "trust", "col": "country", "col2": "trust"}, "must differ"),
    ({"row": "trust", "col": "country", "col2": "media"}, "cannot split"),
    ({"row": "trust", "col": "country", "col2": "nope"}, "no variable"),
])
def test_bad_second_breakdowns_are_refused_naming_col2(client, params, problem):
    status = 404 if problem == "no variable" else 400
    body = _get(client, _url("tiny", **params), status)
    assert body["error"]["parameter"] == "col2" and problem in body["error"]["message"]


def test_python_api_names_the_by2_keyword(data_dir: Path) -> None:
    with pytest.raises(QueryError) as err:
        Barometer(data_dir).crosstab("tiny", "trust", by="country", by2="country")
    assert err.value.param == "by2"


def test_restricted_nested_table_hides_the_overall_total_where_a_group_withholds(tmp_path: Path) -> None:
    import shutil

    from tests.conftest import SYNTHETIC_CODEBOOK, tiny_frame

    src = tmp_path / "src"
    src.mkdir()
    tiny_frame().to_csv(src / "tiny.csv", index=False)
    codebook = {**SYNTHETIC_CODEBOOK, "dataset": {**SYNTHETIC_CODEBOOK["dataset"], "restricted": True}}
    import json

    (src / "tiny.json").write_text(json.dumps(codebook), encoding="utf-8")
    from barometer_dash.ingest import Options, ingest_file

    data = tmp_path / "data"
    ingest_file(src / "tiny.csv", Options("tiny", codebook=src / "tiny.json"), data)
    client = create_app({"data_dir": data, "cache": "null", "default_dataset": "tiny"}).server.test_client()
    body = _get(client, _url("tiny", row="trust", col="year", col2="country"))
    width = len(body["cols"])
    assert body["bases"][0]["suppressed"] and "perturbed" in body["protection"]
    assert all(body["cells"][i * width]["percent"] is None for i in range(len(body["rows"])))
    shutil.rmtree(src)


def test_trend_chart_of_years_by_age_draws_a_line_per_age_group() -> None:
    from barometer_dash.data.store import Store
    from barometer_dash.service import Service
    from barometer_dash.ui import kinds
    from barometer_dash.view.links import parse_page

    service = Service(Store(DEMO))
    ds = service.store.get("demo")
    ages = [v.label.get("en") for v in ds.codebook.by_name["age_group"].valid_values]
    view = parse_page("?q=trust_police&by=year&by2=age_group&chart=trend", ds.codebook).view
    assert view.by2 == "age_group"
    fig = kinds.figure(service, ds, view, service.crosstab(view.query()), 800)
    lines = [t for t in fig["data"] if t.get("mode") == "lines+markers"]
    assert sorted(t["name"] for t in lines) == sorted(ages)
    # Without the second breakdown, years alone means a line per country.
    plain = parse_page("?q=trust_police&by=year&chart=trend", ds.codebook).view
    fig = kinds.figure(service, ds, plain, service.crosstab(plain.query()), 800)
    assert {t["name"] for t in fig["data"] if t.get("mode") == "lines+markers"} == {"Albania", "Kosovo", "Serbia"}


def test_csv_lines_name_each_nested_columns_group(client):
    import csv
    import io

    resp = client.get(_url("svy", row="literacy", col="urbrur", col2="sex", format="csv"))
    assert resp.status_code == 200
    lines = list(csv.reader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    head = next(i for i, line in enumerate(lines) if line and line[0] == "answer_code")
    header, rows = lines[head], lines[head + 1:]
    assert header[-1] == "group"
    groups = {(r[header.index("column")], r[-1]) for r in rows}
    assert ("Urban \u00b7 Male", "1") in groups and ("Total", "") in groups and ("Rural \u00b7 Total", "2") in groups
    assert any("Second breakdown" in line[0] for line in lines[:head] if line)


def test_country_panels_by_a_second_breakdown_split_each_country_by_it() -> None:
    from barometer_dash.data.store import Store
    from barometer_dash.service import Service
    from barometer_dash.ui import kinds
    from barometer_dash.view.links import parse_page

    service = Service(Store(DEMO))
    ds = service.store.get("demo")
    view = parse_page("?q=trust_police&by=country&by2=gender&chart=countries", ds.codebook).view
    fig = kinds.figure(service, ds, view, service.crosstab(view.query()), 800)
    labels = {y for t in fig["data"] for y in t.get("y", [])}
    assert {"Male", "Female"} <= labels
    assert not any("\u00b7" in str(y) for y in labels)  # one panel per country, not nested labels


def test_a_group_hidden_to_protect_another_shows_none_of_its_columns() -> None:
    # Serbia by ethnicity: one group is under the minimum base and a second one is hidden with
    # it so that neither can be had by subtraction. Nested by gender, the second group's men and
    # women would each pass the minimum: they must stay hidden with their group.
    bar = Barometer(DEMO)
    flat = bar.crosstab("demo", "trust_police", by="ethnicity", country=3)
    partner = [c.code for c, b in zip(flat.cols, flat.bases, strict=True) if b.secondary]
    assert len(partner) == 1
    split = bar.crosstab("demo", "trust_police", by="gender", country=3, filters={"ethnicity": partner[0]})
    assert all(not b.suppressed for b in split.bases)  # on their own, its columns would show
    nested = bar.crosstab("demo", "trust_police", by="ethnicity", by2="gender", country=3)
    assert partner[0] not in {c.group for c in nested.cols}
    shown = {(c.percent, c.n) for c in nested.cells if c.percent is not None}
    assert not shown & {(c.percent, c.n) for c in split.cells if c.col is not None}
