"""``scout classify``: a CSV of accounts in, the same rows with a verdict out.

Streamed through flows/csv_stream.py (bounded memory, line-numbered errors, nothing written
on failure); the model itself is pure (``transforms.account_type``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from flows.csv_stream import (
    DEFAULT_CHUNK_ROWS,
    REQUIRED_COLUMN,
    as_text_bool,
    empty_rows,
    model_inputs,
    parse_counts,
    stream_csv,
)
from transforms.account_type import score_account_type
from transforms.score import needs_review

COUNT_COLUMNS = ("followers", "following", "posts")
TEXT_COLUMNS = ("display_name", "bio", "sample_post")
VERDICT_COLUMNS = ("account_type", "is_person", "person_probability", "needs_review", "evidence")


@dataclass
class ClassifySummary:
    rows: int = 0
    persons: int = 0
    empty_rows: int = 0


def classify_frame(
    chunk: pd.DataFrame, *, threshold: float, first_row: int, path: Path,
    faces: pd.Series | None = None, evidence: bool = True,
) -> pd.DataFrame:
    """One chunk: the input columns untouched plus the verdict columns (all but ``evidence``
    with ``evidence=False``: a caller that shows none saves a quarter of the time)."""
    features = model_inputs(chunk, passed=(REQUIRED_COLUMN, "platform", "avatar_url"), texts=TEXT_COLUMNS)
    for column, values in parse_counts(chunk, COUNT_COLUMNS, first_row, path).items():
        features["posts_count" if column == "posts" else column] = values
    if faces is not None:
        features["face_in_avatar"] = faces.map({"true": True, "false": False}).astype("boolean")

    verdict = score_account_type(features, threshold=threshold, evidence=evidence)
    empty = empty_rows(chunk)
    prob = verdict["person_probability"].astype("Float64").round(4).mask(empty)
    out = chunk.copy()
    out["account_type"] = verdict["account_type"].mask(empty)
    out["is_person"] = as_text_bool(prob >= threshold).mask(empty)
    out["person_probability"] = prob
    p = verdict["person_probability"].to_numpy(dtype=float, na_value=np.nan)
    share = verdict["known_share"].to_numpy(dtype=float)
    out["needs_review"] = as_text_bool(pd.Series(needs_review(p, threshold, share), index=chunk.index)).mask(empty)
    if evidence:
        out["evidence"] = verdict["evidence"].map("; ".join).mask(empty)
    return out


AVATAR_RATE_PER_SECOND = 5.0  # avatar CDNs publish no budget; stay gentle


def avatar_face_column(cache_dir: Path, rate_per_second: float = AVATAR_RATE_PER_SECOND
                       ) -> Callable[[pd.DataFrame], pd.Series]:
    """A chunk -> face_in_avatar ("true"/"false"/"") function that fetches through the shared
    HTTP layer and keeps every image in ``cache_dir``."""
    from scrapers.avatars import fetch_avatars
    from scrapers.http import HttpClient
    from transforms.faces import detect_faces

    def faces(chunk: pd.DataFrame) -> pd.Series:
        urls = [u.strip() or None for u in chunk["avatar_url"].tolist()]
        with HttpClient("avatars", rate_per_second=rate_per_second) as http:
            images = fetch_avatars(http, urls, cache_dir, base_url=None)  # public hosts only
        found = detect_faces(images, index=chunk.index)
        return found.map({True: "true", False: "false"}).fillna("").astype(str)

    return faces


def classify_csv(
    input_path: Path,
    output_path: Path,
    *,
    threshold: float = 0.5,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    force: bool = False,
    face_column: Callable[[pd.DataFrame], pd.Series] | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> ClassifySummary:
    """Classify every row of ``input_path`` into ``output_path`` (same rows, same order).

    ``face_column``, when given, computes ``face_in_avatar`` for a chunk (it fetches avatars,
    so the caller owns that IO).
    """
    summary = ClassifySummary()

    def classify_chunk(chunk: pd.DataFrame, first_row: int) -> pd.DataFrame:
        faces = face_column(chunk) if face_column and "avatar_url" in chunk else None
        result = classify_frame(chunk, threshold=threshold, first_row=first_row, path=input_path,
                                faces=faces)
        summary.persons += int(result["is_person"].eq("true").sum())
        summary.empty_rows += int(result["account_type"].isna().sum())
        return result

    summary.rows = stream_csv(input_path, output_path, added_columns=VERDICT_COLUMNS,
                              transform=classify_chunk, chunk_rows=chunk_rows, force=force,
                              on_chunk=on_chunk)
    return summary
