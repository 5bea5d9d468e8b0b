"""Ingest a survey file into a dataset folder, or write a starting codebook for it.

Everything is read and checked in memory first; `write_dataset` then publishes the folder in
one rename, so a refused file leaves the data folder exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..data.write import write_dataset
from ..domain.codebook import Codebook
from ..domain.errors import CodebookError
from .describe import Options, Plan, check_dataset_id, check_named_columns, describe, load_codebook
from .readers import NEEDS_CODEBOOK, Source, read_source
from .table import build_table, unused_columns

MAX_LISTED = 10


@dataclass(frozen=True)
class Ingested:
    """What was written: where, the codebook, how many respondents, and warnings to show."""

    path: Path
    codebook: Codebook
    rows: int
    warnings: tuple[str, ...]


def _plan(source: Source, options: Options) -> Plan:
    if options.codebook is not None:
        plan = load_codebook(Path(options.codebook), options)
        check_named_columns(source, options)
        return plan
    if source.format in NEEDS_CODEBOOK:
        raise CodebookError(
            f"a {source.format.upper()} file has no labels: describe it with --codebook FILE "
            "(`barometer codebook-template` writes a start; the format is in docs/codebook.md)",
            file=str(source.path),
        )
    return describe(source, options)


def _listed(names: list[str]) -> str:
    more = f" and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else ""
    return ", ".join(names[:MAX_LISTED]) + more


def ingest_file(path: Path | str, options: Options, data_dir: Path | str) -> Ingested:
    """Read, check and write `data_dir/<id>/`; raise `CodebookError` with nothing changed."""
    check_dataset_id(options.dataset_id)
    source = read_source(path)
    plan = _plan(source, options)
    codebook = plan.codebook(str(options.codebook or source.path))
    table = build_table(source, codebook, plan.blank)
    warnings = list(plan.warnings)
    if options.codebook is not None:
        unused = unused_columns(source, codebook)
        if unused:
            warnings.append(f"{source.path}: columns not in the codebook were left out: {_listed(unused)}")
    try:
        final = write_dataset(table, codebook, data_dir)
    except OSError as exc:
        raise CodebookError(f"cannot write the dataset ({exc.strerror or exc})", file=str(data_dir)) from None
    return Ingested(path=final, codebook=codebook, rows=table.num_rows, warnings=tuple(warnings))


def codebook_template(path: Path | str, options: Options) -> tuple[dict[str, Any], tuple[str, ...]]:
    """A codebook to start from: labels from SPSS/Stata metadata, else the codes in the data."""
    check_dataset_id(options.dataset_id)
    source = read_source(path)
    plan = describe(source, options, template=True)
    plan.codebook(str(source.path))
    return plan.raw, plan.warnings
