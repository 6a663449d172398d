"""Map posts to their creator's row without merging 30M rows on two string columns."""

from __future__ import annotations

import numpy as np
import pandas as pd

KEY = ["platform", "creator_id"]


def creator_positions(creators: pd.DataFrame, posts: pd.DataFrame) -> np.ndarray:
    """For each post, the row position of its creator in `creators` (unique keys), or -1.

    Factorizes the posts' platform and creator_id once each (Arrow hashing); a small table
    indexed by (creator code, platform code) then maps every post to its creator's row, so
    only the ~1M distinct creator ids are looked up, never 30M string pairs.
    """
    n = len(posts)
    if n == 0 or len(creators) == 0:
        return np.full(n, -1, dtype=np.int64)
    p_codes, p_uniques = pd.factorize(posts["platform"])
    c_codes, c_uniques = pd.factorize(posts["creator_id"])
    width = max(len(p_uniques), 1)
    # where each creator's platform and id sit among the posts' distinct values
    p_of = pd.Index(p_uniques).get_indexer(creators["platform"].to_numpy(dtype=object))
    c_of = pd.Index(c_uniques).get_indexer(creators["creator_id"].to_numpy(dtype=object))
    table = np.full(len(c_uniques) * width, -1, dtype=np.int64)
    known = (p_of >= 0) & (c_of >= 0)
    table[c_of[known] * width + p_of[known]] = np.flatnonzero(known)
    pos = table[np.maximum(c_codes, 0).astype(np.int64) * width + np.maximum(p_codes, 0)]
    pos[(p_codes < 0) | (c_codes < 0)] = -1
    return pos
