"""The dataset store: each dataset folder read once per process, memory-mapped.

Columns are decoded lazily into numpy arrays and kept, so a table only pays for its own scan.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..domain.codebook import Codebook, parse_codebook
from ..domain.errors import CodebookError, DatasetNotFound
from .checks import check_table
from .health import public_error
from .write import CODEBOOK, RESPONSES

T = TypeVar("T")


@dataclass
class Dataset:
    """A loaded dataset: its codebook and its columns."""

    codebook: Codebook
    table: pa.Table
    path: Path
    version: str
    _columns: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _memo: dict[object, object] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def id(self) -> str:
        return self.codebook.dataset.id

    @property
    def n(self) -> int:
        return self.table.num_rows

    def memo(self, key: object, build: Callable[[], T]) -> T:
        """Something derived from the data once per process (a design, an index array)."""
        with self._lock:
            if key in self._memo:
                return cast(T, self._memo[key])
        value = build()
        with self._lock:
            return cast(T, self._memo.setdefault(key, value))

    def codes(self, column: str) -> np.ndarray:
        """A column as float64 codes, NaN where empty (not asked, not in the base)."""
        with self._lock:
            arr = self._columns.get(column)
            if arr is None:
                chunked = self.table.column(column)
                arr = chunked.to_numpy(zero_copy_only=False).astype(np.float64)
                if chunked.null_count:
                    arr = np.where(pa.compute.is_null(chunked).to_numpy(zero_copy_only=False), np.nan, arr)
                arr.flags.writeable = False
                self._columns[column] = arr
            return arr


def _version(path: Path) -> str:
    h = hashlib.sha256()
    for name in (CODEBOOK, RESPONSES):
        st = (path / name).stat()
        h.update(f"{name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:12]


def _unchanged(ds: Dataset) -> bool:
    try:
        return _version(ds.path) == ds.version
    except OSError:
        return False


def read_dataset(path: Path) -> Dataset:
    """Read and validate one dataset folder; a bad one raises `CodebookError`."""
    cb_file = path / CODEBOOK
    data_file = path / RESPONSES
    for f in (cb_file, data_file):
        if not f.is_file():
            raise CodebookError("file is missing", file=str(f))
    try:
        raw = json.loads(cb_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CodebookError(f"not valid JSON ({exc})", file=str(cb_file)) from None
    except RecursionError:
        raise CodebookError("JSON nested too deeply", file=str(cb_file)) from None
    codebook = parse_codebook(raw, file=str(cb_file))
    if codebook.dataset.id != path.name:
        raise CodebookError(
            f"dataset.id is '{codebook.dataset.id}' but the folder is '{path.name}'", file=str(cb_file)
        )
    try:
        table = pq.read_table(data_file, memory_map=True)
    except (pa.ArrowInvalid, OSError) as exc:
        raise CodebookError(f"not a readable Parquet file ({exc})", file=str(data_file)) from None
    problems = check_table(table, codebook, file=str(data_file))
    if problems:
        raise problems[0]
    return Dataset(codebook=codebook, table=table, path=path, version=_version(path))


class Store:
    """All datasets under one folder, loaded on first use and kept for the process."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self._loaded: dict[str, Dataset] = {}
        self._lock = threading.Lock()

    def ids(self) -> list[str]:
        if not self.data_dir.is_dir():
            return []
        return sorted(
            p.name
            for p in self.data_dir.iterdir()
            if p.is_dir() and not p.name.startswith(".") and (p / CODEBOOK).is_file()
        )

    def get(self, dataset_id: str) -> Dataset:
        with self._lock:
            ds = self._loaded.get(dataset_id)
            # Files changed on disk (a new ingest, a broken copy): every worker reopens them, so
            # all give the same answer instead of some serving what they loaded before.
            if ds is not None and _unchanged(ds):
                return ds
            self._loaded.pop(dataset_id, None)
            if dataset_id not in self.ids():
                raise DatasetNotFound(dataset_id)
            try:
                ds = read_dataset(self.data_dir / dataset_id)
            except CodebookError as exc:
                raise public_error(exc, self.data_dir) from None  # no server paths in pages
            self._loaded[dataset_id] = ds
            return ds

    def available(self) -> list[Dataset]:
        """Every dataset that loads; broken ones are left out (`barometer validate` names them)."""
        out = []
        for i in self.ids():
            try:
                out.append(self.get(i))
            except CodebookError:
                continue
        return out
