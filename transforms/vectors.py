"""Fixed-width float vectors in a frame column (``niche_probs``, ``content_vector``).

A column holds one float32 array per row, or None where the value is unknown; the maths wants
one n x width matrix with NaN rows instead. These are the two directions, plus the column
converter ``transforms.frames.conform`` uses. Arrow-backed list columns (what DuckDB returns)
convert without a Python loop, so a million stored vectors become a matrix in milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa


def _as_array(value: object) -> np.ndarray | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    arr = np.asarray(value, dtype=np.float32).ravel()
    return None if arr.size == 0 or np.isnan(arr).any() else arr


def to_vectors(s: pd.Series) -> pd.Series:
    """An object column of float32 arrays, None for missing (lists and arrays both accepted).
    A column that is that already (as_vectors made it) is returned as it is: converting each
    row again was a tenth of a second per 10,000 creators scored."""
    if isinstance(s.dtype, pd.ArrowDtype):
        return as_vectors(as_matrix(s), s.index)
    if s.dtype == object and _float32_vectors(s.to_numpy(dtype=object)):
        return s
    return pd.Series([_as_array(v) for v in s.tolist()], index=s.index, dtype=object)


def _float32_vectors(values: np.ndarray) -> bool:
    """Whether every value is None or a 1-d float32 array of one width (_all_arrays) without NaN."""
    known = [v for v in values if v is not None]
    if not known:
        return True
    if type(known[0]) is not np.ndarray or known[0].ndim != 1 or not _all_arrays(values, len(known[0])):
        return False
    stacked = np.stack(known)  # float64 if any value is
    return stacked.dtype == np.float32 and not np.isnan(stacked).any()


def as_matrix(s: pd.Series | Sequence, width: int | None = None) -> np.ndarray:
    """n x width float32, a NaN row where a vector is missing (or of another width)."""
    arr = s.array.__arrow_array__() if isinstance(getattr(s, "dtype", None), pd.ArrowDtype) else None
    if arr is not None:
        return _arrow_matrix(arr, width)
    values = s.to_numpy(dtype=object) if isinstance(s, pd.Series) else np.fromiter(s, dtype=object)
    if width is not None and _all_arrays(values, width):  # as_vectors made it: stack, no row loop
        out = np.full((len(values), width), np.nan, dtype=np.float32)
        known = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
        if known.any():
            out[known] = np.stack(values[known])
            out[np.isnan(out).any(axis=1)] = np.nan
        return out
    rows = [_as_array(v) for v in values]
    if width is None:
        width = next((len(r) for r in rows if r is not None), 0)
    out = np.full((len(rows), width), np.nan, dtype=np.float32)
    for i, r in enumerate(rows):
        if r is not None and len(r) == width:
            out[i] = r
    return out


def _all_arrays(values: np.ndarray, width: int) -> bool:
    """Whether every value is None or a 1-d numeric array of ``width`` (as_vectors' column)."""
    return all(v is None or (type(v) is np.ndarray and v.shape == (width,) and v.dtype.kind == "f")
               for v in values)


def _arrow_matrix(arr: pa.Array | pa.ChunkedArray, width: int | None) -> np.ndarray:
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_fixed_size_list(arr.type):
        if width is None:
            lengths = arr.value_lengths().drop_null()
            width = int(lengths[0].as_py()) if len(lengths) else 0
        arr = _fixed(arr, width)
    width = arr.type.list_size
    flat = arr.values.slice(arr.offset * width, len(arr) * width)
    out = np.asarray(flat.to_numpy(zero_copy_only=False), dtype=np.float32).reshape(len(arr), width)
    if arr.null_count:
        out = out.copy()
        out[np.asarray(arr.is_null())] = np.nan
    return out


def _fixed(arr: pa.Array, width: int) -> pa.FixedSizeListArray:
    """A variable list column as fixed-size lists; rows of another length become null."""
    wrong = pa.compute.not_equal(arr.value_lengths(), width)
    arr = pa.compute.if_else(pa.compute.fill_null(wrong, False), pa.nulls(len(arr), arr.type), arr)
    return arr.cast(pa.list_(pa.float32(), width))


def arrow_vectors(s: pd.Series) -> pa.Array:
    """The Arrow form of a vector column (as_vectors' or to_vectors'): fixed-size float32 lists of
    the first known vector's width, null where a vector is missing, built from one matrix with no
    Python object per row; variable lists when the widths differ (or no vector is known)."""
    values = s.to_numpy(dtype=object)
    known = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
    width = len(values[known][0]) if known.any() else 0
    if not width or not _all_arrays(values, width):
        return pa.array([None if v is None else np.asarray(v, dtype=np.float32) for v in values],
                        pa.list_(pa.float32()))
    return pa.FixedSizeListArray.from_arrays(pa.array(as_matrix(s, width).ravel()), width, mask=pa.array(~known))


def as_vectors(matrix: np.ndarray, index: pd.Index | None = None) -> pd.Series:
    """The column form of a matrix: one float32 array per row, None for a row with a NaN."""
    matrix = np.asarray(matrix, dtype=np.float32)
    known = ~np.isnan(matrix).any(axis=1) if matrix.size else np.zeros(len(matrix), dtype=bool)
    values = np.empty(len(matrix), dtype=object)
    for i in np.flatnonzero(known):
        values[i] = matrix[i]
    return pd.Series(values, index=index if index is not None else pd.RangeIndex(len(matrix)), dtype=object)
