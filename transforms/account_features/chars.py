"""Hashed character n-grams over UTF-8 bytes (no vocabulary: the hash is the column), which catch
name-like spellings in any script."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy import sparse

from transforms._text import (
    _arrow,
)
from transforms.account_features.inputs import Fields
from transforms.frames import to_string

_SPACE = pa.scalar(" ", pa.large_string())
_EMPTY = pa.scalar("", pa.large_string())
_HASH_PRIME = np.uint64(1_099_511_628_211)  # FNV-64 prime: spreads bytes over 64 bits
_HASH_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: top bits become the bucket

# ---------------------------------------------------------------- character n-grams


CHAR_FIELDS: dict[str, tuple[int, ...]] = {"name": (2, 3, 4), "handle": (2, 3, 4),
                                          "bio": (3, 4, 5), "post": (3, 4, 5)}
CHAR_BITS = 18


def char_field(f: Fields, name: str) -> pd.Series:
    return {"name": f.name, "handle": f.handle, "bio": f.bio, "post": f.post}[name]


@dataclass(frozen=True)
class _Bytes:
    """The UTF-8 bytes of " text " for every row, back to back, and where each row ends."""

    data: np.ndarray  # uint8
    lengths: np.ndarray  # bytes per row (0 for NA)

    @cached_property
    def row_of_byte(self) -> np.ndarray:
        """int64, the row each byte belongs to (made when asked: char_ngram_rows needs none)."""
        return np.repeat(np.arange(len(self.lengths), dtype=np.int64), self.lengths)


def _padded_bytes(text: pd.Series) -> _Bytes:
    n = len(text)
    arr = _arrow(to_string(text)).combine_chunks().cast(pa.large_string())
    padded = pc.fill_null(pc.binary_join_element_wise(_SPACE, arr, _SPACE, _EMPTY), _EMPTY)
    offsets = np.frombuffer(padded.buffers()[1], dtype=np.int64)[padded.offset:
                                                                 padded.offset + n + 1]
    data = np.frombuffer(padded.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    offsets = offsets - offsets[0]
    lengths = np.diff(offsets)
    return _Bytes(data, lengths)


def _hashed_windows(b: _Bytes, ns: tuple[int, ...], bits: int, mask: bool = True):
    """For each n in ns: (n, bucket of every window start, mask of windows inside their row).

    Polynomial hashes over bytes, built incrementally (the n-gram hash extends the
    (n-1)-gram's), then Fibonacci-mixed down to `bits` bits. uint64 arithmetic wraps.
    """
    shift = np.uint64(64 - bits)
    data = b.data.astype(np.uint64)
    end_of_byte = np.repeat(np.cumsum(b.lengths), b.lengths) if mask else None
    h = None
    for g in range(1, max(ns) + 1):
        m = len(data) - g + 1
        if m <= 0:
            return
        if h is None:
            h = data + _HASH_PRIME
        else:
            h = h[:m] * _HASH_PRIME
            h += data[g - 1:g - 1 + m]
        if g in ns:
            inside = np.arange(g, m + g, dtype=np.int64) <= end_of_byte[:m] if mask else None
            bucket = h * _HASH_MIX
            bucket >>= shift
            yield g, bucket.view(np.int64), inside


def _window_norm(lengths: np.ndarray, ns: tuple[int, ...]) -> np.ndarray:
    windows = sum(np.maximum(lengths - g + 1, 0) for g in ns)
    return np.where(windows > 0, 1.0 / np.sqrt(np.maximum(windows, 1)), 0.0)


def char_ngrams(text: pd.Series, ns: tuple[int, ...], bits: int = CHAR_BITS
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hashed byte n-grams of " text ": (row, bucket) per window, and 1/sqrt(windows) per row.

    A row's feature vector is its bucket counts times that norm, so long bios do not
    outweigh short ones. NA text has no windows. (Training builds the matrix from this;
    inference uses char_ngram_scores, the same numbers without materialising pairs.)
    """
    n = len(text)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    b = _padded_bytes(text)
    rows_out, buckets_out = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for _, bucket, inside in _hashed_windows(b, ns, bits):
        rows_out.append(b.row_of_byte[:len(bucket)][inside])
        buckets_out.append(bucket[inside])
    return np.concatenate(rows_out), np.concatenate(buckets_out), _window_norm(b.lengths, ns)


def char_ngram_scores(text: pd.Series, ns: tuple[int, ...], bits: int,
                      weights: np.ndarray) -> np.ndarray:
    """Per row, the sum of weights[bucket] over its windows times its norm (= x . w)."""
    n = len(text)
    if n == 0:
        return np.zeros(0)
    b = _padded_bytes(text)
    total = np.zeros(n)
    ends = np.cumsum(b.lengths)
    for g, bucket, _ in _hashed_windows(b, ns, bits, mask=False):
        w = weights[bucket]
        # windows that run past their row's end start in the last g-1 bytes of a row
        tail = (ends[:, None] - np.arange(1, g, dtype=np.int64)[None, :]).ravel()
        w[tail[(tail >= 0) & (tail < len(w))]] = 0.0
        total += np.bincount(b.row_of_byte[:len(bucket)], weights=w, minlength=n)
    return total * _window_norm(b.lengths, ns)


def char_ngram_rows(text: pd.Series, ns: tuple[int, ...], bits: int) -> sparse.csr_matrix:
    """Rows x 2**bits: each row's byte n-gram windows (char_ngrams' buckets), 1/sqrt(windows)
    each, built in row order straight from the byte offsets.

    Cheap by construction: no sort and no summing of repeated buckets (a product with the matrix
    sums them), and a window that runs past its row's end is an explicit zero, so every row
    holds len(ns) entries per byte and indptr is the byte offsets times len(ns).
    """
    n, width = len(text), 2 ** bits
    if n == 0:
        return sparse.csr_matrix((0, width), dtype=np.float32)
    b = _padded_bytes(text)
    size, k = len(b.data), len(ns)
    ends = np.cumsum(b.lengths)
    buckets = np.zeros((size, k), dtype=np.int32)
    data = np.empty((size, k), dtype=np.float32)
    data[:] = np.repeat(_window_norm(b.lengths, ns).astype(np.float32), b.lengths)[:, None]
    for j, (_, bucket, _) in enumerate(_hashed_windows(b, ns, bits, mask=False)):
        buckets[:len(bucket), j] = bucket
    for j, g in enumerate(ns):
        # windows that run past their row's end start in its last g-1 bytes (a shorter row's
        # spill lands in the row before's last g-1 bytes, which are past-the-end windows too)
        tail = (ends[:, None] - np.arange(1, g, dtype=np.int64)[None, :]).ravel()
        data[tail[tail >= 0], j] = 0.0
    indptr = np.concatenate([[0], ends * k]).astype(np.int64)
    return sparse.csr_matrix((data.ravel(), buckets.ravel(), indptr), shape=(n, width))


def string_buckets(strings: pa.Array, bits: int) -> np.ndarray:
    """Each whole string's bucket by the byte hash of char n-grams (the bucket a window of
    exactly those bytes gets: P**len + the sum of byte * P**(bytes after it), mod 2**64), over
    the Arrow buffers at once: no Python string is made."""
    arr = pc.fill_null(strings, "").cast(pa.large_string())
    n = len(arr)
    if n == 0:
        return np.zeros(0, dtype=np.int32)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset:arr.offset + n + 1]
    data = (np.frombuffer(arr.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
            if arr.buffers()[2] is not None else np.zeros(0, dtype=np.uint8))
    offsets = offsets - offsets[0]
    lengths = np.diff(offsets)
    powers = np.cumprod(np.full(int(lengths.max()) + 1, _HASH_PRIME, dtype=np.uint64))
    powers = np.concatenate([[np.uint64(1)], powers])  # P**0, P**1, ...
    h = powers[lengths]
    if len(data):
        after = np.repeat(offsets[1:] - 1, lengths)
        after -= np.arange(len(data))
        nonempty = lengths > 0  # an empty string adds no bytes, so the others' runs are contiguous
        h[nonempty] += np.add.reduceat(powers[after] * data, offsets[:-1][nonempty])
    h *= _HASH_MIX
    h >>= np.uint64(64 - bits)
    return h.astype(np.int32)
