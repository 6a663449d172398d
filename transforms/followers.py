"""Is a follower real, bought, or a mass follower? Pure and vectorised: a frame of accounts in,
``fake_probability``, ``is_fake``, ``follower_class`` and ``authenticity_evidence`` out.

``mass_follower`` is a rule applied before the model: an account that follows more than
MASS_FOLLOWING accounts and more than MASS_RATIO per follower is following for follow-backs,
whatever else it is, and is no audience either way. Otherwise the class is ``fake`` when
the calibrated probability reaches the threshold, else ``real``. The evidence names the
largest contributions to the model's logit, each with its sign: "suggests fake (+2.1)".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from transforms.follower_features import KEYS, follower_features
from transforms.follower_model import FollowerModel, load_follower_model

MASS_FOLLOWING = 1_500
MASS_RATIO = 10.0
EVIDENCE_ITEMS = 3  # reasons per account, largest first
EVIDENCE_MIN = 0.25  # a contribution smaller than this (logit) is not a reason
OUTPUT_COLUMNS = ("fake_probability", "is_fake", "follower_class", "authenticity_evidence")


def _counted(log_value: pd.Series) -> pd.Series:
    return np.rint(np.expm1(log_value))


def _yes_no(value: pd.Series, yes: str, no: str) -> pd.Series:
    return pd.Series(np.where(value > 0.5, yes, no), index=value.index)


def _facts(f: pd.DataFrame) -> pd.DataFrame:
    """Per feature, the account's value in words (the same for either sign of its weight)."""
    ratio = np.expm1(f["log_following"]) / np.maximum(np.expm1(f["log_followers"]), 1)
    per_follower = np.expm1(f["log_posts"]) / np.maximum(np.expm1(f["log_followers"]), 1)
    fmt = lambda template, values: values.map(lambda v: template.format(v))  # noqa: E731
    return pd.DataFrame({
        "log_followers": fmt("{:,.0f} followers", _counted(f["log_followers"])),
        "log_following": fmt("follows {:,.0f} accounts", _counted(f["log_following"])),
        "log_posts": fmt("{:,.0f} posts", _counted(f["log_posts"])),
        "following_per_follower": fmt("follows {:,.1f} accounts per follower", ratio),
        "posts_per_follower": fmt("{:,.1f} posts per follower", per_follower),
        "log_age_days": fmt("account {:,.0f} days old", _counted(f["log_age_days"])),
        "posts_per_day": fmt("{:,.2f} posts a day", np.expm1(f["posts_per_day"])),
        "has_bio": _yes_no(f["has_bio"], "has a bio", "no bio"),
        "bio_length": fmt("bio of {:,.0f} characters", _counted(f["bio_length"])),
        "bio_first_person": _yes_no(f["bio_first_person"], "bio in the first person",
                                    "bio not in the first person"),
        "bio_link_or_mention": _yes_no(f["bio_link_or_mention"], "link or mention in the bio",
                                       "no link or mention in the bio"),
        "default_avatar": _yes_no(f["default_avatar"], "default avatar", "own avatar"),
        "external_link": _yes_no(f["external_link"], "external link", "no external link"),
        "has_display_name": _yes_no(f["has_display_name"], "display name", "no display name"),
        "handle_length": fmt("handle of {:,.0f} characters", f["handle_length"]),
        "handle_digits": fmt("{:,.0f} digits in the handle", f["handle_digits"]),
        "handle_trailing_digits": _yes_no(f["handle_trailing_digits"], "handle ends in digits",
                                          "handle does not end in digits"),
    }, index=f.index)[KEYS]


def _evidence(contrib: np.ndarray, facts: pd.DataFrame) -> list[list[str]]:
    """The EVIDENCE_ITEMS largest contributions per row (at least EVIDENCE_MIN), in words."""
    order = np.argsort(-np.abs(contrib), axis=1, kind="stable")[:, :EVIDENCE_ITEMS]
    values = np.take_along_axis(contrib, order, axis=1)
    texts = np.take_along_axis(facts.to_numpy(dtype=object), order, axis=1)
    return [[f"{t}: suggests {'fake' if v > 0 else 'real'} ({v:+.1f})"
             for t, v in zip(row_t, row_v, strict=True) if abs(v) >= EVIDENCE_MIN]
            for row_t, row_v in zip(texts, values, strict=True)]


def mass_follower(following: pd.Series, followers: pd.Series) -> pd.Series:
    """The rule: follows more than MASS_FOLLOWING accounts and more than MASS_RATIO per follower
    (never when either count is unknown)."""
    return (following > MASS_FOLLOWING) & (following > MASS_RATIO * followers.clip(lower=0))


def score_followers(frame: pd.DataFrame, *, now: pd.Timestamp, threshold: float = 0.5,
                    model: FollowerModel | None = None) -> pd.DataFrame:
    """Columns OUTPUT_COLUMNS for every row of ``frame`` (columns as in follower_features)."""
    model = model or load_follower_model()
    f = follower_features(frame, now)
    contrib = model.contributions(f.to_numpy(dtype=float))
    prob = 1.0 / (1.0 + np.exp(-(contrib.sum(axis=1) + model.bias())))
    evidence = _evidence(contrib, _facts(f))
    following, followers = _counted(f["log_following"]), _counted(f["log_followers"])
    mass = mass_follower(following, followers).to_numpy(dtype=bool)
    is_fake = prob >= threshold
    for i in np.flatnonzero(mass):
        evidence[i].insert(0, f"follows {following.iloc[i]:,.0f} accounts, more than "
                              f"{MASS_RATIO:g} per follower: mass follower (rule)")
    return pd.DataFrame({
        "fake_probability": prob,
        "is_fake": is_fake,
        "follower_class": np.where(mass, "mass_follower", np.where(is_fake, "fake", "real")),
        "authenticity_evidence": evidence,
    }, index=frame.index)
