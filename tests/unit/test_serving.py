"""The serving copy: written by ingest and `barometer prepare`, mapped in place, rebuilt when stale."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from barometer_dash.data import store as store_module
from barometer_dash.data.memo import MemoCache, private_bytes
from barometer_dash.data.serving import SERVING, STAMP
from barometer_dash.data.store import Store, read_dataset
from barometer_dash.domain.errors import CodebookError
from barometer_dash.domain.query import Query
from barometer_dash.service import Service

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the demo dataset, rows shuffled (not in PSU order), without a serving copy."""
    target = tmp_path / "data" / "demo"
    target.mkdir(parents=True)
    shutil.copy2(DEMO / "codebook.json", target / "codebook.json")
    table = pq.read_table(DEMO / "responses.parquet")
    shuffled = table.take(np.random.default_rng(5).permutation(table.num_rows))
    pq.write_table(shuffled, target / "responses.parquet")
    return target


def test_ingest_writes_a_stamped_serving_copy(data_dir: Path) -> None:
    stamp = json.loads((data_dir / "svy" / SERVING / STAMP).read_text())
    ds = read_dataset(data_dir / "svy")
    assert stamp["version"] == ds.version and stamp["checked"] is True
    assert ds.mapped


def test_columns_are_mapped_at_their_own_width(folder: Path) -> None:
    ds = read_dataset(folder)
    assert ds.mapped
    parquet = pq.read_table(folder / "responses.parquet")
    assert ds.rows is not None, "the demo is a clustered sample stored in PSU order"
    assert sorted(ds.rows.tolist()) == list(range(ds.n))
    parquet = parquet.take(ds.rows)
    for name in ("trust_police", "country", "threats_1"):
        if name not in parquet.column_names:
            continue
        values = ds.values(name)
        assert values.dtype == parquet.schema.field(name).type.to_pandas_dtype()
        assert private_bytes(values) == 0, "a column must be read in place, not copied"
        expected = parquet.column(name).to_numpy(zero_copy_only=False)
        valid = ds.valid(name)
        got = values.astype(float) if valid is None else np.where(valid, values, np.nan)
        np.testing.assert_array_equal(got, expected.astype(float))


def test_a_column_with_empty_cells_keeps_them_empty(folder: Path) -> None:
    ds = read_dataset(folder)
    parquet = pq.read_table(folder / "responses.parquet").take(ds.rows)
    with_nulls = [n for n in parquet.column_names if parquet.column(n).null_count]
    assert with_nulls, "the demo has questions not asked everywhere"
    name = with_nulls[0]
    expected = parquet.column(name).to_numpy(zero_copy_only=False).astype(float)
    np.testing.assert_array_equal(ds.codes(name), expected)
    assert ds.values(name).dtype.itemsize <= 2


def test_rows_are_stored_in_psu_order_with_the_design_to_match(folder: Path) -> None:
    ds = read_dataset(folder)
    assert ds.design is not None and ds.design.order is None
    assert bool(np.all(np.diff(ds.design.psu) >= 0))
    parquet = pq.read_table(folder / "responses.parquet")
    np.testing.assert_array_equal(ds.design.weight, parquet.column("weight").to_numpy()[ds.rows])


def test_a_stamped_copy_is_not_checked_again(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read_dataset(folder)  # writes the copy

    def refuse(*args: object, **kwargs: object) -> list[CodebookError]:
        raise AssertionError("check_table ran on a stamped serving copy")

    monkeypatch.setattr(store_module, "check_table", refuse)
    monkeypatch.setattr(store_module.pq, "read_table", refuse)
    assert read_dataset(folder).mapped


def test_a_stale_copy_is_rebuilt_and_logged(folder: Path, caplog: pytest.LogCaptureFixture) -> None:
    first = read_dataset(folder)
    cb = folder / "codebook.json"
    os.utime(cb, ns=(cb.stat().st_atime_ns, cb.stat().st_mtime_ns + 10**9))
    with caplog.at_level(logging.WARNING):
        second = read_dataset(folder)
    assert second.version != first.version and second.mapped
    assert json.loads((folder / SERVING / STAMP).read_text())["version"] == second.version
    assert any("another version" in r.getMessage() and "rebuilt" in r.getMessage() for r in caplog.records)


def test_a_missing_copy_is_rebuilt_and_logged(folder: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert read_dataset(folder).mapped
    assert any("no serving copy" in r.getMessage() for r in caplog.records)


def test_an_unwritable_folder_serves_from_memory(
    folder: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(store_module, "write_serving", fail)
    with caplog.at_level(logging.WARNING):
        ds = read_dataset(folder)
    assert not ds.mapped and not (folder / SERVING).exists()
    assert ds.map_in() == 0, "nothing mapped to bring in"
    assert any("barometer prepare --id demo" in r.getMessage() for r in caplog.records)
    xt = Service(Store(folder.parent, memo_bytes=10**7)).crosstab(Query("demo", "trust_police", "country"))
    assert xt.cells


def test_mapped_and_parquet_tables_agree(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    query = Query("demo", "trust_police", "country", filters=(("gender", (1,)),))
    mapped = Service(Store(folder.parent, memo_bytes=10**7)).crosstab(query)
    other = tmp_path / "other" / "demo"
    other.mkdir(parents=True)
    for name in ("codebook.json", "responses.parquet"):
        shutil.copy2(folder / name, other / name)
    monkeypatch.setattr(store_module, "write_serving", lambda *a, **k: (_ for _ in ()).throw(OSError("ro")))
    plain = Service(Store(other.parent, memo_bytes=10**7)).crosstab(query)
    # The same numbers; only the order of additions differs (rows in PSU order).
    for field in ("percent", "se", "ci_low", "ci_high", "weighted"):
        got = [getattr(c, field) for c in mapped.cells]
        assert got == pytest.approx([getattr(c, field) for c in plain.cells], rel=1e-12, abs=1e-12), field
    assert mapped.test is not None and plain.test is not None
    assert mapped.test.p == pytest.approx(plain.test.p, rel=1e-12, abs=1e-15)


def test_prepare_command(barometer, folder: Path) -> None:  # type: ignore[no-untyped-def]
    ran = barometer("prepare", "--data-dir", str(folder.parent))
    assert ran.code == 0, ran.err
    assert "serving copy written" in ran.out and (folder / SERVING / STAMP).is_file()
    ran = barometer("prepare", "--data-dir", str(folder.parent), "--id", "demo")
    assert ran.code == 0 and "up to date" in ran.out
    ran = barometer("prepare", "--data-dir", str(folder.parent), "--id", "nope")
    assert ran.code == 1 and "nope: no such dataset folder" in ran.err


def test_prepare_refuses_a_broken_dataset_by_name(barometer, folder: Path) -> None:  # type: ignore[no-untyped-def]
    (folder / "codebook.json").write_text("{", encoding="utf-8")
    ran = barometer("prepare", "--data-dir", str(folder.parent), "--id", "demo")
    assert ran.code == 1
    assert "codebook.json" in ran.err and "Traceback" not in ran.err
    assert not (folder / SERVING).exists()


def test_serving_copies_and_temporary_folders_stay_out_of_git() -> None:
    paths = ["data/demo/serving/responses.arrow", "data/demo/.serving.tmp-x/psu.npy", "data/.demo.tmp-1/x"]
    ran = subprocess.run(["git", "check-ignore", *paths], cwd=ROOT, capture_output=True, text=True)
    assert ran.stdout.split() == paths
    tracked = subprocess.run(["git", "ls-files", "data"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "serving" not in tracked


def test_memo_cache_keeps_to_its_budget_least_recently_used_first() -> None:
    cache = MemoCache(budget=3 * 800)
    for key in "abc":
        cache.get(key, lambda: np.zeros(100))
    cache.get("a", lambda: np.ones(100))  # a hit: "a" becomes the most recent
    cache.get("d", lambda: np.zeros(100))  # over budget: "b" goes
    assert cache.used == 3 * 800 and len(cache) == 3
    rebuilt = []
    cache.get("b", lambda: rebuilt.append(1) or np.zeros(100))
    cache.get("a", lambda: rebuilt.append(2) or np.zeros(100))
    assert rebuilt == [1]


def test_memo_cache_charges_mapped_arrays_nothing(tmp_path: Path) -> None:
    np.save(tmp_path / "x.npy", np.arange(1000))
    mapped = np.asarray(np.load(tmp_path / "x.npy", mmap_mode="r"))
    assert private_bytes(mapped) == 0
    assert private_bytes(np.arange(1000)) == 8000
    assert private_bytes([np.arange(10), (np.zeros(5),)]) == 120
    cache = MemoCache(budget=100)
    big = cache.get("big", lambda: np.zeros(1000))
    assert big.shape == (1000,) and len(cache) == 0, "an entry over the whole budget is not kept"


def test_store_memory_stays_within_the_budget(folder: Path) -> None:
    budget = 200_000
    service = Service(Store(folder.parent, memo_bytes=budget))
    cb = service.store.get("demo").codebook
    questions = [v.name for v in cb.questions if v.kind == "single"][:15]
    for q in questions:
        for by in ("country", "age_group", "gender"):
            service.crosstab(Query("demo", q, by, filters=(("year", (2023,)),)))
    assert 0 < service.store.memo.used <= budget


def test_a_replaced_dataset_drops_what_was_derived_from_the_old_files(folder: Path) -> None:
    store = Store(folder.parent, memo_bytes=64 * 2**20)
    ds = store.get(folder.name)
    ds.memo("probe", lambda: np.zeros(1000))
    old_keys = [k for k in store.memo._entries if k[:2] == (ds.id, ds.version)]
    assert old_keys
    codebook = folder / "codebook.json"
    codebook.write_text(codebook.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a new version
    again = store.get(folder.name)
    assert again.version != ds.version
    assert not [k for k in store.memo._entries if k[:2] == (ds.id, ds.version)]


def _arrays(value: object) -> list[np.ndarray]:
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, list | tuple):
        return [a for v in value for a in _arrays(v)]
    return []


def test_the_memo_charges_every_array_it_holds_that_is_not_the_files(folder: Path) -> None:
    store = Store(folder.parent, memo_bytes=64 * 2**20)
    service = Service(store)
    ds = store.get("demo")
    with_nulls = [v.name for v in ds.codebook.questions if v.kind == "single" and ds.table.column(v.name).null_count]
    assert with_nulls, "the demo has questions not asked everywhere"
    for q in with_nulls[:4]:
        service.crosstab(Query("demo", q, "country", filters=(("gender", (1,)),)))
    mapped = [(b.address, b.address + b.size) for c in ds.table.columns for ch in c.chunks
              for b in ch.buffers() if b is not None]

    def in_the_file(a: np.ndarray) -> bool:
        return any(lo <= a.ctypes.data < hi for lo, hi in mapped)

    charged = {key: size for key, (_, size) in store.memo._entries.items()}
    held = {key: sum(a.nbytes for a in _arrays(value) if not in_the_file(a))
            for key, (value, _) in store.memo._entries.items()}
    assert any(k[2][0] == "valid" for k in held), "columns with empty cells have an answered mask"
    assert charged == held


def _mapped_kb(path: Path) -> int:
    """Kilobytes of `path` mapped into this process (Rss of its mappings)."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and len(head) >= 5:  # a mapping's first line
            inside = line.endswith(str(path))
        elif inside and line.startswith("Rss:"):
            total += int(head[1])
    return total


def test_map_in_brings_every_column_a_table_reads_into_the_process(folder: Path) -> None:
    ds = read_dataset(folder)
    arrow = folder / SERVING / "responses.arrow"
    columns = {c for v in ds.codebook.variables for c in (v.columns or (v.name,))}
    column_kb = sum(b.size for c in columns for ch in ds.table.column(c).chunks
                    for b in ch.buffers() if b is not None) // 1024
    before = _mapped_kb(arrow)
    assert before < column_kb / 2, "opening reads the schema, not the columns"
    assert ds.map_in() >= column_kb * 1024
    assert _mapped_kb(arrow) >= column_kb
    weight = folder / SERVING / "weight.npy"
    assert _mapped_kb(weight) * 1024 >= ds.n * 8 - 4096

