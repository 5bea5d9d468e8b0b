"""Answer codes to category positions, at the column's own width.

A survey column of int8 codes maps through a 256-entry lookup table (int16 through 65,536
entries): one gather, no widening to float and no sort. Other dtypes take a sorted search.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_UNSIGNED = {1: np.uint8, 2: np.uint16}


def position_dtype(n_codes: int) -> type[np.signedinteger]:
    """The smallest signed integer type holding positions 0..n_codes-1 and -1."""
    if n_codes <= 127:
        return np.int8
    if n_codes <= 32767:
        return np.int16
    return np.intp


def code_index(values: np.ndarray, valid: np.ndarray | None, codes: Sequence[int]) -> np.ndarray:
    """Per respondent, the position of its value in `codes`, or -1 (other value or empty).

    `valid` marks respondents with an answer (None: all); the result is read-only.
    """
    dtype = position_dtype(len(codes))
    values = np.asarray(values)
    if values.dtype.kind in "iu" and values.dtype.itemsize in _UNSIGNED:
        info = np.iinfo(values.dtype)
        lut = np.full(1 << (8 * values.dtype.itemsize), -1, dtype=dtype)
        for i, code in enumerate(codes):
            if info.min <= code <= info.max:
                lut[np.array(code, dtype=values.dtype).view(_UNSIGNED[values.dtype.itemsize])] = i
        out = lut[values.view(_UNSIGNED[values.dtype.itemsize])]
    else:
        out = np.full(values.shape, -1, dtype=dtype)
        if codes:
            x = values.astype(np.float64, copy=False)
            order = np.argsort(codes)
            sorted_codes = np.asarray(codes, dtype=np.float64)[order]
            pos = np.minimum(np.searchsorted(sorted_codes, x), len(codes) - 1)
            hit = sorted_codes[pos] == x
            out[hit] = order[pos[hit]]
    if valid is not None:
        out[~valid] = -1
    out.flags.writeable = False
    return out


def code_mask(values: np.ndarray, valid: np.ndarray | None, codes: Sequence[int]) -> np.ndarray:
    """Respondents whose value is one of `codes` (boolean, like `np.isin`, empty = False)."""
    mask: np.ndarray = code_index(values, valid, codes) >= 0
    return mask
