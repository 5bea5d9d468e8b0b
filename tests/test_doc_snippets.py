"""The Python examples of the README, docs/api.md and docs/ingest.md run as printed.

A newcomer copies them: each block is executed in order, in a fresh interpreter started in
the repository (where the README's commands run; the ingest example in a folder holding an
SPSS file of the name it uses, the API example against a running app), and what the comments
and the text around them promise is checked.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]


def python_blocks(doc: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / doc).read_text(encoding="utf-8"), re.S)


def run(code: str, cwd: Path = ROOT) -> dict[str, Any]:
    """Run ``code`` in ``cwd``; it ends by printing one JSON line of findings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BAROMETER_")}
    out = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def test_readme_python_blocks_run_as_printed() -> None:
    blocks = python_blocks("README.md")
    assert len(blocks) == 3
    found = run("\n".join(blocks) + """
import json
print(json.dumps({
    "frame": list(bar.frame(xt).columns),
    "test": sorted(vars(xt.test)) if xt.test is not None else None,
    "cells": list(result.cells.columns),
    "nested": list(nested.cells.columns),
    "groups": len(nested.groups),
    "means": list(survey.mean("trust_general", "country", missing={"trust_general": [98, 99]}).means.columns),
}))
""")
    for column in ("n", "weighted", "percent", "se", "ci_low", "ci_high", "sig"):
        assert column in found["frame"]
    assert {"statistic", "df1", "df2", "p"} <= set(found["test"])
    assert list(found["cells"])[:10] == ["row", "col", "n", "weighted", "percent", "se", "ci_low", "ci_high",
                                          "deff", "sig"]
    assert found["nested"][:3] == ["outer", "row", "col"]
    assert found["groups"] == 3  # the demo's three countries
    for column in ("mean", "se", "ci_low", "ci_high", "n", "difference", "p", "sig"):
        assert column in found["means"]


@pytest.fixture
def server() -> Iterator[str]:
    from barometer_dash.app_factory import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    httpd = make_server("127.0.0.1", port, create_app({"cache": "null"}).server, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{port}"
    httpd.shutdown()


def test_api_doc_csv_example_reads_the_cells(server: str) -> None:
    (block,) = python_blocks("docs/api.md")
    assert "127.0.0.1:8050" in block
    found = run(block.replace("127.0.0.1:8050", server) + """
import json
print(json.dumps({"columns": list(cells.columns), "rows": len(cells), "about": about[:200]}))
""")
    doc = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    listed = re.search(r"one line per cell with `(.*?)`", doc.replace("\n", " "))
    assert listed is not None
    assert found["columns"] == [c.strip() for c in listed.group(1).split(",")]
    assert found["rows"] > 0
    assert "synthetic" in found["about"].lower()


def test_ingest_doc_example_ingests_an_spss_file(tmp_path: Path) -> None:
    import numpy as np
    import pandas as pd
    import pyreadstat

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"country": rng.integers(1, 4, 300).astype(float), "weight": rng.random(300) + 0.5,
                          "trust": rng.integers(1, 5, 300).astype(float)})
    pyreadstat.write_sav(frame, str(tmp_path / "wbsb2024.sav"),
                         variable_value_labels={"country": {1: "Albania", 2: "Kosovo", 3: "Serbia"},
                                                "trust": {1: "None", 2: "Little", 3: "Some", 4: "A lot"}},
                         column_labels={"trust": "Trust in the police", "country": "Country"})
    (tmp_path / "data").mkdir()
    (block,) = python_blocks("docs/ingest.md")
    found = run(block + """
import json
print(json.dumps({"rows": result.rows, "path": str(result.path)}))
""", cwd=tmp_path)
    assert found["rows"] == 300
    assert (tmp_path / "data" / "wbsb" / "codebook.json").is_file()
