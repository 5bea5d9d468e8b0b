"""Writing a dataset folder atomically: complete and valid, or not at all."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..domain.codebook import Codebook, codebook_to_json, parse_codebook
from ..domain.errors import CodebookError
from .checks import check_table
from .serving import build_design, write_serving

RESPONSES = "responses.parquet"
CODEBOOK = "codebook.json"


def dataset_version(path: Path) -> str:
    """A short key that changes whenever either file of the folder is replaced or edited."""
    h = hashlib.sha256()
    for name in (CODEBOOK, RESPONSES):
        st = (path / name).stat()
        h.update(f"{name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:12]


def write_dataset(table: pa.Table, codebook: Codebook, data_dir: Path | str) -> Path:
    """Write `data_dir/<id>/` from a table and its codebook.

    The folder is built beside its final place and renamed in; an existing dataset with the
    same id is replaced only once the new one is complete and has been read back and checked.
    Raises `CodebookError` (with nothing changed) when the table does not fit the codebook.
    """
    problems = check_table(table, codebook)
    if problems:
        raise problems[0]
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
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


__all__ = ["write_dataset", "RESPONSES", "CODEBOOK", "CodebookError"]
