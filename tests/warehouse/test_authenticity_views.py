"""The creator_growth and tier_benchmarks views and the scoring inputs, on a real DuckDB file."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import duckdb
import pandas as pd
import pytest

from core.records import Post, Profile
from transforms.frames import errors_frame, posts_frame, profiles_frame, raw_frame
from transforms.score import score_creators
from warehouse.load import load_run
from warehouse.warehouse import Warehouse

START = datetime(2026, 1, 1, tzinfo=UTC)


def load_day(db, day: int, followers: dict[str, int]) -> None:
    """One run on day ``day`` observing these creators (handle -> followers), 5 posts each."""
    now = START + timedelta(days=day)
    profiles = [Profile("mastodon", cid, cid, followers=n, following=100) for cid, n in followers.items()]
    posts = [Post("mastodon", f"{cid}-{day}-{k}", cid, now - timedelta(hours=k + 1), f"{cid} says hello number {k}",
                  likes=n // 20 + k, comments=max(1, n // 400)) for cid, n in followers.items() for k in range(5)]
    p, q = profiles_frame(profiles, now), posts_frame(posts, now)
    load_run(db, run_id=f"day{day}", profiles=p, posts=q, scores=score_creators(p, q, now=now),
             raw_responses=raw_frame([]), errors=errors_frame([]),
             run={"flow": "discover", "platform": "mastodon", "params": {}, "started_at": now,
                  "finished_at": now, "status": "completed"})


def test_creator_growth_gives_followers_at_each_snapshot_and_growth_over_7_30_90_days(tmp_path):
    db = tmp_path / "scout.duckdb"
    for day, n in [(0, 1000), (60, 1600), (83, 1900), (90, 2000)]:
        load_day(db, day, {"ana": n})
    load_day(db, 90, {"ana": 2000, "once": 5000})  # a creator seen once has no growth
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT creator_id, followers, growth_7d, growth_per_day_7d, growth_30d, growth_90d, "
                           "growth_per_day_90d FROM creator_growth ORDER BY creator_id, observed_at").fetchall()
        as_of = con.execute("SELECT followers FROM creator_growth WHERE creator_id = 'ana' AND observed_at <= ? "
                            "ORDER BY observed_at DESC LIMIT 1", [START + timedelta(days=70)]).fetchone()
    assert rows[0] == ("ana", 1000, None, None, None, None, None)
    day90 = rows[3]
    assert day90[:3] == ("ana", 2000, 100) and day90[3] == pytest.approx(100 / 7)
    assert day90[4] == 400 and day90[5] == 1000 and day90[6] == pytest.approx(1000 / 90)
    assert rows[4] == ("once", 5000, None, None, None, None, None)
    assert as_of == (1600,)


def test_tier_benchmarks_and_the_scoring_inputs_read_the_warehouse(tmp_path):
    db = tmp_path / "scout.duckdb"
    load_day(db, 0, {f"c{i}": 2000 + 100 * i for i in range(5)})
    inputs = Warehouse(db).scoring_inputs("mastodon", START + timedelta(days=1))
    bench = inputs["benchmarks"]
    assert bench[["platform", "tier", "n_creators"]].values.tolist() == [["mastodon", "nano", 5]]
    assert math.isfinite(bench["log_er_median"][0]) and bench["comments_per_100_likes"][0] > 0
    assert len(inputs["snapshots"]) == 5 and set(inputs["peer_posts"].columns) == {"platform", "creator_id", "text"}
    assert Warehouse(db).scoring_inputs("bluesky", START)["peer_posts"].empty
    assert Warehouse(db).scoring_inputs("mastodon", START + timedelta(days=200))["snapshots"].empty


def test_scoring_inputs_of_a_new_warehouse_are_empty(tmp_path):
    inputs = Warehouse(tmp_path / "new.duckdb").scoring_inputs("mastodon", START)
    assert all(isinstance(f, pd.DataFrame) and f.empty for f in inputs.values())
