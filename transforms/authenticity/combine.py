"""All authenticity checks for a set of scored creators, and the authenticity score (authenticity-v2).

authenticity_score = max(0, 100 - sum of penalties), a high flag costing 40, medium 15, low 5
(``records.SEVERITY_PENALTY``); a creator without any flag scores 100. The flags are stored as a
JSON list of {name, severity, value, threshold, evidence}, worst first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from transforms.authenticity.ad_network import ad_network_flags
from transforms.authenticity.benchmarks import benchmarks_for
from transforms.authenticity.engagement_flags import (
    er_outlier,
    few_comments,
    likes_shape,
    many_comments,
    post_stats,
)
from transforms.authenticity.growth import follower_history, follower_jumps
from transforms.authenticity.profile_flags import following_flags, new_account
from transforms.authenticity.records import (
    AUTHENTICITY_VERSION,
    SEVERITY_PENALTY,
    empty_flags,
)
from transforms.frames import FLOAT, STRING

_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class AuthenticityContext:
    """What the warehouse knows beyond the batch: the ``tier_benchmarks`` rows and the follower
    snapshots (platform, creator_id, observed_at, followers). Each may be None: the checks then
    use fallbacks or skip."""

    benchmarks: pd.DataFrame | None = None
    snapshots: pd.DataFrame | None = None


def all_flags(
    creators: pd.DataFrame, posts: pd.DataFrame, pos: np.ndarray, sample: np.ndarray, metrics: pd.DataFrame,
    tier: pd.Series, *, now: datetime, context: AuthenticityContext,
) -> pd.DataFrame:
    """Every per-batch check's flag frame, concatenated (one row per raised flag); ad_network is
    decided over the whole warehouse once the run is loaded (``rescore_ad_network``)."""
    n = len(creators)
    platform = creators["platform"]
    norms = benchmarks_for(platform, tier, context.benchmarks)
    stats = post_stats(posts, pos, sample, n)
    er_median = metrics["er_median"].to_numpy(dtype="float64", na_value=np.nan)
    history = follower_history(creators, context.snapshots, now)
    frames = [
        few_comments(stats, norms, platform, tier), many_comments(stats, norms, platform, tier), er_outlier(er_median, norms, platform, tier),
        likes_shape(stats), follower_jumps(history, n, now), following_flags(creators), new_account(creators, now),
    ]
    return pd.concat([empty_flags(), *frames], ignore_index=True)


def authenticity_columns(flags: pd.DataFrame, n: int) -> pd.DataFrame:
    """authenticity_score, authenticity_flags (JSON) and authenticity_version for n creators."""
    flags = flags.assign(rank=flags["severity"].map(_SEVERITY_ORDER)).sort_values(
        ["row", "rank", "name"], kind="stable")
    penalty = np.bincount(flags["row"].to_numpy(dtype=np.int64),
                          weights=flags["severity"].map(SEVERITY_PENALTY).to_numpy(dtype="float64"), minlength=n)
    records = flags.drop(columns=["rank"]).to_dict(orient="records")
    lists: list[list[dict]] = [[] for _ in range(n)]
    for record in records:
        lists[record.pop("row")].append(record)
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    return pd.DataFrame({
        "authenticity_score": pd.array(np.maximum(0.0, 100.0 - penalty), dtype=FLOAT),
        "authenticity_flags": pd.array([dumps(f) for f in lists], dtype=STRING),
        "authenticity_version": pd.array([AUTHENTICITY_VERSION] * n, dtype=STRING),
    })


def rescore_ad_network(scores: pd.DataFrame, posts: pd.DataFrame | Iterable[pd.DataFrame]) -> pd.DataFrame:
    """The ad_network check over every creator at once, applied to their stored scores: ``scores``
    (platform, creator_id, run_id, sponsored_share, authenticity_flags JSON) with their recent
    ``posts`` (platform, creator_id, text, is_sponsored, is_repost; one frame or several). Returns the rows of ``scores``
    whose flags change (platform, creator_id, run_id, authenticity_score, authenticity_flags), the
    other flags kept as stored. Only creators flagged before or now can change, so only their
    flags are read and written again (at a million creators, the others were most of the pass)."""
    scores = scores.reset_index(drop=True)
    network = ad_network_flags(scores, posts)
    was_flagged = scores["authenticity_flags"].str.contains('"ad_network"', regex=False)
    touched = np.union1d(np.flatnonzero(was_flagged.to_numpy(dtype=bool, na_value=False)),
                         network["row"].to_numpy(dtype=np.int64))
    scores = scores.iloc[touched].reset_index(drop=True)
    network = network.assign(row=np.searchsorted(touched, network["row"].to_numpy(dtype=np.int64)))
    stored = pd.DataFrame([{"row": row, **flag} for row, text in enumerate(scores["authenticity_flags"])
                           for flag in json.loads(text) if flag["name"] != "ad_network"], columns=empty_flags().columns)
    flags = pd.concat([empty_flags(), stored, network], ignore_index=True)
    columns = authenticity_columns(flags, len(scores))
    changed = columns["authenticity_flags"].to_numpy() != scores["authenticity_flags"].to_numpy(dtype=object)
    key = scores.loc[changed, ["platform", "creator_id", "run_id"]].reset_index(drop=True)
    return pd.concat([key, columns.loc[changed, ["authenticity_score", "authenticity_flags"]].reset_index(drop=True)], axis=1)
