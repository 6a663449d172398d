"""Map posts to their creator's row without merging 30M rows on two string columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from transforms._text import _arrow

KEY = ["platform", "creator_id"]


def key_codes(s: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """(codes, uniques) as pd.factorize gives them (first-seen order, -1 for a missing key), hashed
    by Arrow's dictionary encoding and the uniques left in Arrow: a third of pd.factorize's time
    on 1.5M post ids, which also turns every unique back into a Python string."""
    encoded = pc.dictionary_encode(_arrow(s).combine_chunks())
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
    return codes, encoded.dictionary


def _positions_in(values: pd.Series, uniques: pa.Array) -> np.ndarray:
    """Where each value sits in ``uniques``, -1 where it is not there (Arrow's hash lookup)."""
    found = pc.index_in(_arrow(values).combine_chunks().cast(uniques.type), value_set=uniques)
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)


def creator_positions(creators: pd.DataFrame, posts: pd.DataFrame) -> np.ndarray:
    """For each post, the row position of its creator in `creators` (unique keys), or -1.

    Encodes the posts' platform and creator_id once each (Arrow hashing); a small table
    indexed by (creator code, platform code) then maps every post to its creator's row, so
    only the ~1M distinct creator ids are looked up, never 30M string pairs.
    """
    n = len(posts)
    if n == 0 or len(creators) == 0:
        return np.full(n, -1, dtype=np.int64)
    p_codes, p_uniques = key_codes(posts["platform"])
    c_codes, c_uniques = key_codes(posts["creator_id"])
    width = max(len(p_uniques), 1)
    # where each creator's platform and id sit among the posts' distinct values
    p_of = _positions_in(creators["platform"], p_uniques)
    c_of = _positions_in(creators["creator_id"], c_uniques)
    table = np.full(len(c_uniques) * width, -1, dtype=np.int64)
    known = (p_of >= 0) & (c_of >= 0)
    table[c_of[known] * width + p_of[known]] = np.flatnonzero(known)
    pos = table[np.maximum(c_codes, 0) * width + np.maximum(p_codes, 0)]
    pos[(p_codes < 0) | (c_codes < 0)] = -1
    return pos
