"""The model's inputs: typed columns of a frame, the cleaned text fields, the first-name lexicon."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from transforms._text import (
    _arrow,
    clean_text,
    empty_strings,
    fold,
    from_arrow,
)
from transforms.account_words import (
    SHOP_MY,
)
from transforms.frames import to_bool, to_float, to_string

NUMBER_COLUMNS = ("followers", "following", "posts_per_week", "repost_share", "credit_share",
                  "first_person_post_share")

# ---------------------------------------------------------------- inputs


def column(df: pd.DataFrame, name: str) -> pd.Series | None:
    """The column if the frame has it."""
    return df[name] if name in df.columns else None


def text_column(df: pd.DataFrame, name: str, assume_clean: bool = False,
                one_chunk: bool = True) -> pd.Series:
    """A cleaned text column (all NA when absent), by default in one Arrow chunk.

    One chunk matters: a frame glued from many small ones (pd.concat of batches) has as
    many chunks, and pyarrow compiles each regex again for every chunk.
    """
    col = column(df, name)
    if col is None:
        return empty_strings(len(df), df.index)
    text = to_string(col)
    if one_chunk:
        text = from_arrow(_arrow(text).combine_chunks(), text.index)
    return text if assume_clean else clean_text(text)


def number_column(df: pd.DataFrame, name: str) -> np.ndarray:
    """A float column (NaN when absent, null or not a number)."""
    col = column(df, name)
    if col is None:
        return np.full(len(df), np.nan)
    return to_float(col).to_numpy(dtype="float64", na_value=np.nan)


def bool_column(df: pd.DataFrame, name: str) -> np.ndarray:
    """1.0 / 0.0 / NaN (unknown) from a nullable boolean-ish column."""
    col = column(df, name)
    if col is None:
        return np.full(len(df), np.nan)
    return to_bool(col).astype("Float64").to_numpy(dtype="float64", na_value=np.nan)


@dataclass(frozen=True)
class Fields:
    """The inputs every signal reads, prepared once: folded text and float counts."""

    n: int
    columns: frozenset[str]  # the input's columns: an absent one is unknown, not empty
    name_cased: pd.Series  # ASCII-folded, case kept
    name: pd.Series  # folded, lowercased
    handle_cased: pd.Series  # folded, no "@", no ".bsky.social" / "@instance"
    handle: pd.Series  # the same, lowercased
    handle_words: pd.Series  # "NCSUStudyAbroad" -> "ncsu study abroad" (camelCase split)
    bio_cased: pd.Series
    bio: pd.Series
    post_cased: pd.Series  # one sample post's text, folded
    post: pd.Series  # the same, lowercased
    num: dict[str, np.ndarray]  # NUMBER_COLUMNS and "posts", NaN = unknown
    is_bot: np.ndarray  # 1 / 0 / NaN
    face: np.ndarray  # face_in_avatar: 1 / 0 / NaN


def _split_words(text: pd.Series) -> pd.Series:
    """camelCase, digits and underscores split into lowercase words."""
    t = text.str.replace("([a-z])([A-Z])", "\\1 \\2", regex=True)
    t = t.str.replace("([A-Z]+)([A-Z][a-z])", "\\1 \\2", regex=True)
    return t.str.replace("[^A-Za-z]+", " ", regex=True).str.strip().str.lower()


def prepare(df: pd.DataFrame, *, assume_clean: bool = False) -> Fields:
    """Fold and lowercase the text columns, read the numbers; every column is optional."""
    name_cased = fold(text_column(df, "display_name", assume_clean))
    bio_cased = fold(text_column(df, "bio", assume_clean))
    handle_cased = fold(text_column(df, "handle", assume_clean))
    # "@maya.bsky.social" -> "maya", "maya@mastodon.social" -> "maya"
    handle_cased = handle_cased.str.replace("^@+", "", regex=True).str.replace(
        "[@.].*$", "", regex=True)
    post_cased = fold(text_column(df, "sample_post"))
    num = {c: number_column(df, c) for c in NUMBER_COLUMNS}
    posts = number_column(df, "posts_count")
    num["posts"] = np.where(np.isnan(posts), number_column(df, "posts"), posts)
    return Fields(
        n=len(df),
        columns=frozenset(map(str, df.columns)),
        name_cased=name_cased,
        name=name_cased.str.lower(),
        handle_cased=handle_cased,
        handle=handle_cased.str.lower(),
        handle_words=_split_words(handle_cased),
        bio_cased=bio_cased,
        bio=bio_cased.str.lower().str.replace(SHOP_MY, r"shop_\1 ", regex=True),
        post_cased=post_cased,
        post=post_cased.str.lower(),
        num=num,
        is_bot=bool_column(df, "is_bot"),
        face=bool_column(df, "face_in_avatar"),
    )


# ---------------------------------------------------------------- first-name lexicon


class Lexicon:
    """Given names with a strength in (0, 1]: how common the name is (log scale).

    Built by the training script and stored in the model file, so inference needs no
    package and the model always runs with the lexicon it was trained with.
    """

    def __init__(self, names: np.ndarray, strength: np.ndarray) -> None:
        order = np.argsort(names, kind="stable")
        self.names = np.asarray(names, dtype=str)[order]
        self.strength = np.asarray(strength, dtype=np.float32)[order]
        self._set = pa.array(self.names.tolist(), pa.large_string())

    def __len__(self) -> int:
        return len(self.names)

    def lookup(self, tokens: pd.Series) -> np.ndarray:
        """Strength of each token (0 when it is not a name or is NA)."""
        if len(tokens) == 0:
            return np.zeros(0, dtype=np.float32)
        idx = pc.index_in(_arrow(to_string(tokens)), value_set=self._set)
        idx = np.asarray(pc.fill_null(idx, -1).to_numpy(), dtype=np.int64)
        return np.where(idx >= 0, self.strength[np.maximum(idx, 0)], 0.0).astype(np.float32)


