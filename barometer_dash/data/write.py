"""Writing a dataset folder atomically: complete and valid, or not at all."""

from __future__ import annotations

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

RESPONSES = "responses.parquet"
CODEBOOK = "codebook.json"


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
        problems = check_table(pq.read_table(tmp / RESPONSES), reread, file=str(final / RESPONSES))
        if problems:
            raise problems[0]
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
