"""Ingest real SPSS/Stata/CSV/Parquet files: labels, user-missing codes and design kept."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pyreadstat
import pytest

from barometer_dash.data.store import read_dataset
from barometer_dash.ingest import Options, codebook_template, ingest_file
from tests.conftest import SYNTHETIC_CODEBOOK, anes_frame, svy_frame, tiny_frame


def _codebook(folder: Path) -> dict:
    return json.loads((folder / "codebook.json").read_text(encoding="utf-8"))


def _var(cb: dict, name: str) -> dict:
    return next(v for v in cb["variables"] if v["name"] == name)


def test_spss_labels_become_the_codebook(survey_files, tmp_path):
    result = ingest_file(survey_files["anes"], Options("anes", weight="wt", demographic=("PID", "educ")), tmp_path)
    cb = _codebook(result.path)
    assert cb["dataset"]["title"]["en"] == "ANES 1996 (statsmodels extract)"
    assert cb["dataset"]["weight"] == "wt"
    vote = _var(cb, "vote")
    assert vote["kind"] == "single"
    assert vote["label"]["en"] == "Vote in the 1996 presidential election"
    assert [(v["code"], v["label"]["en"]) for v in vote["values"]] == [(0, "Clinton"), (1, "Dole")]
    assert _var(cb, "PID")["kind"] == "demographic"
    assert _var(cb, "age") == {"name": "age", "label": {"en": "Age in years"}, "kind": "numeric", "values": []}
    names = {v["name"] for v in cb["variables"]}
    assert "logpopul" not in names and "wt" not in names
    assert any("logpopul" in w for w in result.warnings)


def test_user_missing_codes_stay_in_the_data_and_are_listed(survey_files, tmp_path):
    result = ingest_file(survey_files["anes"], Options("anes", weight="wt"), tmp_path)
    cb = _codebook(result.path)
    tv, lr = _var(cb, "TVnews"), _var(cb, "selfLR")
    assert tv["missing"] == [99] and {"code": 99, "label": {"en": "Refused"}} in tv["values"]
    assert lr["missing"] == [8, 9]  # an SPSS range 8-9: both labelled codes
    table = pq.read_table(result.path / "responses.parquet")
    expected = anes_frame()
    assert (table.column("TVnews").to_numpy() == 99).sum() == (expected["TVnews"] == 99).sum() > 0
    assert (table.column("selfLR").to_numpy() == 8).sum() == (expected["selfLR"] == 8).sum() > 0


def test_columns_are_small_nullable_integers(survey_files, tmp_path):
    result = ingest_file(survey_files["svy"], Options("svy", weight="hhweight", strata="stratum", psu="ea"), tmp_path)
    schema = pq.read_schema(result.path / "responses.parquet")
    assert str(schema.field("literacy").type) == "int8"
    assert str(schema.field("stratum").type) == "int8"
    assert str(schema.field("hhweight").type) == "double"
    ds = read_dataset(result.path)
    assert ds.n == len(svy_frame())
    assert (ds.codebook.dataset.strata, ds.codebook.dataset.psu) == ("stratum", "ea")
    assert _var(_codebook(result.path), "act_status")["missing"] == [9]


def test_design_columns_holding_text_are_numbered(tmp_path):
    df = pd.DataFrame({"q": [1.0, 2.0, 1.0, 2.0], "region": ["b", "a", "b", "a"], "w": [1.0, 1.0, 2.0, 2.0]})
    pyreadstat.write_sav(df, str(tmp_path / "f.sav"), variable_value_labels={"q": {1: "Yes", 2: "No"}})
    result = ingest_file(tmp_path / "f.sav", Options("f", weight="w", strata="region"), tmp_path / "data")
    assert pq.read_table(result.path / "responses.parquet").column("region").to_pylist() == [2, 1, 2, 1]


def test_unlabelled_numeric_with_user_missing_is_blanked(tmp_path):
    df = pd.DataFrame({"age": [20.0, 30.0, 999.0, np.nan], "q": [1.0, 2.0, 1.0, 1.0]})
    pyreadstat.write_sav(df, str(tmp_path / "f.sav"), variable_value_labels={"q": {1: "Yes", 2: "No"}},
                         missing_ranges={"age": [999]})
    result = ingest_file(tmp_path / "f.sav", Options("f"), tmp_path / "data")
    assert pq.read_table(result.path / "responses.parquet").column("age").to_pylist() == [20, 30, None, None]
    assert any("999" in w and "age" in w for w in result.warnings)


def test_unlabelled_missing_code_gets_a_label(tmp_path):
    df = pd.DataFrame({"q": [1.0, 2.0, 97.0, 1.0]})
    pyreadstat.write_sav(df, str(tmp_path / "f.sav"), variable_value_labels={"q": {1: "Yes", 2: "No"}},
                         missing_ranges={"q": [97]})
    cb = _codebook(ingest_file(tmp_path / "f.sav", Options("f"), tmp_path / "data").path)
    assert _var(cb, "q")["values"][-1] == {"code": 97, "label": {"en": "Missing (97)"}}
    assert _var(cb, "q")["missing"] == [97]


def test_text_variables_are_left_out_with_a_warning(tmp_path):
    df = pd.DataFrame({"q": [1.0, 2.0], "comment": ["fine", "bad"]})
    pyreadstat.write_sav(df, str(tmp_path / "f.sav"), variable_value_labels={"q": {1: "Yes", 2: "No"}})
    result = ingest_file(tmp_path / "f.sav", Options("f"), tmp_path / "data")
    assert [v.name for v in result.codebook.variables] == ["q"]
    assert any("comment" in w and "text" in w for w in result.warnings)


def test_breakdown_without_labels_uses_its_codes(tmp_path):
    df = pd.DataFrame({"q": [1.0, 2.0, 1.0], "year": [2023.0, 2024.0, 2024.0]})
    pyreadstat.write_sav(df, str(tmp_path / "f.sav"), variable_value_labels={"q": {1: "Yes", 2: "No"}})
    cb = _codebook(ingest_file(tmp_path / "f.sav", Options("f", wave="year"), tmp_path / "data").path)
    values = [{"code": 2023, "label": {"en": "2023"}}, {"code": 2024, "label": {"en": "2024"}}]
    assert _var(cb, "year") == {"name": "year", "label": {"en": "year"}, "kind": "demographic", "values": values}
    assert cb["dataset"]["wave"] == "year"


@pytest.mark.parametrize("suffix", [".zsav", ".dta"])
def test_compressed_spss_and_stata(tmp_path, suffix):
    df = pd.DataFrame({"q": [1.0, 2.0, 2.0], "w": [1.0, 1.5, 0.5]})
    labels = {"q": {1: "Yes", 2: "No"}}
    path = tmp_path / f"f{suffix}"
    if suffix == ".dta":
        pyreadstat.write_dta(df, str(path), variable_value_labels=labels, column_labels={"q": "Agree?"})
    else:
        pyreadstat.write_sav(df, str(path), variable_value_labels=labels, column_labels={"q": "Agree?"},
                             compress=True)
    result = ingest_file(path, Options("f", weight="w"), tmp_path / "data")
    q = result.codebook.variable("q")
    assert (q.label.get(), [v.label.get() for v in q.values]) == ("Agree?", ["Yes", "No"])


def test_stata_extended_missing_values_become_empty(tmp_path):
    df = pd.DataFrame({"q": [1.0, 2.0, "a", 1.0]}).astype(object)
    pyreadstat.write_dta(df, str(tmp_path / "f.dta"), variable_value_labels={"q": {1: "Yes", 2: "No"}},
                         missing_user_values={"q": ["a"]})
    result = ingest_file(tmp_path / "f.dta", Options("f"), tmp_path / "data")
    assert pq.read_table(result.path / "responses.parquet").column("q").to_pylist() == [1, 2, None, 1]
    assert any("extended missing" in w for w in result.warnings)


def test_csv_and_parquet_with_a_codebook(survey_files, tmp_path):
    tiny = tiny_frame()
    tiny.to_parquet(tmp_path / "tiny.parquet")
    for source in (survey_files["tiny"], tmp_path / "tiny.parquet"):
        result = ingest_file(source, Options("tiny", codebook=survey_files["tiny_codebook"]), tmp_path / "data")
        ds = read_dataset(result.path)
        assert ds.codebook.dataset.synthetic is True
        assert ds.codebook.variable("trust").label.get("sq") == "A i besoni policisë?"
        assert ds.codebook.variable("media").columns == ("media_tv", "media_web")
        assert ds.n == len(tiny)
        assert ds.codes("trust").tolist() == tiny["trust"].astype(float).tolist()


def test_flags_override_the_codebook(survey_files, tmp_path):
    options = Options("other", codebook=survey_files["tiny_codebook"], title="Renamed", citation="Cite me")
    result = ingest_file(survey_files["tiny"], options, tmp_path)
    info = result.codebook.dataset
    assert (info.id, info.title.get("en"), info.title.get("sq"), info.citation.get()) == (
        "other", "Renamed", "Anketë e vogël sintetike", "Cite me")
    assert result.path == tmp_path / "other"


def test_columns_not_in_the_codebook_are_left_out(survey_files, tmp_path):
    df = tiny_frame()
    df["extra"] = 1
    df.to_csv(tmp_path / "t.csv", index=False)
    result = ingest_file(tmp_path / "t.csv", Options("t", codebook=survey_files["tiny_codebook"]), tmp_path / "d")
    assert "extra" not in pq.read_schema(result.path / "responses.parquet").names
    assert any("extra" in w for w in result.warnings)


def test_template_from_spss_ingests_to_the_same_codebook(survey_files, tmp_path):
    options = Options("anes", weight="wt", demographic=("PID", "educ"))
    raw, _ = codebook_template(survey_files["anes"], options)
    (tmp_path / "cb.json").write_text(json.dumps(raw), encoding="utf-8")
    direct = ingest_file(survey_files["anes"], options, tmp_path / "a")
    via = ingest_file(survey_files["anes"], Options("anes", codebook=tmp_path / "cb.json"), tmp_path / "b")
    assert direct.codebook.dataset == via.codebook.dataset
    labelled = [v for v in direct.codebook.variables if v.values]
    # The template proposes nets for the 7-point left-right scale; otherwise the same variables.
    assert [replace(via.codebook.variable(v.name), ordinal=False, nets=None) for v in labelled] == labelled
    # In a template, unlabelled columns with few codes are listed with their codes, to be labelled.
    assert (direct.codebook.variable("ClinLR").kind, via.codebook.variable("ClinLR").kind) == ("numeric", "single")
    assert via.codebook.variable("age").kind == "numeric"


def test_template_from_csv_lists_codes_found(survey_files):
    raw, warnings = codebook_template(survey_files["tiny"], Options("tiny", weight="w", country="country"))
    trust = _var(raw, "trust")
    assert [v["code"] for v in trust["values"]] == [1, 2, 98]
    assert _var(raw, "country")["kind"] == "demographic"
    assert raw["dataset"]["weight"] == "w"
    assert warnings == ()


def test_template_proposes_nets_for_a_labelled_scale(survey_files):
    raw, warnings = codebook_template(survey_files["anes"], Options("anes", weight="wt", demographic=("PID", "educ")))
    left_right = _var(raw, "selfLR")
    assert left_right["ordinal"] is True
    assert left_right["nets"] == [
        {"key": "top2", "label": {"en": "Extremely liberal + Liberal"}, "codes": [1, 2]},
        {"key": "bottom2", "label": {"en": "Conservative + Extremely conservative"}, "codes": [6, 7]},
    ]
    assert any("'selfLR'" in w and "delete 'ordinal' and 'nets'" in w for w in warnings)
    # Breakdowns, two-answer questions and 0-7 day counts (eight answers) get none.
    for name in ("PID", "vote", "TVnews"):
        assert "nets" not in _var(raw, name) and "ordinal" not in _var(raw, name), name


def test_template_points_at_a_likely_weight(survey_files):
    _, warnings = codebook_template(survey_files["tiny"], Options("tiny"))
    assert any("'w'" in w and "--weight" in w for w in warnings)


def test_reingest_replaces_a_dataset(survey_files, tmp_path):
    ingest_file(survey_files["tiny"], Options("t", codebook=survey_files["tiny_codebook"]), tmp_path)
    small = tiny_frame().head(50)
    small.to_csv(tmp_path / "small.csv", index=False)
    ingest_file(tmp_path / "small.csv", Options("t", codebook=survey_files["tiny_codebook"]), tmp_path)
    assert read_dataset(tmp_path / "t").n == 50
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.csv", "t"]


def test_synthetic_codebook_fixture_is_valid():
    from barometer_dash.domain.codebook import parse_codebook

    assert parse_codebook(SYNTHETIC_CODEBOOK).dataset.synthetic
