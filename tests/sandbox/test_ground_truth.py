"""The sandbox's planted authenticity fraud, its clock and its ground truth (``/_sandbox/truth``)."""

from __future__ import annotations

import hashlib
import re
import statistics
from collections import Counter
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
import requests

from sandbox import SandboxCreator, SandboxServer, build_universe
from sandbox.fraud import MASS_FOLLOWING_MIN, ROUND_JUMPS, campaign_tag
from sandbox.routes import bluesky, instagram, mastodon

# The fields SandboxCreator had before fraud was planted, and the digest of every creator that
# got no new fraud (its fields and first 40 own posts), computed on main before this change.
_FIELDS_BEFORE = 32
_UNPLANTED_DIGEST = {7: "522cdefa31c42a77046aceffcfb103cc7989a648640339bcd7fe6419d77218b8",
                     42: "165e7eb644ab6cd1cbdbd7ec491abccc9bb3a84ae3138ce8bcade7fbf7520317"}
TRUTH_KEYS = {"platform", "handle", "creator_id", "kind", "is_person", "engagement",
              "bought_followers", "bought_follower_share", "follower_spike_day",
              "follower_spike_date", "mass_following", "ad_network", "followers", "following"}


@pytest.fixture(scope="module")
def universe():
    return build_universe(300, seed=42)


def _newly_planted(c: SandboxCreator) -> bool:
    return (c.engagement in ("comment_pods", "spiky_likes") or c.mass_following
            or c.ad_network is not None)


@pytest.mark.parametrize("seed", [7, 42])
def test_creators_without_new_fraud_are_as_before(seed):
    u = build_universe(300, seed=seed)
    old_fields = [f.name for f in fields(SandboxCreator)][:_FIELDS_BEFORE]
    digest = hashlib.sha256()
    for c in u.creators:
        if _newly_planted(c):
            continue
        digest.update(repr(tuple(getattr(c, f) for f in old_fields)).encode())
        for p in u.own_posts(c)[:40]:
            digest.update(repr((p.id, p.created_at, p.text, p.likes, p.reposts, p.replies,
                                p.quotes, p.is_sponsored, p.tags, p.bookmarks, p.mentions,
                                p.cid)).encode())
    assert digest.hexdigest() == _UNPLANTED_DIGEST[seed]
    assert 10 <= sum(map(_newly_planted, u.creators)) <= 40


def test_every_fraud_kind_is_planted(universe):
    rows = universe.ground_truth()
    assert len(rows) == len(universe) and all(TRUTH_KEYS <= set(r) for r in rows)
    engagement = {r["engagement"] for r in rows}
    assert engagement == {"organic", "bought_likes", "comment_pods", "spiky_likes"}
    # the generator's old anomaly is bought likes
    assert all((r["engagement"] == "bought_likes") == r["engagement_anomaly"] for r in rows)
    bought = [c for c in universe.creators if c.bought_followers]
    assert bought and all(c.bought_followers in ROUND_JUMPS and c.spike_day is not None
                          for c in bought)
    mass = [r for r in rows if r["mass_following"]]
    assert mass and all(r["following"] >= MASS_FOLLOWING_MIN for r in mass)
    network = [c for c in universe.creators if c.ad_network is not None]
    assert len(network) >= 5 and {c.platform for c in network} == {"bluesky", "mastodon"}
    assert len({c.niche for c in network}) > 1  # unrelated creators


def _comments_per_like(u, c) -> float:
    posts = u.own_posts(c)
    return sum(p.replies for p in posts) / max(sum(p.likes for p in posts), 1)


def test_engagement_fraud_shows_in_the_posts(universe):
    by_kind: dict[str, list[SandboxCreator]] = {}
    for c in universe.creators:
        if c.kind == "person":
            by_kind.setdefault(c.engagement, []).append(c)
    organic = statistics.median(_comments_per_like(universe, c) for c in by_kind["organic"])
    assert all(_comments_per_like(universe, c) < organic / 5 for c in by_kind["bought_likes"])
    assert all(_comments_per_like(universe, c) > organic * 3 for c in by_kind["comment_pods"])
    for c in by_kind["spiky_likes"]:
        likes = [p.likes for p in universe.own_posts(c)]
        assert max(likes) > 6 * statistics.median(likes)


def test_ad_network_members_post_the_same_creatives(universe):
    network = [c for c in universe.creators if c.ad_network == 0]
    creatives: dict[str, set[str]] = {}
    for c in network:
        for p in universe.own_posts(c):
            if p.creative:
                assert p.is_sponsored and "#ad" in p.text
                creatives.setdefault(p.creative, set()).add(c.handle)
    shared = {k: v for k, v in creatives.items() if len(v) >= 3}
    assert shared, creatives
    organic = [c for c in universe.creators if c.ad_network is None]
    assert not any(p.creative for c in organic[:40] for p in universe.own_posts(c))
    # Instagram shows a creative as the same image URL wherever it is posted
    key, members = next(iter(shared.items()))
    urls = set()
    for c in network:
        if c.handle in members:
            body = instagram._media_item(universe, c, next(
                p for p in universe.own_posts(c) if p.creative == key), ["media_url"])
            urls.add(body["media_url"])
    assert len(urls) == 1


def test_follower_counts_grow_with_the_clock():
    before, after = build_universe(300, seed=42), build_universe(300, seed=42, days_elapsed=30)
    assert after.today - before.today == after.today - after.now
    pairs = list(zip(before.creators, after.creators, strict=True))
    grown = [(before.followers_now(a), after.followers_now(b)) for a, b in pairs]
    assert all(n1 >= n0 for n0, n1 in grown) and sum(n1 > n0 for n0, n1 in grown) > 250
    spiked = [b for _, b in pairs if b.spike_day is not None and 0 < b.spike_day <= 30]
    assert spiked
    for c in spiked:
        jump = after.followers_now(c) - before.followers_now(c)
        assert jump >= c.bought_followers
        assert before.truth(c.platform, c.creator_id)["bought_follower_share"] == 0.0
        assert after.truth(c.platform, c.creator_id)["bought_follower_share"] > 0.0
        # the routes serve the count on the clock
        if c.platform == "bluesky":
            _, body, _ = bluesky.answer(after, "http://x", "/xrpc/app.bsky.actor.getProfile",
                                        {"actor": [c.handle]})
            assert body["followersCount"] == after.followers_now(c)
        else:
            _, body, _ = mastodon.answer(after, "http://x", f"/api/v1/accounts/{c.creator_id}", {})
            assert body["followers_count"] == after.followers_now(c)
    # nothing but the counts moves: posts are the same
    c = before.creators[0]
    assert [p.id for p in before.own_posts(c)] == [p.id for p in after.own_posts(c)]


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_days_elapsed_must_be_whole_days(bad):
    with pytest.raises(ValueError, match="days_elapsed"):
        build_universe(60, seed=1, days_elapsed=bad)


def test_truth_endpoint_and_clock_over_http(universe):
    with SandboxServer(creators=300, seed=42, days_elapsed=10) as sb, requests.Session() as http:
        info = http.get(sb.base_url + "/_sandbox/info").json()
        assert info["days_elapsed"] == 10 and info["now"].startswith("2026-11-11")
        date = parsedate_to_datetime(http.get(sb.base_url + "/_sandbox/info").headers["Date"])
        assert timedelta(days=9) < date - datetime.now(UTC) < timedelta(days=11)
        rows = http.get(sb.base_url + "/_sandbox/truth").json()["creators"]
        assert rows == sb.universe.ground_truth()
        c = next(c for c in sb.universe.creators if c.bought_followers and c.spike_day < 0)
        one = http.get(sb.base_url + "/_sandbox/truth",
                       params={"platform": c.platform, "handle": c.handle}).json()
        assert one["bought_followers"] == c.bought_followers
        assert 0 < one["bought_follower_share"] < 1 and one["follower_spike_day"] == c.spike_day
        only = http.get(sb.base_url + "/_sandbox/truth", params={"platform": "mastodon"}).json()
        assert {r["platform"] for r in only["creators"]} == {"mastodon"}
    with pytest.raises(ValueError, match="days_elapsed"):
        SandboxServer(universe, days_elapsed=3)


@pytest.mark.parametrize("command", ["sandbox", "demo"])
def test_cli_refuses_a_negative_clock(command, tmp_path):
    from typer.testing import CliRunner

    from cli.app import app

    result = CliRunner().invoke(app, [command, "--days-elapsed", "-1", "--db",
                                      str(tmp_path / "w.duckdb")] if command == "demo"
                                else [command, "--port", "0", "--days-elapsed", "-1"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "--days-elapsed" in result.output and not (tmp_path / "w.duckdb").exists()


@pytest.mark.slow
def test_scout_sandbox_serves_its_clock(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    proc = subprocess.Popen([str(Path(sys.executable).parent / "scout"), "sandbox", "--port", "0",
                             "--creators", "60", "--days-elapsed", "45"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = next(line for line in proc.stdout if "http://127.0.0.1:" in line)
        base = re.search(r"http://127\.0\.0\.1:\d+", line).group(0)
        info = requests.get(base + "/_sandbox/info", timeout=10).json()
        assert info["days_elapsed"] == 45 and info["now"].startswith("2026-12-16")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _thread(u, uri, **params):
    return bluesky.answer(u, "http://x", "/xrpc/app.bsky.feed.getPostThread",
                          {"uri": [uri], **{k: [str(v)] for k, v in params.items()}})


def test_comment_pods_show_as_identical_replies_in_bluesky_threads():
    universe = build_universe(1000, seed=42)  # 300 creators hold no pod on Bluesky

    def same_words_share(c) -> float:
        texts = []
        for p in universe.own_posts(c)[:10]:
            _, body, _ = _thread(universe, f"at://{c.creator_id}/app.bsky.feed.post/{p.id}")
            thread = body["thread"]
            assert thread["$type"] == "app.bsky.feed.defs#threadViewPost"
            assert thread["post"]["uri"].endswith(p.id)
            assert len(thread["replies"]) <= min(p.replies, 100)
            if p.created_at < universe.today - timedelta(days=7):  # replies come over ~2 days
                assert len(thread["replies"]) == min(p.replies, 100)
            for reply in thread["replies"]:
                record = reply["post"]["record"]
                assert record["reply"]["parent"]["uri"] == thread["post"]["uri"]
                assert record["createdAt"] >= thread["post"]["record"]["createdAt"]
                assert universe.follower("bluesky", reply["post"]["author"]["did"]) is not None
                texts.append(record["text"])
        top3 = sum(n for _, n in Counter(texts).most_common(3))
        return top3 / len(texts)  # the share of replies in the three commonest words

    bluesky_creators = [c for c in universe.creators if c.platform == "bluesky"
                        and c.kind in ("person", "meme", "animal", "fan") and c.followers > 2_000]
    pods = [c for c in bluesky_creators if c.engagement == "comment_pods"]
    organic = [c for c in bluesky_creators if c.engagement == "organic"][:5]
    assert pods and all(same_words_share(c) > 0.7 for c in pods)
    assert all(same_words_share(c) < 0.4 for c in organic)


def test_post_thread_errors_and_depth(universe):
    c = next(c for c in universe.creators if c.platform == "bluesky" and c.followers > 2_000)
    p = next(p for p in universe.own_posts(c) if p.replies)
    uri = f"at://{c.creator_id}/app.bsky.feed.post/{p.id}"
    assert _thread(universe, uri, depth=0)[1]["thread"]["replies"] == []
    with pytest.raises(bluesky.ApiError) as missing:
        _thread(universe, uri[:-3] + "aaa")
    assert missing.value.status == 400 and missing.value.body["error"] == "NotFound"
    with pytest.raises(bluesky.ApiError) as bad:
        _thread(universe, "https://bsky.app/post/1")
    assert bad.value.body["error"] == "InvalidRequest"


def test_a_network_s_creatives_and_bios_carry_its_campaign_tag_so_one_search_meets_several_members(universe):
    network = [c for c in universe.creators if c.ad_network == 0]
    tag = campaign_tag(universe.seed, 0)
    assert all(tag in c.bio for c in network)
    assert all(tag in p.text for c in network for p in universe.own_posts(c) if p.creative)
    found = {c.index for platform in ("bluesky", "mastodon") for c in universe.search(platform, tag)}
    assert {c.index for c in network} <= found
