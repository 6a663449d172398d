"""Engagement and cadence metrics per creator, over their most recent posts.

Definitions (METRICS_VERSION "engagement-v2"):

- The *sample* is the creator's last ``last_n`` posts of any kind, newest first by
  published_at (posts without a date count as the oldest). ``n_posts``,
  ``posts_per_week``, ``days_since_last_post``, ``sponsored_share`` and ``repost_share`` are
  computed over it.
- Per-post ER = (likes + comments [+ shares]) / followers, over the creator's last ``last_n``
  ORIGINAL posts (reposts carry someone else's engagement). Likes are required (a post with
  unknown likes has no ER); unknown comments or shares count as 0, because several platforms
  never report shares. ER is NA when followers is unknown or 0, or there is no such post.
  ``er_median`` and ``er_mean`` are fractions (0.034 = 3.4%).
- Video platforms also get ER by views, per post (likes + comments [+ shares]) / views over the
  same original posts, where views are known and > 0 (``er_views_median``, ``er_views_mean``;
  HypeAuditor's TikTok ER); NA where no post reports views. ``er_formula`` names the
  followers formula; the views formula is the same numerator over views.
- ``posts_per_week`` = dated posts in the sample / max(their time span, 7 days) * 7.
- ``days_since_last_post`` = now - newest post, in days, never negative (clock skew).

Everything is numpy (bincount, ufunc.at, one groupby median); only creators with more than
``last_n`` posts get their posts sorted. No per-post or per-creator Python.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from transforms.frames import (
    ENGAGEMENT_DTYPES,
    FLOAT,
    INT,
    STRING,
    as_utc,
    to_float,
    to_int,
    ts_micros,
)

METRICS_VERSION = "engagement-v2"  # v2: adds ER by views

FORMULAS: dict[str, tuple[str, ...]] = {
    "likes": ("likes",),
    "likes+comments": ("likes", "comments"),
    "likes+comments+shares": ("likes", "comments", "shares"),
}
DEFAULT_FORMULA = "likes+comments+shares"
DEFAULT_LAST_N = 50
MIN_SPAN_DAYS = 7.0

ENGAGEMENT_COLUMNS = list(ENGAGEMENT_DTYPES)

_US_PER_DAY = 86_400 * 1_000_000
_TIME_BITS = 40  # seconds since 1970 fit in 40 bits until the year 36812
_MAX_CREATORS_PACKED = 1 << (63 - _TIME_BITS)
NAT = np.iinfo(np.int64).min


def er_formula_label(formula: str) -> str:
    """The formula as stored with each score, e.g. "likes+comments+shares/followers"."""
    check_formula(formula)
    return f"{formula}/followers"


def check_formula(formula: str) -> tuple[str, ...]:
    """The count columns a formula adds up; ValueError naming the known ones otherwise."""
    try:
        return FORMULAS[formula]
    except KeyError:
        known = ", ".join(FORMULAS)
        raise ValueError(f"unknown ER formula {formula!r}; known formulas: {known}") from None


def _newest_first(pos: np.ndarray, t_us: np.ndarray) -> np.ndarray:
    """Order of the rows by creator, then newest first, undated last; ties keep input order."""
    has_t = t_us != NAT
    secs = np.where(has_t, np.clip(t_us // 1_000_000, 1, (1 << _TIME_BITS) - 1), 0)
    age = ((1 << _TIME_BITS) - 1) - secs  # newest first, undated (secs=0) last
    if pos.size and pos.max() < _MAX_CREATORS_PACKED:
        return np.argsort((pos << _TIME_BITS) | age, kind="stable")
    return np.lexsort((age, pos))


def _within_last_n(pos: np.ndarray, t_us: np.ndarray, flag: np.ndarray, last_n: int) -> np.ndarray:
    """Flagged rows that are among their creator's `last_n` newest flagged rows.

    Only creators with more than `last_n` flagged rows need ordering, so only their rows are
    sorted: with the usual <= 50 posts per creator that is a small part of 30M.
    """
    keep = flag.copy()
    if not flag.any():
        return keep
    counts = np.bincount(pos[flag], minlength=int(pos.max()) + 1)  # creators after the last flagged one count 0
    crowded = np.flatnonzero(flag & (counts[np.maximum(pos, 0)] > last_n))
    if crowded.size:
        order = crowded[_newest_first(pos[crowded], t_us[crowded])]
        g = pos[order]
        start = np.empty(g.size, dtype=bool)
        start[0] = True
        np.not_equal(g[1:], g[:-1], out=start[1:])
        first = np.flatnonzero(start)
        rank = np.arange(g.size) - first[np.cumsum(start) - 1]
        keep[order[rank >= last_n]] = False
    return keep


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _nullable_float(arr: np.ndarray) -> pd.arrays.FloatingArray:
    arr = np.where(np.isfinite(arr), arr, np.nan)
    return pd.array(arr, dtype=FLOAT)


def _numerator(posts: pd.DataFrame, parts: tuple[str, ...]) -> np.ndarray:
    """likes [+ comments [+ shares]] as floats; NaN where likes is unknown."""
    likes = to_int(posts["likes"]).to_numpy(dtype="float64", na_value=np.nan)
    total = likes.copy()
    for col in parts[1:]:
        total += to_int(posts[col]).to_numpy(dtype="float64", na_value=0.0)
    return total


def _sample_stats(
    pos: np.ndarray, t: np.ndarray, in_sample: np.ndarray, posts: pd.DataFrame, n: int
) -> dict[str, np.ndarray]:
    """n_posts, shares and cadence over each creator's sample."""
    repost = posts["is_repost"].to_numpy(dtype=bool, na_value=False)[in_sample]
    sponsored = posts["is_sponsored"].to_numpy(dtype=bool, na_value=False)[in_sample]
    g = pos[in_sample]
    n_posts = np.bincount(g, minlength=n)

    dated = in_sample & (t != NAT)
    gd, td = pos[dated], t[dated]
    n_dated = np.bincount(gd, minlength=n)
    t_max = np.full(n, NAT, dtype=np.int64)
    t_min = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.maximum.at(t_max, gd, td)
    np.minimum.at(t_min, gd, td)
    has = n_dated > 0
    span_days = np.where(has, (t_max - np.where(has, t_min, 0)) / _US_PER_DAY, np.nan)
    per_week = _ratio(n_dated * 7.0, np.maximum(span_days, MIN_SPAN_DAYS))
    return {
        "n_posts": n_posts,
        "posts_per_week": np.where(has, per_week, np.nan),
        "t_max": np.where(has, t_max, 0),
        "has_dated": has,
        "sponsored_share": _ratio(np.bincount(g, weights=sponsored, minlength=n), n_posts),
        "repost_share": _ratio(np.bincount(g, weights=repost, minlength=n), n_posts),
    }


def _er_stats(
    pos: np.ndarray, in_er: np.ndarray, num: np.ndarray, den: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """(median, mean) of per-post ER = num / den per creator; NaN where there is none.

    ``den`` is per post: the creator's followers, or the post's own views.
    """
    g = pos[in_er]
    er = num[in_er] / den[in_er]
    ok = np.isfinite(er)
    g, er = g[ok], er[ok]
    mean = _ratio(np.bincount(g, weights=er, minlength=n), np.bincount(g, minlength=n))
    median = np.full(n, np.nan)
    if g.size:
        med = pd.Series(er).groupby(g, sort=False).median()
        median[med.index.to_numpy()] = med.to_numpy()
    return median, mean


def er_sample(posts: pd.DataFrame, pos: np.ndarray, last_n: int) -> np.ndarray:
    """The posts ER is measured over: each creator's last ``last_n`` original posts (a mask)."""
    original = ~posts["is_repost"].to_numpy(dtype=bool, na_value=False)
    return _within_last_n(pos, ts_micros(posts["published_at"]), (pos >= 0) & original, last_n)


def engagement_from_positions(
    creators: pd.DataFrame,
    posts: pd.DataFrame,
    pos: np.ndarray,
    *,
    now: datetime,
    formula: str,
    last_n: int,
) -> pd.DataFrame:
    """One row per creator of ``creators`` (unique, in their order), columns ENGAGEMENT_COLUMNS;
    ``pos`` is each post's creator row (-1 = none: ignored). See the module docstring for the
    exact definitions."""
    parts = check_formula(formula)
    if last_n < 1:
        raise ValueError(f"last_n must be at least 1, got {last_n}")
    n = len(creators)
    t = ts_micros(posts["published_at"])
    in_sample = _within_last_n(pos, t, pos >= 0, last_n)
    in_er = er_sample(posts, pos, last_n)

    stats = _sample_stats(pos, t, in_sample, posts, n)
    now_us = int(as_utc(now).value // 1000)
    days_since = np.maximum((now_us - stats["t_max"]) / _US_PER_DAY, 0.0)
    followers = to_float(creators["followers"]).to_numpy(dtype="float64", na_value=np.nan)
    followers = np.where(followers > 0, followers, np.nan)
    numerator = _numerator(posts, parts)
    # with no creators at all there is no row to point at: every post is someone else's (-1)
    per_post = followers[np.maximum(pos, 0)] if n else np.full(pos.size, np.nan)
    median, mean = _er_stats(pos, in_er, numerator, per_post, n)
    views = to_int(posts["views"]).to_numpy(dtype="float64", na_value=np.nan)
    views_median, views_mean = _er_stats(pos, in_er, numerator, np.where(views > 0, views, np.nan), n)

    index = pd.RangeIndex(n)
    return pd.DataFrame(
        {
            "platform": creators["platform"].array,
            "creator_id": creators["creator_id"].array,
            "n_posts": pd.array(stats["n_posts"], dtype=INT),
            "er_median": _nullable_float(median),
            "er_mean": _nullable_float(mean),
            "er_formula": pd.Series(er_formula_label(formula), index=index, dtype=STRING),
            "er_views_median": _nullable_float(views_median),
            "er_views_mean": _nullable_float(views_mean),
            "posts_per_week": _nullable_float(stats["posts_per_week"]),
            "days_since_last_post": _nullable_float(
                np.where(stats["has_dated"], days_since, np.nan)
            ),
            "sponsored_share": _nullable_float(stats["sponsored_share"]),
            "repost_share": _nullable_float(stats["repost_share"]),
        },
        index=index,
    )
