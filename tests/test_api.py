"""The JSON API on real ingested surveys: same numbers as the service, `stats.crosstab` and the
svy reference values; bad parameters are 400s that name the parameter; exports carry it all.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from barometer_dash.app_factory import create_app
from barometer_dash.domain.query import Query
from barometer_dash.ingest import Options, ingest_file
from barometer_dash.stats import crosstab
from tests.conftest import SVY_CODES

GOLDEN = Path(__file__).resolve().parent / "golden"
FIELDS = ("n", "weighted", "percent", "se", "ci_low", "ci_high", "deff", "sig")


def _get(client, url: str, status: int = 200) -> dict:
    resp = client.get(url)
    assert resp.status_code == status, (url, resp.get_data(as_text=True)[:500])
    assert resp.content_type == "application/json"
    return resp.get_json()


def app_codebook(client, dataset_id: str):
    return client.application.extensions["barometer_service"].store.get(dataset_id).codebook


def _close(a: float | None, b: float | None, tol: float = 1e-9) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


# --- datasets ----------------------------------------------------------------------------


def test_datasets_lists_ids_sizes_citation_and_synthetic_flag(client):
    body = _get(client, "/api/v1/datasets")
    by_id = {d["id"]: d for d in body["datasets"]}
    assert sorted(by_id) == ["anes", "svy", "tiny"]
    assert by_id["svy"]["respondents"] == 3246 and by_id["svy"]["synthetic"] is False
    assert by_id["tiny"]["synthetic"] is True and by_id["tiny"]["citation"] == "Made up for tests."
    sq = _get(client, "/api/v1/datasets?lang=sq")["datasets"]
    assert next(d for d in sq if d["id"] == "tiny")["title"] == "Anketë e vogël sintetike"


def test_dataset_codebook_has_labels_values_and_missing_codes(client):
    body = _get(client, "/api/v1/datasets/svy")
    lit = next(v for v in body["variables"] if v["name"] == "literacy")
    assert lit["label"] == "Can read and write" and lit["kind"] == "single"
    assert lit["missing"] == [9]
    assert {"code": 9, "key": "9", "label": "Not in universe", "missing": True} in lit["values"]
    assert body["dataset"]["strata"] == "stratum" and body["dataset"]["psu"] == "ea"
    assert body["codebook"]["dataset"]["id"] == "svy"


def test_dataset_codebook_in_another_language_keeps_the_raw_json(client):
    body = _get(client, "/api/v1/datasets/tiny?lang=sq")
    trust = next(v for v in body["variables"] if v["name"] == "trust")
    assert trust["label"] == "A i besoni policisë?"
    assert trust["values"][2]["label"] == "Don't know"  # no Albanian text: English
    raw = next(v for v in body["codebook"]["variables"] if v["name"] == "trust")
    assert raw["label"] == {"en": "Do you trust the police?", "sq": "A i besoni policisë?"}
    country = next(v for v in body["variables"] if v["name"] == "country")
    assert (country["role"], country["breakdown"], country["values"][1]["key"]) == ("country", True, "XK")


# --- the numbers -------------------------------------------------------------------------


def _frame(data_dir: Path, dataset: str) -> pd.DataFrame:
    return pq.read_table(data_dir / dataset / "responses.parquet").to_pandas().astype("float64")


CASES = [
    ("svy", "act_status", "urbrur", [("geo1", [2])], "column", "exclude"),
    ("svy", "literacy", "sex", [], "row", "exclude"),
    ("svy", "marstat", "geo1", [("sex", [2]), ("urbrur", [1])], "total", "include"),
    ("svy", "act_status", "sex", [], "column", "include"),
    ("anes", "TVnews", "PID", [("educ", [3, 4, 5])], "column", "exclude"),
    ("anes", "vote", "educ", [], "row", "exclude"),
    # A breakdown with missing answers: its table's df counts only PSUs with someone in a column
    # (here each respondent is a PSU).
    ("anes", "vote", "selfLR", [], "column", "exclude"),
]


@pytest.mark.parametrize(("dataset", "row", "col", "filters", "percent", "missing"), CASES)
def test_wiring_api_equals_stats_crosstab(client, app, data_dir, dataset, row, col, filters, percent, missing):
    url = f"/api/v1/datasets/{dataset}/crosstab?row={row}&col={col}&percent={percent}&missing={missing}"
    url += "".join(f"&filter={name}:{','.join(map(str, codes))}" for name, codes in filters)
    body = _get(client, url)
    cb = app.server.extensions["barometer_service"].store.get(dataset).codebook
    info = cb.dataset
    frame = _frame(data_dir, dataset)
    where = np.ones(len(frame), dtype=bool)
    for name, codes in filters:
        where &= frame[name].isin(codes).to_numpy()
    excluded = {} if missing == "include" else {row: sorted(cb.variable(row).missing)}
    kwargs = {"weight": info.weight, "strata": info.strata, "psu": info.psu, "where": where,
              "percent": percent, "missing": {**excluded, col: sorted(cb.variable(col).missing)}}
    split = crosstab(frame, row, col, **kwargs).cells.set_index(["row", "col"])
    total = crosstab(frame.assign(_all=0.0), row, "_all", **kwargs).cells.set_index(["row", "col"])
    assert len(body["cells"]) == len(body["rows"]) * len(body["cols"])
    compared = 0
    # With a breakdown column suppressed, the Total's counts are withheld (secondary suppression).
    withheld = any(b["suppressed"] and b["n"] > 0 for b in body["bases"][1:])
    for cell in body["cells"]:
        ref = total.loc[(cell["row"], 0.0)] if cell["col"] is None else split.loc[(cell["row"], cell["col"])]
        if cell["suppressed"]:
            assert cell["percent"] is None and cell["n"] is None
            continue
        for field in FIELDS:
            expected = None if pd.isna(ref[field]) else float(ref[field])
            if field == "sig" and cell["col"] is None:
                continue
            if field in ("n", "weighted") and cell["col"] is None and withheld:
                assert cell[field] is None
                continue
            assert _close(cell[field], expected), (cell, field, expected)
        compared += 1
    assert compared >= len(body["rows"]) * 2
    result = crosstab(frame, row, col, **kwargs)
    test = result.test
    assert body["test"] is not None and test is not None
    for field in ("statistic", "df1", "df2", "p"):
        assert _close(body["test"][field], getattr(test, field)), field
    assert body["df"] == result.table.df  # the table's df: PSUs minus strata among those in a column


def test_wiring_api_equals_the_service(client, app):
    """Wiring: the API serves the service's numbers unchanged."""
    service = app.server.extensions["barometer_service"]
    query = Query(dataset="svy", row="literacy", col="geo1", filters=(("sex", (1,)),), percent="row")
    xt = service.crosstab(query, "en")
    body = _get(client, "/api/v1/datasets/svy/crosstab?row=literacy&col=geo1&filter=sex:1&percent=row")
    assert [(c["row"], c["col"]) for c in body["cells"]] == [(c.row, c.col) for c in xt.cells]
    for ours, theirs in zip(body["cells"], xt.cells, strict=True):
        for field in FIELDS:
            assert ours[field] == getattr(theirs, field), field
    assert [b["n"] for b in body["bases"]] == [b.n for b in xt.bases]
    assert body["test"]["p"] == xt.test.p
    assert body["query"] == {"row": "literacy", "col": "geo1", "filters": [{"variable": "sex", "codes": [1]}],
                             "percent": "row", "missing": "exclude", "lang": "en", "level": 0.95}
    assert body["dataset"]["version"] == xt.version and body["notice"] is None


def _golden_cases() -> list:
    path = GOLDEN / "crosstab_wb_ind_2023.json"
    if not path.is_file():
        return []
    filters = {None: "", "sex == 'Female'": "&filter=sex:2", "geo1 == 'geo_02'": "&filter=geo1:2"}
    out = []
    for case in json.loads(path.read_text())["cases"]:
        if case["where"] in filters:
            out.append(pytest.param(case, filters[case["where"]],
                                    id=f"{case['row']}x{case['col']}-{case['percent_base']}-{case['where']}"))
    return out


@pytest.mark.parametrize(("case", "filter_param"), _golden_cases())
def test_api_matches_svy_reference_values(client, case, filter_param):
    missing = "exclude" if case["missing"] else "include"
    url = (f"/api/v1/datasets/svy/crosstab?row={case['row']}&col={case['col']}&percent={case['percent_base']}"
           f"&missing={missing}{filter_param}")
    body = _get(client, url)
    assert body["df"] == case["df"]
    cells = {(c["row"], c["col"]): c for c in body["cells"]}
    for ref in case["cells"]:
        key = (SVY_CODES[case["row"]][ref["row"]], SVY_CODES[case["col"]][ref["col"]])
        if key not in cells:
            assert ref["percent"] == 0.0  # a missing code svy lists, always empty
            continue
        for field in ("percent", "se", "ci_low", "ci_high"):
            assert _close(cells[key][field], ref[field], 1e-6), (key, field)
    for field in ("statistic", "df1", "df2"):
        assert _close(body["test"][field], case["test"][field], 1e-6)


@pytest.fixture(scope="module")
def unweighted_client(tmp_path_factory, survey_files):
    data = tmp_path_factory.mktemp("unweighted")
    ingest_file(survey_files["anes"], Options("anes", demographic=("PID", "educ")), data)
    return create_app({"data_dir": data, "cache": "null"}).server.test_client()


def test_unweighted_api_matches_svy_reference_values(unweighted_client):
    cases = [c for c in json.loads((GOLDEN / "crosstab_anes96.json").read_text())["cases"] if not c["where"]]
    assert cases
    for case in cases:
        body = _get(unweighted_client, f"/api/v1/datasets/anes/crosstab?row={case['row']}&col={case['col']}"
                                       f"&percent={case['percent_base']}")
        cells = {(c["row"], c["col"]): c for c in body["cells"]}
        for ref in case["cells"]:
            cell = cells[(int(ref["row"]), int(ref["col"]))]
            for field in ("percent", "se", "ci_low", "ci_high"):
                assert _close(cell[field], ref[field], 1e-6), (case["row"], field)
        assert _close(body["test"]["statistic"], case["test"]["statistic"], 1e-6)


# --- suppression, synthetic notice, multi ------------------------------------------------


def test_small_columns_are_suppressed_with_the_reason(client):
    body = _get(client, "/api/v1/datasets/tiny/crosstab?row=trust&col=country&filter=year:2023")
    serbia = [c for c in body["cells"] if c["col"] == 3]
    base = next(b for b in body["bases"] if b["col"] == 3)
    assert base["suppressed"] and 0 < base["n"] < body["rules"]["min_base"]
    for cell in serbia:
        assert cell["suppressed"] and cell["reason"] == body["rules"]["suppressed"]
        assert all(cell[f] is None for f in ("n", "weighted", "percent", "se", "ci_low", "ci_high", "deff"))
    assert body["notice"].startswith("Synthetic demonstration data.")
    assert body["dataset"]["synthetic"] is True


def test_multiple_response_question(client):
    body = _get(client, "/api/v1/datasets/tiny/crosstab?row=media&col=year")
    assert body["question"]["kind"] == "multi"
    assert [r["label"] for r in body["rows"]] == ["TV", "Online"]


def test_filter_by_value_key_and_repeat(client):
    by_key = _get(client, "/api/v1/datasets/tiny/crosstab?row=trust&filter=country:XK&filter=country:AL")
    by_code = _get(client, "/api/v1/datasets/tiny/crosstab?row=trust&filter=country:1,2")
    assert by_key["cells"] == by_code["cells"]
    assert by_key["query"]["filters"] == [{"variable": "country", "codes": [1, 2]}]
    assert by_key["breakdown"] is None and by_key["test"] is None


# --- errors ------------------------------------------------------------------------------

BAD = [
    ("", "row", 400),
    ("row=", "row", 400),
    ("row=trust&row=trust", "row", 400),
    ("row=trust&percent=cell", "percent", 400),
    ("row=trust&missing=maybe", "missing", 400),
    ("row=trust&lang=de", "lang", 400),
    ("row=trust&format=pdf", "format", 400),
    ("row=trust&col=", "col", 400),
    ("row=trust&col=trust", "col", 400),
    ("row=trust&col=media", "col", 400),
    ("row=trust&filter=country", "filter", 400),
    ("row=trust&filter=country:", "filter", 400),
    ("row=trust&filter=country:9", "filter", 400),
    ("row=trust&filter=media:1", "filter", 400),
    ("row=trust&colum=country", "colum", 400),
    ("row=nope", "row", 404),
    ("row=trust&col=nope", "col", 404),
    ("row=trust&filter=nope:1", "filter", 404),
]


@pytest.mark.parametrize(("params", "parameter", "status"), BAD)
def test_bad_parameters_are_named(client, params, parameter, status):
    body = _get(client, f"/api/v1/datasets/tiny/crosstab?{params}", status)
    assert body["error"]["parameter"] == parameter
    assert body["error"]["message"]


@pytest.mark.parametrize("url", ["/api/v1/datasets/nope", "/api/v1/datasets/nope/crosstab?row=x",
                                 "/api/v1/datasets/a%2Fb", "/api/v1/nothing/here"])
def test_unknown_things_are_json_404s(client, url):
    assert _get(client, url, 404)["error"]["message"]


def test_a_dataset_that_does_not_load_is_a_404(tmp_path, survey_files):
    ingest_file(survey_files["tiny"], Options("tiny", codebook=survey_files["tiny_codebook"]), tmp_path)
    (tmp_path / "tiny" / "codebook.json").write_text("{}", encoding="utf-8")
    client = create_app({"data_dir": tmp_path, "cache": "null"}).server.test_client()
    assert _get(client, "/api/v1/datasets/tiny", 404)["error"]["parameter"] == "id"
    assert _get(client, "/api/v1/datasets")["datasets"] == []


def test_unexpected_failure_is_a_json_500(app, client, monkeypatch):
    service = app.server.extensions["barometer_service"]

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(service, "crosstab", boom)
    body = _get(client, "/api/v1/datasets/tiny/crosstab?row=trust", 500)
    assert body == {"error": {"parameter": None, "message": "internal error"}}


# --- exports -----------------------------------------------------------------------------


def _csv_parts(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    head, _, table = text.partition("\r\n\r\n")
    meta = {row[0]: row[1] for row in csv.reader(io.StringIO(head))}
    return meta, list(csv.DictReader(io.StringIO(table)))


def test_csv_export_carries_the_same_numbers_and_context(client):
    query = "row=trust&col=country&filter=year:2023"
    body = _get(client, f"/api/v1/datasets/tiny/crosstab?{query}")
    resp = client.get(f"/api/v1/datasets/tiny/crosstab?{query}&format=csv")
    assert resp.status_code == 200 and resp.content_type == "text/csv; charset=utf-8"
    assert resp.headers["Content-Disposition"] == 'attachment; filename="tiny_trust_by_country_year-2023.csv"'
    raw = resp.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    meta, rows = _csv_parts(raw.decode("utf-8-sig"))
    assert meta["Design"] == "weight: w" and meta["Retrieved"][:2] == "20"
    # The file's link opens the same view on the page.
    from urllib.parse import urlsplit

    from barometer_dash.view.links import parse_page

    cb = app_codebook(client, "tiny")
    assert meta["Link"].startswith("http://localhost/")
    page_view = parse_page(urlsplit(meta["Link"]).query, cb).view
    assert page_view.query() == Query(dataset="tiny", row="trust", col="country", filters=(("year", (2023,)),))
    assert meta["Question"] == "Do you trust the police? [trust]"
    assert meta["Filters"] == "Year: 2023"
    assert meta["Citation"] == "Made up for tests." and meta["Licence"] == "CC0-1.0"
    assert meta["Notice"].startswith("Synthetic demonstration data.")
    assert meta["Base"].startswith("Base:")
    assert len(rows) == len(body["cells"])
    for row, cell in zip(rows, body["cells"], strict=True):
        assert int(row["answer_code"]) == cell["row"]
        if cell["suppressed"]:
            assert row["percent"] == row["n"] == row["ci_low"] == "" and row["note"] == cell["reason"]
        else:
            assert float(row["percent"]) == cell["percent"]
            assert (int(row["n"]) if row["n"] else None) == cell["n"]
            assert float(row["ci_high"]) == cell["ci_high"]
        assert int(row["base_n"]) == next(b["n"] for b in body["bases"] if b["col"] == cell["col"])


def test_xlsx_export_carries_the_same_numbers_and_context(client):
    query = "row=trust&col=country&filter=year:2023&lang=sq"
    body = _get(client, f"/api/v1/datasets/tiny/crosstab?{query}")
    resp = client.get(f"/api/v1/datasets/tiny/crosstab?{query}&format=xlsx")
    assert resp.status_code == 200
    assert resp.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert resp.headers["Content-Disposition"].endswith('filename="tiny_trust_by_country_year-2023.xlsx"')
    wb = openpyxl.load_workbook(io.BytesIO(resp.get_data()))
    assert wb.sheetnames == ["Table", "Data", "About"]
    table = wb["Table"]
    assert table["A1"].value == "A i besoni policisë?"
    texts = [r[0] for r in table.iter_rows(values_only=True) if r and r[0]]
    assert any("sintetike" in str(t).lower() or "synthetic" in str(t).lower() for t in texts)
    data = list(wb["Data"].iter_rows(values_only=True))
    header, rows = data[0], data[1:]
    assert len(rows) == len(body["cells"])
    for values, cell in zip(rows, body["cells"], strict=True):
        row = dict(zip(header, values, strict=True))
        # Excel keeps 15 significant digits.
        assert _close(row["percent"], cell["percent"], 1e-14) and row["n"] == cell["n"]
        if cell["suppressed"]:
            assert row["percent"] is None and row["note"] == cell["reason"]
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True)}
    assert about["Citimi"] == "Made up for tests."  # the field names are in the table's language (sq)


def test_openapi_document_is_served(client):
    doc = _get(client, "/api/v1/openapi.json")
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {"/api/v1/datasets", "/api/v1/datasets/{dataset_id}",
                                 "/api/v1/datasets/{dataset_id}/crosstab", "/api/v1/datasets/{dataset_id}/tabbook",
                                 "/api/v1/openapi.json"}
    params = doc["paths"]["/api/v1/datasets/{dataset_id}/crosstab"]["get"]["parameters"]
    # One entry per API name of the view registry: adding a parameter there documents it here.
    from barometer_dash.view import REGISTRY

    assert [p["name"] for p in params] == ["dataset_id"] + [p.api for p in REGISTRY if p.api]
    names = {p["name"] for p in params}
    assert {"row", "col", "filter", "percent", "missing", "lang", "level", "cmp", "format"} <= names
    fmt = next(p for p in params if p["name"] == "format")
    from barometer_dash.render.formats import FORMATS

    assert fmt["schema"]["enum"] == list(FORMATS) and {"json", "csv", "xlsx", "png", "svg"} <= set(FORMATS)


@pytest.mark.parametrize("percent", ["column", "row", "total"])
def test_numeric_question_with_an_emptied_column_is_not_an_error(percent):
    """A filter that empties breakdown columns of a numeric question: those columns are left out."""
    demo = create_app({"cache": "null"}).server.test_client()
    body = _get(demo, f"/api/v1/datasets/demo/crosstab?row=trust_general&col=region&filter=country:3"
                      f"&percent={percent}")
    assert len(body["means"]) == len(body["cols"]) == len(body["bases"])
    assert all(b["n"] > 0 for b in body["bases"])
    assert body["means"][0] is not None and 0 <= body["means"][0] <= 10


def test_multiple_response_question_takes_column_percentages_only(client):
    body = _get(client, "/api/v1/datasets/tiny/crosstab?row=media&col=country&percent=row", 400)
    assert body["error"]["parameter"] == "percent"


def test_generated_queries_on_the_demo_never_fail():
    """Every question by every breakdown, with filters that can empty columns, in every base."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    app = create_app({"cache": "null"})
    demo = app.server.test_client()
    cb = app.server.extensions["barometer_service"].store.get("demo").codebook
    rows = [v.name for v in cb.questions]
    cols = [v.name for v in cb.breakdowns]

    @settings(max_examples=150, deadline=None, database=None, derandomize=True)
    @given(row=st.sampled_from(rows), col=st.sampled_from([None, *cols]), fvar=st.sampled_from(cols),
           codes=st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=3),
           pct=st.sampled_from(["column", "row", "total"]), missing=st.sampled_from(["include", "exclude"]))
    def run(row, col, fvar, codes, pct, missing):
        params = [("row", row), ("filter", f"{fvar}:{','.join(map(str, codes))}"), ("percent", pct),
                  ("missing", missing)] + ([("col", col)] if col else [])
        from urllib.parse import urlencode

        resp = demo.get("/api/v1/datasets/demo/crosstab?" + urlencode(params))
        assert resp.status_code in (200, 400), (params, resp.get_data(as_text=True)[:300])

    run()


def test_chart_image_with_intervals_draws_an_error_bar_per_bar(client):
    """`ci=1` draws the page's error bars in the image; without it there are none."""
    base = "/api/v1/datasets/tiny/crosstab?row=trust&col=country&format=svg"
    plain = client.get(base)
    with_ci = client.get(base + "&ci=1")
    if plain.status_code == 503:
        pytest.fail("chart images need Chromium on this machine: " + plain.get_data(as_text=True))
    svg, svg_ci = plain.get_data(as_text=True), with_ci.get_data(as_text=True)
    assert 'class="xerror"' not in svg
    xt = _get(client, "/api/v1/datasets/tiny/crosstab?row=trust&col=country")
    drawn = [c for c in xt["cells"] if c["percent"] is not None and c["row"] != 98]
    assert svg_ci.count('class="xerror"') == len(drawn) > 0  # the suppressed column has neither bar nor whisker
    assert "_ci.svg" in with_ci.headers["Content-Disposition"]
    assert "_ci" not in plain.headers["Content-Disposition"]
    assert _get(client, base.replace("format=svg", "ci=2"), 400)["error"]["parameter"] == "ci"


def test_embed_with_intervals_shows_them_in_the_chart_and_the_table(client):
    import base64
    import re

    def svg(url: str) -> str:
        page = client.get(url).get_data(as_text=True)
        data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', page)
        assert data is not None, page[:300]
        return base64.b64decode(data.group(1)).decode("utf-8")

    assert 'class="xerror"' in svg("/embed?ds=tiny&q=trust&by=country&ci=1")
    assert 'class="xerror"' not in svg("/embed?ds=tiny&q=trust&by=country")
    assert 'class="ci"' in client.get("/embed?ds=tiny&q=trust&by=country&ci=1&view=table").get_data(as_text=True)
    assert 'class="ci"' not in client.get("/embed?ds=tiny&q=trust&by=country&view=table").get_data(as_text=True)


def test_json_names_the_design_and_its_rules_in_the_views_language(client):
    # A researcher reads which columns weighted and clustered the estimates, and every sentence
    # in the language asked for.
    body = _get(client, "/api/v1/datasets/svy/crosstab?row=act_status&col=geo1&lang=sq")
    assert body["design"] == {"weight": "hhweight", "strata": "stratum", "psu": "ea"}
    english = _get(client, "/api/v1/datasets/svy/crosstab?row=act_status&col=geo1")
    assert english["design"] == body["design"]
    for key in ("suppressed", "flagged"):
        assert body["rules"][key] and body["rules"][key] != english["rules"][key], key
    weights_only = _get(client, "/api/v1/datasets/anes/crosstab?row=TVnews&col=PID")
    assert weights_only["design"] == {"weight": "wt"}
