"""Real-browser tests: Debian's Chromium driven by dash's `dash_duo` fixture."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from selenium.webdriver.chrome.options import Options

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
DEMO = ROOT / "data" / "demo"

# Chromium's own network chatter is refused on a closed network; these flags keep it quiet.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1280,900", "--lang=en-US",
]


def pytest_setup_options():
    options = Options()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if os.path.exists(chromium):
        options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    return options


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def demo_frame() -> pd.DataFrame:
    return pd.read_parquet(DEMO / "responses.parquet")


@pytest.fixture(scope="session")
def demo_codebook() -> dict:
    return json.loads((DEMO / "codebook.json").read_text(encoding="utf-8"))


def variable(codebook: dict, name: str) -> dict:
    return next(v for v in codebook["variables"] if v["name"] == name)


def independent_column_percent(frame: pd.DataFrame, codebook: dict, row: str, col: str,
                               filters: dict[str, list[int]]) -> pd.DataFrame:
    """Weighted column percentages computed straight from the files, with pandas only."""
    rv, cv = variable(codebook, row), variable(codebook, col)
    weight = codebook["dataset"]["weight"]
    keep = frame[row].isin([v["code"] for v in rv["values"] if v["code"] not in rv.get("missing", [])])
    keep &= frame[col].isin([v["code"] for v in cv["values"] if v["code"] not in cv.get("missing", [])])
    for name, codes in filters.items():
        keep &= frame[name].isin(codes)
    sub = frame.loc[keep, [row, col, weight]]
    sums = sub.groupby([row, col])[weight].sum().unstack(fill_value=0.0)
    return sums / sums.sum(axis=0) * 100


def read_table(driver) -> tuple[list[str], list[str], np.ndarray]:
    """Column headers, row labels and the percentages shown (NaN where a cell shows none)."""
    table = driver.find_element("css selector", "#crosstab-table")
    headers = [th.text for th in table.find_elements("css selector", "thead th")][1:]
    labels, values = [], []
    for tr in table.find_elements("css selector", "tbody tr"):
        labels.append(tr.find_element("css selector", "th").text)
        row = []
        for td in tr.find_elements("css selector", "td"):
            m = re.search(r"-?\d+(?:[.,]\d+)?", td.text.replace("\u202f", ""))
            row.append(float(m.group(0).replace(",", ".")) if m else np.nan)
        values.append(row)
    return headers, labels, np.array(values)
