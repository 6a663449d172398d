"""Is a follower real, bought, or a mass follower? Pure and vectorised: a frame of accounts in,
``fake_probability``, ``is_fake``, ``follower_class`` and ``authenticity_evidence`` out.

``mass_follower`` is a rule applied before the model: an account that follows more than
MASS_FOLLOWING accounts and more than MASS_RATIO per follower is following for follow-backs,
whatever else it is, and is no audience either way. Otherwise the class is ``fake`` when
the calibrated probability reaches the threshold, else ``real``. The evidence names the
largest contributions to the model's logit, each with its sign: "suggests fake (+2.1)".
"""

from __future__ import annotations

from collections.abc import Callable

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


def _number(template: str, values: pd.Series) -> pd.Series:
    return values.map(template.format)


def _yes_no(yes: str, no: str) -> Callable[[pd.DataFrame, str], pd.Series]:
    return lambda f, key: pd.Series(np.where(f[key] > 0.5, yes, no), index=f.index)


def _per_follower(f: pd.DataFrame, log_count: str) -> pd.Series:
    return np.expm1(f[log_count]) / np.maximum(np.expm1(f["log_followers"]), 1)


# Per feature, the account's value in words (the same words whichever way its weight points).
FACTS: dict[str, Callable[[pd.DataFrame, str], pd.Series]] = {
    "log_followers": lambda f, k: _number("{:,.0f} followers", _counted(f[k])),
    "log_following": lambda f, k: _number("follows {:,.0f} accounts", _counted(f[k])),
    "log_posts": lambda f, k: _number("{:,.0f} posts", _counted(f[k])),
    "following_per_follower": lambda f, k: _number("follows {:,.1f} accounts per follower",
                                                   _per_follower(f, "log_following")),
    "posts_per_follower": lambda f, k: _number("{:,.1f} posts per follower", _per_follower(f, "log_posts")),
    "log_age_days": lambda f, k: _number("account {:,.0f} days old", _counted(f[k])),
    "posts_per_day": lambda f, k: _number("{:,.2f} posts a day", np.expm1(f[k])),
    "has_bio": _yes_no("has a bio", "no bio"),
    "bio_length": lambda f, k: _number("bio of {:,.0f} characters", _counted(f[k])),
    "bio_first_person": _yes_no("bio in the first person", "bio not in the first person"),
    "bio_link_or_mention": _yes_no("link or mention in the bio", "no link or mention in the bio"),
    "default_avatar": _yes_no("default avatar", "own avatar"),
    "external_link": _yes_no("external link", "no external link"),
    "has_display_name": _yes_no("display name", "no display name"),
    "handle_length": lambda f, k: _number("handle of {:,.0f} characters", f[k]),
    "handle_digits": lambda f, k: _number("{:,.0f} digits in the handle", f[k]),
    "handle_trailing_digits": _yes_no("handle ends in digits", "handle does not end in digits"),
}


def _evidence(contrib: np.ndarray, f: pd.DataFrame) -> list[list[str]]:
    """The EVIDENCE_ITEMS largest contributions per row (at least EVIDENCE_MIN), in words;
    only the facts shown are put into words."""
    order = np.argsort(-np.abs(contrib), axis=1, kind="stable")[:, :EVIDENCE_ITEMS]
    values = np.take_along_axis(contrib, order, axis=1)
    shown = np.abs(values) >= EVIDENCE_MIN
    texts = np.full(order.shape, "", dtype=object)
    for j, key in enumerate(KEYS):
        at = shown & (order == j)
        if at.any():
            facts = FACTS[key](f.iloc[np.nonzero(at)[0]], key).to_numpy(dtype=object)
            texts[at] = [f"{t}: suggests {'fake' if v > 0 else 'real'} ({v:+.1f})"
                         for t, v in zip(facts, values[at], strict=True)]
    return [[t for t in row if t] for row in texts]


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
    evidence = _evidence(contrib, f)
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
