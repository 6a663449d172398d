"""Large frames scored in blocks of rows on worker threads: pyarrow's kernels, numpy and scipy
release the GIL, so the blocks run on separate cores. Only for transforms where every value
depends on its own row: the result is the same as in one piece."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

import numpy as np
import pandas as pd

MAX_WORKERS = 4  # threads for a large frame (capped by the CPU count) ...
MIN_ROWS_PER_WORKER = 10_000  # ... each with at least this many rows


def in_row_blocks(n: int, score: Callable[[int, int], pd.DataFrame], *, max_rows: int | None = None
                  ) -> pd.DataFrame:
    """``score(start, stop)`` of rows [start, stop), over one block per worker thread (one
    block, in this thread, for a small frame) and at most ``max_rows`` rows a block (a bound on
    the memory one block takes), concatenated in row order."""
    workers = max(1, min(MAX_WORKERS, os.cpu_count() or 1, n // MIN_ROWS_PER_WORKER))
    blocks = max(workers, -(-n // max_rows) if max_rows else 1)
    blocks = -(-blocks // workers) * workers  # as many blocks on each worker
    if blocks < 2:
        return score(0, n)
    bounds = np.linspace(0, n, blocks + 1).astype(int)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return pd.concat(list(pool.map(lambda ab: score(*ab), pairwise(bounds))))
