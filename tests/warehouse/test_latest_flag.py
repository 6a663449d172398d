"""`latest_scores` is a filter on creator_scores.is_latest, kept true on exactly the newest score
of each creator by every load (in any order of scored_at) and by the migration that added it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from core.records import Profile
from transforms.frames import errors_frame, posts_frame, profiles_frame, raw_frame
from transforms.score import score_creators
from warehouse.db import connect
from warehouse.load import load_run
from warehouse.migrate import migrate

T0 = datetime(2024, 5, 1, 12, tzinfo=UTC)
RANKED = """SELECT platform, creator_id, run_id FROM creator_scores
    QUALIFY row_number() OVER (PARTITION BY platform, creator_id ORDER BY scored_at DESC, run_id DESC) = 1
    ORDER BY ALL"""


def _load(db: Path, run_id: str, ids: range, when: datetime) -> None:
    profiles = profiles_frame([Profile(platform="bluesky", creator_id=f"did:plc:c{i}", handle=f"c{i}.bsky.social",
                                       followers=1_000 + i) for i in ids], when)
    posts = posts_frame([], when)
    load_run(db, run_id=run_id, profiles=profiles, posts=posts, scores=score_creators(profiles, posts, now=when),
             raw_responses=raw_frame([]), errors=errors_frame([]),
             run={"flow": "discover", "platform": "bluesky", "params": {}, "started_at": when,
                  "finished_at": when, "status": "completed"})


def _latest(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT platform, creator_id, run_id FROM latest_scores ORDER BY ALL").fetchall()


def _ranked(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(RANKED).fetchall()


def test_loads_in_any_order_keep_one_latest_score_per_creator(tmp_path):
    db = tmp_path / "scout.duckdb"
    _load(db, "b-middle", range(0, 6), T0)
    _load(db, "c-newest", range(3, 9), T0 + timedelta(days=2))
    _load(db, "a-oldest", range(0, 12), T0 - timedelta(days=3))  # an import of older pages, loaded last
    _load(db, "d-same-time", range(8, 10), T0 + timedelta(days=2))  # a tie on scored_at: the greater run_id
    assert _latest(db) == _ranked(db)
    assert len(_latest(db)) == 12
    by_id = {cid: run for _, cid, run in _latest(db)}
    assert (by_id["did:plc:c0"], by_id["did:plc:c4"], by_id["did:plc:c8"], by_id["did:plc:c11"]) == (
        "b-middle", "c-newest", "d-same-time", "a-oldest")
    _load(db, "b-middle", range(0, 2), T0 - timedelta(days=9))  # a rerun of a run replaces its scores
    assert _latest(db) == _ranked(db)


def test_the_migration_marks_the_newest_score_of_scores_stored_before_it(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    migrate(con, up_to=15)
    con.execute("""INSERT INTO creator_scores (platform, creator_id, run_id, scored_at)
        SELECT 'bluesky', 'c' || (i % 5), 'r' || (i // 5), TIMESTAMPTZ '2024-05-01' + to_days(CAST((i * 7) % 11 AS INTEGER))
        FROM range(20) t(i)""")
    con.close()
    with connect(db) as upgraded:  # a write connection brings the schema up to date
        assert upgraded.execute("SELECT count(*) FROM creator_scores WHERE is_latest").fetchone() == (5,)
    assert _latest(db) == _ranked(db)
