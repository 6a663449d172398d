"""pair_counts against scipy's own duplicate summing."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from transforms.pair_counts import pair_counts


@pytest.mark.parametrize(("n", "width"), [(50, 1 << 17), (40_000, 1 << 17)])  # 32-bit and 64-bit keys
def test_pair_counts_match_scipy_with_empty_rows_first_and_last(n: int, width: int) -> None:
    rng = np.random.default_rng(7)
    rows = rng.integers(1, n - 1, 5_000)  # rows 0 and n - 1 stay empty
    cols = rng.integers(0, 40, 5_000) * (width // 40)  # few columns: many repeated pairs
    got = pair_counts(rows, cols, n, width)
    want = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, width)).tocsr()
    want.sum_duplicates()
    assert got.has_sorted_indices and got.shape == (n, width)
    np.testing.assert_array_equal(got.indptr, want.indptr)
    np.testing.assert_array_equal(got.indices, want.indices)
    np.testing.assert_array_equal(got.data, want.data)


def test_pair_counts_of_nothing_is_an_empty_matrix() -> None:
    m = pair_counts(np.zeros(0, np.int64), np.zeros(0, np.int64), 3, 8, np.float32)
    assert m.shape == (3, 8) and m.nnz == 0 and m.dtype == np.float32
