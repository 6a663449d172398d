"""Reading a labeled dev file: the inputs, the 0/1 target and each row's source, one way."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def read_labeled(path: Path, positive: str, text_columns: tuple[str, ...]) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The rows without ``label``/``source``, ``label == positive`` as 1.0, and the source per row
    (``unknown`` where empty); ``text_columns`` are read as text, never as numbers."""
    df = pd.read_csv(path, dtype=dict.fromkeys(text_columns, str))
    y = (df["label"] == positive).to_numpy().astype(float)
    source = df["source"].fillna("unknown").to_numpy(dtype=str)
    return df.drop(columns=["label", "source"]), y, source
