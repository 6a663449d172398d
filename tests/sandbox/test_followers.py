"""Follower lists in the sandbox: Bluesky ``graph.getFollowers`` + ``getProfiles`` and Mastodon's
``/api/v1/accounts/:id/followers``, over the real HTTP server."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest
import requests

from sandbox import SandboxServer, build_universe
from sandbox.followers import decode_follower_id, follower_id, follower_kind

DID = re.compile(r"^did:plc:[a-z2-7]{24}$")
COUNT_KEYS = {"followersCount", "followsCount", "postsCount"}


@pytest.fixture(scope="module")
def server():
    with SandboxServer(creators=300, seed=42, rate_limit=100_000) as sb:
        yield sb


@pytest.fixture(scope="module")
def http():
    with requests.Session() as s:
        yield s


def _creator(sb, platform, pred=lambda c: True):
    return next(c for c in sb.universe.creators if c.platform == platform and pred(c))


def _xrpc(http, sb, nsid, **params):
    return http.get(f"{sb.base_url}/xrpc/{nsid}", params=params)


def test_bluesky_get_followers_pages_profile_views(server, http):
    c = _creator(server, "bluesky", lambda c: 300 < c.followers < 3_000)
    first = _xrpc(http, server, "app.bsky.graph.getFollowers", actor=c.handle, limit=100).json()
    assert set(first) == {"subject", "followers", "cursor"}
    assert first["subject"]["did"] == c.creator_id
    assert len(first["followers"]) == 100
    for f in first["followers"]:
        assert DID.match(f["did"]) and f["handle"].endswith(".bsky.social")
        assert {"did", "handle", "displayName", "description", "indexedAt", "createdAt",
                "labels", "viewer"} <= set(f) and not COUNT_KEYS & set(f)
    seen, cursor, pages = [f["did"] for f in first["followers"]], first["cursor"], 1
    while cursor:
        page = _xrpc(http, server, "app.bsky.graph.getFollowers", actor=c.creator_id,
                     limit=100, cursor=cursor).json()
        seen += [f["did"] for f in page["followers"]]
        cursor, pages = page.get("cursor"), pages + 1
    assert len(seen) == len(set(seen)) == c.followers and pages == -(-c.followers // 100)
    bad = _xrpc(http, server, "app.bsky.graph.getFollowers", actor=c.handle, limit=101)
    assert bad.status_code == 400 and bad.json()["error"] == "InvalidRequest"


def test_bluesky_get_profiles_gives_followers_counts(server, http):
    c = _creator(server, "bluesky", lambda c: c.followers > 1_000)
    views = _xrpc(http, server, "app.bsky.graph.getFollowers", actor=c.handle,
                  limit=30).json()["followers"]
    dids = [v["did"] for v in views]
    profiles = _xrpc(http, server, "app.bsky.actor.getProfiles", actors=dids[:25]).json()
    assert [p["did"] for p in profiles["profiles"]] == dids[:25]
    assert all(COUNT_KEYS <= set(p) for p in profiles["profiles"])
    assert _xrpc(http, server, "app.bsky.actor.getProfiles", actors=dids[:26]).status_code == 400
    one = _xrpc(http, server, "app.bsky.actor.getProfile", actor=dids[0]).json()
    assert one == profiles["profiles"][0]
    # a follower id that does not follow (yet) is no profile
    unborn = follower_id("bluesky", 42, c.index, c.followers + 10)
    assert _xrpc(http, server, "app.bsky.actor.getProfile", actor=unborn).status_code == 400


def test_mastodon_followers_link_paging_full_accounts(server, http):
    c = _creator(server, "mastodon", lambda c: 200 < c.followers < 2_000)
    url = f"{server.base_url}/api/v1/accounts/{c.creator_id}/followers"
    r = http.get(url, params={"limit": 500})  # Mastodon caps limit at 80
    accounts = r.json()
    assert len(accounts) == 80
    assert all({"id", "username", "acct", "followers_count", "following_count", "statuses_count",
                "created_at", "note", "avatar", "bot"} <= set(a) for a in accounts)
    assert 'rel="next"' in r.headers["Link"] and 'rel="prev"' in r.headers["Link"]
    ids = [a["id"] for a in accounts]
    while "next" in r.links:
        r = http.get(r.links["next"]["url"])
        ids += [a["id"] for a in r.json()]
    assert len(ids) == len(set(ids)) == c.followers
    assert http.get(url).headers and len(http.get(url).json()) == 40  # the default limit
    # newer than a follow: min_id pages back towards the newest
    newer = http.get(url, params={"min_id": r.links["prev"]["url"].rsplit("=", 1)[1],
                                  "limit": 5}).json()
    assert len(newer) == 5 and set(a["id"] for a in newer).isdisjoint(a["id"] for a in r.json())
    one = http.get(f"{server.base_url}/api/v1/accounts/{ids[0]}").json()
    assert one == accounts[0]


def test_bought_followers_are_fake_accounts():
    u = build_universe(300, seed=42, days_elapsed=40)
    c = next(c for c in u.creators if c.bought_followers and 0 < c.spike_day <= 40
             and c.followers < 20_000)
    followers = u.followers_of(c, None, u.followers_now(c))
    kinds = Counter(follower_kind(u.seed, c, k) for k, _ in followers)
    assert kinds["fake"] == c.bought_followers
    assert kinds["mass"] > 0 and kinds["real"] > kinds["mass"]
    spike = u.now + timedelta(days=c.spike_day)
    fakes = [f for k, f in followers if follower_kind(u.seed, c, k) == "fake"]
    reals = [f for k, f in followers if follower_kind(u.seed, c, k) == "real"]
    for f in fakes:
        assert f.avatar is None and f.bio == "" and f.posts_count <= 3
        assert f.following > 10 * max(f.followers, 1) and re.search(r"\d{5,}", f.handle)
        assert timedelta(0) < spike - f.created_at <= timedelta(days=21)
    assert sum(f.avatar is not None for f in reals) > 0.8 * len(reals)
    assert sum(bool(f.bio) for f in reals) > 0.5 * len(reals)
    masses = [f for k, f in followers if follower_kind(u.seed, c, k) == "mass"]
    assert all(f.following >= 2_000 for f in masses)


def test_follower_lists_are_deterministic_per_seed():
    a, b, other = (build_universe(300, seed=s) for s in (42, 42, 43))
    c = next(c for c in a.creators if c.followers > 500)
    page_a = [f.creator_id for _, f in a.followers_of(c, None, 50)]
    assert page_a == [f.creator_id for _, f in b.followers_of(b.creators[c.index], None, 50)]
    c_other = other.creators[c.index]
    assert set(page_a).isdisjoint(f.creator_id for _, f in other.followers_of(c_other, None, 50))
    for platform in ("bluesky", "mastodon"):
        ref = follower_id(platform, 42, 123, 456_789)
        assert decode_follower_id(platform, 42, ref) == (123, 456_789)
        assert decode_follower_id(platform, 43, ref) in (None, (123, 456_789))
    assert decode_follower_id("bluesky", 43, follower_id("bluesky", 42, 1, 2)) is None
    assert decode_follower_id("bluesky", 42, a.creators[0].creator_id) is None


def test_new_followers_arrive_at_the_front():
    before, after = build_universe(300, seed=42), build_universe(300, seed=42, days_elapsed=60)
    c = next(c for c in before.creators if 1_000 < c.followers < 5_000 and not c.bought_followers)
    old = [f.creator_id for _, f in before.followers_of(c, None, 20)]
    new = after.followers_of(after.creators[c.index], None, after.followers_now(c) + 20)
    grown = after.followers_now(after.creators[c.index]) - before.followers_now(c)
    assert grown > 0 and [f.creator_id for _, f in new[grown:grown + 20]] == old


def test_follower_profiles_never_drift():
    with SandboxServer(creators=300, seed=42, rate_limit=None, faults=["drift"],
                       drift_share=0.9) as sb, requests.Session() as http:
        assert len(sb.drifted()) > 200  # most creators drift
        c = _creator(sb, "bluesky", lambda c: c.followers > 1_000)
        dids = [v["did"] for v in _xrpc(http, sb, "app.bsky.graph.getFollowers", actor=c.handle,
                                        limit=25).json()["followers"]]
        profiles = _xrpc(http, sb, "app.bsky.actor.getProfiles", actors=dids).json()["profiles"]
        assert len(profiles) == 25 and all(COUNT_KEYS <= set(p) for p in profiles)
        m = _creator(sb, "mastodon", lambda c: c.followers > 100)
        follower = http.get(f"{sb.base_url}/api/v1/accounts/{m.creator_id}/followers",
                            params={"limit": 1}).json()
        one = http.get(f"{sb.base_url}/api/v1/accounts/{follower[0]['id']}").json()
        assert one == follower[0] and {"followers_count", "statuses_count"} <= set(one)


def test_real_followers_look_like_real_people_to_the_follower_model():
    """The audit read about 0.2 too low: real followers' counts were drawn independently, so many
    followed dozens of accounts per follower. Now their counts go together as real people's do."""
    import pandas as pd

    from transforms.followers import score_followers

    u = build_universe(300, seed=42)
    reals = [f for c in u.creators if c.platform in ("bluesky", "mastodon")
             for k, f in u.followers_of(c, None, 20) if follower_kind(u.seed, c, k) == "real"]
    frame = pd.DataFrame({"handle": [f.handle for f in reals], "display_name": [f.display_name for f in reals],
                          "bio": [f.bio for f in reals], "followers": [f.followers for f in reals],
                          "following": [f.following for f in reals], "posts": [f.posts_count for f in reals],
                          "created_at": pd.to_datetime([f.created_at for f in reals], utc=True),
                          "has_default_avatar": [f.avatar is None for f in reals]})
    called = score_followers(frame, now=pd.Timestamp(u.today))["follower_class"]
    assert len(reals) > 1000 and (called != "real").mean() < 0.05
