"""Flags read off the profile: mass following, a follow-back ratio, a new account with many
followers. Account age is used only where the platform gives it (``account_created_at``,
from Mastodon and Bluesky); without it there is no flag, never a guess.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from transforms.authenticity.records import flag_frame, fmt
from transforms.frames import as_utc, to_float, to_utc

#: Following more than this many accounts is mass following (follow-for-follow growth).
MASS_FOLLOWING = 1500
#: Mass following and fewer followers than FOLLOW_BACK_RATIO x following: the audience is follow-backs.
FOLLOW_BACK_RATIO = 0.5
#: An account younger than NEW_ACCOUNT_DAYS with at least NEW_ACCOUNT_FOLLOWERS followers.
NEW_ACCOUNT_DAYS = 90
NEW_ACCOUNT_FOLLOWERS = 5000


def following_flags(creators: pd.DataFrame) -> pd.DataFrame:
    """mass_following (low) and, with it, follow_back_ratio (medium) where followers are few."""
    followers = to_float(creators["followers"]).to_numpy(dtype="float64", na_value=np.nan)
    following = to_float(creators["following"]).to_numpy(dtype="float64", na_value=np.nan)
    mass = following > MASS_FOLLOWING
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(mass, followers / following, np.nan)
    mass_rows, ratio_rows = np.flatnonzero(mass), np.flatnonzero(ratio < FOLLOW_BACK_RATIO)
    mass_flags = flag_frame(mass_rows, "mass_following", "low", following[mass_rows], MASS_FOLLOWING,
                            ("follows " + fmt(following[mass_rows], ",.0f") + " accounts (over "
                             + f"{MASS_FOLLOWING:,})").to_numpy())
    ratio_flags = flag_frame(ratio_rows, "follow_back_ratio", "medium", ratio[ratio_rows], FOLLOW_BACK_RATIO,
                             (fmt(followers[ratio_rows], ",.0f") + " followers for " + fmt(following[ratio_rows], ",.0f")
                              + " followed: " + fmt(ratio[ratio_rows], ".2f") + " per follow").to_numpy())
    return pd.concat([mass_flags, ratio_flags], ignore_index=True)


def new_account(creators: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """A young account with many followers; nothing where the platform gives no account age."""
    age = ((as_utc(now) - to_utc(creators["account_created_at"])) / pd.Timedelta(days=1)).to_numpy(
        dtype="float64", na_value=np.nan)
    followers = to_float(creators["followers"]).to_numpy(dtype="float64", na_value=np.nan)
    rows = np.flatnonzero((age < NEW_ACCOUNT_DAYS) & (followers >= NEW_ACCOUNT_FOLLOWERS))
    return flag_frame(rows, "new_account", "medium", age[rows], NEW_ACCOUNT_DAYS,
                      (fmt(followers[rows], ",.0f") + " followers on an account " + fmt(age[rows], ".0f")
                       + " days old").to_numpy())
