"""Quarantine: a creator with a permanent error in a batch loads nothing from that batch.

A drifted profile entry, an unparseable feed or an oversized body is explained in
``scrape_errors``; loading the rest of that creator (a profile from a search listing without its
posts, say) would put a half-observed creator, with a wrong engagement rate, in front of a
marketer. So the error wins: the creator's profile and posts are held back until a clean fetch.
"""

from __future__ import annotations

import pandas as pd

from core.identity import handle_keys


def quarantined_ids(profiles: pd.DataFrame, errors: pd.DataFrame) -> pd.Series:
    """(platform, creator_id) keys, as one string Series, of creators named by an error.

    An error names a creator by handle or id (whatever the request was keyed on); a Mastodon
    error may name ``user`` where the profile says ``user@host``.
    """
    named = errors.dropna(subset=["handle"])
    if named.empty or profiles.empty:
        return pd.Series([], dtype="string")
    wanted = set(named["platform"].astype(str) + "\x1f" + handle_keys(named["handle"]))
    platform = profiles["platform"].astype("string") + "\x1f"
    handle = handle_keys(profiles["handle"])
    candidates = [platform + handle, platform + handle_keys(profiles["creator_id"]),
                  platform + handle.str.split("@").str[0]]
    hit = pd.concat([c.isin(wanted) for c in candidates], axis=1).any(axis=1)
    return (platform + profiles["creator_id"].astype("string"))[hit.fillna(False)].drop_duplicates()


def drop_quarantined(
    profiles: pd.DataFrame, posts: pd.DataFrame, errors: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """``profiles`` and ``posts`` without the creators an error names; and how many were held."""
    held = quarantined_ids(profiles, errors)
    if held.empty:
        return profiles, posts, 0
    held_set = set(held)
    profile_key = profiles["platform"].astype("string") + "\x1f" + profiles["creator_id"].astype("string")
    post_key = posts["platform"].astype("string") + "\x1f" + posts["creator_id"].astype("string")
    return (profiles[~profile_key.isin(held_set)].reset_index(drop=True),
            posts[~post_key.isin(held_set)].reset_index(drop=True), len(held_set))


def without_profile(profiles: pd.DataFrame, posts: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``posts`` of creators that have a profile in ``profiles``; and the ids of those that don't.

    A creator known only by posts (a saved feed or media page without the profile) has no
    follower count to score against; loading the posts alone would leave rows no candidate,
    score or ``scout forget`` by handle could ever find, so they are held back instead.
    """
    profile_key = profiles["platform"].astype("string") + "\x1f" + profiles["creator_id"].astype("string")
    post_key = posts["platform"].astype("string") + "\x1f" + posts["creator_id"].astype("string")
    orphan = ~post_key.isin(set(profile_key.dropna())).to_numpy(dtype=bool, na_value=True)
    missing = posts.loc[orphan, "creator_id"].astype("string").fillna("").drop_duplicates().tolist()
    return posts[~orphan].reset_index(drop=True), missing
