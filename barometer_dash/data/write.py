"""Writing a dataset folder atomically: complete and valid, or not at all.

Writers of one dataset id take turns (an `fcntl` lock on `.<id>.lock` in the data folder),
and each write first removes what killed writes left behind (`.<id>.tmp-*`, `.<id>.old-*`),
putting back a previous dataset that a kill left only in its `.old-` folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..domain.codebook import Codebook, codebook_to_json, parse_codebook
from ..domain.errors import CodebookError
from .checks import check_table
from .serving import build_design, write_serving

RESPONSES = "responses.parquet"
CODEBOOK = "codebook.json"
LOCK_TIMEOUT = 600.0
"""Seconds a write waits for another write of the same dataset id before giving up."""
LEFTOVER = re.compile(r"^\.(?P<id>[A-Za-z0-9][A-Za-z0-9_-]{0,63})\.(?P<kind>tmp|old)-")


@contextlib.contextmanager
def dataset_lock(data_dir: Path, dataset_id: str, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the write lock of one dataset id; `CodebookError` if another write keeps it past `timeout`.

    The lock file is removed on release, so a waiter that locked the removed file tries again.
    """
    lock_file = data_dir / f".{dataset_id}.lock"
    deadline = time.monotonic() + timeout
    while True:
        handle = open(lock_file, "a+b")  # noqa: SIM115 - closed below or after the yield
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            if time.monotonic() >= deadline:
                raise CodebookError(
                    f"another ingest of '{dataset_id}' is still running after {timeout:.0f} s; "
                    "try again when it has finished", file=str(data_dir / dataset_id)) from None
            time.sleep(0.05)
            continue
        try:
            current = os.stat(lock_file).st_ino == os.fstat(handle.fileno()).st_ino
        except FileNotFoundError:
            current = False
        if current:
            break
        handle.close()
    try:
        yield
    finally:
        lock_file.unlink(missing_ok=True)
        handle.close()


def writing(data_dir: Path, dataset_id: str) -> bool:
    """True when a write of `dataset_id` runs now (its lock is held)."""
    try:
        with dataset_lock(data_dir, dataset_id, timeout=0):
            return False
    except CodebookError:
        return True
    except OSError:
        return False  # a read-only folder: nothing can be writing there


def leftovers(data_dir: Path | str) -> list[Path]:
    """Temporary folders of interrupted writes (also those of a write running now)."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return []
    return sorted(p for p in data_dir.iterdir() if p.is_dir() and LEFTOVER.match(p.name))


def clean_leftovers(data_dir: Path, holding: str | None = None) -> list[Path]:
    """Remove what killed writes left, except a running write's; `holding`: the id whose lock we hold.

    A kill between the two renames of a replacement leaves the previous dataset only in its
    `.old-` folder: it is put back rather than removed.
    """
    removed = []
    for folder in leftovers(data_dir):
        m = LEFTOVER.match(folder.name)
        assert m is not None
        dataset_id = m["id"]
        if dataset_id != holding and writing(data_dir, dataset_id):
            continue  # another process is writing this dataset now
        final = data_dir / dataset_id
        kept = folder / "dataset"
        if m["kind"] == "old" and kept.is_dir() and not final.exists():
            os.rename(kept, final)
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def dataset_version(path: Path) -> str:
    """A short key that changes whenever either file of the folder is replaced or edited."""
    h = hashlib.sha256()
    for name in (CODEBOOK, RESPONSES):
        st = (path / name).stat()
        h.update(f"{name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:12]


def write_dataset(table: pa.Table, codebook: Codebook, data_dir: Path | str, *,
                  lock_timeout: float = LOCK_TIMEOUT) -> Path:
    """Write `data_dir/<id>/` from a table and its codebook.

    The folder is built beside its final place and renamed in; an existing dataset with the
    same id is replaced only once the new one is complete and has been read back and checked.
    Raises `CodebookError` (with nothing changed) when the table does not fit the codebook, or
    when another write of the same id holds the lock for longer than `lock_timeout` seconds.
    """
    problems = check_table(table, codebook)
    if problems:
        raise problems[0]
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    with dataset_lock(data_dir, codebook.dataset.id, lock_timeout):
        clean_leftovers(data_dir, holding=codebook.dataset.id)
        return _write(table, codebook, data_dir)


def _write(table: pa.Table, codebook: Codebook, data_dir: Path) -> Path:
    final = data_dir / codebook.dataset.id
    tmp = Path(tempfile.mkdtemp(prefix=f".{codebook.dataset.id}.tmp-", dir=data_dir))
    tmp.chmod(0o755)  # mkdtemp makes it private; a published dataset is readable by the server's user
    try:
        pq.write_table(table, tmp / RESPONSES, compression="zstd")
        text = json.dumps(codebook_to_json(codebook), ensure_ascii=False, indent=1)
        (tmp / CODEBOOK).write_text(text + "\n", encoding="utf-8")
        # Read back what was written, so a half-written file can never be published.
        reread = parse_codebook(json.loads((tmp / CODEBOOK).read_text(encoding="utf-8")), file=str(final / CODEBOOK))
        written = pq.read_table(tmp / RESPONSES)
        problems = check_table(written, reread, file=str(final / RESPONSES))
        if problems:
            raise problems[0]
        # The serving copy workers map, stamped as checked for this version of the files.
        info = reread.dataset
        design = build_design(written, info.weight, info.strata, info.psu)
        write_serving(tmp, written, design, dataset_version(tmp))
        old = None
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{codebook.dataset.id}.old-", dir=data_dir))
            os.rename(final, old / "dataset")
        try:
            os.rename(tmp, final)
        except OSError:
            if old is not None:
                os.rename(old / "dataset", final)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return final
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


__all__ = ["write_dataset", "dataset_version", "leftovers", "clean_leftovers", "dataset_lock", "writing",
           "RESPONSES", "CODEBOOK", "CodebookError"]
