"""The creator_growth and tier_benchmarks views and the scoring inputs, on a real DuckDB file."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import duckdb
import pandas as pd
import pytest

from core.records import Post, Profile
from transforms.authenticity import rescore_ad_network
from transforms.authenticity.ad_network import NETWORK_POSTS, RECENT_POSTS
from transforms.frames import errors_frame, posts_frame, profiles_frame, raw_frame
from transforms.score import score_creators
from warehouse import ad_network
from warehouse.load import load_run
from warehouse.warehouse import Warehouse

START = datetime(2026, 1, 1, tzinfo=UTC)


def load_day(db, day: int, followers: dict[str, int], *, platform: str = "mastodon",
             texts: list[str] | None = None) -> None:
    """One run on day ``day`` observing these creators (handle -> followers), 5 posts each (or
    one sponsored post per text of ``texts``)."""
    now = START + timedelta(days=day)
    profiles = [Profile(platform, cid, cid, followers=n, following=100) for cid, n in followers.items()]
    posts = [Post(platform, f"{cid}-{day}-{k}", cid, now - timedelta(hours=k + 1), f"{cid} says hello number {k}",
                  likes=n // 20 + k, comments=max(1, n // 400)) for cid, n in followers.items() for k in range(5)]
    if texts is not None:
        posts = [Post(platform, f"{cid}-{day}-{k}", cid, now - timedelta(hours=k + 1), text, likes=50, comments=3,
                      is_sponsored=True) for cid in followers for k, text in enumerate(texts)]
    p, q = profiles_frame(profiles, now), posts_frame(posts, now)
    load_run(db, run_id=f"{platform}-day{day}", profiles=p, posts=q, scores=score_creators(p, q, now=now),
             raw_responses=raw_frame([]), errors=errors_frame([]),
             run={"flow": "discover", "platform": platform, "params": {}, "started_at": now,
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
    assert len(inputs["snapshots"]) == 5 and set(inputs) == {"benchmarks", "snapshots"}
    assert Warehouse(db).scoring_inputs("mastodon", START + timedelta(days=200))["snapshots"].empty


def test_scoring_inputs_of_a_new_warehouse_are_empty(tmp_path):
    inputs = Warehouse(tmp_path / "new.duckdb").scoring_inputs("mastodon", START)
    assert all(isinstance(f, pd.DataFrame) and f.empty for f in inputs.values())


ADS = ["Try the new GlowSkin serum today, use my code GLOW20 for twenty percent off your first order #beauty",
       "GlowSkin night cream changed my routine, link in bio for the spring sale and free shipping #beauty"]


@pytest.mark.parametrize("creators_a_read", [1, ad_network.CREATOR_BATCH])
def test_the_ad_network_pass_meets_members_stored_by_other_runs_and_platforms(tmp_path, monkeypatch, creators_a_read):
    """Members loaded by different runs on different platforms are flagged once the later run's
    pass runs, the earlier one's stored score included; a second pass changes nothing. The same
    when each creator's posts are read on their own (each read made while the last is worked on)."""
    monkeypatch.setattr(ad_network, "CREATOR_BATCH", creators_a_read)
    db = tmp_path / "scout.duckdb"
    load_day(db, 0, {"ad1": 2000}, platform="bluesky", texts=ADS)
    load_day(db, 1, {"ad2": 3000, "ad3": 2500}, texts=[a.upper() for a in ADS])
    load_day(db, 2, {"plain": 2000})
    wh = Warehouse(db)
    assert wh.rescore_latest(rescore_ad_network, **NETWORK_POSTS) == 3
    with duckdb.connect(str(db), read_only=True) as con:
        rows = dict(con.execute("SELECT creator_id, authenticity_flags FROM latest_scores").fetchall())
    assert all('"ad_network"' in rows[cid] and "by 2 other creators" in rows[cid] for cid in ["ad1", "ad2", "ad3"])
    assert '"ad_network"' not in rows["plain"]
    assert wh.rescore_latest(rescore_ad_network, **NETWORK_POSTS) == 0
    assert wh.rescore_latest(rescore_ad_network, recent=RECENT_POSTS) == 0  # every text read: the same flags


def test_the_ad_network_pass_reads_each_creators_newest_original_posts_only(tmp_path):
    """A creator with more than ``recent`` original posts gives its newest ``recent``, one with
    fewer gives them all, on every platform."""
    db = tmp_path / "scout.duckdb"
    load_day(db, 0, {"ana": 2000, "bo": 3000})  # five posts each, "... number 0" the newest
    load_day(db, 0, {"cy": 2000}, platform="bluesky", texts=ADS)
    with duckdb.connect(str(db), read_only=True) as con:
        scores, frames = ad_network.network_inputs(con, 3)
        posts = pd.concat(list(frames), ignore_index=True)
    assert len(scores) == 3
    read = posts.groupby("creator_id")["text"].agg(sorted).to_dict()
    assert read == {"ana": [f"ana says hello number {k}" for k in range(3)],
                    "bo": [f"bo says hello number {k}" for k in range(3)], "cy": sorted(ADS)}
    with duckdb.connect(str(db), read_only=True) as con:  # the pass's own read: only texts that may be long
        _, frames = ad_network.network_inputs(con, 3, NETWORK_POSTS["texts"])
        assert sorted(pd.concat(list(frames))["text"]) == sorted(ADS)
