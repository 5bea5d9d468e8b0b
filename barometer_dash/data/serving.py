"""The serving copy of a dataset: what workers memory-map instead of decoding Parquet.

`responses.parquet` stays the published file. Beside it, `serving/` holds the same table as
uncompressed Arrow IPC in one record batch (columns at their own width: int8 stays int8), the
design arrays the variance needs (PSU of each respondent, strata) as `.npy` files, and
`stamp.json`, written last, which records that the table passed `check_table` for this
dataset version. Rows are stored in PSU order (`rows.npy` holds each row's number in
`responses.parquet`), so a table's scan and its variance read memory front to back instead of
gathering respondents PSU by PSU; estimates do not depend on the order of respondents. A worker opening a stamped copy maps the files read-only: no
decoding, no validation, and the pages are shared by every process that maps them.
"""

from __future__ import annotations

import json
import mmap
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

from ..stats.design import Design, prepare_design

SERVING = "serving"
TABLE = "responses.arrow"
STAMP = "stamp.json"
FORMAT = 2
_DESIGN_ARRAYS = ("weight", "psu", "psu_stratum", "stratum_start", "stratum_size", "psu_scale")
ROWS = "rows.npy"


@dataclass(frozen=True)
class Serving:
    """An opened serving copy: the mapped table and the design read from it."""

    table: pa.Table
    design: Design
    rows: np.ndarray | None
    """Row number in responses.parquet of each row (None: the same order)."""


def _numeric(table: pa.Table, name: str | None) -> np.ndarray | None:
    if not name:
        return None
    return table.column(name).to_numpy().astype(np.float64)


def build_design(table: pa.Table, weight: str | None, strata: str | None, psu: str | None) -> Design:
    """The design of a checked table (compact index types: the arrays are mapped, not copied)."""
    design = prepare_design(
        table.num_rows,
        weight=_numeric(table, weight),
        strata=_numeric(table, strata),
        psu=_numeric(table, psu),
    )
    return design


def _index_dtype(n: int) -> type[np.signedinteger]:
    return np.int32 if n < 2**31 - 1 else np.int64


def write_serving(folder: Path, table: pa.Table, design: Design, version: str) -> Path:
    """Write `folder/serving/` for a table already checked against its codebook.

    Built in a hidden folder beside it and renamed in, so a reader never sees half a copy; a
    concurrent writer that wins the rename is kept (both wrote the same bytes).
    """
    final = folder / SERVING
    tmp = Path(tempfile.mkdtemp(prefix=".serving.tmp-", dir=folder))
    tmp.chmod(0o755)
    try:
        if design.order is not None:
            # Respondents in PSU order: the design's own PSU numbering is kept as it is.
            table = table.take(pa.array(design.order))
            np.save(tmp / ROWS, design.order.astype(_index_dtype(design.n)))
            design = replace(design, weight=design.weight[design.order], psu=design.psu[design.order], order=None)
        batch = table.combine_chunks().to_batches(max_chunksize=max(table.num_rows, 1))
        with pa.OSFile(str(tmp / TABLE), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
            for b in batch:
                writer.write_batch(b)
        small = _index_dtype(design.n)
        for name in _DESIGN_ARRAYS:
            arr = getattr(design, name)
            if arr is None:
                continue
            if arr.dtype.kind == "i":
                arr = arr.astype(small)
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(arr))
        stamp = {
            "format": FORMAT,
            "version": version,
            "rows": table.num_rows,
            "checked": True,
            "n_psu": design.n_psu,
            "n_strata": design.n_strata,
            "max_psu_size": design.max_psu_size,
        }
        (tmp / STAMP).write_text(json.dumps(stamp) + "\n", encoding="utf-8")
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=".serving.old-", dir=folder))
            os.rename(final, old / SERVING)  # processes that mapped the old files keep them
            shutil.rmtree(old, ignore_errors=True)
        try:
            os.rename(tmp, final)
        except OSError:
            if not (final / STAMP).is_file():
                raise
        return final
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def read_stamp(folder: Path) -> dict[str, object] | None:
    try:
        stamp = json.loads((folder / SERVING / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def stale_reason(folder: Path, version: str) -> str | None:
    """Why the serving copy cannot be used for `version` (None when it can)."""
    stamp = read_stamp(folder)
    if stamp is None:
        return "no serving copy"
    if stamp.get("format") != FORMAT:
        return f"serving copy format {stamp.get('format')}, expected {FORMAT}"
    if stamp.get("version") != version:
        return "serving copy is from another version of responses.parquet or codebook.json"
    return None


def _load(path: Path) -> np.ndarray:
    return np.asarray(np.load(path, mmap_mode="r"))


def touch_pages(data: pa.Buffer | np.ndarray) -> int:
    """Read one byte of every memory page of `data`, so that a mapped file's pages are mapped
    into this process now; returns its size in bytes."""
    view = np.frombuffer(data, dtype=np.uint8) if isinstance(data, pa.Buffer) else data.reshape(-1).view(np.uint8)
    if view.size:
        view[::mmap.PAGESIZE].max()
        view[-1:].max()
    return int(view.size)


def open_serving(folder: Path, version: str) -> Serving | None:
    """Map a stamped serving copy for `version`, or None when it is missing or stale."""
    if stale_reason(folder, version) is not None:
        return None
    stamp = read_stamp(folder)
    assert stamp is not None
    base = folder / SERVING
    try:
        table = ipc.open_file(pa.memory_map(str(base / TABLE), "r")).read_all()
        arrays = {n: _load(base / f"{n}.npy") for n in _DESIGN_ARRAYS if (base / f"{n}.npy").is_file()}
        design = Design(
            weight=arrays["weight"],
            psu=arrays["psu"],
            psu_stratum=arrays["psu_stratum"],
            n_psu=int(stamp["n_psu"]),  # type: ignore[call-overload]
            n_strata=int(stamp["n_strata"]),  # type: ignore[call-overload]
            stratum_start=arrays["stratum_start"],
            stratum_size=arrays["stratum_size"],
            psu_scale=arrays["psu_scale"],
            order=None,
            max_psu_size=int(stamp["max_psu_size"]),  # type: ignore[call-overload]
        )
    except (OSError, KeyError, ValueError, pa.ArrowInvalid):
        return None
    if table.num_rows != stamp.get("rows") or design.n != table.num_rows:
        return None
    rows = _load(base / ROWS) if (base / ROWS).is_file() else None
    return Serving(table=table, design=design, rows=rows)
