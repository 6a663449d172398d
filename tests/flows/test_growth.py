"""Two discover runs against the sandbox at two points of its clock see follower growth."""

from __future__ import annotations

import duckdb
import pytest

from core.identity import instance_account_id
from flows.discover import discover
from sandbox import SandboxServer

pytestmark = pytest.mark.usefixtures("prefect_harness")
QUERIES = ["baking", "fitness", "travel", "music", "gardening", "gaming", "photography", "pets"]


def test_two_runs_days_apart_see_growth_in_snapshots(tmp_path):
    db = tmp_path / "scout.duckdb"
    for days in (0, 30):
        with SandboxServer(creators=120, seed=7, rate_limit=2000, days_elapsed=days) as sb:
            discover(platform="mastodon", base_url=sb.base_url, queries=QUERIES,
                     limit=30, posts_per_creator=5, db_path=str(db), rate_per_second=100)
            expected = {c.creator_id: sb.universe.followers_now(c) for c in sb.universe.creators}
        with duckdb.connect(str(db), read_only=True) as con:
            rows = con.execute("select s.creator_id, s.followers from creator_snapshots s join runs r "
                               "using (run_id) where r.started_at = (select max(started_at) from runs)"
                               ).fetchall()
        assert rows and all(followers == expected[instance_account_id(cid)] for cid, followers in rows)
    with duckdb.connect(str(db), read_only=True) as con:
        grown, both = con.execute("""
            select count(*) filter (where hi > lo), count(*) from (
                select max(followers) hi, min(followers) lo from creator_snapshots
                group by creator_id having count(*) = 2)""").fetchone()
    assert both > 5 and grown > 0.8 * both
