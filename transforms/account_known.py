"""How much of an account the model was shown, and how far its verdict is trusted (KNOWN_RULE).

The model learned from profiles with a handle, a display name, a bio and counts: every
training row has at least 0.8 of them by the weights below (some sources lack the follower
counts). A row with much less (a CSV of bare handles: `nike`, `nasa`) is outside what it
learned, and its log-odds would sound sure on the spelling of a handle alone. So, with
``known`` the weighted share of KNOWN_WEIGHTS present (at most 1) and ``trust = min(1, known /
TRUSTED_SHARE)``, the learned part of the calibrated log-odds is pulled toward the training
prior (the fixed priors, account_features.PRIORS, are rules and stay as they are):

    logit = prior + trust * (learned logit - prior) + fixed priors

A row with at least TRUSTED_SHARE known keeps the model's verdict exactly (every training row
does, so the held-out figures stand); a bare handle moves a fifth of the way from the prior.
Rows below TRUSTED_SHARE are flagged needs_review (transforms.score.needs_review). A text
column that is present counts even when its value is empty: an empty bio or display name is
an observation, as the model treats it (account_features.nameless); a count counts when known.
Discover, import and classify all score through transforms.account_type, so they agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from transforms.account_model import AccountModel

KNOWN_RULE = "known-v1"
# a profile's fields, then its posts: one sample post counts as much as a display name, the
# shares measured over an account's recent posts (credits, first person) as half a profile
KNOWN_WEIGHTS = {"handle": 0.1, "display_name": 0.25, "bio": 0.35, "followers": 0.1,
                 "following": 0.1, "posts": 0.1, "sample_post": 0.25, "post_shares": 0.5}
TRUSTED_SHARE = 0.5
_TEXT_FIELDS = ("display_name", "bio")
_COLUMNS = {"posts": ("posts", "posts_count"),
            "post_shares": ("credit_share", "first_person_post_share")}


def known_share(df: pd.DataFrame) -> np.ndarray:
    """Per row, the weighted share of KNOWN_WEIGHTS the model is shown (0..1)."""
    share = np.zeros(len(df))
    for field, weight in KNOWN_WEIGHTS.items():
        columns = _COLUMNS.get(field, (field,))
        present = [c for c in columns if c in df.columns]
        if not present:
            continue
        if field in _TEXT_FIELDS:
            share += weight
            continue
        known = np.zeros(len(df), dtype=bool)
        for column in present:
            known |= df[column].notna().to_numpy(dtype=bool)
        share += weight * known
    return np.minimum(share, 1.0)


def trusted(share: np.ndarray) -> np.ndarray:
    """True where enough is known for the model's verdict to stand as it is."""
    return share >= TRUSTED_SHARE - 1e-9


def prior_logit(model: AccountModel) -> float:
    """The log-odds of a person among the model's training accounts (even odds for a fit
    that kept no record of its data, such as a test's)."""
    counts = model.meta.get("trained_on", {}).get("counts", {}).values()
    if not counts:
        return 0.0
    people = sum(c["person"] for c in counts)
    pages = sum(c["non_person"] for c in counts)
    return float(np.log(people / pages))


def shrink(logit: np.ndarray, share: np.ndarray, model: AccountModel) -> np.ndarray:
    """The calibrated log-odds pulled toward the training prior in proportion to what is
    known (the rule in the module docstring)."""
    trust = np.minimum(1.0, share / TRUSTED_SHARE)
    prior = prior_logit(model)
    return np.where(trusted(share), logit, prior + trust * (logit - prior))

