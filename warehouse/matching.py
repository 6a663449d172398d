"""What ``scout match`` reads: the stored creators a brief may pick from, and its lookalike seeds.

``match_frame`` reads each creator's latest score (its stored niche probabilities, content
vector and language: nothing is recomputed) joined to the profile, with the brief's filters in
SQL so a million-creator warehouse hands pandas only the rows that can match. The filters mean
exactly what ``transforms.fit.brief_mask`` says; the handles a brief excludes are left to it.
People only (``is_person`` or in the review band), as in ``candidates``; any tier unless the
brief names some. Vectors come back Arrow-backed, so they become matrices without a Python loop.

``seed_frame`` resolves ``--like`` handles the way ``scout forget`` does: ``@h``, ``h`` or
``platform:h``; a Mastodon user without its instance or a Bluesky name without its domain when
exactly one stored creator has it. An unknown, partial-and-ambiguous or cross-platform-ambiguous
handle is bad input (exit 2) naming the candidates.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from core.brief import Brief
from core.errors import WarehouseInputError
from core.identity import split_ref
from warehouse.forget import PARTIAL_HANDLES, HandleNotResolved, resolve_handle

#: The columns a match reads: rank_fit's inputs and what a match row shows.
MATCH_COLUMNS = (
    "platform", "creator_id", "handle", "display_name", "profile_url", "followers", "bio", "tier",
    "er_median", "authenticity_score", "collab_stance", "collab_evidence", "paid_posts", "niches",
    "niche", "niche_probs", "niche_version", "content_vector", "content_version", "language", "account_type", "scored_at",
)
# latest_scores' rule (newest scored_at, then run_id) found over the key columns alone: the view
# windows over whole rows, vectors included, which took three times as long on a million.
_FROM = """
FROM (SELECT platform, creator_id, run_id FROM creator_scores
      QUALIFY row_number() OVER (PARTITION BY platform, creator_id ORDER BY scored_at DESC, run_id DESC) = 1
     ) AS latest
JOIN creator_scores AS s USING (platform, creator_id, run_id)
JOIN creators AS c ON c.platform = s.platform AND c.creator_id = s.creator_id
"""
_SELECT = ("SELECT s.platform, s.creator_id, c.handle, c.display_name, c.profile_url, c.followers, c.bio, "
           "s.tier, s.er_median, s.authenticity_score, s.collab_stance, s.collab_evidence, s.paid_posts, "
           "s.niches, s.niche, s.niche_probs, s.niche_version, s.content_vector, s.content_version, s.language, s.account_type, "
           "s.scored_at")


class SeedNotResolved(WarehouseInputError):
    """A ``--like`` handle that names no stored creator, or more than one."""


def _filters(brief: Brief) -> tuple[str, dict[str, Any]]:
    """The WHERE clause of the brief's filters (values bound, never spliced)."""
    where = ["(s.is_person OR coalesce(s.needs_review, false))"]
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
    """Strings as Arrow-backed strings, lists as Arrow lists, numbers as nullable numbers."""
    table = con.sql(sql, params=params or None).to_arrow_table()

    def types(t: pa.DataType) -> Any:
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            return pd.StringDtype("pyarrow")
        if pa.types.is_list(t) or pa.types.is_fixed_size_list(t):
            return pd.ArrowDtype(t)
        return None

    return table.to_pandas(types_mapper=types)


def match_frame(con: duckdb.DuckDBPyConnection, brief: Brief) -> pd.DataFrame:
    """MATCH_COLUMNS of every stored creator the brief's filters keep (``exclude`` aside), in the
    scores' storage order (rowid: the same file gives the same order, so a ranking's ties are
    stable; sorting a million (platform, creator_id) strings instead cost a third of the read)."""
    where, params = _filters(brief)
    return _frame(con, f"{_SELECT}{_FROM}{where} ORDER BY s.rowid", params)


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
        return _frame(con, f"{_SELECT}{_FROM}JOIN seed_keys AS k ON k.platform = s.platform "
                           "AND k.creator_id = s.creator_id ORDER BY k.seed_order", {})
    finally:
        con.unregister("seed_keys")
