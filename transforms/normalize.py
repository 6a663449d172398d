"""Clean and deduplicate profiles and posts before any metric is computed.

Scrapers report what platforms said; several observations of the same creator or post can
arrive in one run (search results, then a profile fetch). Metrics must see one row per key,
the latest one, with obviously impossible values (negative counts) turned into unknowns.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from transforms._keys import key_codes
from transforms._text import clean_text
from transforms.collab import with_collab_kind
from transforms.frames import POST_DTYPES, PROFILE_DTYPES, conform, ts_micros

PROFILE_KEY = ["platform", "creator_id"]
POST_KEY = ["platform", "post_id"]
_PROFILE_COUNTS = ["followers", "following", "posts_count"]
_POST_COUNTS = ["likes", "comments", "shares", "views"]
_URLS = ["avatar_url", "external_url", "profile_url"]


_BREAK_TAGS = r"(?i)<\s*(?:br\s*/?|/p|/div|/li)\s*>"
_ANY_TAG = r"<[^<>]{0,500}>"


def strip_html(s: pd.Series) -> pd.Series:
    """HTML bios (Mastodon notes, saved pages) as plain text; other rows are left as they are.

    Line-breaking tags become newlines, other tags go, entities are unescaped. Only rows that
    contain markup pay for it, so a million plain bios cost two vectorised scans.
    """
    s = s.astype("string")
    has_tag = s.str.contains("<", regex=False, na=False)
    has_entity = s.str.contains("&", regex=False, na=False)
    if not (has_tag.any() or has_entity.any()):
        return s
    out = s.copy()
    tagged = out[has_tag].str.replace(_BREAK_TAGS, "\n", regex=True).str.replace(_ANY_TAG, "", regex=True)
    out[has_tag] = tagged
    out[has_entity] = out[has_entity].map(html.unescape)
    return out


def _clean_key(s: pd.Series, *, lower: bool) -> pd.Series:
    """Identifiers trimmed (and maybe lowercased), "" -> NA. Arrow kernels: cheap on 30M rows."""
    s = s.str.strip()
    if lower:
        s = s.str.lower()
    return s.mask(s.str.len().eq(0))


def _duplicated_last(df: pd.DataFrame, key: list[str]) -> np.ndarray:
    """True for every row that a later row with the same key supersedes.

    Hashes the high-cardinality last key column once; when it is unique on its own (the
    usual case: post ids) nothing else needs hashing.
    """
    last_codes, uniques = key_codes(df[key[-1]])
    if len(uniques) == len(df):
        return np.zeros(len(df), dtype=bool)
    codes = pd.DataFrame({c: key_codes(df[c])[0] for c in key[:-1]} | {key[-1]: last_codes})
    return codes.duplicated(keep="last").to_numpy()


def _keep_last(df: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Drop rows without a key, then keep the latest observation of each key.

    "Latest" is by observed_at, ties broken by input order (later rows win).
    """
    keyed = df[key].notna().all(axis=1).to_numpy()
    if not keyed.all():
        df = df[keyed]
    obs = df["observed_at"]
    if not obs.is_monotonic_increasing:
        df = df.iloc[np.argsort(ts_micros(obs), kind="stable")]
    dup = _duplicated_last(df, key)
    return df[~dup] if dup.any() else df


def _non_negative(s: pd.Series) -> pd.Series:
    """Counts below zero are not counts: unknown."""
    return s.mask(s.lt(0).fillna(False))


def latest_profiles(df: pd.DataFrame) -> pd.DataFrame:
    """One row per (platform, creator_id), as it was observed last (by ``observed_at``, ties to
    the later row): the one observation both the stored profile and its score come from, so a
    tier never describes a follower count other than the one stored beside it."""
    return _keep_last(df, PROFILE_KEY).reset_index(drop=True)


def normalize_profiles(df: pd.DataFrame) -> pd.DataFrame:
    """One clean row per (platform, creator_id): the last observation.

    handle: lowercased, no leading "@"; display_name/bio: invisible characters removed and
    whitespace collapsed; empty strings -> NA; negative counts -> NA. Rows without a
    platform or creator_id are dropped. Columns and dtypes are PROFILE_COLUMNS.
    """
    out = conform(df, PROFILE_DTYPES)
    out["platform"] = _clean_key(out["platform"], lower=True)
    out["creator_id"] = _clean_key(out["creator_id"], lower=False)
    out = _keep_last(out, PROFILE_KEY).reset_index(drop=True)
    out["handle"] = clean_text(out["handle"]).str.lower().str.replace("^@+ ?", "", regex=True)
    out["handle"] = out["handle"].mask(out["handle"].str.len().eq(0))
    for col in ["display_name", "bio", *_URLS]:
        out[col] = clean_text(out[col])
    for col in _PROFILE_COUNTS:
        out[col] = _non_negative(out[col])
    return out


def normalize_posts(df: pd.DataFrame) -> pd.DataFrame:
    """One row per (platform, post_id), the last observation; timestamps in UTC.

    Negative counts -> NA; missing repost/sponsored flags -> False (the record default);
    a missing collab_kind is read from the text (transforms.collab).
    Keys are trimmed (platform also lowercased); rows without platform, post_id or
    creator_id are dropped. Text is kept verbatim ("" -> NA): cleaning 30M texts would cost
    more than the signals gain. Columns: POST_COLUMNS.
    """
    out = conform(df, POST_DTYPES)
    out["platform"] = _clean_key(out["platform"], lower=True)
    out["creator_id"] = _clean_key(out["creator_id"], lower=False)
    out["post_id"] = _clean_key(out["post_id"], lower=False)
    out = _keep_last(out, POST_KEY)
    if out["creator_id"].isna().any():
        out = out[out["creator_id"].notna()]
    out = out.reset_index(drop=True)
    for col in _POST_COUNTS:
        out[col] = _non_negative(out[col])
    for col in ["is_repost", "is_sponsored"]:
        out[col] = out[col].fillna(False)
    out["text"] = out["text"].mask(out["text"].str.len().eq(0))
    return with_collab_kind(out)
