"""``scout authenticity``: a CSV of accounts (followers, say) in, each judged real, bought or
a mass follower by the follower model (``transforms.followers``), streamed like ``scout
classify`` through flows/csv_stream.py (line-numbered errors, nothing written on failure)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from flows.csv_stream import (
    DEFAULT_CHUNK_ROWS,
    as_text_bool,
    empty_rows,
    model_inputs,
    parse_counts,
    row_error,
    stream_csv,
)
from transforms.follower_features import COUNT_INPUTS, TRUE_TEXT
from transforms.followers import OUTPUT_COLUMNS, score_followers

TEXT_COLUMNS = ("display_name", "bio")
PASSED_COLUMNS = ("handle", "external_url")
DATE_COLUMNS = ("created_at", "observed_at")
FLAG_COLUMN = "has_default_avatar"


@dataclass
class AuthenticitySummary:
    rows: int = 0
    fake: int = 0
    mass_followers: int = 0
    empty_rows: int = 0


def _dates(chunk: pd.DataFrame, column: str, first_row: int, path: Path) -> pd.Series:
    """A date column as UTC timestamps; text that is not a date is an error naming its line."""
    text = chunk[column].str.strip()
    dates = pd.to_datetime(text.where(text.ne("")), utc=True, errors="coerce", format="mixed")
    bad = (dates.isna() & text.ne("")).to_numpy().nonzero()[0]
    if bad.size:
        raise row_error(path, first_row + int(bad[0]), f"{column} is {chunk[column].iloc[bad[0]]!r}, not a date")
    return dates


def _flags(chunk: pd.DataFrame, first_row: int, path: Path) -> pd.Series:
    text = chunk[FLAG_COLUMN].str.strip().str.lower()
    bad = (~text.isin([*TRUE_TEXT, ""])).to_numpy().nonzero()[0]
    if bad.size:
        raise row_error(path, first_row + int(bad[0]),
                        f"{FLAG_COLUMN} is {chunk[FLAG_COLUMN].iloc[bad[0]]!r}, not true or false")
    return text


def authenticity_frame(chunk: pd.DataFrame, *, threshold: float, now: pd.Timestamp,
                       first_row: int, path: Path) -> pd.DataFrame:
    """One chunk: the input columns untouched plus OUTPUT_COLUMNS."""
    inputs = model_inputs(chunk, passed=PASSED_COLUMNS, texts=TEXT_COLUMNS)
    for column, values in parse_counts(chunk, COUNT_INPUTS, first_row, path).items():
        inputs[column] = values.astype(float)
    for column in DATE_COLUMNS:
        if column in chunk:
            inputs[column] = _dates(chunk, column, first_row, path)
    if FLAG_COLUMN in chunk:
        inputs[FLAG_COLUMN] = _flags(chunk, first_row, path)

    verdict = score_followers(inputs, now=now, threshold=threshold)
    empty = empty_rows(chunk)
    out = chunk.copy()
    out["fake_probability"] = verdict["fake_probability"].round(4).mask(empty)
    out["is_fake"] = as_text_bool(verdict["is_fake"]).mask(empty)
    out["follower_class"] = verdict["follower_class"].mask(empty)
    out["authenticity_evidence"] = verdict["authenticity_evidence"].map("; ".join).mask(empty)
    return out


def authenticity_csv(
    input_path: Path,
    output_path: Path,
    *,
    threshold: float = 0.5,
    now: pd.Timestamp | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    force: bool = False,
    on_chunk: Callable[[int], None] | None = None,
) -> AuthenticitySummary:
    """Judge every row of ``input_path`` into ``output_path`` (same rows, same order). Account
    age counts to a row's ``observed_at`` when given, else to ``now`` (default: this moment)."""
    now = now if now is not None else pd.Timestamp.now(tz="UTC")
    summary = AuthenticitySummary()

    def judge(chunk: pd.DataFrame, first_row: int) -> pd.DataFrame:
        result = authenticity_frame(chunk, threshold=threshold, now=now, first_row=first_row,
                                    path=input_path)
        summary.fake += int(result["follower_class"].eq("fake").sum())
        summary.mass_followers += int(result["follower_class"].eq("mass_follower").sum())
        summary.empty_rows += int(result["follower_class"].isna().sum())
        return result

    summary.rows = stream_csv(input_path, output_path, added_columns=OUTPUT_COLUMNS, transform=judge,
                              chunk_rows=chunk_rows, force=force, on_chunk=on_chunk)
    return summary
