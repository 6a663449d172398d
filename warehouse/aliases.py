"""One creator, one row: an id that stands in for a platform's own id is merged into it at load time.

An Instagram account reaches the warehouse under the Graph API's account id or under a saved page's
user id (or its handle): two id spaces. A profile says which (``id_is_alias``). Inside the load's
transaction, a batch's profiles and the stored creators are grouped by platform and normalised
handle (core.identity), and each group gets one id: the platform's own id when one is known, else
the strongest alias (a real id before a handle standing in for one, then the smallest), so every
import order converges on the same id. A group holding two of the platform's own ids is two
accounts (a handle that moved between them) and stays apart. The stored rows of a merged id
(creators, posts, snapshots, scores) are re-keyed to the winning id, and so is the batch.
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb
import pandas as pd

from core.identity import handle_key, handle_keys
from warehouse.candidate_rows import refresh_candidates
from warehouse.latest import mark_latest
from warehouse.staging import table_columns


class Merge(NamedTuple):
    platform: str
    alias: str  # the id merged away
    winner: str
    winner_is_alias: bool  # no platform-own id is known for the creator yet


def merge_aliases(con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The frames with every alias id replaced by its creator's one id; stored rows re-keyed alike."""
    profiles = frames["profiles"]
    if profiles.empty:
        return frames
    staged = profiles.assign(key=handle_keys(profiles["handle"]))[["platform", "key", "creator_id", "id_is_alias"]]
    merges = _merges(pd.concat([staged, _stored_namesakes(con, staged)], ignore_index=True))
    for merge in merges:
        _rekey_stored(con, merge)
    return _rekey_frames(frames, merges) if merges else frames


def _stored_namesakes(con: duckdb.DuckDBPyConnection, staged: pd.DataFrame) -> pd.DataFrame:
    """Stored creators whose normalised handle a staged profile carries."""
    con.register("alias_keys", staged[["platform", "key"]].drop_duplicates())
    try:
        stored = con.execute(
            "SELECT c.platform, c.creator_id, c.handle, c.id_is_alias FROM creators AS c "
            "JOIN alias_keys AS k ON c.platform = k.platform AND lower(ltrim(trim(c.handle), '@')) = k.key"
        ).df()
    finally:
        con.unregister("alias_keys")
    return stored.assign(key=handle_keys(stored["handle"])).drop(columns="handle")


def _merges(ids: pd.DataFrame) -> list[Merge]:
    """Which id each alias of a (platform, handle) group merges into."""
    merges: list[Merge] = []
    for (platform, key), group in ids.groupby(["platform", "key"]):
        flags: dict[str, bool | None] = {}  # False: the platform's own id; None: not known
        for creator_id, alias in zip(group["creator_id"], group["id_is_alias"], strict=True):
            known = None if pd.isna(alias) else bool(alias)
            previous = flags.get(creator_id)
            flags[creator_id] = False if False in (previous, known) else (previous or known)
        own = [i for i, alias in flags.items() if alias is False]
        if len(flags) < 2 or len(own) > 1:
            continue
        winner = own[0] if own else min(flags, key=lambda i: (handle_key(i) == key, i))
        merges += [Merge(str(platform), i, winner, not own) for i in flags if i != winner]
    return merges


def _rekey_frames(frames: dict[str, pd.DataFrame], merges: list[Merge]) -> dict[str, pd.DataFrame]:
    """The batch under the winning ids. A creator seen under two ids in one batch keeps the newest
    observation's profile (staging keeps it) and that observation's score, never the other's."""
    winner_of = {(m.platform, m.alias): m.winner for m in merges}
    alias_flag = {(m.platform, m.winner): m.winner_is_alias for m in merges}

    def rekeyed(frame: pd.DataFrame) -> pd.Series:
        ids = [winner_of.get((p, c), c) for p, c in zip(frame["platform"], frame["creator_id"], strict=True)]
        return pd.Series(ids, index=frame.index, dtype=frame["creator_id"].dtype)

    profiles = frames["profiles"].assign(original=frames["profiles"]["creator_id"])
    profiles["creator_id"] = rekeyed(profiles)
    flags = [alias_flag.get((p, c), f) for p, c, f in zip(profiles["platform"], profiles["creator_id"],
                                                           profiles["id_is_alias"], strict=True)]
    profiles["id_is_alias"] = pd.Series(flags, index=profiles.index, dtype=profiles["id_is_alias"].dtype)
    newest = profiles.sort_values("observed_at", ascending=False, na_position="last") \
        .drop_duplicates(["platform", "creator_id"])
    newest_source = dict(zip(zip(newest["platform"], newest["creator_id"], strict=True), newest["original"], strict=True))
    scores = frames["scores"]
    scores = scores[[newest_source.get((p, winner_of.get((p, c), c)), c) == c
                     for p, c in zip(scores["platform"], scores["creator_id"], strict=True)]]
    posts = frames["posts"]
    lineage = {"lineage": frames["lineage"].assign(creator_id=rekeyed(frames["lineage"]))} if "lineage" in frames else {}
    return {**frames, "profiles": profiles.drop(columns="original"), **lineage,
            "posts": posts.assign(creator_id=rekeyed(posts)), "scores": scores.assign(creator_id=rekeyed(scores))}


def _rekey_stored(con: duckdb.DuckDBPyConnection, merge: Merge) -> None:
    """Every stored row of ``merge.alias`` moved to ``merge.winner``; where both hold a row for the
    same run (snapshots, scores), the newer observation stays."""
    params = {"platform": merge.platform, "alias": merge.alias, "winner": merge.winner}
    where = "platform = $platform AND creator_id = "
    winner = {"platform": merge.platform, "winner": merge.winner}
    if con.execute(f"SELECT count(*) FROM creators WHERE {where}$winner", winner).fetchone() == (1,):
        con.execute(_merge_creator_rows(con), params)
        con.execute(f"DELETE FROM creators WHERE {where}$alias", {"platform": merge.platform, "alias": merge.alias})
    else:
        con.execute(f"UPDATE creators SET creator_id = $winner WHERE {where}$alias", params)
    con.execute(f"UPDATE creators SET id_is_alias = $flag WHERE {where}$winner",
                {**winner, "flag": merge.winner_is_alias})
    for table, newer in (("creator_snapshots", "observed_at"), ("creator_scores", "scored_at")):
        con.execute(
            f"DELETE FROM {table} AS t WHERE t.platform = $platform AND t.creator_id IN ($alias, $winner) "
            f"AND EXISTS (SELECT 1 FROM {table} AS o WHERE o.platform = t.platform AND o.run_id = t.run_id "
            f"AND o.creator_id IN ($alias, $winner) AND o.creator_id <> t.creator_id AND "
            f"(o.{newer} > t.{newer} OR (o.{newer} = t.{newer} AND o.creator_id = $winner)))",
            params,
        )
        con.execute(f"UPDATE {table} SET creator_id = $winner WHERE {where}$alias", params)
    for table in ("posts", "creator_lineage"):
        con.execute(f"UPDATE {table} SET creator_id = $winner WHERE {where}$alias", params)
    mark_latest(con, "(SELECT $platform AS platform, $winner AS creator_id)", winner)
    refresh_candidates(con, "(SELECT $platform AS platform, unnest([$alias, $winner]) AS creator_id)", params)


def _merge_creator_rows(con: duckdb.DuckDBPyConnection) -> str:
    """The UPDATE folding the alias's creators row into the winner's: the newer observation wins and
    an unknown (NULL) value never erases a known one, as in every load."""
    spans = {"platform", "creator_id", "id_is_alias", "first_seen_at", "last_seen_at", "first_run_id", "last_run_id"}
    newer = "a.last_seen_at > creators.last_seen_at"
    updates = [
        f"{c.name} = CASE WHEN {newer} THEN coalesce(a.{c.name}, creators.{c.name}) "
        f"ELSE coalesce(creators.{c.name}, a.{c.name}) END"
        for c in table_columns(con, "creators") if c.name not in spans
    ]
    updates += [
        "first_run_id = CASE WHEN a.first_seen_at < creators.first_seen_at THEN a.first_run_id ELSE creators.first_run_id END",
        f"last_run_id = CASE WHEN {newer} THEN a.last_run_id ELSE creators.last_run_id END",
        "first_seen_at = least(creators.first_seen_at, a.first_seen_at)",
        "last_seen_at = greatest(creators.last_seen_at, a.last_seen_at)",
    ]
    return (
        "UPDATE creators SET " + ", ".join(updates) + " FROM creators AS a "
        "WHERE creators.platform = $platform AND creators.creator_id = $winner "
        "AND a.platform = $platform AND a.creator_id = $alias"
    )
