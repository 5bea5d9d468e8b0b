"""Every kind of bad file is refused: one plain message naming file, variable and value, a
non-zero exit, no traceback, and the data folder byte-for-byte as it was, even when a valid
dataset with the same id is already there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from tests.conftest import SYNTHETIC_CODEBOOK, snapshot, tiny_frame

ROOT = Path(__file__).resolve().parents[2]
LABELS = {"q": {1: "Yes", 2: "No"}}


def _sav(folder: Path, frame: pd.DataFrame, **kwargs: object) -> Path:
    path = folder / "survey.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels=LABELS, **kwargs)
    return path


def _fraction_label(folder: Path) -> list[str]:
    path = folder / "survey.sav"
    pyreadstat.write_sav(pd.DataFrame({"q": [1.0, 2.0, 1.0]}), str(path),
                         variable_value_labels={"q": {1: "Yes", 1.5: "Half", 2: "No"}})
    return [str(path)]


def _weights(values: list[object]) -> pd.DataFrame:
    return pd.DataFrame({"q": [1.0, 2.0, 1.0, 2.0], "w": values})


def _csv(folder: Path, frame: pd.DataFrame | None = None, codebook: object = SYNTHETIC_CODEBOOK,
         text: str | None = None) -> list[str]:
    (frame if frame is not None else tiny_frame()).to_csv(folder / "survey.csv", index=False)
    cb = folder / "codebook.json"
    cb.write_text(text if text is not None else json.dumps(codebook), encoding="utf-8")
    return [str(folder / "survey.csv"), "--codebook", str(cb)]


def _with_codebook_change(change: Callable[[dict], None]) -> dict:
    cb = json.loads(json.dumps(SYNTHETIC_CODEBOOK))
    change(cb)
    return cb


def _bad_trust_code(folder: Path) -> list[str]:
    df = tiny_frame()
    df.loc[5, "trust"] = 7
    return _csv(folder, df)


def _text_in_codes(folder: Path) -> list[str]:
    df = tiny_frame().astype({"trust": object})
    df.loc[3, "trust"] = "yes"
    return _csv(folder, df)


def _duplicate_header(folder: Path) -> list[str]:
    args = _csv(folder)
    lines = (folder / "survey.csv").read_text().splitlines()
    lines[0] = lines[0].replace("media_web", "trust")
    (folder / "survey.csv").write_text("\n".join(lines) + "\n")
    return args


def _junk(folder: Path) -> list[str]:
    (folder / "survey.sav").write_bytes(b"\x00junk" * 50)
    return [str(folder / "survey.sav")]


def _empty(folder: Path) -> list[str]:
    (folder / "survey.csv").write_text("")
    return [str(folder / "survey.csv")]


# (case, how to make the arguments, what the message must contain)
CASES: list[tuple[str, Callable[[Path], list[str]], list[str]]] = [
    ("unreadable", _junk, ["survey.sav", "not a readable SPSS file"]),
    ("empty file", _empty, ["survey.csv", "empty"]),
    ("no rows", lambda f: [str(_sav(f, _weights([1.0, 1.0, 1.0, 1.0]).head(0)))], ["survey.sav", "no rows"]),
    ("missing weight column", lambda f: [str(_sav(f, _weights([1.0] * 4))), "--weight", "wgt"],
     ["survey.sav", "'wgt'", "weight column is not in the data"]),
    ("zero weight", lambda f: [str(_sav(f, _weights([1.0, 0.0, 1.0, 1.0]))), "--weight", "w"],
     ["survey.sav", "'w'", "value 0.0", "row 2"]),
    ("negative weight", lambda f: [str(_sav(f, _weights([1.0, 1.0, -2.5, 1.0]))), "--weight", "w"],
     ["survey.sav", "'w'", "value -2.5", "row 3"]),
    ("NaN weight", lambda f: [str(_sav(f, _weights([1.0, 1.0, 1.0, np.nan]))), "--weight", "w"],
     ["survey.sav", "'w'", "row 4", "empty or not a number"]),
    ("text weight", lambda f: [str(_sav(f, _weights(["1", "heavy", "1", "1"]))), "--weight", "w"],
     ["survey.sav", "'w'", "value 'heavy'", "not text"]),
    ("unknown code", lambda f: [str(_sav(f, pd.DataFrame({"q": [1.0, 2.0, 3.0]})))],
     ["survey.sav", "'q'", "value 3", "no label"]),
    ("unknown code in csv", _bad_trust_code, ["survey.csv", "'trust'", "value 7"]),
    ("label on a fraction", _fraction_label, ["survey.sav", "'q'", "value 1.5", "whole-number codes"]),
    ("text in a coded column", _text_in_codes, ["survey.csv", "'trust'", "value 'yes'", "whole-number"]),
    ("codebook names a missing column",
     lambda f: _csv(f, codebook=_with_codebook_change(lambda c: c["variables"][0].update(name="trust2"))),
     ["survey.csv", "'trust2'", "not in the data"]),
    ("codebook names a missing weight",
     lambda f: _csv(f, codebook=_with_codebook_change(lambda c: c["dataset"].update(weight="weight"))),
     ["survey.csv", "'weight'", "weight column is not in the data"]),
    ("duplicate variable in codebook",
     lambda f: _csv(f, codebook=_with_codebook_change(lambda c: c["variables"].append(dict(c["variables"][0])))),
     ["codebook.json", "'trust'", "used twice"]),
    ("duplicate column in data", _duplicate_header, ["survey.csv", "'trust'", "more than once"]),
    ("bad JSON", lambda f: _csv(f, text='{"dataset": {"id": "x",}'), ["codebook.json", "not valid JSON", "line 1"]),
    ("unusable name",
     lambda f: _csv(f, codebook=_with_codebook_change(lambda c: c["variables"][0].update(name="trust me"))),
     ["codebook.json", "'trust me'", "must not contain spaces"]),
    ("csv without codebook", lambda f: [_csv(f)[0]], ["survey.csv", "--codebook"]),
    ("missing codebook file", lambda f: [_csv(f)[0], "--codebook", str(f / "nope.json")],
     ["nope.json", "does not exist"]),
    ("bad id", lambda f: [*_csv(f), "--id", "../x"], ["--id", "'../x'"]),
]


@pytest.fixture
def existing(tmp_path: Path, survey_files: dict[str, Path], barometer) -> Path:  # type: ignore[no-untyped-def]
    """A data folder already holding a valid dataset 'x'."""
    data = tmp_path / "data"
    ran = barometer("ingest", str(survey_files["tiny"]), "--id", "x", "--codebook", str(survey_files["tiny_codebook"]),
                    "--data-dir", str(data))
    assert ran.code == 0, ran.err
    return data


@pytest.mark.parametrize(("case", "make", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_refused_and_changes_nothing(case, make, expected, tmp_path, existing, barometer):
    source = tmp_path / "source"
    source.mkdir()
    args = make(source)
    before = snapshot(existing)
    if "--id" not in args:
        args = [*args, "--id", "x"]
    ran = barometer("ingest", *args, "--data-dir", str(existing))
    assert ran.code != 0
    assert ran.err.startswith("error: ") and ran.err.count("\n") == 1, ran.err
    assert "Traceback" not in ran.err
    for text in expected:
        assert text in ran.err, (text, ran.err)
    assert snapshot(existing) == before
    assert sorted(p.name for p in existing.iterdir()) == ["x"]


def test_no_traceback_from_the_real_command(tmp_path):
    """The installed entry point, in a fresh process: one line on stderr, exit 1."""
    bad = tmp_path / "bad.sav"
    bad.write_bytes(b"not spss")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "barometer_dash", "ingest", str(bad), "--id", "x",
                           "--data-dir", str(tmp_path / "data")], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"error: {bad}: not a readable SPSS file") and "Traceback" not in proc.stderr
    assert not (tmp_path / "data").exists()
