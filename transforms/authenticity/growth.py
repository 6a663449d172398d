"""Follower growth from the snapshot history: growth per day over 7, 30 and 90 days, and jumps
that fit bought followers (sudden, often round) rather than smooth organic growth.

The history (platform, creator_id, observed_at, followers) comes from ``creator_snapshots``;
the observation being scored is appended at ``now``. One snapshot means no growth and no flag.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from transforms.authenticity.records import by_severity, flag_frame, fmt
from transforms.frames import as_utc, to_float, to_utc

GROWTH_WINDOWS_DAYS = (7, 30, 90)
#: A step between two snapshots at most JUMP_MAX_DAYS apart that adds JUMP_SHARE of the
#: followers (and at least JUMP_MIN followers) is a jump; a round one (a multiple of ROUND_UNIT) is high.
JUMP_MAX_DAYS = 7.0
JUMP_SHARE = 0.2
JUMP_MIN = 200
ROUND_UNIT = 1000
_DAY = pd.Timedelta(days=1)


def follower_history(creators: pd.DataFrame, history: pd.DataFrame | None, now: datetime) -> pd.DataFrame:
    """row, observed_at, followers: the stored snapshots of the scored creators plus now's."""
    current = pd.DataFrame({"row": np.arange(len(creators)), "observed_at": as_utc(now),
                            "followers": to_float(creators["followers"]).to_numpy(dtype="float64", na_value=np.nan)})
    if history is None or history.empty:
        return current
    keys = pd.DataFrame({"platform": creators["platform"].astype(object).to_numpy(),
                         "creator_id": creators["creator_id"].astype(object).to_numpy(),
                         "row": np.arange(len(creators))})
    past = history.astype({"platform": object, "creator_id": object}).merge(keys, on=["platform", "creator_id"])
    past = pd.DataFrame({"row": past["row"].to_numpy(), "observed_at": to_utc(past["observed_at"]).to_numpy(),
                         "followers": to_float(past["followers"]).to_numpy(dtype="float64", na_value=np.nan)})
    both = pd.concat([past[past["observed_at"] < as_utc(now)], current], ignore_index=True)
    both["observed_at"] = to_utc(both["observed_at"])
    return both.dropna(subset=["followers"]).sort_values(["row", "observed_at"], kind="stable", ignore_index=True)


def growth_per_day(history: pd.DataFrame, n: int, now: datetime, days: int) -> np.ndarray:
    """Followers gained per day over the last ``days`` days: from the newest snapshot at least
    that old to now; NaN without one."""
    newest = history.groupby("row")[["observed_at", "followers"]].last().reindex(range(n))
    cutoff = as_utc(now) - days * _DAY
    old = history[history["observed_at"] <= cutoff].groupby("row")[["observed_at", "followers"]].last().reindex(range(n))
    span = (newest["observed_at"] - old["observed_at"]) / _DAY
    with np.errstate(invalid="ignore", divide="ignore"):
        return ((newest["followers"] - old["followers"]) / span).to_numpy(dtype="float64", na_value=np.nan)


def follower_jumps(history: pd.DataFrame, n: int, now: datetime) -> pd.DataFrame:
    """The largest jump per creator, if any: high when round, medium otherwise."""
    prev = history.groupby("row")[["observed_at", "followers"]].shift(1)
    delta = (history["followers"] - prev["followers"]).to_numpy(dtype="float64", na_value=np.nan)
    days = ((history["observed_at"] - prev["observed_at"]) / _DAY).to_numpy(dtype="float64", na_value=np.nan)
    base = prev["followers"].to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = delta / np.where(base > 0, base, np.nan)
        jump = (days <= JUMP_MAX_DAYS) & (delta >= JUMP_MIN) & (share >= JUMP_SHARE)
    steps = pd.DataFrame({"row": history["row"].to_numpy(), "delta": delta, "share": share, "days": days})[jump]
    biggest = steps.sort_values(["row", "delta"], ascending=[True, False]).drop_duplicates("row")
    rows = biggest["row"].to_numpy()
    delta, share = biggest["delta"].to_numpy(), biggest["share"].to_numpy()
    severity = by_severity(delta % ROUND_UNIT == 0, np.ones(len(rows), dtype=bool))
    evidence = ("+" + fmt(delta, ",.0f") + " followers (+" + fmt(100 * share, ".0f") + "%) within "
                + fmt(biggest["days"].to_numpy(), ".1f") + " days")
    for window in GROWTH_WINDOWS_DAYS:
        per_day = growth_per_day(history, n, now, window)[rows]
        evidence += pd.Series(np.where(np.isfinite(per_day), "; " + fmt(per_day, "+,.0f").to_numpy()
                                       + f" a day over {window} days", ""), dtype=object)
    return flag_frame(rows, "follower_jump", severity, share, JUMP_SHARE, evidence.to_numpy())
