"""``scout classify-posts``: a CSV of posts in, each row's collaboration kind out.

Streamed through flows/csv_stream.py like ``scout classify`` (bounded memory, nothing written on
failure); the classifier itself is pure (``transforms.collab.post_collab``). Only ``text`` is
required; a ``handle`` column, when there is one, keeps a creator's own @handle out of partners.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from flows.csv_stream import (
    DEFAULT_CHUNK_ROWS,
    as_text_bool,
    empty_rows,
    model_inputs,
    stream_csv,
)
from transforms.collab import KINDS, post_collab

TEXT_COLUMN = "text"
OUTPUT_COLUMNS = ("collab_kind", "is_sponsored", "partners", "collab_evidence")


@dataclass
class ClassifyPostsSummary:
    rows: int = 0
    kinds: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))


def classify_posts_frame(chunk: pd.DataFrame) -> pd.DataFrame:
    """One chunk: the input columns untouched plus OUTPUT_COLUMNS (blank for an empty row)."""
    inputs = model_inputs(chunk, passed=("handle",), texts=(TEXT_COLUMN,))
    handle = inputs["handle"].astype("string[pyarrow]") if "handle" in inputs else None
    verdict = post_collab(inputs[TEXT_COLUMN].astype("string[pyarrow]"), own_handle=handle)
    empty = empty_rows(chunk)
    out = chunk.copy()
    out["collab_kind"] = verdict["collab_kind"].astype(object).mask(empty)
    out["is_sponsored"] = as_text_bool(verdict["is_sponsored"].astype(bool)).mask(empty)
    out["partners"] = verdict["partners"].astype(object).mask(empty)
    out["collab_evidence"] = verdict["collab_evidence"].astype(object).mask(empty)
    return out


def classify_posts_csv(
    input_path: Path,
    output_path: Path,
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    force: bool = False,
    on_chunk: Callable[[int], None] | None = None,
) -> ClassifyPostsSummary:
    """Classify every row of ``input_path`` into ``output_path`` (same rows, same order)."""
    summary = ClassifyPostsSummary()

    def classify_chunk(chunk: pd.DataFrame, first_row: int) -> pd.DataFrame:
        result = classify_posts_frame(chunk)
        for kind, count in result["collab_kind"].value_counts().items():
            summary.kinds[kind] += int(count)
        return result

    summary.rows = stream_csv(input_path, output_path, added_columns=OUTPUT_COLUMNS,
                              transform=classify_chunk, chunk_rows=chunk_rows, force=force,
                              on_chunk=on_chunk, required=TEXT_COLUMN)
    return summary
