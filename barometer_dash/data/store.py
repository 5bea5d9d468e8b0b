"""The dataset store: each dataset folder opened once per process, read in place.

A dataset is served from its serving copy (`serving/`, see `serving.py`): an uncompressed
Arrow file and design arrays, memory-mapped, so columns keep their own width and every worker
shares the same pages. When the copy is missing or stale it is rebuilt from
`responses.parquet` (checked against the codebook first) and the rebuild is logged.
Everything derived from the columns goes through one byte-bounded cache (`memo.py`).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..domain.codebook import Codebook, parse_codebook
from ..domain.errors import CodebookError, DatasetNotFound
from ..stats.design import Design
from .checks import check_table
from .health import public_error
from .memo import MemoCache
from .serving import Serving, build_design, open_serving, stale_reason, touch_pages, write_serving
from .write import CODEBOOK, RESPONSES, dataset_version

T = TypeVar("T")
log = logging.getLogger(__name__)
DEFAULT_MEMO_BYTES = 64 * 2**20


@dataclass(eq=False)
class Dataset:
    """An opened dataset: its codebook, its (mapped) table and its design."""

    codebook: Codebook
    table: pa.Table
    path: Path
    version: str
    design: Design | None = None
    cache: MemoCache = field(default_factory=lambda: MemoCache(DEFAULT_MEMO_BYTES), repr=False)
    mapped: bool = False
    """True when served from the memory-mapped serving copy."""
    rows: np.ndarray | None = None
    """Row number in responses.parquet of each row here (None: the same order). Every array
    of the dataset, design included, is in this one order; only row-level output needs it."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def id(self) -> str:
        return self.codebook.dataset.id

    @property
    def n(self) -> int:
        return self.table.num_rows

    def memo(self, key: object, build: Callable[[], T]) -> T:
        """Something derived from the data, kept while the cache's byte budget allows."""
        return self.cache.get((self.id, self.version, key), build)

    def values(self, column: str) -> np.ndarray:
        """A column at its own width (int8 stays int8), read-only; see `valid` for empty cells.

        Zero-copy from the mapped file; the values under empty cells are meaningless.
        """
        def build() -> np.ndarray:
            arr = self._array(column)
            if pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type):
                dtype = arr.type.to_pandas_dtype()
                data = np.frombuffer(arr.buffers()[1], dtype=dtype, count=arr.offset + len(arr))
                out = data[arr.offset:]
            else:
                filled = pc.fill_null(arr, 0) if arr.null_count else arr
                out = _in_numpy(filled.to_numpy(zero_copy_only=False))
            if out.flags.writeable:
                out.flags.writeable = False
            return out

        return self.memo(("values", column), build)

    def valid(self, column: str) -> np.ndarray | None:
        """Where the column has an answer (None when it has one everywhere)."""
        chunked = self.table.column(column)
        if chunked.null_count == 0:
            return None

        def build() -> np.ndarray:
            # Unpacked by numpy from the validity bitmap: memory the memo charges, and no
            # temporary in Arrow's pool, which keeps what it frees.
            arr = self._array(column)
            bits = np.frombuffer(arr.buffers()[0], dtype=np.uint8)
            out = np.unpackbits(bits, count=arr.offset + len(arr), bitorder="little")[arr.offset:].view(bool)
            out.flags.writeable = False
            return out

        return self.memo(("valid", column), build)

    def codes(self, column: str) -> np.ndarray:
        """A column as float64 codes, NaN where empty (8 bytes a respondent: prefer `values`)."""
        def build() -> np.ndarray:
            arr = self.values(column).astype(np.float64)
            ok = self.valid(column)
            if ok is not None:
                arr[~ok] = np.nan
            arr.flags.writeable = False
            return arr

        return self.memo(("codes", column), build)

    def _array(self, column: str) -> pa.Array:
        chunked = self.table.column(column)
        return chunked.combine_chunks() if chunked.num_chunks != 1 else chunked.chunk(0)

    def map_in(self) -> int:
        """Bring every page a table can read into this process now: the columns of the
        codebook's variables and the design arrays. Returns their bytes (0 when not mapped).

        Otherwise a worker maps pages table by table and its memory grows with each question
        asked for the first time, up to the same total. The pages belong to the file, shared
        with every process that maps it.
        """
        if not self.mapped:
            return 0
        names = {c for v in self.codebook.variables for c in (v.columns or (v.name,))}
        done = 0
        for name in sorted(names & set(self.table.column_names)):
            for buffer in self._array(name).buffers():
                done += touch_pages(buffer) if buffer is not None else 0
        if self.design is not None:
            for f in fields(self.design):
                value = getattr(self.design, f.name)
                done += touch_pages(value) if isinstance(value, np.ndarray) else 0
        return done


def _in_numpy(out: np.ndarray) -> np.ndarray:
    """`out` copied into numpy's own memory when Arrow allocated it: the memo charges the arrays
    numpy owns, and cannot tell Arrow's allocations from views of the mapped file."""
    return out if out.flags.owndata else np.array(out)


def _codebook(path: Path) -> Codebook:
    cb_file = path / CODEBOOK
    for f in (cb_file, path / RESPONSES):
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
    return codebook


def _checked_parquet(path: Path, codebook: Codebook) -> pa.Table:
    data_file = path / RESPONSES
    try:
        table = pq.read_table(data_file)
    except (pa.ArrowInvalid, OSError) as exc:
        raise CodebookError(f"not a readable Parquet file ({exc})", file=str(data_file)) from None
    problems = check_table(table, codebook, file=str(data_file))
    if problems:
        raise problems[0]
    return table


def _design_of(table: pa.Table, codebook: Codebook) -> Design:
    info = codebook.dataset
    return build_design(table, info.weight, info.strata, info.psu)


def prepare_folder(path: Path) -> str:
    """(Re)write the serving copy of one dataset folder; says what was done.

    Raises `CodebookError` when the folder does not hold a valid dataset.
    """
    codebook = _codebook(path)
    version = dataset_version(path)
    if stale_reason(path, version) is None and open_serving(path, version) is not None:
        return "serving copy up to date"
    table = _checked_parquet(path, codebook)
    try:
        write_serving(path, table, _design_of(table, codebook), version)
    except OSError as exc:
        raise CodebookError(f"cannot write the serving copy ({exc.strerror or exc})", file=str(path)) from None
    return "serving copy written"


def read_dataset(path: Path, cache: MemoCache | None = None) -> Dataset:
    """Open one dataset folder; a bad one raises `CodebookError`.

    A stamped serving copy is mapped as it is (ingest or `barometer prepare` checked it);
    otherwise `responses.parquet` is checked and the copy rebuilt beside it, or, when the
    folder is read-only, the table is served from memory.
    """
    codebook = _codebook(path)
    version = dataset_version(path)
    memo = cache if cache is not None else MemoCache(DEFAULT_MEMO_BYTES)
    serving = open_serving(path, version)
    if serving is not None:
        return _mapped(codebook, serving, path, version, memo)
    reason = stale_reason(path, version) or "serving copy unreadable"
    table = _checked_parquet(path, codebook)
    design = _design_of(table, codebook)
    try:
        write_serving(path, table, design, version)
    except OSError as exc:
        log.warning("dataset %s: %s; cannot write one (%s), serving %s from memory: "
                    "run `barometer prepare --id %s` where the folder is writable",
                    path.name, reason, exc.strerror or exc, RESPONSES, path.name)
        return Dataset(codebook, table.combine_chunks(), path, version, design, memo)
    log.warning("dataset %s: %s; rebuilt it from %s", path.name, reason, RESPONSES)
    serving = open_serving(path, version)
    if serving is None:
        return Dataset(codebook, table.combine_chunks(), path, version, design, memo)
    return _mapped(codebook, serving, path, version, memo)


def _mapped(codebook: Codebook, serving: Serving, path: Path, version: str, memo: MemoCache) -> Dataset:
    return Dataset(codebook, serving.table, path, version, serving.design, memo, mapped=True, rows=serving.rows)


def _unchanged(ds: Dataset) -> bool:
    try:
        return dataset_version(ds.path) == ds.version
    except OSError:
        return False


class Store:
    """All datasets under one folder, opened on first use and kept for the process.

    `memo_bytes` bounds what all datasets together keep derived from their columns (index
    arrays, filter masks); None reads the BAROMETER_MEMO_BYTES setting.
    """

    def __init__(self, data_dir: Path, memo_bytes: int | None = None):
        self.data_dir = Path(data_dir)
        if memo_bytes is None:
            from ..settings import load_config

            memo_bytes = load_config().memo_bytes
        self.memo = MemoCache(memo_bytes)
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
            if ds is not None:  # what was derived from the old files is of no use any more
                old = (ds.id, ds.version)
                self.memo.drop(lambda key: isinstance(key, tuple) and key[:2] == old)
            self._loaded.pop(dataset_id, None)
            if dataset_id not in self.ids():
                raise DatasetNotFound(dataset_id)
            try:
                ds = read_dataset(self.data_dir / dataset_id, self.memo)
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
