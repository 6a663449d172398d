"""Audience credibility: a creator's sampled followers, classified, as one row per creator.

Pure and vectorised: follower samples in, ``audience_audits`` rows out. ``real_share`` is the
share of the sample the follower model calls real (neither bought nor a mass follower), with
its Wilson 95% interval, which stays inside [0, 1] and honest for small samples and shares
near 0 or 1. A platform that lists no followers gives a row of nulls with its reason: an
unknown audience is never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from core.records import FollowerSample
from transforms.follower_model import load_follower_model
from transforms.followers import score_followers
from transforms.frames import AUDIT_DTYPES, to_utc

Z_95 = 1.959964  # two-sided 95% normal quantile
NO_FOLLOWERS = "no followers to sample"
# follower_class -> the share it is counted in
CLASSES = {"real": "real", "fake": "fake", "mass_follower": "mass"}
FOLLOWER_COLUMNS = ("platform", "creator_id", "handle", "display_name", "bio", "followers", "following",
                    "posts", "created_at", "external_url", "has_default_avatar")


def wilson_interval(successes: np.ndarray, n: np.ndarray, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval of ``successes`` out of ``n`` (NaN where n is 0)."""
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.asarray(successes, dtype=float) / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def followers_frame(samples: Sequence[FollowerSample]) -> pd.DataFrame:
    """One row per sampled follower, in the follower model's input columns, keyed by the
    audited creator (``platform``, ``creator_id``). No avatar is the platform's default one."""
    rows = [(s.platform, s.creator_id, f.profile.handle, f.profile.display_name, f.profile.bio,
             f.profile.followers, f.profile.following, f.profile.posts_count, f.created_at,
             f.profile.external_url, f.profile.avatar_url is None)
            for s in samples for f in s.followers]
    frame = pd.DataFrame(rows, columns=list(FOLLOWER_COLUMNS))
    frame["created_at"] = to_utc(frame["created_at"])
    for count in ("followers", "following", "posts"):
        frame[count] = frame[count].astype("Float64")
    return frame


def audience_audits(samples: Sequence[FollowerSample], *, now: pd.Timestamp) -> pd.DataFrame:
    """One ``audience_audits`` row per sample (without ``run_id``, which the warehouse adds)."""
    frame = followers_frame(samples)
    classes = score_followers(frame, now=now)["follower_class"] if len(frame) else pd.Series(dtype=object)
    one_hot = pd.get_dummies(classes).reindex(columns=list(CLASSES), fill_value=0).astype(int)
    wanted = pd.MultiIndex.from_arrays([[s.platform for s in samples], [s.creator_id for s in samples]])
    counts = one_hot.groupby([frame["platform"], frame["creator_id"]]).sum().reindex(wanted, fill_value=0)
    n = counts.sum(axis=1).to_numpy(dtype=float)
    low, high = wilson_interval(counts["real"].to_numpy(dtype=float), n)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = {f"{name}_share": counts[cls].to_numpy(dtype=float) / n for cls, name in CLASSES.items()}
    out = pd.DataFrame({
        "platform": [s.platform for s in samples],
        "creator_id": [s.creator_id for s in samples],
        "audited_at": now,
        "sample_size": n,
        **shares,
        "ci_low": low,
        "ci_high": high,
        "model_version": np.where(n > 0, load_follower_model().version, None),
        "reason": [s.reason or (None if s.followers else NO_FOLLOWERS) for s in samples],
    })
    return out.astype(AUDIT_DTYPES)[list(AUDIT_DTYPES)]
