"""The `barometer` command: ingest, codebook-template and validate, with serve and demo intact."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from barometer_dash.cli import build_parser
from barometer_dash.data.store import read_dataset


def test_help_lists_every_command():
    text = build_parser().format_help()
    for command in ("serve", "demo", "ingest", "codebook-template", "validate"):
        assert command in text


def test_ingest_reports_what_it_wrote(barometer, survey_files, tmp_path):
    ran = barometer("ingest", str(survey_files["svy"]), "--id", "svy", "--data-dir", str(tmp_path),
                    "--weight", "hhweight", "--strata", "stratum", "--psu", "ea", "--demographic", "geo1,urbrur",
                    "--demographic", "sex", "--title", "WB synthetic sample", "--citation", "World Bank (2023)")
    assert ran.code == 0, ran.err
    assert ran.out.startswith(f"wrote {tmp_path / 'svy'}: 3,246 respondents;")
    assert "design: weight hhweight, strata stratum, psu ea" in ran.out
    cb = read_dataset(tmp_path / "svy").codebook
    assert [v.name for v in cb.breakdowns] == ["geo1", "urbrur", "sex"]
    assert (cb.dataset.title.get(), cb.dataset.citation.get()) == ("WB synthetic sample", "World Bank (2023)")


def test_ingest_prints_warnings_on_stderr(barometer, survey_files, tmp_path):
    ran = barometer("ingest", str(survey_files["anes"]), "--id", "anes", "--data-dir", str(tmp_path))
    assert ran.code == 0
    assert "warning: " in ran.err and "logpopul" in ran.err
    assert "unweighted" in ran.out


def test_codebook_template_to_a_file_then_ingest(barometer, survey_files, tmp_path):
    out = tmp_path / "cb.json"
    ran = barometer("codebook-template", str(survey_files["tiny"]), "-o", str(out), "--weight", "w",
                    "--country", "country", "--wave", "year")
    assert ran.code == 0, ran.err
    assert f"--codebook {out}" in ran.out
    raw = json.loads(out.read_text(encoding="utf-8"))
    assert raw["dataset"]["id"] == "tiny" and raw["dataset"]["country"] == "country"
    ran = barometer("ingest", str(survey_files["tiny"]), "--id", "tiny", "--codebook", str(out),
                    "--data-dir", str(tmp_path / "data"))
    assert ran.code == 0, ran.err
    assert read_dataset(tmp_path / "data" / "tiny").codebook.variable("year").kind == "demographic"


def test_codebook_template_to_stdout_uses_spss_labels(barometer, survey_files):
    ran = barometer("codebook-template", str(survey_files["anes"]), "--id", "anes")
    assert ran.code == 0
    raw = json.loads(ran.out)
    vote = next(v for v in raw["variables"] if v["name"] == "vote")
    assert vote["values"][0] == {"code": 0, "label": {"en": "Clinton"}}


def test_codebook_template_refuses_a_bad_file(barometer, tmp_path):
    bad = tmp_path / "x.dta"
    bad.write_bytes(b"nope")
    ran = barometer("codebook-template", str(bad))
    assert ran.code == 1 and ran.err.startswith(f"error: {bad}: not a readable Stata file")


def test_validate_passes_good_datasets(barometer, data_dir):
    ran = barometer("validate", str(data_dir))
    assert ran.code == 0, ran.out
    assert "3 checked, 0 with problems" in ran.out
    ran = barometer("validate", str(data_dir / "svy"))
    assert ran.code == 0 and "1 checked" in ran.out


def test_validate_reports_every_problem(barometer, data_dir, tmp_path):
    work = tmp_path / "data"
    shutil.copytree(data_dir, work)
    table = pq.read_table(work / "svy" / "responses.parquet")
    weights = table.column("hhweight").to_numpy().copy()
    weights[3] = -1.0
    literacy = table.column("literacy").to_numpy(zero_copy_only=False).copy()
    literacy[0] = 5
    table = table.set_column(table.schema.get_field_index("hhweight"), "hhweight", pa.array(weights))
    table = table.set_column(table.schema.get_field_index("literacy"), "literacy", pa.array(literacy))
    pq.write_table(table.drop_columns(["sex"]), work / "svy" / "responses.parquet")
    (work / "anes" / "codebook.json").write_text("{not json", encoding="utf-8")
    (work / "stray").mkdir()
    ran = barometer("validate", str(work))
    assert ran.code == 1
    assert "4 checked, 3 with problems" in ran.out
    for text in ("variable 'hhweight'", "variable 'literacy', value 5", "variable 'sex': the column is not in the data",
                 "anes/codebook.json: not valid JSON", "stray/codebook.json: file is missing"):
        assert text in ran.out, text
    assert ran.out.count("      - ") == 6


def test_validate_finds_zero_weights_and_empty_design_or_country_cells(barometer, data_dir, tmp_path):
    # What a hand-edited data file can break that ingest would have refused.
    work = tmp_path / "data"
    shutil.copytree(data_dir, work)

    def edit(dataset: str, changes: dict[str, int]) -> None:  # column -> row made empty (weight: zero)
        path = work / dataset / "responses.parquet"
        table = pq.read_table(path)
        for name, row in changes.items():
            values = table.column(name).to_numpy(zero_copy_only=False).astype("float64")
            mask = np.zeros(len(values), dtype=bool)
            if name == "hhweight":
                values[row] = 0.0
            else:
                mask[row] = True
            table = table.set_column(table.schema.get_field_index(name), name, pa.array(values, mask=mask))
        pq.write_table(table, path)

    edit("svy", {"hhweight": 5, "ea": 2, "stratum": 4})
    edit("tiny", {"country": 1, "year": 2})
    ran = barometer("validate", str(work))
    assert ran.code == 1
    for text in ("variable 'hhweight', value 0.0: weights must be finite and positive; 1 of",
                 "(first at row 6)", "variable 'ea': the psu column has empty cells",
                 "variable 'stratum': the strata column has empty cells",
                 "variable 'country': the country column has empty cells",
                 "variable 'year': the wave column has empty cells"):
        assert text in ran.out, (text, ran.out)


def test_validate_an_empty_or_missing_folder(barometer, tmp_path):
    assert barometer("validate", str(tmp_path)).code == 1
    ran = barometer("validate", str(tmp_path / "nothing"))
    assert ran.code == 1 and "not a folder" in ran.out


def test_demo_still_builds(barometer, tmp_path):
    ran = barometer("demo", "--data-dir", str(tmp_path))
    assert ran.code == 0 and (tmp_path / "demo" / "codebook.json").is_file()
    assert barometer("validate", str(tmp_path)).code == 0


def test_serve_refuses_an_empty_data_folder(barometer, tmp_path, monkeypatch):
    monkeypatch.setenv("BAROMETER_DATA_DIR", str(tmp_path))  # serve sets it; undone after the test
    ran = barometer("serve", "--data-dir", str(tmp_path))
    assert ran.code == 2 and "no datasets" in ran.err


@pytest.mark.parametrize("argv", [["ingest"], ["ingest", "x.sav"], ["validate", "a", "b"]])
def test_usage_errors_exit_2(argv):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(argv)
    assert exc.value.code == 2
