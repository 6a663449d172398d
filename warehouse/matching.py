"""What ``scout match`` reads: the stored creators a brief may pick from, and its lookalike seeds.

A match reads each creator's latest score (``creator_scores.is_latest``) twice, in one read-only
connection (so no write moves a row between the two): ``MatchRead.pool`` holds what ranking
needs of every creator the brief's filters keep (the filters in SQL, meaning exactly what
``transforms.fit.brief_mask`` says; the handles a brief excludes are left to it), and
``MatchRead.rows`` the full MATCH_COLUMNS of just the creators shown. The pool carries no 64-d
content vector: the dot products ranking asks for (niche probs with the brief's, the cosines
of the content vectors with the brief's and the seeds') come computed in SQL as scalars, a
stale vector (``content_version`` or ``niche_version`` of another model) as NULL, and the creators table is joined
only when the brief excludes handles or names seeds. People only
(``is_person`` or in the review band), as in ``candidates``; any tier unless the brief names some.
Vectors come back Arrow-backed, so they become matrices without a Python loop.

``seed_frame`` resolves ``--like`` handles the way ``scout forget`` does: ``@h``, ``h`` or
``platform:h``; a Mastodon user without its instance or a Bluesky name without its domain when
exactly one stored creator has it. An unknown, partial-and-ambiguous or cross-platform-ambiguous
handle is bad input (exit 2) naming the candidates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from core.brief import Brief
from core.errors import WarehouseInputError
from core.identity import split_ref
from warehouse.arrow_frames import arrow_frame
from warehouse.forget import PARTIAL_HANDLES, HandleNotResolved, resolve_handle

#: The columns a match row shows (and a seed is compared by).
MATCH_COLUMNS = (
    "platform", "creator_id", "handle", "display_name", "profile_url", "followers", "bio", "tier",
    "er_median", "authenticity_score", "collab_stance", "collab_evidence", "paid_posts", "niches",
    "niche", "niche_probs", "niche_version", "content_vector", "content_version", "language", "account_type", "scored_at",
)
#: What ranking reads of every creator in the pool, besides the dot products it asks for; the
#: language only when the brief names some; with exclusions or seeds also SEED_POOL_COLUMNS (the
#: creators table joined only then).
POOL_COLUMNS = ("s.tier", "s.er_median", "s.authenticity_score")
SEED_POOL_COLUMNS = ("s.platform", "c.handle", "c.followers", "s.niche_probs", "s.niche_version")
_JOIN = "JOIN creators AS c ON c.platform = s.platform AND c.creator_id = s.creator_id"
_COLUMNS = ("s.platform, s.creator_id, c.handle, c.display_name, c.profile_url, c.followers, c.bio, s.tier, "
            "s.er_median, s.authenticity_score, s.collab_stance, s.collab_evidence, s.paid_posts, s.niches, s.niche, "
            "s.niche_probs, s.niche_version, s.content_vector, s.content_version, s.language, s.account_type, "
            "s.scored_at")


class SeedNotResolved(WarehouseInputError):
    """A ``--like`` handle that names no stored creator, or more than one."""


def _filters(brief: Brief) -> tuple[str, dict[str, Any]]:
    """The WHERE clause of the brief's filters (values bound, never spliced)."""
    where = ["s.is_latest", "(s.is_person OR coalesce(s.needs_review, false))"]
    params: dict[str, Any] = {}
    if brief.platforms:
        where.append("lower(s.platform) IN (SELECT unnest($platforms))")
        params["platforms"] = [p.lower() for p in brief.platforms]
    if brief.tiers:
        where.append("lower(s.tier) IN (SELECT unnest($tiers))")
        params["tiers"] = [t.lower() for t in brief.tiers]
    if brief.languages:
        where.append("(s.language IS NULL OR lower(s.language) IN (SELECT unnest($languages)))")
        params["languages"] = [v.lower() for v in brief.languages]
    if brief.min_authenticity is not None:
        where.append("(s.authenticity_score IS NULL OR s.authenticity_score >= $min_authenticity)")
        params["min_authenticity"] = float(brief.min_authenticity)
    if brief.collaboration == "gifting":
        where.append("coalesce(s.collab_stance, 'unknown') <> 'paid_only'")
    elif brief.collaboration == "paid":
        where.append("(coalesce(s.collab_stance, 'unknown') <> 'open_to_gifting' OR coalesce(s.paid_posts, 0) > 0)")
    return " WHERE " + " AND ".join(where), params


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> pd.DataFrame:
    return arrow_frame(con.sql(sql, params=params or None).to_arrow_table())


#: The column naming the model that made each vector column.
VERSION_OF = {"content_vector": "content_version", "niche_probs": "niche_version"}


def _products(products: Mapping[str, tuple[str, np.ndarray]], versions: Mapping[str, str], params: dict[str, Any]
              ) -> list[str]:
    """``name``: each score's dot product of its vector ``column`` with the given vector, NULL
    where it has none; a vector another model made than ``versions`` names (version column ->
    current version) counts as none (its coordinates are that model's). Names and columns are
    the caller's code, never user input."""
    out = []
    for name, (column, vector) in products.items():
        params[name] = np.asarray(vector, dtype=np.float32).tolist()
        product = f"array_inner_product(s.{column}, CAST(${name} AS FLOAT[{len(vector)}]))"
        version = VERSION_OF.get(column)
        if version in versions:
            params[version] = versions[version]
            product = f"CASE WHEN s.{version} = ${version} THEN {product} END"
        out.append(f"{product} AS {name}")
    return out


class MatchRead:
    """A match's two reads on one read-only connection (no other process writes while it is
    open, so a score's rowid names the same row in both). ``pool``: every stored creator the
    brief's filters keep (``exclude`` aside) in the scores' storage order (the same file gives the
    same order, so a ranking's ties are stable), with score_row, POOL_COLUMNS, a column per
    product asked for, the language when the brief names some and, with exclusions or seeds,
    SEED_POOL_COLUMNS. ``rows``: the full rows
    of the ones shown."""

    def __init__(self, con: duckdb.DuckDBPyConnection, brief: Brief,
                 products: Mapping[str, tuple[str, np.ndarray]], versions: Mapping[str, str]) -> None:
        self._con = con
        where, params = _filters(brief)
        needs_creators = bool(brief.exclude or brief.like)
        columns = ["s.rowid AS score_row", *POOL_COLUMNS, *_products(products, versions, params),
                   *(["s.language"] if brief.languages else []), *(SEED_POOL_COLUMNS if needs_creators else ())]
        # A scan returns rows in storage order when insertion order is preserved (said here, not
        # left to the default); a join does not, so only then is the pool sorted (a tenth of its read).
        con.execute("SET preserve_insertion_order = true")
        self.pool = _frame(con, f"SELECT {', '.join(columns)} FROM creator_scores AS s "
                                f"{_JOIN + where + ' ORDER BY s.rowid' if needs_creators else where}", params)

    def rows(self, score_rows: np.ndarray | pd.Series) -> pd.DataFrame:
        """MATCH_COLUMNS of the pool's ``score_rows``, in that order (a fresh RangeIndex)."""
        wanted = np.asarray(score_rows, dtype=np.int64)
        self._con.register("shown_rows", pa.table({"score_row": wanted}))  # bound as Arrow: a file lists every match
        try:
            found = self._con.sql(f"SELECT s.rowid AS score_row, {_COLUMNS} FROM creator_scores AS s {_JOIN} "
                                  "WHERE s.rowid IN (SELECT score_row FROM shown_rows)").to_arrow_table()
        finally:
            self._con.unregister("shown_rows")
        at = pd.Index(found["score_row"].to_numpy()).get_indexer(wanted)
        return arrow_frame(found.drop_columns("score_row").take(pa.array(at)))


def _resolve_seed(con: duckdb.DuckDBPyConnection, ref: str) -> tuple[str, list[str]]:
    """(platform, creator ids) of one ``--like`` handle."""
    platform, key = split_ref(ref)
    raw = ref.strip().partition(":")[2].strip().lstrip("@") if platform else ref.strip().lstrip("@")
    if not key:
        raise SeedNotResolved(f"--like {ref!r} names no handle.")
    if platform is not None:
        try:
            return platform, resolve_handle(con, platform, key, raw, force=False)[1]
        except HandleNotResolved as exc:
            raise SeedNotResolved(f"--like {ref!r}: {str(exc).replace(' as --handle', ' as --like')}") from None
    exact = con.execute(
        "SELECT platform, list(creator_id ORDER BY creator_id) FROM creators "
        "WHERE lower(ltrim(handle, '@')) = $handle OR creator_id = $raw GROUP BY platform ORDER BY platform",
        {"handle": key, "raw": raw}).fetchall()
    found = [(p, f"{p}:{key}", list(ids)) for p, ids in exact]
    if not found:  # a Mastodon user without its instance, a Bluesky name without its domain
        for p in PARTIAL_HANDLES:
            try:
                full, ids = resolve_handle(con, p, key, raw, force=False)
                found.append((p, f"{p}:{full}", ids))
            except HandleNotResolved as exc:
                found += [(p, f"{p}:{c}", []) for c in exc.candidates]
    if not found:
        raise SeedNotResolved(f"--like {ref!r} matched no stored creator; check the handle.")
    if len(found) > 1:
        found.sort(key=lambda f: f[1])
        raise SeedNotResolved(f"--like {ref!r} matched {len(found)} creators: "
                              f"{', '.join(name for _, name, _ in found)}; pass the one you mean as platform:handle.")
    return found[0][0], found[0][2]


def seed_frame(con: duckdb.DuckDBPyConnection, likes: tuple[str, ...]) -> pd.DataFrame:
    """MATCH_COLUMNS of each seed's latest score, in the order given (duplicates once). A seed
    with no stored score is resolved but has no row: it cannot say what it is like."""
    keys = dict.fromkeys((p, i) for ref in likes for p, ids in [_resolve_seed(con, ref)] for i in ids)
    seeds = pa.table({"platform": pa.array([p for p, _ in keys], pa.string()),
                      "creator_id": pa.array([i for _, i in keys], pa.string()),
                      "seed_order": pa.array(range(len(keys)), pa.int64())})
    con.register("seed_keys", seeds)
    try:
        return _frame(con, f"SELECT {_COLUMNS} FROM creator_scores AS s {_JOIN} JOIN seed_keys AS k "
                           "ON k.platform = s.platform AND k.creator_id = s.creator_id WHERE s.is_latest "
                           "ORDER BY k.seed_order", {})
    finally:
        con.unregister("seed_keys")
