"""Reading a survey file (SPSS, Stata, CSV, Parquet) into a frame plus what its metadata says.

Every way a file can fail to read becomes one `CodebookError` naming the file, so the command
line never shows a traceback for a bad file.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..domain.errors import CodebookError

FORMATS = {".sav": "spss", ".zsav": "spss", ".dta": "stata", ".csv": "csv", ".parquet": "parquet"}
# Formats that carry no labels: they need a codebook to be ingested.
NEEDS_CODEBOOK = ("csv", "parquet")


@dataclass(frozen=True)
class Source:
    """A data file as read: the values, and the labels and missing codes its metadata declares."""

    path: Path
    format: str
    frame: pd.DataFrame
    file_label: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[int, str]] = field(default_factory=dict)
    missing_ranges: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def is_missing(self, column: str, code: float) -> bool:
        return any(lo <= code <= hi for lo, hi in self.missing_ranges.get(column, ()))


def _unreadable(path: Path, what: str, exc: BaseException) -> CodebookError:
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return CodebookError(f"not a readable {what} file ({detail})", file=str(path))


def _value_labels(path: Path, raw: dict[str, dict[Any, str]], frame: pd.DataFrame) -> dict[str, dict[int, str]]:
    """Value labels keyed by whole-number codes; labels on text variables are left to the caller."""
    out: dict[str, dict[int, str]] = {}
    for column, labels in raw.items():
        if column not in frame.columns or not pd.api.types.is_numeric_dtype(frame[column]):
            continue
        codes: dict[int, str] = {}
        for code, label in labels.items():
            if isinstance(code, str) or not float(code).is_integer():
                raise CodebookError(
                    "value labels must be on whole-number codes", file=str(path), variable=column, value=code
                )
            codes[int(code)] = str(label)
        out[column] = dict(sorted(codes.items()))
    return out


def _read_spss(path: Path) -> Source:
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as exc:  # noqa: BLE001 - pyreadstat raises several unrelated types
        raise _unreadable(path, "SPSS", exc) from None
    ranges: dict[str, list[tuple[float, float]]] = {}
    declared: dict[str, list[Any]] = dict(meta.missing_ranges or {})
    for column, items in declared.items():
        numeric = [(float(r["lo"]), float(r["hi"])) for r in items if not isinstance(r["lo"], str)]
        if numeric:
            ranges[column] = numeric
    return Source(
        path=path,
        format="spss",
        frame=frame,
        file_label=meta.file_label or "",
        labels={k: v for k, v in (meta.column_names_to_labels or {}).items() if v},
        value_labels=_value_labels(path, meta.variable_value_labels or {}, frame),
        missing_ranges=ranges,
    )


def _read_stata(path: Path) -> Source:
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_dta(str(path), user_missing=True)
    except Exception as exc:  # noqa: BLE001 - pyreadstat raises several unrelated types
        raise _unreadable(path, "Stata", exc) from None
    warnings = []
    types = meta.readstat_variable_types or {}
    for column in frame.columns:
        if types.get(column) != "string" and frame[column].dtype == object:
            # Stata's extended missing values (.a to .z) arrive as letters in a numeric column.
            numbers = pd.to_numeric(frame[column], errors="coerce")
            letters = int(frame[column].notna().sum() - numbers.notna().sum())
            frame[column] = numbers
            if letters:
                warnings.append(
                    f"{path}, variable '{column}': {letters} Stata extended missing values (.a to .z) "
                    "were read as empty cells"
                )
    return Source(
        path=path,
        format="stata",
        frame=frame,
        file_label=meta.file_label or "",
        labels={k: v for k, v in (meta.column_names_to_labels or {}).items() if v},
        value_labels=_value_labels(path, meta.variable_value_labels or {}, frame),
        warnings=tuple(warnings),
    )


def _duplicates(names: list[str], path: Path) -> None:
    twice = [n for n, k in Counter(names).items() if k > 1]
    if twice:
        raise CodebookError("the column name appears more than once", file=str(path), variable=twice[0])


def _read_csv(path: Path) -> Source:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), None)
    except UnicodeDecodeError as exc:
        raise CodebookError(f"not UTF-8 text (byte {exc.start})", file=str(path)) from None
    except (OSError, csv.Error) as exc:
        raise _unreadable(path, "CSV", exc) from None
    if not header or not any(h.strip() for h in header):
        raise CodebookError("the file is empty", file=str(path))
    if any(not h.strip() for h in header):
        raise CodebookError(f"column {header.index('') + 1} has no name", file=str(path))
    _duplicates(header, path)
    try:
        frame = pd.read_csv(path, encoding="utf-8-sig")
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise _unreadable(path, "CSV", exc) from None
    return Source(path=path, format="csv", frame=frame)


def _read_parquet(path: Path) -> Source:
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise _unreadable(path, "Parquet", exc) from None
    _duplicates(table.column_names, path)
    try:
        frame = table.to_pandas()
    except (pa.ArrowException, ValueError) as exc:
        raise _unreadable(path, "Parquet", exc) from None
    return Source(path=path, format="parquet", frame=frame)


def read_source(path: Path | str) -> Source:
    """Read a data file by its extension; refuse a missing, unknown, unreadable or empty one."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        kinds = ", ".join(FORMATS)
        raise CodebookError(f"unknown file type '{path.suffix}'; use one of {kinds}", file=str(path))
    if not path.exists():
        raise CodebookError("the file does not exist", file=str(path))
    if not path.is_file():
        raise CodebookError("not a file", file=str(path))
    if path.stat().st_size == 0:
        raise CodebookError("the file is empty", file=str(path))
    reader = {"spss": _read_spss, "stata": _read_stata, "csv": _read_csv, "parquet": _read_parquet}[fmt]
    source = reader(path)
    if source.frame.shape[1] == 0:
        raise CodebookError("the file has no columns", file=str(path))
    if source.frame.shape[0] == 0:
        raise CodebookError("the file has no rows", file=str(path))
    return source


def whole_numbers(values: pd.Series) -> bool:
    """True when every non-empty value is a whole number (so it can be stored as a code)."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return pd.api.types.is_bool_dtype(values)
    arr = values.dropna().to_numpy(dtype=np.float64)
    return bool(np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)))
