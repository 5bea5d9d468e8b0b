"""Shared fixtures: real survey files made from data that ships with PyPI packages, a data
folder with them ingested, the app on that folder, and its test client (as in Flask's flaskr).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from barometer_dash.app_factory import create_app
from barometer_dash.cli import main
from barometer_dash.ingest import Options, ingest_file


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def barometer(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run the `barometer` command in-process: `barometer("validate", str(path))`."""

    def run(*argv: str) -> Run:
        code = main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (hidden ones too) and the SHA-256 of its bytes."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- survey files --------------------------------------------------------------------------

ANES_LABELS = {
    "vote": {0: "Clinton", 1: "Dole"},
    "PID": {0: "Strong Democrat", 1: "Weak Democrat", 2: "Independent Democrat", 3: "Independent",
            4: "Independent Republican", 5: "Weak Republican", 6: "Strong Republican"},
    "TVnews": {**{d: f"{d} days" for d in range(8)}, 99: "Refused"},
    "selfLR": {1: "Extremely liberal", 2: "Liberal", 3: "Slightly liberal", 4: "Moderate",
               5: "Slightly conservative", 6: "Conservative", 7: "Extremely conservative",
               8: "Don't know", 9: "Refused"},
    "educ": {1: "1-8 grades", 2: "Some high school", 3: "High school graduate", 4: "Some college",
             5: "College degree", 6: "Master's degree", 7: "PhD"},
}


def anes_frame() -> pd.DataFrame:
    """ANES 1996 (statsmodels) with a weight and user-missing answers added."""
    from statsmodels.datasets import anes96

    df = anes96.load_pandas().data.copy()
    df["TVnews"] = df["TVnews"].where(np.arange(len(df)) % 40 != 3, 99.0)
    df["selfLR"] = df["selfLR"].where(np.arange(len(df)) % 55 != 7, 8.0)
    df["wt"] = 0.6 + (df["income"] % 5) / 5 + (df["age"] % 3) / 10
    return df


def write_anes_sav(path: Path) -> Path:
    pyreadstat.write_sav(
        anes_frame(),
        str(path),
        file_label="ANES 1996 (statsmodels extract)",
        column_labels={"vote": "Vote in the 1996 presidential election", "PID": "Party identification",
                       "TVnews": "Days in the past week watching news on TV", "selfLR": "Left-right self-placement",
                       "educ": "Education", "age": "Age in years", "wt": "Weight"},
        variable_value_labels=ANES_LABELS,
        missing_ranges={"TVnews": [99], "selfLR": [{"lo": 8, "hi": 9}]},
    )
    return path


SVY_CODES = {
    "geo1": {"geo_01": 1, "geo_02": 2, "geo_03": 3, "geo_04": 4},
    "urbrur": {"Urban": 1, "Rural": 2},
    "sex": {"Male": 1, "Female": 2},
    "marstat": {"Single/never married": 1, "Married/in union": 2, "Widowed": 3, "Divorced/separated": 4},
    "educ_attain": {"NIU (not in universe) or no education": 1, "Less than primary": 2, "Primary": 3,
                    "Secondary": 4, "University": 5},
    "literacy": {"Yes": 1, "No": 2, "Not in universe": 9},
    "labor_force": {"Yes": 1, "No": 2, "Not in universe": 9},
    "act_status": {"Employed": 1, "Unemployed": 2, "Inactive": 3, "NIU (not in universe)": 9},
}
SVY_MISSING = {"literacy": [9], "labor_force": [9], "act_status": [9]}


def svy_frame() -> pd.DataFrame:
    """svy's bundled individual sample (World Bank synthetic 2023): strata, PSUs, weights."""
    with resources.as_file(resources.files("svy.datasets") / "_bundled" / "ind_sample_wb_2023.parquet") as p:
        raw = pd.read_parquet(p)
    out = pd.DataFrame({name: raw[name].map(codes).astype("float64") for name, codes in SVY_CODES.items()})
    out["stratum"] = (out["geo1"] * 10 + out["urbrur"]).astype("float64")
    out["ea"] = raw["ea"].astype("float64")
    out["hhweight"] = raw["hhweight"].astype("float64")
    out["age"] = raw["age"].astype("float64")
    return out


def write_svy_sav(path: Path) -> Path:
    pyreadstat.write_sav(
        svy_frame(),
        str(path),
        column_labels={"geo1": "Region", "urbrur": "Urban or rural", "sex": "Sex", "marstat": "Marital status",
                       "educ_attain": "Educational attainment", "literacy": "Can read and write",
                       "labor_force": "In the labour force", "act_status": "Activity status"},
        variable_value_labels={name: {v: k for k, v in codes.items()} for name, codes in SVY_CODES.items()},
        missing_ranges=SVY_MISSING,
    )
    return path


SYNTHETIC_CODEBOOK = {
    "dataset": {"id": "tiny", "title": {"en": "Tiny synthetic survey", "sq": "Anketë e vogël sintetike"},
                "citation": "Made up for tests.", "license": "CC0-1.0", "weight": "w", "country": "country",
                "wave": "year", "synthetic": True},
    "topics": [{"id": "trust", "label": {"en": "Trust"}}],
    "variables": [
        {"name": "trust", "label": {"en": "Do you trust the police?", "sq": "A i besoni policisë?"},
         "topic": "trust", "kind": "single",
         "values": [{"code": 1, "label": {"en": "Yes", "sq": "Po"}}, {"code": 2, "label": {"en": "No", "sq": "Jo"}},
                    {"code": 98, "label": {"en": "Don't know"}}],
         "missing": [98]},
        {"name": "media", "label": "Where do you get news?", "kind": "multi",
         "values": [{"code": 1, "label": "TV"}, {"code": 2, "label": "Online"}], "columns": ["media_tv", "media_web"]},
        {"name": "country", "label": "Country", "kind": "demographic",
         "values": [{"code": 1, "label": "Albania", "key": "AL"}, {"code": 2, "label": "Kosovo", "key": "XK"},
                    {"code": 3, "label": "Serbia", "key": "RS"}]},
        {"name": "year", "label": "Year", "kind": "demographic",
         "values": [{"code": 2023, "label": "2023"}, {"code": 2024, "label": "2024"}]},
    ],
}


def tiny_frame(n: int = 400, seed: int = 7) -> pd.DataFrame:
    """A small synthetic survey; Serbia in 2023 is kept tiny so its column is suppressed."""
    rng = np.random.default_rng(seed)
    country = rng.choice([1, 2, 3], n)
    year = rng.choice([2023, 2024], n)
    keep = ~((country == 3) & (year == 2023)) | (rng.random(n) < 0.1)
    df = pd.DataFrame({"country": country, "year": year})[keep].reset_index(drop=True)
    m = len(df)
    df["trust"] = rng.choice([1, 2, 98], m, p=[0.5, 0.4, 0.1])
    df["media_tv"] = rng.integers(0, 2, m)
    df["media_web"] = rng.integers(0, 2, m)
    df["w"] = rng.uniform(0.5, 2.0, m).round(3)
    return df


def write_scale_dataset(folder: Path) -> tuple[Path, pd.DataFrame]:
    """The tiny survey plus a 0-10 scale whose codebook names only 0 and 10, as surveys often
    do; returns its data folder and the frame ingested."""
    from barometer_dash.ingest import Options, ingest_file

    frame = tiny_frame()
    frame["safety"] = np.random.default_rng(11).integers(0, 11, len(frame))
    codebook = json.loads(json.dumps(SYNTHETIC_CODEBOOK))
    codebook["variables"].append({
        "name": "safety", "label": {"en": "How safe do you feel?"}, "kind": "numeric", "topic": "trust",
        "short": {"en": "Feeling safe"}, "notes": {"en": "Asked after the crime module."},
        "values": [{"code": 0, "label": "Not at all safe"}, {"code": 10, "label": "Completely safe"}]})
    frame.to_csv(folder / "scale.csv", index=False)
    (folder / "scale.json").write_text(json.dumps(codebook), encoding="utf-8")
    ingest_file(folder / "scale.csv", Options("tiny", codebook=folder / "scale.json"), folder / "data")
    return folder / "data", frame


@pytest.fixture(scope="session")
def survey_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Source files: anes.sav, svy.sav, tiny.csv with tiny.json (its codebook)."""
    folder = tmp_path_factory.mktemp("sources")
    tiny_frame().to_csv(folder / "tiny.csv", index=False)
    (folder / "tiny.json").write_text(json.dumps(SYNTHETIC_CODEBOOK), encoding="utf-8")
    return {
        "anes": write_anes_sav(folder / "anes.sav"),
        "svy": write_svy_sav(folder / "svy.sav"),
        "tiny": folder / "tiny.csv",
        "tiny_codebook": folder / "tiny.json",
    }


def ingest_all(files: dict[str, Path], data_dir: Path) -> Path:
    ingest_file(files["anes"], Options("anes", weight="wt", demographic=("PID", "educ")), data_dir)
    ingest_file(files["svy"], Options("svy", weight="hhweight", strata="stratum", psu="ea",
                                      demographic=("geo1", "urbrur", "sex")), data_dir)
    ingest_file(files["tiny"], Options("tiny", codebook=files["tiny_codebook"]), data_dir)
    return data_dir


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory, survey_files: dict[str, Path]) -> Path:
    """A data folder with the three test datasets ingested (shared: do not change it)."""
    return ingest_all(survey_files, tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def app(data_dir: Path):  # type: ignore[no-untyped-def]
    return create_app({"data_dir": data_dir, "cache": "null", "default_dataset": "tiny"})


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.server.test_client()
