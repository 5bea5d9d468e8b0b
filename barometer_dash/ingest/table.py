"""From a frame and its codebook to the Parquet table: checked first, then small integer codes.

The checks here name the offending value (a text weight, a fractional answer); the codebook
match itself is `check_table`'s, the same check that runs when a dataset is loaded.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from ..data.checks import check_table
from ..domain.codebook import Codebook
from ..domain.errors import CodebookError
from .readers import Source


def _float_array(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def _first_not_number(values: pd.Series) -> object:
    numbers = pd.to_numeric(values, errors="coerce")
    bad = values.notna() & numbers.isna()
    if bad.any():
        return values[bad].iloc[0]
    present = values.dropna()
    return present.iloc[0] if len(present) else None


def _count(k: int) -> str:
    return "1 is not" if k == 1 else f"{k} are not"


def _check_weight(values: pd.Series, *, file: str, column: str) -> None:
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise CodebookError(
            "weights must be numbers, not text", file=file, variable=column, value=_first_not_number(values)
        )
    w = _float_array(values)
    bad = ~np.isfinite(w) | (w <= 0)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        what = "empty or not a number" if np.isnan(w[first]) else f"{w[first]:g}"
        raise CodebookError(
            f"weights must be finite and positive; {_count(int(bad.sum()))} "
            f"(the first, at row {first + 1}, is {what})",
            file=file,
            variable=column,
            value=None if np.isnan(w[first]) else float(w[first]),
        )


def _check_codes(values: pd.Series, *, file: str, column: str) -> None:
    if pd.api.types.is_bool_dtype(values):
        return
    if not pd.api.types.is_numeric_dtype(values):
        raise CodebookError("answers must be whole-number codes, not text", file=file, variable=column,
                            value=_first_not_number(values))
    x = _float_array(values)
    bad_mask = np.isinf(x) | (np.isfinite(x) & (x != np.round(x)))
    if bad_mask.any():
        raise CodebookError(
            "answers must be whole-number codes", file=file, variable=column, value=float(x[bad_mask][0])
        )


def _int_type(lo: float, hi: float) -> pa.DataType:
    for t, info in ((pa.int8(), np.iinfo(np.int8)), (pa.int16(), np.iinfo(np.int16)), (pa.int32(), np.iinfo(np.int32))):
        if lo >= info.min and hi <= info.max:
            return t
    return pa.int64()


def _code_array(values: pd.Series, blank: tuple[int, ...] = ()) -> pa.Array:
    """Whole-number codes as the smallest nullable integer type that holds them."""
    x = _float_array(values.astype("float64") if pd.api.types.is_bool_dtype(values) else values)
    if blank:
        x = np.where(np.isin(x, blank), np.nan, x)
    empty = np.isnan(x)
    present = x[~empty]
    lo, hi = (float(present.min()), float(present.max())) if present.size else (0.0, 0.0)
    ints = np.where(empty, 0, x).astype(np.int64)
    return pa.array(ints, mask=empty, type=pa.int64()).cast(_int_type(lo, hi))


def _design_array(values: pd.Series) -> pa.Array:
    """A stratum or PSU identifier: numbers kept, text numbered 1..k in sorted order."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        x = _float_array(values)
        finite = x[np.isfinite(x)]
        if np.all(finite == np.round(finite)):
            return _code_array(values)
        return pa.array(x, mask=np.isnan(x), type=pa.float64())
    text = values.astype("string")
    labels = sorted(set(text.dropna()))
    mapping = {label: i + 1 for i, label in enumerate(labels)}
    codes = text.map(mapping)
    return _code_array(pd.Series(codes, dtype="Float64"))


def build_table(source: Source, codebook: Codebook, blank: dict[str, tuple[int, ...]] | None = None) -> pa.Table:
    """The table to write for `codebook`; a `CodebookError` for the first thing that does not fit."""
    frame = source.frame
    file = str(source.path)
    blank = blank or {}
    info = codebook.dataset
    for role in ("weight", "strata", "psu"):
        column = getattr(info, role)
        if column and column not in frame.columns:
            raise CodebookError(f"the {role} column is not in the data", file=file, variable=column)
    if info.weight:
        _check_weight(frame[info.weight], file=file, column=info.weight)
    columns: dict[str, pa.Array] = {}
    for var in codebook.variables:
        for column in var.data_columns():
            if column not in frame.columns:
                raise CodebookError("the column is not in the data", file=file, variable=column)
            _check_codes(frame[column], file=file, column=column)
            columns[column] = _code_array(frame[column], blank.get(column, ()))
    if info.weight:
        columns[info.weight] = pa.array(_float_array(frame[info.weight]), type=pa.float64())
    for column in (info.strata, info.psu):
        if column and column not in columns:
            columns[column] = _design_array(frame[column])
    table = pa.table(columns)
    problems = check_table(table, codebook, file=file)
    if problems:
        raise problems[0]
    return table


def unused_columns(source: Source, codebook: Codebook) -> list[str]:
    """Columns of the file that the codebook does not describe (they are not written)."""
    used = set(codebook.design_columns())
    for var in codebook.variables:
        used.update(var.data_columns())
    return [str(c) for c in source.frame.columns if str(c) not in used]
