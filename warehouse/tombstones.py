"""Keep forgotten creators out of a run: refs before fetching, rows and raw bodies before loading.

``gone`` is the warehouse's tombstone frame (platform, handle, creator_ids, ...). A creator is
tombstoned on a platform by normalised handle (lower-case, no @) or by any of the ids they had
when forgotten. Raw bodies go by the same rule ``scout forget`` deletes them with
(:func:`mention_pattern`), so a later run never stores again what erasure removed.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pyarrow as pa

from core.identity import body_ids, handle_keys
from core.records import RawResponse, ScrapeError

#: What ``scout forget`` leaves in a run's stored ref list in place of the creator, so that the
#: run's batches keep their shape; never fetched.
FORGOTTEN_REF = "[forgotten]"


def mention_pattern(keys: list[str]) -> str:
    """RE2 pattern (for lower-cased text) matching any key as a whole handle or id: quoted in
    JSON, after an @, in a profile URL. "jonas" does not match inside "jonas.backt", but
    "jonas.backt." at the end of a sentence does."""
    alternatives = "|".join(re.escape(k.lower()) for k in sorted(set(keys), key=len, reverse=True) if k)
    return rf"(?:^|[^a-z0-9._-])(?:{alternatives})(?:[^a-z0-9_.-]|\.[^a-z0-9_-]|\.?$)"


def _keys(gone: pd.DataFrame, platform: str) -> tuple[set[str], set[str]]:
    """(handles, creator ids) tombstoned on ``platform``."""
    mine = gone[gone["platform"] == platform]
    ids = mine["creator_ids"].explode().dropna()
    return set(handle_keys(mine["handle"])), set(ids.astype(str))


def keep_refs(platform: str, refs: list[str], gone: pd.DataFrame) -> list[str]:
    """``refs`` (handles, @handles or ids) minus the tombstoned and scrubbed ones, order kept."""
    handles, ids = _keys(gone, platform)
    s = pd.Series(refs, dtype="string")
    dropped = handle_keys(s).isin(handles) | s.str.strip().isin(ids | {FORGOTTEN_REF})
    return s[~dropped.fillna(False)].tolist()


def revealed_ids(profiles: pd.DataFrame, gone: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """{(platform, tombstoned handle): ids} for profiles carrying a tombstoned handle under an id
    its tombstone does not know yet (forgotten before they were stored, or since renamed)."""
    if gone.empty or profiles.empty:
        return {}
    seen = profiles.assign(norm=handle_keys(profiles["handle"]))[["platform", "norm", "creator_id"]]
    hits = seen.merge(gone[["platform", "handle", "creator_ids"]], left_on=["platform", "norm"],
                      right_on=["platform", "handle"])
    unknown = [str(c) not in set(map(str, known)) for c, known in zip(hits["creator_id"], hits["creator_ids"])]
    new = hits.loc[pd.Series(unknown, index=hits.index, dtype=bool)]
    return {key: sorted(set(group["creator_id"].astype(str))) for key, group in new.groupby(["platform", "handle"])}


def drop_tombstoned(frames: dict[str, Any], gone: pd.DataFrame) -> tuple[dict[str, Any], int]:
    """``frames`` (profiles, posts, scores, ...; DataFrames or Arrow tables) without tombstoned
    creators; and how many went.

    A profile matches by handle or id; every row with a matching (platform, creator_id) goes
    from every frame, so posts of a creator seen by handle go with the profile.
    """
    if gone.empty:
        return frames, 0
    profiles = frames["profiles"]
    hit = pd.Series(False, index=profiles.index)
    ids_by_platform: dict[str, set[str]] = {}
    for platform in gone["platform"].unique():
        handles, ids = _keys(gone, platform)
        mine = profiles["platform"] == platform
        hit |= mine & (handle_keys(profiles["handle"]).isin(handles) | profiles["creator_id"].isin(ids)).fillna(False)
        ids_by_platform[platform] = ids
    doomed = pd.concat([
        profiles.loc[hit, ["platform", "creator_id"]].astype(str),
        pd.DataFrame([(p, i) for p, ids in ids_by_platform.items() for i in ids],
                     columns=["platform", "creator_id"], dtype=str),
    ]).drop_duplicates()
    out: dict[str, Any] = {}
    dropped: set[tuple[str, str]] = set()
    key = ["platform", "creator_id"]
    for name, frame in frames.items():
        arrow = isinstance(frame, pa.Table)  # a rescore's scores come as Arrow
        columns = frame.column_names if arrow else frame.columns if isinstance(frame, pd.DataFrame) else ()
        if not set(key) <= set(columns):
            out[name] = frame
            continue
        keys = pd.MultiIndex.from_frame((frame.select(key).to_pandas() if arrow else frame[key]).astype(str))
        mask = keys.isin(pd.MultiIndex.from_frame(doomed))
        dropped.update(keys[mask])
        out[name] = frame.filter(pa.array(~mask)) if arrow else frame[~mask].reset_index(drop=True)
    return out, len(dropped)


def keep_raws(raws: pd.DataFrame, gone: pd.DataFrame) -> pd.Series:
    """Boolean mask over a raw-response frame: False for bodies ``scout forget`` would delete."""
    keep = pd.Series(True, index=raws.index)
    for platform in gone["platform"].unique():
        handles, ids = _keys(gone, platform)
        pattern = mention_pattern([*handles, *body_ids(platform, sorted(ids))])
        key = raws["request_key"].astype("string")
        named = (handle_keys(key).isin(handles) | key.isin(ids)
                 | raws["body"].astype("string").str.lower().str.contains(pattern, regex=True))
        keep &= ~((raws["platform"] == platform) & named.fillna(False))
    return keep


def skip_forgotten(
    platform: str, frames: dict[str, Any], raws: list[RawResponse], errors: list[ScrapeError],
    gone: pd.DataFrame,
) -> tuple[dict[str, Any], list[RawResponse], list[ScrapeError], int]:
    """One run's frames, raw bodies and errors without the tombstoned creators; and how many.

    An error goes with its raw body, or when it names a tombstoned handle.
    """
    if gone.empty:
        return frames, raws, errors, 0
    frames, dropped = drop_tombstoned(frames, gone)
    bodies = pd.DataFrame({"platform": [r.platform for r in raws], "request_key": [r.request_key for r in raws],
                           "body": [r.body for r in raws]})
    raws = [raw for raw, keep in zip(raws, keep_raws(bodies, gone)) if keep]
    kept_ids = {raw.response_id for raw in raws}
    handles = [e.handle or "" for e in errors]
    allowed = set(keep_refs(platform, handles, gone))
    errors = [e for e, h in zip(errors, handles)
              if h in allowed and (e.raw_response_id is None or e.raw_response_id in kept_ids)]
    return frames, raws, errors, dropped
