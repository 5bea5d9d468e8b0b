"""Checks that a table of responses matches its codebook.

Every problem is reported as a `CodebookError` naming the file, the variable and the value, so
a person can find and fix it without reading code.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..domain.codebook import Codebook
from ..domain.errors import CodebookError

MAX_LISTED = 5


def _is_integer_like(arr: pa.ChunkedArray) -> bool:
    t = arr.type
    if pa.types.is_integer(t) or pa.types.is_boolean(t):
        return True
    if pa.types.is_floating(t):
        values = pc.drop_null(arr).to_numpy()
        values = values[~np.isnan(values)]
        return bool(np.all(values == np.round(values)))
    return False


def _distinct(arr: pa.ChunkedArray) -> np.ndarray:
    values = pc.unique(pc.drop_null(arr)).to_numpy(zero_copy_only=False)
    if values.dtype.kind == "f":
        values = values[~np.isnan(values)]
    return np.sort(values.astype(np.int64))


def check_table(table: pa.Table, codebook: Codebook, *, file: str = "responses.parquet") -> list[CodebookError]:
    """Every way in which `table` does not fit `codebook` (empty list when it fits)."""
    problems: list[CodebookError] = []
    columns = set(table.column_names)
    if table.num_rows == 0:
        problems.append(CodebookError("the file has no rows", file=file))
        return problems
    ds = codebook.dataset
    for role in ("weight", "strata", "psu"):
        col = getattr(ds, role)
        if col and col not in columns:
            problems.append(CodebookError(f"the {role} column is not in the data", file=file, variable=col))
    if ds.weight and ds.weight in columns:
        arr = table.column(ds.weight)
        if not (pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type)):
            problems.append(
                CodebookError(f"the weight must be numeric, not {arr.type}", file=file, variable=ds.weight)
            )
        else:
            w = arr.to_numpy(zero_copy_only=False).astype(np.float64)
            bad = ~np.isfinite(w) | (w <= 0)
            if bad.any():
                first = int(np.flatnonzero(bad)[0])
                problems.append(
                    CodebookError(
                        f"weights must be finite and positive; {int(bad.sum())} of {len(w)} are not "
                        f"(first at row {first + 1})",
                        file=file,
                        variable=ds.weight,
                        value=None if np.isnan(w[first]) else float(w[first]),
                    )
                )
    for role in ("strata", "psu"):
        col = getattr(ds, role)
        if col and col in columns and table.column(col).null_count:
            problems.append(CodebookError(f"the {role} column has empty cells", file=file, variable=col))
    for var in codebook.variables:
        for col in var.data_columns():
            if col not in columns:
                problems.append(CodebookError("the column is not in the data", file=file, variable=col))
                continue
            arr = table.column(col)
            if not _is_integer_like(arr):
                problems.append(
                    CodebookError(
                        f"answers must be whole-number codes, not {arr.type}", file=file, variable=col
                    )
                )
                continue
            present = _distinct(arr)
            allowed = np.array([0, 1]) if var.kind == "multi" else np.array(var.codes)
            if var.kind == "numeric" and not var.values:
                continue
            unknown = np.setdiff1d(present, allowed)
            if var.kind == "numeric":
                # A numeric variable lists only its labelled points; other codes in range are fine.
                lo, hi = min(var.codes), max(var.codes)
                unknown = unknown[(unknown < lo) | (unknown > hi)]
            if unknown.size:
                listed = ", ".join(str(int(u)) for u in unknown[:MAX_LISTED])
                more = f" and {unknown.size - MAX_LISTED} more" if unknown.size > MAX_LISTED else ""
                problems.append(
                    CodebookError(
                        f"codes {listed}{more} appear in the data but have no label in the codebook",
                        file=file,
                        variable=col,
                        value=int(unknown[0]),
                    )
                )
    for role in ("country", "wave"):
        col = getattr(ds, role)
        if col and col in columns and table.column(col).null_count:
            problems.append(CodebookError(f"the {role} column has empty cells", file=file, variable=col))
    return problems
