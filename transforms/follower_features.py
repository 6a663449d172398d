"""The follower model's inputs: a few numbers every platform shows about an account.

Only what Bluesky, Mastodon, YouTube, Instagram and TikTok profiles all carry (counts, bio,
avatar, creation date, handle, link, display name), so a model trained on 2013 Twitter can
score any of them. A feature whose column is absent, or whose value is unknown, is NaN: the
scorer reads it as the training mean, so it pushes neither way (an empty bio is known: 0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# key -> what a high value means, in words (the evidence line says "many"/"few" from this)
FEATURES: dict[str, str] = {
    "log_followers": "followers",
    "log_following": "accounts followed",
    "log_posts": "posts",
    "following_per_follower": "accounts followed per follower",
    "posts_per_follower": "posts per follower",
    "log_age_days": "days since the account was created",
    "posts_per_day": "posts per day since creation",
    "has_bio": "bio present",
    "bio_length": "bio length",
    "bio_first_person": "first person in the bio (I, my, me)",
    "bio_link_or_mention": "a link, @mention or #tag in the bio",
    "default_avatar": "default avatar",
    "external_link": "external link on the profile",
    "has_display_name": "display name present",
    "handle_length": "handle length",
    "handle_digits": "digits in the handle",
    "handle_trailing_digits": "handle ending in 2 or more digits",
}
KEYS = list(FEATURES)
COUNT_INPUTS = ("followers", "following", "posts")
FIRST_PERSON = r"(?i)(?:^|[^a-z0-9_'])(?:i|i'm|im|my|me|mine)(?:$|[^a-z0-9_'])"
LINK_OR_MENTION = r"(?i)https?://|www\.|(?:^|\s)[@#][a-z0-9_]"
TRUE_TEXT = {"true": 1.0, "1": 1.0, "yes": 1.0, "false": 0.0, "0": 0.0, "no": 0.0}  # yes/no cells


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(np.nan, index=frame.index)
    return pd.to_numeric(frame[column], errors="coerce").astype(float)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """The column as stripped text, NaN where the column is absent (unknown), "" where empty."""
    if column not in frame:
        return pd.Series(np.nan, index=frame.index, dtype=object)
    return frame[column].astype("string").fillna("").str.strip().astype(object)


def _known(values: pd.Series, present: pd.Series) -> pd.Series:
    return values.astype(float).where(present.notna(), np.nan)


def account_age_days(frame: pd.DataFrame, now: pd.Timestamp) -> pd.Series:
    """Days from ``created_at`` to ``observed_at`` (a column, when the rows carry one) or
    ``now``: the age when the account was seen, not today (a 2013 follower was young then)."""
    if "created_at" not in frame:
        return pd.Series(np.nan, index=frame.index)
    created = pd.to_datetime(frame["created_at"], utc=True, errors="coerce")
    seen = pd.Series(now, index=frame.index)
    if "observed_at" in frame:
        seen = pd.to_datetime(frame["observed_at"], utc=True, errors="coerce").fillna(now)
    return ((seen - created).dt.total_seconds() / 86_400).clip(lower=0)


def follower_features(frame: pd.DataFrame, now: pd.Timestamp) -> pd.DataFrame:
    """One float column per FEATURES key (NaN where unknown), vectorised."""
    followers, following, posts = (_numbers(frame, c) for c in COUNT_INPUTS)
    age = account_age_days(frame, now)
    bio, handle, name = _text(frame, "bio"), _text(frame, "handle"), _text(frame, "display_name")
    link = _text(frame, "external_url")
    bio_s, handle_s = bio.fillna("").astype(str), handle.fillna("").astype(str).str.lstrip("@")
    out = pd.DataFrame(index=frame.index)
    out["log_followers"] = np.log1p(followers)
    out["log_following"] = np.log1p(following)
    out["log_posts"] = np.log1p(posts)
    out["following_per_follower"] = np.log1p(following) - np.log1p(followers)
    out["posts_per_follower"] = np.log1p(posts) - np.log1p(followers)
    out["log_age_days"] = np.log1p(age)
    out["posts_per_day"] = np.log1p(posts / np.maximum(age, 1.0))
    out["has_bio"] = _known(bio_s.ne(""), bio)
    out["bio_length"] = _known(np.log1p(bio_s.str.len()), bio)
    out["bio_first_person"] = _known(bio_s.str.contains(FIRST_PERSON, regex=True), bio)
    out["bio_link_or_mention"] = _known(bio_s.str.contains(LINK_OR_MENTION, regex=True), bio)
    out["default_avatar"] = _flags(frame, "has_default_avatar")
    out["external_link"] = _known(link.fillna("").astype(str).ne(""), link)
    out["has_display_name"] = _known(name.fillna("").astype(str).ne(""), name)
    out["handle_length"] = _known(handle_s.str.len(), handle).where(handle_s.ne(""), np.nan)
    out["handle_digits"] = _known(handle_s.str.count(r"[0-9]"), handle).where(handle_s.ne(""), np.nan)
    out["handle_trailing_digits"] = _known(handle_s.str.contains(r"[0-9]{2}$", regex=True),
                                           handle).where(handle_s.ne(""), np.nan)
    return out[KEYS]


def _flags(frame: pd.DataFrame, column: str) -> pd.Series:
    """A yes/no column (bools, or "True"/"false"/"1"/"0" text) as 1.0 / 0.0, NaN if unknown."""
    if column not in frame:
        return pd.Series(np.nan, index=frame.index)
    values = frame[column]
    if pd.api.types.is_bool_dtype(values):
        return values.astype(float)
    return values.astype("string").str.strip().str.lower().map(TRUE_TEXT).astype(float)
