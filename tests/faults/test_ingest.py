"""Ingests killed midway and ingests racing for one id: the served dataset is always a whole
one, nothing is lost, leftovers are reported by `validate` and cleaned by the next ingest."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from barometer_dash.data.store import read_dataset
from barometer_dash.data.write import dataset_lock, write_dataset
from barometer_dash.domain.errors import CodebookError
from barometer_dash.ingest import Options, ingest_file

from ..conftest import tiny_frame
from .conftest import ROOT

CHILD = Path(__file__).with_name("ingest_child.py")


def _child(mode: str, data_file: Path, codebook: Path, data_dir: Path, dataset_id: str,
           *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(CHILD), mode, str(data_file), str(codebook), str(data_dir),
                             dataset_id, *extra], cwd=ROOT, stderr=subprocess.PIPE)


def _hidden(data_dir: Path) -> list[str]:
    return sorted(p.name for p in data_dir.iterdir() if p.name.startswith("."))


def test_killed_ingests_lose_nothing_and_leave_nothing(survey_files, tmp_path, barometer, record):
    data = tmp_path / "data"
    codebook = survey_files["tiny_codebook"]
    ingest_file(survey_files["tiny"], Options("t", codebook=codebook), data)
    n = read_dataset(data / "t").n
    small = tmp_path / "small.csv"
    tiny_frame().head(50).to_csv(small, index=False)

    killed = _child("kill-after-data", small, codebook, data, "t")
    assert killed.wait(timeout=120) == -9
    assert read_dataset(data / "t").n == n  # still the whole previous dataset
    assert len([h for h in _hidden(data) if h.startswith(".t.tmp-")]) == 1
    report = barometer("validate", str(data))
    assert report.code == 1 and ".t.tmp-" in report.out and "interrupted ingest" in report.out

    killed = _child("kill-between-renames", small, codebook, data, "t")
    assert killed.wait(timeout=120) == -9
    assert not (data / "t").exists()  # killed between the two renames: the old one is aside
    report = barometer("validate", str(data))
    assert "puts back the dataset it holds" in report.out
    leftover_mb = sum(f.stat().st_size for h in _hidden(data) for f in (data / h).rglob("*") if f.is_file()) / 1e6
    record["killed_ingest_leftovers_mb"] = round(leftover_mb, 3)

    ingest_file(survey_files["tiny"], Options("other", codebook=codebook), data)  # any next ingest cleans
    assert read_dataset(data / "t").n == n  # put back, not lost
    assert _hidden(data) == []
    assert barometer("validate", str(data)).code == 0


def test_concurrent_ingests_of_one_id_take_turns(survey_files, tmp_path, record):
    data = tmp_path / "data"
    codebook = survey_files["tiny_codebook"]
    times = tmp_path / "times.txt"
    sizes = [60, 70, 80]
    files = []
    for size in sizes:
        f = tmp_path / f"part{size}.csv"
        tiny_frame().head(size).to_csv(f, index=False)
        files.append(f)
    started = time.perf_counter()
    children = [_child("timed", f, codebook, data, "t", str(times)) for f in files]
    codes = [c.wait(timeout=180) for c in children]
    record["three_concurrent_ingests_s"] = round(time.perf_counter() - started, 2)
    assert codes == [0, 0, 0], [c.stderr.read() if c.stderr else b"" for c in children]
    spans = sorted(tuple(map(float, line.split())) for line in times.read_text().splitlines())
    assert len(spans) == 3
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False))  # no overlap
    assert read_dataset(data / "t").n in sizes
    assert _hidden(data) == []


def test_lock_timeout_says_so(survey_files, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    ingest_file(survey_files["tiny"], Options("t", codebook=survey_files["tiny_codebook"]), data)
    ds = read_dataset(data / "t")
    with dataset_lock(data, "t"), pytest.raises(CodebookError, match="another ingest of 't' is still running"):
        write_dataset(ds.table, ds.codebook, data, lock_timeout=0.3)
    assert read_dataset(data / "t").n == ds.n


def test_validate_leaves_out_a_running_ingest(tmp_path, barometer):
    data = tmp_path / "data"
    (data / ".t.tmp-abc").mkdir(parents=True)
    (data / ".t.tmp-abc" / "responses.parquet").write_bytes(b"x" * 1000)
    with dataset_lock(data, "t"):
        assert ".t.tmp-abc" not in barometer("validate", str(data)).out  # being written now
    report = barometer("validate", str(data))
    assert ".t.tmp-abc" in report.out and "removes it" in report.out
