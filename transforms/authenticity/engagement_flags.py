"""Engagement flags over each creator's recent original posts: too few or too many comments for
the likes, ER far outside the tier, likes too uniform or too spiky. Bought likes arrive without
comments, in round batches, and lift ER beyond what the tier's real creators reach; pods comment
on everything.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from transforms.authenticity.records import by_severity, flag_frame, fmt
from transforms.frames import to_int

#: Comments per 100 likes below this share of the platform-and-tier norm: medium; below HIGH: high.
FEW_COMMENTS_MEDIUM = 0.25
FEW_COMMENTS_HIGH = 0.1
#: Above this multiple of the norm: medium; above HIGH: high (engagement pods).
MANY_COMMENTS_MEDIUM = 3.0
MANY_COMMENTS_HIGH = 5.0
#: Too little to judge below these: posts that report comments, and their mean likes (with fewer
#: likes a post's expected comments round to none, so no comments would mean nothing).
MIN_POSTS_FOR_COMMENTS = 3
MIN_LIKES_PER_POST = 25
#: Robust z-score of log ER against the tier: above HIGH high, above MEDIUM medium, below -LOW low.
ER_Z_HIGH = 3.5
ER_Z_MEDIUM = 2.5
ER_Z_LOW = 3.5
#: Likes over at least MIN_POSTS_FOR_SHAPE posts with a mean of at least MIN_MEAN_LIKES:
#: a coefficient of variation below UNIFORM_CV is machine-like; max/median above SPIKE_RATIO is spiky.
MIN_POSTS_FOR_SHAPE = 8
MIN_MEAN_LIKES = 20.0
UNIFORM_CV = 0.1
SPIKE_RATIO = 10.0


def post_stats(posts: pd.DataFrame, pos: np.ndarray, sample: np.ndarray, n: int) -> pd.DataFrame:
    """Per creator (n rows) over the sampled posts: likes and comments where both are known,
    and the shape of the known likes (count, mean, std, median, max)."""
    likes = to_int(posts["likes"]).to_numpy(dtype="float64", na_value=np.nan)
    comments = to_int(posts["comments"]).to_numpy(dtype="float64", na_value=np.nan)
    both = sample & np.isfinite(likes) & np.isfinite(comments)
    g = pos[both]
    known = sample & np.isfinite(likes)
    shape = (pd.Series(likes[known]).groupby(pos[known]).agg(["count", "mean", "std", "median", "max"])
             .reindex(range(n)))
    return pd.DataFrame({
        "likes_with_comments": np.bincount(g, weights=likes[both], minlength=n),
        "comments": np.bincount(g, weights=comments[both], minlength=n),
        "posts_with_comments": np.bincount(g, minlength=n),
        "likes_posts": shape["count"].fillna(0).to_numpy(),
        "likes_mean": shape["mean"].to_numpy(), "likes_std": shape["std"].to_numpy(),
        "likes_median": shape["median"].to_numpy(), "likes_max": shape["max"].to_numpy(),
    })


def _comments_per_100_likes(stats: pd.DataFrame) -> np.ndarray:
    """Comments per 100 likes where the platform reports comments and there are enough likes to
    judge (NaN elsewhere)."""
    likes, n_posts = stats["likes_with_comments"].to_numpy(), stats["posts_with_comments"].to_numpy()
    enough = (n_posts >= MIN_POSTS_FOR_COMMENTS) & (likes >= MIN_LIKES_PER_POST * n_posts)
    return np.where(enough, 100.0 * stats["comments"].to_numpy() / np.where(enough, likes, 1.0), np.nan)


def _comments_evidence(cpl: np.ndarray, norms: pd.DataFrame, platform: pd.Series, tier: pd.Series,
                       rows: np.ndarray) -> pd.Series:
    return (fmt(cpl[rows], ".1f") + " comments per 100 likes; " + _cell(platform, tier, rows)
            + " median " + fmt(norms["comments_per_100_likes"].to_numpy()[rows], ".1f")
            + " (" + norms["cpl_source"].to_numpy()[rows] + ")")


def few_comments(stats: pd.DataFrame, norms: pd.DataFrame, platform: pd.Series, tier: pd.Series) -> pd.DataFrame:
    """Comments per 100 likes far below the platform-and-tier norm (bought likes); only where the
    platform reports comments and there are enough likes to judge."""
    cpl, norm = _comments_per_100_likes(stats), norms["comments_per_100_likes"].to_numpy()
    with np.errstate(invalid="ignore"):
        severity = by_severity(cpl < norm * FEW_COMMENTS_HIGH, cpl < norm * FEW_COMMENTS_MEDIUM)
    rows = np.flatnonzero(severity != "")
    threshold = np.where(severity[rows] == "high", FEW_COMMENTS_HIGH, FEW_COMMENTS_MEDIUM) * norm[rows]
    evidence = _comments_evidence(cpl, norms, platform, tier, rows)
    return flag_frame(rows, "few_comments", severity[rows], cpl[rows], threshold, evidence.to_numpy())


def many_comments(stats: pd.DataFrame, norms: pd.DataFrame, platform: pd.Series, tier: pd.Series) -> pd.DataFrame:
    """Comments per 100 likes far above the platform-and-tier norm: an engagement pod, whose members
    comment on every post (organic creators stay within about 1.3x of the norm in the sandbox,
    and a giveaway's comment burst is one post of many)."""
    cpl, norm = _comments_per_100_likes(stats), norms["comments_per_100_likes"].to_numpy()
    with np.errstate(invalid="ignore"):
        severity = by_severity(cpl > norm * MANY_COMMENTS_HIGH, cpl > norm * MANY_COMMENTS_MEDIUM)
    rows = np.flatnonzero(severity != "")
    threshold = np.where(severity[rows] == "high", MANY_COMMENTS_HIGH, MANY_COMMENTS_MEDIUM) * norm[rows]
    evidence = _comments_evidence(cpl, norms, platform, tier, rows) + " (comment pods comment on every post)"
    return flag_frame(rows, "many_comments", severity[rows], cpl[rows], threshold, evidence.to_numpy())


def er_outlier(er_median: np.ndarray, norms: pd.DataFrame, platform: pd.Series, tier: pd.Series) -> pd.DataFrame:
    """Median ER far outside the tier's distribution: robust z-score of log ER (median/MAD)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (np.log(np.where(er_median > 0, er_median, np.nan)) - norms["log_er_median"].to_numpy()) \
            / norms["log_er_sigma"].to_numpy()
        severity = by_severity(z > ER_Z_HIGH, z > ER_Z_MEDIUM, z < -ER_Z_LOW)
    rows = np.flatnonzero(severity != "")
    threshold = np.select([severity[rows] == "high", severity[rows] == "medium"], [ER_Z_HIGH, ER_Z_MEDIUM], -ER_Z_LOW)
    direction = np.where(z[rows] > 0, " above ", " below ")
    evidence = ("median ER " + fmt(100 * er_median[rows], ".1f") + "%, robust z " + fmt(z[rows], "+.1f")
                + ";" + pd.Series(direction, dtype=object) + _cell(platform, tier, rows) + " median "
                + fmt(100 * np.exp(norms["log_er_median"].to_numpy()[rows]), ".1f") + "% ("
                + norms["er_source"].to_numpy()[rows] + ")")
    return flag_frame(rows, "er_outlier", severity[rows], z[rows], threshold, evidence.to_numpy())


def likes_shape(stats: pd.DataFrame) -> pd.DataFrame:
    """Likes suspiciously uniform (coefficient of variation) or spiky (max over median)."""
    count, mean = stats["likes_posts"].to_numpy(), stats["likes_mean"].to_numpy()
    judged = (count >= MIN_POSTS_FOR_SHAPE) & (mean >= MIN_MEAN_LIKES)
    with np.errstate(divide="ignore", invalid="ignore"):
        cv = np.where(judged, stats["likes_std"].to_numpy() / mean, np.nan)
        median = stats["likes_median"].to_numpy()
        spike = np.where(judged & (median > 0), stats["likes_max"].to_numpy() / median, np.nan)
        uniform_rows, spiky_rows = np.flatnonzero(cv < UNIFORM_CV), np.flatnonzero(spike > SPIKE_RATIO)
    n_posts = count.astype(np.int64)
    uniform = flag_frame(uniform_rows, "likes_uniform", "medium", cv[uniform_rows], UNIFORM_CV,
                         ("likes vary by only " + fmt(100 * cv[uniform_rows], ".0f") + "% across "
                          + fmt(n_posts[uniform_rows], ".0f") + " posts (organic posts vary far more)").to_numpy())
    spiky = flag_frame(spiky_rows, "likes_spiky", "low", spike[spiky_rows], SPIKE_RATIO,
                       ("best post has " + fmt(spike[spiky_rows], ".0f") + "x the median likes over "
                        + fmt(n_posts[spiky_rows], ".0f") + " posts").to_numpy())
    return pd.concat([uniform, spiky], ignore_index=True)


def _cell(platform: pd.Series, tier: pd.Series, rows: np.ndarray) -> pd.Series:
    """"nano accounts on mastodon" for each row, for the evidence lines."""
    t = tier.astype(object).to_numpy()[rows]
    p = platform.astype(object).to_numpy()[rows]
    return pd.Series([f"{a or 'untiered'} accounts on {b}" for a, b in zip(t, p, strict=True)], dtype=object)
