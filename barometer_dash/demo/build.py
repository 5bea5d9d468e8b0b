"""Assemble the demo dataset and write it to `data_dir/demo/`.

Everything is drawn from `numpy.random.default_rng(seed)` (and per-question streams derived
from the same seed), so a seed always gives the same table and the same codebook.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

from ..data.write import write_dataset
from ..domain.codebook import Codebook
from .generate import draw_answers
from .people import draw_people
from .population import draw_design
from .variables import demo_codebook

DEFAULT_SEED = 20240601

# Small integer types keep the file small and the columns cheap to load.
WIDE_CODES = {"year": pa.int16(), "region": pa.int16()}
DESIGN_TYPES = {"weight": pa.float64(), "stratum": pa.int32(), "psu": pa.int32()}


def _int_column(values: np.ndarray, type_: pa.DataType) -> pa.Array:
    """Nullable integer column from floats with NaN (or plain integers)."""
    if values.dtype.kind == "f":
        missing = np.isnan(values)
        filled = np.where(missing, 0, values).astype(type_.to_pandas_dtype())
        return pa.array(filled, type=type_, mask=missing if missing.any() else None)
    return pa.array(values.astype(type_.to_pandas_dtype()), type=type_)


def to_table(data: dict[str, np.ndarray], codebook: Codebook) -> pa.Table:
    """One column per codebook column, in codebook order, then the design columns."""
    columns: dict[str, pa.Array] = {}
    for var in codebook.variables:
        for col in var.data_columns():
            columns[col] = _int_column(data[col], WIDE_CODES.get(col, pa.int8()))
    for col, type_ in DESIGN_TYPES.items():
        columns[col] = pa.array(data[col].astype(type_.to_pandas_dtype()), type=type_)
    return pa.table(columns)


def generate(seed: int = DEFAULT_SEED) -> tuple[pa.Table, Codebook]:
    """The synthetic demo survey as a table and its codebook, deterministic in `seed`."""
    rng = np.random.default_rng(seed)
    data = draw_people(rng, draw_design(rng))
    data.update(draw_answers(rng, seed, data))
    codebook = demo_codebook(seed)
    return to_table(data, codebook), codebook


def build_demo(data_dir: Path, *, seed: int = DEFAULT_SEED) -> Path:
    """Generate the demo and write it atomically to `data_dir/demo/`; returns that folder."""
    table, codebook = generate(seed)
    return write_dataset(table, codebook, data_dir)
