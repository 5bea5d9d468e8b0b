"""Code that reproduces a view: the Python snippet is run and must give the service's numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from barometer_dash.data.store import Store
from barometer_dash.domain.codebook import Codebook, Text
from barometer_dash.domain.crosstab import CrossTab
from barometer_dash.domain.query import Query
from barometer_dash.render.reproduce import python_code, r_code
from barometer_dash.service import Rules, Service

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
# Runs a snippet read from stdin, then prints its `total` and `result` as JSON records.
HARNESS = """
import json, sys
scope = {}
exec(sys.stdin.read(), scope)
def records(r):
    if hasattr(r, "groups"):
        return {"nested": [{"outer": float(g.outer), "total": g.total.cells.to_dict("records"),
                            "split": g.split.cells.to_dict("records")} for g in r.groups]}
    if hasattr(r, "cells") and hasattr(r.cells, "to_dict"):
        return {"cells": r.cells.astype({"col": object}).to_dict("records")}
    from barometer_dash import Barometer
    return {"frame": Barometer.frame(r).to_dict("records")}
print(json.dumps({"total": records(scope["total"]), "result": records(scope["result"])}, default=str))
"""


def run(snippet: str) -> dict:
    done = subprocess.run([sys.executable, "-c", HARNESS], input=snippet, capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(xt: CrossTab, total: list[dict], split: list[dict] | None) -> int:
    """Every shown cell of `xt` against the snippet's lines; returns how many were compared."""
    checked = 0
    for i, r in enumerate(xt.rows):
        if r.net:  # the scripts tabulate answers; nets are checked against numpy in test_service
            continue
        for j, c in enumerate(xt.cols):
            cell = xt.cell(i, j)
            lines = total if c.code is None else split
            assert lines is not None
            mine = [x for x in lines if float(x["row"]) == r.code and (c.code is None or float(x["col"]) == c.code)]
            if not mine:
                assert cell.n == 0
                continue
            line = mine[0]
            assert cell.n == line["n"] or (cell.n is None and c.code is None)  # Total counts withheld
            if cell.percent is None:
                continue
            for field in ("percent", "se", "ci_low", "ci_high"):
                assert getattr(cell, field) == pytest.approx(line[field], rel=1e-9, abs=1e-9), (r.code, c.code, field)
            if c.code is not None:
                assert cell.sig == line["sig"]
            checked += 1
    return checked


@pytest.fixture(scope="module")
def demo() -> Service:
    return Service(Store(DATA), rules=Rules(min_base=30, flag_base=100))


def test_python_snippet_reproduces_a_filtered_demo_table(demo: Service) -> None:
    q = Query(dataset="demo", row="trust_police", col="age_group", filters=(("country", (2,)), ("year", (2022,))))
    cb = demo.store.get("demo").codebook
    out = run(python_code(q, cb, data_dir=str(DATA)))
    xt = demo.crosstab(q)
    assert compare(xt, out["total"]["cells"], out["result"]["cells"]) == sum(not r.net for r in xt.rows) * len(xt.cols)


def test_python_snippet_reproduces_row_percents_with_missing_codes_on_an_ingested_survey(data_dir: Path) -> None:
    service = Service(Store(data_dir), rules=Rules(min_base=30, flag_base=100))
    q = Query(dataset="svy", row="act_status", col="geo1", filters=(("urbrur", (1,)),), percent="row",
              include_missing=True, level=0.9)
    out = run(python_code(q, service.store.get("svy").codebook, data_dir=str(data_dir)))
    xt = service.crosstab(q)
    assert any(r.missing for r in xt.rows)
    assert compare(xt, out["total"]["cells"], out["result"]["cells"]) >= len(xt.rows) * (len(xt.cols) - 1)


def test_python_snippet_reproduces_a_nested_table(demo: Service) -> None:
    q = Query(dataset="demo", row="eu_support", col="country", filters=(("year", (2024,)),))
    out = run(python_code(replace(q, col2="gender"), demo.store.get("demo").codebook, data_dir=str(DATA)))
    groups = out["result"]["nested"]
    assert len(groups) == 3
    for group in groups:
        code = int(group["outer"])
        xt = demo.crosstab(Query(dataset="demo", row="eu_support", col="gender",
                                 filters=(("country", (code,)), ("year", (2024,)))))
        assert compare(xt, group["total"], group["split"]) == sum(not r.net for r in xt.rows) * len(xt.cols)


def test_python_snippet_for_a_multiple_response_question(demo: Service) -> None:
    q = Query(dataset="demo", row="threats", col="country")
    out = run(python_code(q, demo.store.get("demo").codebook, data_dir=str(DATA)))
    xt = demo.crosstab(q)
    frame = out["result"]["frame"]
    assert len(frame) == len(xt.cells)
    for line, cell in zip(frame, xt.cells, strict=True):
        assert line["percent"] == pytest.approx(cell.percent, rel=1e-12)


# --- R: R is not installed here, so the script is checked against its template ----------


def test_r_script_for_a_stratified_clustered_design_with_filters(demo: Service) -> None:
    q = Query(dataset="demo", row="trust_police", col="age_group", filters=(("country", (2,)), ("year", (2022,))))
    lines = r_code(q, demo.store.get("demo").codebook).splitlines()
    expected = [
        "library(arrow)",
        "library(survey)",
        'd <- as.data.frame(read_parquet("data/demo/responses.parquet"))',
        "design <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, nest = TRUE, data = d)",
        "domain <- subset(design, country %in% c(2) & year %in% c(2022))",
        "total <- subset(domain, trust_police %in% c(1, 2, 3, 4))",
        "tab <- subset(total, age_group %in% c(1, 2, 3, 4))",
    ]
    for line in expected:
        assert line in lines, line
    code = "\n".join(lines)
    assert "svymean(~factor(trust_police), total)" in code
    assert "svyby(~factor(trust_police), ~factor(age_group), tab, svymean)" in code
    assert 'method = "logit", level = 0.95, df = degf(tab)' in code
    assert 'svychisq(~trust_police + age_group, tab, statistic = "F")' in code
    assert 'options(survey.lonely.psu = "adjust")' in code
    assert "# Synthetic demonstration data, not survey results." in code
    assert [line for line in lines if line.startswith("svychisq")] == [lines[-1]]


def test_r_script_for_weights_only_row_percents_and_missing_codes(data_dir: Path) -> None:
    cb = Store(data_dir).get("anes").codebook
    code = r_code(Query(dataset="anes", row="TVnews", col="PID", percent="row", include_missing=True, level=0.9), cb,
                  data_dir="/srv/my data")
    assert "design <- svydesign(ids = ~1, weights = ~wt, data = d)" in code
    assert "nest = TRUE" not in code and "strata" not in code.split("design <-")[1].split("\n")[0]
    assert "total <- subset(domain, TVnews %in% c(0, 1, 2, 3, 4, 5, 6, 7, 99))" in code
    assert "svyby(~factor(PID), ~factor(TVnews), tab, svymean)" in code
    assert 'read_parquet("/srv/my data/anes/responses.parquet")' in code
    assert 'method = "logit", level = 0.9, df = degf(tab)' in code  # the view's confidence level


def test_r_script_nests_one_table_and_test_per_outer_category(demo: Service) -> None:
    cb = demo.store.get("demo").codebook
    code = r_code(Query(dataset="demo", row="trust_police", col="country", col2="gender"), cb)
    assert code.count('statistic = "F")') == 3
    for j, country in enumerate(("Albania", "Kosovo", "Serbia"), start=1):
        assert f"total_{j} <- subset(total, country == {j})  # {country}" in code
        assert f"tab_{j} <- subset(total_{j}, gender %in% c(1, 2))" in code
        assert f"svyby(~factor(trust_police), ~factor(gender), tab_{j}, svymean)" in code


def test_r_names_and_strings_are_quoted(demo: Service) -> None:
    cb = demo.store.get("demo").codebook
    odd = replace(cb.by_name["trust_police"], name="2nd-trust", label=Text({"en": "x"}))
    info = replace(cb.dataset, id="my-data")
    variables = tuple(odd if v.name == "trust_police" else v for v in cb.variables)
    weird = Codebook(dataset=info, variables=variables, topics=cb.topics)
    code = r_code(Query(dataset="my-data", row="2nd-trust", col="gender"), weird, data_dir='C:\\a"b')
    assert "subset(domain, `2nd-trust` %in% c(1, 2, 3, 4))" in code
    assert 'read_parquet("C:\\\\a\\"b/my-data/responses.parquet")' in code


def test_r_script_for_a_multiple_response_question(demo: Service) -> None:
    cb = demo.store.get("demo").codebook
    code = r_code(Query(dataset="demo", row="threats", col="country"), cb)
    for item in cb.by_name["threats"].columns:
        assert f"svyby(~{item}, ~factor(country), subset(domain, !is.na({item})), svymean)" in code
