"""`barometer validate`: every problem in every dataset folder, not just the first one.

The app leaves a broken dataset out of its list; this says why, in the words of the checks
that run when a dataset loads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..data.checks import check_table
from ..data.write import CODEBOOK, LEFTOVER, RESPONSES, leftovers, writing
from ..domain.codebook import Codebook, parse_codebook
from ..domain.errors import CodebookError


@dataclass(frozen=True)
class Checked:
    """One dataset folder and what is wrong with it (nothing when it is valid)."""

    folder: Path
    problems: tuple[CodebookError, ...]
    respondents: int = 0


def dataset_folders(path: Path) -> list[Path]:
    """`path` itself when it is a dataset folder, else its visible sub-folders."""
    if (path / CODEBOOK).exists() or (path / RESPONSES).exists():
        return [path]
    return sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))


def _codebook(folder: Path, problems: list[CodebookError]) -> Codebook | None:
    cb_file = folder / CODEBOOK
    if not cb_file.is_file():
        problems.append(CodebookError("file is missing", file=str(cb_file)))
        return None
    try:
        raw = json.loads(cb_file.read_text(encoding="utf-8"))
        codebook = parse_codebook(raw, file=str(cb_file))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(CodebookError(f"not valid JSON ({exc})", file=str(cb_file)))
        return None
    except RecursionError:
        problems.append(CodebookError("JSON nested too deeply to be a codebook", file=str(cb_file)))
        return None
    except CodebookError as exc:
        problems.append(exc)
        return None
    if codebook.dataset.id != folder.name:
        problems.append(
            CodebookError(f"dataset.id is '{codebook.dataset.id}' but the folder is '{folder.name}'",
                          file=str(cb_file))
        )
    return codebook


def check_folder(folder: Path) -> Checked:
    """Every problem with one dataset folder."""
    problems: list[CodebookError] = []
    codebook = _codebook(folder, problems)
    data_file = folder / RESPONSES
    table = None
    if not data_file.is_file():
        problems.append(CodebookError("file is missing", file=str(data_file)))
    else:
        try:
            table = pq.read_table(data_file, memory_map=True)
        except (pa.ArrowException, OSError) as exc:
            problems.append(CodebookError(f"not a readable Parquet file ({exc})", file=str(data_file)))
    if codebook is not None and table is not None:
        problems.extend(check_table(table, codebook, file=str(data_file)))
    return Checked(folder=folder, problems=tuple(problems), respondents=table.num_rows if table is not None else 0)


def validate_path(path: Path | str) -> list[Checked]:
    """Check one dataset folder, or every dataset folder under a data folder."""
    path = Path(path)
    if not path.is_dir():
        return [Checked(folder=path, problems=(CodebookError("not a folder", file=str(path)),))]
    folders = dataset_folders(path)
    stale = [c for p in leftovers(path) if (c := _leftover(p))] if folders != [path] else []
    if not folders:
        return [Checked(folder=path, problems=(CodebookError("no dataset folders in it", file=str(path)),)), *stale]
    return [check_folder(f) for f in folders] + stale


def _leftover(folder: Path) -> Checked | None:
    m = LEFTOVER.match(folder.name)
    if m is None or writing(folder.parent, m["id"]):
        return None  # an ingest running now
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    kept = (folder / "dataset").is_dir() and not (folder.parent / m["id"]).exists()
    problem = CodebookError(
        f"temporary folder left by an interrupted ingest ({size / 1e6:.1f} MB); the next "
        + ("`barometer ingest` puts back the dataset it holds" if kept else
           "`barometer ingest` removes it (or remove it yourself when no ingest is running)"), file=str(folder))
    return Checked(folder=folder, problems=(problem,))
