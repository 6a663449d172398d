"""Counts (followers, following, posts per follower) and the fixed-weight priors for the
signals the training data lacks (bot flag, cadence, reposts, face)."""

from __future__ import annotations

import math

import numpy as np

from transforms.account_features.inputs import Fields
from transforms.account_features.values import (
    Signals,
    log10p,
)

PRIORS = {
    "is_bot": -12.0,  # the owner marked it automated (Mastodon's flag): outweighs any wording
    "cadence": -0.9,  # per doubling of posts per week above CADENCE_FREE_PER_WEEK ...
    "cadence_max": -2.5,  # ... down to this
    "repost_share": -2.5,  # at 100% reposts, scaled from 0 at REPOST_SHARE_FREE
    "face_yes": 0.8,  # a face detected in the avatar
    "face_no": -0.4,  # an avatar checked and no face found
}
CADENCE_FREE_PER_WEEK = 14.0  # two posts a day is still a person's pace
REPOST_SHARE_FREE = 0.5
# log10(posts / followers) is clipped here (ten times more followers than posts): big accounts
# that just moved to a young platform have posted little there yet, and most accounts of a
# young platform sit at this floor
POSTS_PER_FOLLOWER_FLOOR = -1.0


def count_signals(f: Fields, s: Signals) -> None:
    """Counts on a log10 scale, centred on a typical small account; unknown -> 0.

    Evidence words all follower/following terms as one line ("has 5000 followers and
    follows 12") and all post-count terms as another.
    """
    followers, following, posts = f.num["followers"], f.num["following"], f.num["posts"]
    known_f, known_g, known_p = np.isfinite(followers), np.isfinite(following), np.isfinite(posts)
    lf, lg, lp = log10p(followers), log10p(following), log10p(posts)

    def follow_words(rows: np.ndarray) -> np.ndarray:
        out = []
        for fo, fg in zip(followers[rows].tolist(), following[rows].tolist()):
            parts = [] if math.isnan(fo) else [f"has {int(fo)} followers"]
            parts += [] if math.isnan(fg) else [f"follows {int(fg)}"]
            out.append(" and ".join(parts))
        return np.array(out, dtype=object)

    s.put("followers", np.where(known_f, lf - 2.5, 0.0), follow_words)
    s.put("followers_1k", np.where(known_f, np.maximum(lf - 3.0, 0.0), 0.0))
    s.put("followers_10k", np.where(known_f, np.maximum(lf - 4.0, 0.0), 0.0))
    s.put("following", np.where(known_g, lg - 2.5, 0.0))
    s.put("following_1k", np.where(known_g, np.maximum(lg - 3.0, 0.0), 0.0))
    ratio = np.where(known_f & known_g, np.clip(lg - lf, -3, 3), 0.0)
    s.put("follow_ratio", ratio)
    s.put("follow_ratio_hi", np.maximum(ratio, 0.0))
    # Posts per follower only: absolute post counts depend on the platform's age (2010s
    # Twitter accounts vs a 2023 Bluesky), the ratio much less.
    def posts_words(rows: np.ndarray) -> np.ndarray:
        return np.array([f"{int(p)} times to {int(fo)} followers" for p, fo in
                         zip(posts[rows].tolist(), followers[rows].tolist())], dtype=object)

    s.put("posts_per_follower",
          np.where(known_p & known_f, np.clip(lp - lf, POSTS_PER_FOLLOWER_FLOOR, 3), 0.0),
          posts_words)


# ---------------------------------------------------------------- prior signals


def prior_contributions(f: Fields) -> dict[str, np.ndarray]:
    """Fixed-weight logit contributions of the signals the training data lacks (PRIORS)."""
    ppw = np.nan_to_num(f.num["posts_per_week"])
    with np.errstate(divide="ignore", invalid="ignore"):
        doublings = np.log2(np.maximum(ppw, CADENCE_FREE_PER_WEEK) / CADENCE_FREE_PER_WEEK)
    repost = np.nan_to_num(f.num["repost_share"])
    excess = np.clip((repost - REPOST_SHARE_FREE) / (1 - REPOST_SHARE_FREE), 0, 1)
    face = f.face
    return {
        "is_bot": np.where(f.is_bot == 1, PRIORS["is_bot"], 0.0),
        "cadence": np.maximum(PRIORS["cadence"] * doublings, PRIORS["cadence_max"]),
        "repost_share": PRIORS["repost_share"] * excess,
        "face": np.where(face == 1, PRIORS["face_yes"], np.where(face == 0, PRIORS["face_no"], 0.0)),
    }


