"""Creator identity: the one way a handle or ref is compared, everywhere one is compared.

A creator is ``(platform, creator_id)``; a handle is how people name them. Matching by handle
(tombstones, forget, quarantine, a batch's refs) always goes through :func:`handle_key` (one
value) or :func:`handle_keys` (a pandas column), so ``@Maya``, `` maya`` and ``maya`` are one
creator wherever they are compared.
"""

from __future__ import annotations

import pandas as pd


def handle_key(handle: str) -> str:
    """Trimmed, without leading @, lower-case: the form handles are matched in."""
    return handle.strip().lstrip("@").strip().lower()


def handle_keys(values: pd.Series) -> pd.Series:
    """:func:`handle_key` for a whole column, vectorised."""
    return values.astype("string").str.strip().str.lstrip("@").str.strip().str.lower()

