"""``candidate_rows`` (migration 018) holds exactly what the candidates view showed before it was
materialised: after several runs, lineage, audits, an ad-network update, a rescore, an alias merge
and a forget, the table equals the old view's query over the same warehouse, and so does the
backfill of a warehouse stored before the migration."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from core.records import Profile
from transforms.frames import (
    errors_frame,
    lineage_frame,
    posts_frame,
    profiles_frame,
    raw_frame,
)
from transforms.score import score_creators, score_stored
from warehouse.candidate_query import count_candidates, count_held_back
from warehouse.db import connect
from warehouse.forget import forget_creator
from warehouse.load import load_run
from warehouse.warehouse import Warehouse

T0 = datetime(2024, 5, 1, 12, tzinfo=UTC)
NAMES = ("Maya Lopez", "Jonas Weber", "Ana Silva", "Tom Hardy", "Lea Kim")

#: The candidates view as it was before migration 018 (warehouse/views/020_candidates.sql at
#: release 017), its latest scores ranked per query as the view of that time did.
OLD_VIEW = """
WITH ranked_scores AS (
    SELECT * EXCLUDE (is_latest) FROM creator_scores
    QUALIFY row_number() OVER (PARTITION BY platform, creator_id ORDER BY scored_at DESC, run_id DESC) = 1
),
old_view AS (
    WITH latest_audits AS (
        SELECT platform, creator_id, real_share AS audience_credibility
        FROM audience_audits
        QUALIFY row_number() OVER (PARTITION BY platform, creator_id ORDER BY audited_at DESC, run_id DESC) = 1
    ),
    eligible AS (
        SELECT *
        FROM ranked_scores
        WHERE (is_person OR coalesce(needs_review, false))
          AND tier IN ('nano', 'micro')
    )
    SELECT
        c.platform,
        c.creator_id,
        c.handle,
        c.display_name,
        c.profile_url,
        s.tier,
        c.followers,
        s.er_median,
        s.er_median * coalesce(s.authenticity_score, 100) / 100 AS adjusted_er,
        s.authenticity_score,
        coalesce(s.authenticity_flags, '[]') AS authenticity_flags,
        coalesce(list_contains(CAST(json_extract_string(s.authenticity_flags, '$[*].severity') AS VARCHAR[]), 'high'),
                 false) AS has_high_flag,
        array_to_string(CAST(json_extract_string(s.authenticity_flags, '$[*].evidence') AS VARCHAR[]), '; ')
            AS flag_evidence,
        s.er_mean,
        s.er_views_median,
        s.er_formula,
        s.posts_per_week,
        s.days_since_last_post,
        s.account_type,
        s.person_probability,
        coalesce(s.needs_review, false) AS needs_review,
        s.evidence,
        s.sponsored_share,
        s.collab_stance,
        s.collab_evidence,
        s.paid_posts,
        s.gifted_posts,
        s.affiliate_posts,
        s.paid_share,
        s.past_partners,
        s.niches,
        s.niche,
        s.language,
        a.audience_credibility,
        s.contact_email,
        s.contact_link,
        o.found_by,
        s.tier_scheme,
        s.model_version,
        s.authenticity_version,
        s.person_threshold,
        s.scored_at
    FROM eligible AS s
    JOIN creators AS c
      ON c.platform = s.platform
     AND c.creator_id = s.creator_id
    LEFT JOIN latest_audits AS a
      ON a.platform = s.platform
     AND a.creator_id = s.creator_id
    LEFT JOIN creator_origins AS o
      ON o.platform = s.platform
     AND o.creator_id = s.creator_id
)
SELECT * FROM old_view ORDER BY platform, creator_id
"""


def _profiles(ids: range, when: datetime, followers: int = 1_000) -> pd.DataFrame:
    return profiles_frame([Profile(platform="bluesky", creator_id=f"did:plc:c{i}", handle=f"c{i}.bsky.social",
                                   display_name=NAMES[i % len(NAMES)], bio="I bake bread and write about my garden",
                                   followers=followers + i) for i in ids], when)


def _load(db: Path, run_id: str, ids: range, when: datetime, followers: int = 1_000) -> None:
    profiles, posts = _profiles(ids, when, followers), posts_frame([], when)
    lineage = lineage_frame([("bluesky", f"did:plc:c{i}", "query", run_id) for i in ids], when)
    load_run(db, run_id=run_id, profiles=profiles, posts=posts, scores=score_creators(profiles, posts, now=when),
             raw_responses=raw_frame([]), errors=errors_frame([]), lineage=lineage,
             run={"flow": "discover", "platform": "bluesky", "params": {}, "started_at": when,
                  "finished_at": when, "status": "completed"})


def _audit(db: Path, ids: list[int], real_share: float) -> None:
    audits = pd.DataFrame({"platform": "bluesky", "creator_id": [f"did:plc:c{i}" for i in ids],
                           "audited_at": T0 + timedelta(days=3), "sample_size": 100, "real_share": real_share,
                           "ci_low": 0.5, "ci_high": 0.9, "fake_share": 0.1, "mass_share": 0.0,
                           "model_version": "test", "reason": None})
    assert Warehouse(db).save_audits("audit-run", audits) == len(ids)


def _flag_high(latest: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    """An ad-network pass's answer: c1's latest score gets a high-severity flag."""
    flag = json.dumps([{"flag": "ad_network", "severity": "high", "evidence": "same captions as 3 others"}])
    return latest[latest["creator_id"] == "did:plc:c1"][["platform", "creator_id", "run_id"]].assign(
        authenticity_score=40.0, authenticity_flags=flag)


def _rescore(db: Path) -> None:
    """A `scout rescore` of every stored creator, through the warehouse calls its flow makes."""
    wh = Warehouse(db)
    run = {"flow": "rescore", "platform": "bluesky", "params": {}, "started_at": T0 + timedelta(days=4),
           "finished_at": None, "status": "running"}
    state, _ = wh.open_run("rescore-1", run, "rescore-test")
    (span,) = wh.chunk_ranges("bluesky", state.run_id, 100)
    chunk = wh.read_chunk("bluesky", state.run_id, span, state.started_at)
    scores = score_stored(chunk.profiles, chunk.posts, now=state.started_at)
    empty = {"profiles": profiles_frame([], state.started_at), "posts": posts_frame([], state.started_at),
             "errors": errors_frame([])}
    wh.append_scores(state.run_id, {**empty, "scores": scores})
    wh.publish_scores(state.run_id)


def _table(db: Path, sql: str = "SELECT * FROM candidate_rows ORDER BY platform, creator_id") -> list[tuple]:
    """The materialised rows (or, given the old view's ``sql``, what it shows) in key order."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def _old_view(db: Path) -> list[tuple]:
    return _table(db, OLD_VIEW)


def test_the_table_holds_what_the_old_view_showed_through_every_kind_of_write(tmp_path):
    db = tmp_path / "scout.duckdb"
    _load(db, "a-first", range(0, 6), T0)
    _load(db, "b-second", range(3, 9), T0 + timedelta(days=2))
    _load(db, "c-grown", range(7, 8), T0 + timedelta(days=2, hours=1), followers=500_000)  # c7 leaves the tiers
    assert _table(db) == _old_view(db)
    _audit(db, [2, 4], 0.8)
    assert _table(db) == _old_view(db)
    _rescore(db)
    assert _table(db) == _old_view(db)
    assert Warehouse(db).rescore_latest(_flag_high, recent=5) == 1  # the rescore's ad-network pass
    assert _table(db) == _old_view(db)
    forget_creator(db, platform="bluesky", handle="c4.bsky.social")
    rows = _table(db)
    assert rows == _old_view(db)
    by_id = {row[1]: row for row in rows}
    assert "did:plc:c4" not in by_id and "did:plc:c7" not in by_id and len(by_id) == 7
    with duckdb.connect(str(db), read_only=True) as con:
        shown = dict(con.execute("SELECT creator_id, found_by FROM candidates WHERE creator_id IN "
                                 "('did:plc:c1', 'did:plc:c2')").fetchall())
        credibility, high = con.execute("SELECT audience_credibility, (SELECT has_high_flag FROM candidates "
                                        "WHERE creator_id = 'did:plc:c1') FROM candidates "
                                        "WHERE creator_id = 'did:plc:c2'").fetchone()
    assert shown == {"did:plc:c1": "query: a-first", "did:plc:c2": "query: a-first"}
    assert (credibility, high) == (0.8, True)
    assert (count_candidates(db), count_held_back(db)) == (len(rows) - 1, 1)  # c1 is held back


def test_the_migration_backfills_the_candidates_of_a_warehouse_stored_before_it(tmp_path):
    db = tmp_path / "old.duckdb"
    _load(db, "a-first", range(0, 4), T0)
    _load(db, "b-second", range(2, 6), T0 + timedelta(days=1))
    with duckdb.connect(str(db)) as con:  # as release 017 left it: no table, the old view's data
        con.execute("DROP TABLE candidate_rows CASCADE")
        con.execute("DELETE FROM schema_migrations WHERE version = 18")
    with connect(db):  # a write connection brings the schema up to date
        pass
    assert len(_table(db)) == 6
    assert _table(db) == _old_view(db)
