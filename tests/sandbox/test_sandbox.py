"""The sandbox: a deterministic universe and an HTTP twin of Bluesky's and Mastodon's APIs."""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import asdict
from datetime import timedelta

import pytest
import requests

from sandbox import (
    KINDS,
    PAGE_KINDS,
    REFERENCE_NOW,
    SandboxServer,
    build_universe,
)

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
DID = re.compile(r"^did:plc:[a-z2-7]{24}$")


@pytest.fixture(scope="module")
def universe():
    return build_universe(300, seed=42)


@pytest.fixture(scope="module")
def server(universe):
    with SandboxServer(universe, rate_limit=100_000, rate_window=10.0) as sb:
        yield sb


@pytest.fixture(scope="module")
def http():
    with requests.Session() as s:
        yield s


def pick(universe, platform, kind, pred=lambda c: True):
    return next(c for c in universe.creators
                if c.platform == platform and c.kind == kind and pred(c))


# ---------------------------------------------------------------------------------------------
# Universe
# ---------------------------------------------------------------------------------------------

def test_same_seed_same_universe_and_posts():
    a, b = build_universe(120, seed=7), build_universe(120, seed=7)
    assert [asdict(c) for c in a.creators] == [asdict(c) for c in b.creators]
    # posts are generated lazily; order of requests must not matter
    for i in (5, 60, 119):
        assert a.posts_for(i) == b.posts_for(i)
    assert b.posts_for(60) == a.posts_for(60)
    c = build_universe(120, seed=8)
    assert [x.handle for x in c.creators] != [x.handle for x in a.creators]


def test_size_bounds():
    for bad in (0, 49, 100_001):
        with pytest.raises(ValueError):
            build_universe(bad)
    assert len(build_universe(50).creators) == 50


def test_kind_mix_and_identities(universe):
    kinds = Counter(c.kind for c in universe.creators)
    assert set(kinds) == set(KINDS)
    assert 0.55 <= kinds["person"] / len(universe.creators) <= 0.65
    platforms = Counter(c.platform for c in universe.creators)
    assert abs(platforms["bluesky"] - platforms["mastodon"]) <= 30
    for platform in ("bluesky", "mastodon"):
        present = {c.kind for c in universe.creators if c.platform == platform}
        assert present == set(KINDS), platform
        handles = [c.handle.lower() for c in universe.creators if c.platform == platform]
        assert len(handles) == len(set(handles))
    for c in universe.creators:
        assert c.index == universe.creators.index(c)
        if c.platform == "bluesky":
            assert DID.match(c.creator_id) and c.handle.endswith(".bsky.social")
            assert not c.is_bot
        else:
            assert c.creator_id.isdigit() and re.fullmatch(r"[A-Za-z0-9_]+", c.handle)
        assert universe.lookup(c.platform, c.handle) is c
        assert universe.lookup(c.platform, c.creator_id) is c
    assert any(c.is_bot for c in universe.creators if c.kind in ("news", "repost"))
    assert not any(c.is_bot for c in universe.creators if c.kind == "person")


def test_people_cover_every_tier():
    u = build_universe(1000, seed=3)
    followers = [c.followers for c in u.creators if c.kind == "person"]
    assert min(followers) < 1_000 and max(followers) > 1_000_000
    assert all(150 <= f <= 2_000_000 for f in followers)
    mostly = sum(1_000 <= f <= 100_000 for f in followers) / len(followers)
    assert mostly > 0.65
    # bios are varied, not one template per kind
    people_bios = {c.bio for c in u.creators if c.kind == "person"}
    assert len(people_bios) > 0.8 * len(followers)
    assert any(c.language != "en" for c in u.creators if c.kind == "person")
    assert any(c.collab == "paid_only" for c in u.creators)
    assert any(c.collab == "gifting" for c in u.creators)
    assert any(c.engagement_anomaly for c in u.creators)


def test_posts_shape_and_content(universe):
    now = universe.now
    assert now == REFERENCE_NOW
    people_posts, sponsored = 0, 0
    for c in universe.creators[:120]:
        posts = universe.posts_for(c)
        assert 0 < len(posts) <= 200
        assert len(posts) <= c.posts_count
        times = [p.created_at for p in posts]
        assert times == sorted(times, reverse=True)
        assert all(now - timedelta(days=121) < t <= now for t in times)
        assert len({p.id for p in posts}) == len(posts)
        for p in posts:
            if p.is_repost:
                assert p.original is not None and p.original.creator_index != c.index
                assert p.original.created_at < p.created_at
            else:
                assert p.original is None and p.creator_index == c.index
            if c.kind == "person" and not p.is_repost:
                people_posts += 1
                sponsored += p.is_sponsored
    assert 0.03 <= sponsored / people_posts <= 0.15
    # pages post more often than people
    rate = {k: [c.posts_per_day for c in universe.creators if c.kind == k] for k in KINDS}
    assert max(rate["person"]) <= 1.0 < min(min(rate[k]) for k in ("meme", "news", "repost"))
    reposters = [c for c in universe.creators if c.kind == "repost"]
    share = [sum(p.is_repost for p in universe.posts_for(c)) / len(universe.posts_for(c))
             for c in reposters]
    assert sum(share) / len(share) > 0.3
    assert universe.posts_for(universe.creators[0], 5) == universe.posts_for(0)[:5]


@pytest.mark.slow  # about 10 s: builds the largest universe `scout demo --creators` allows
def test_hundred_thousand_creators_build():
    u = build_universe(100_000, seed=1)
    assert len(u.creators) == 100_000


# ---------------------------------------------------------------------------------------------
# Bluesky
# ---------------------------------------------------------------------------------------------

def test_bluesky_search_actors_and_paging(server, http):
    url = server.base_url + "/xrpc/app.bsky.actor.searchActors"
    r = http.get(url, params={"q": "baking"})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert int(r.headers["Content-Length"]) == len(r.content)
    for h in ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy"):
        assert h in r.headers
    assert r.headers["RateLimit-Policy"] == "100000;w=10"
    actor = r.json()["actors"][0]
    assert {"did", "handle", "displayName", "description", "indexedAt", "createdAt",
            "labels"} <= set(actor)
    assert "followersCount" not in actor and "postsCount" not in actor
    assert ISO_MS.match(actor["indexedAt"]) and ISO_MS.match(actor["createdAt"])

    seen, cursor, pages = [], None, 0
    while True:
        params = {"q": "baking travel", "limit": 7}
        if cursor:
            params["cursor"] = cursor
        body = http.get(url, params=params).json()
        seen += [a["did"] for a in body["actors"]]
        pages += 1
        cursor = body.get("cursor")
        if cursor is None:
            break
        assert isinstance(cursor, str)
    assert pages > 1 and len(seen) == len(set(seen))
    expected = server.universe.search("bluesky", "baking travel")
    assert seen == [c.creator_id for c in expected]
    upper = http.get(url, params={"q": "BAKING"}).json()
    assert upper == http.get(url, params={"q": "baking"}).json()
    assert http.get(url, params={"q": "x", "limit": 101}).status_code == 400


def test_bluesky_get_profiles(server, http, universe):
    people = [c for c in universe.creators if c.platform == "bluesky"][:3]
    url = server.base_url + "/xrpc/app.bsky.actor.getProfiles"
    r = http.get(url, params=[("actors", people[0].handle), ("actors", people[1].creator_id),
                              ("actors", "nobody-here.bsky.social"),
                              ("actors", people[2].handle)])
    assert r.status_code == 200
    profiles = r.json()["profiles"]
    assert [p["did"] for p in profiles] == [c.creator_id for c in people]
    p = profiles[0]
    assert {"did", "handle", "displayName", "description", "followersCount", "followsCount",
            "postsCount", "indexedAt", "createdAt", "labels"} <= set(p)
    assert p["followersCount"] == people[0].followers
    assert isinstance(p["followersCount"], int) and p["labels"] == []

    too_many = [("actors", people[0].handle)] * 26
    r = http.get(url, params=too_many)
    assert r.status_code == 400 and r.json()["error"] == "InvalidRequest"

    one = http.get(server.base_url + "/xrpc/app.bsky.actor.getProfile",
                   params={"actor": people[1].handle})
    assert one.status_code == 200 and one.json()["did"] == people[1].creator_id


def test_bluesky_unknown_profile_and_errors(server, http):
    base = server.base_url + "/xrpc/"
    for nsid in ("app.bsky.actor.getProfile", "app.bsky.feed.getAuthorFeed"):
        r = http.get(base + nsid, params={"actor": "nobody-here.bsky.social"})
        assert r.status_code == 400
        assert r.json() == {"error": "InvalidRequest", "message": "Profile not found"}
    assert http.get(base + "app.bsky.actor.getProfile").status_code == 400  # missing actor
    assert http.get(base + "app.bsky.feed.searchPosts", params={"q": "x"}).status_code == 403
    assert http.get(server.base_url + "/nope").status_code == 404


def test_bluesky_author_feed_paging_and_reposts(server, http, universe):
    c = pick(universe, "bluesky", "repost", lambda c: len(universe.posts_for(c)) > 100)
    url = server.base_url + "/xrpc/app.bsky.feed.getAuthorFeed"
    items, cursor = [], None
    while True:
        params = {"actor": c.handle, "limit": 40, "filter": "posts_no_replies"}
        if cursor:
            params["cursor"] = cursor
        r = http.get(url, params=params)
        assert r.status_code == 200
        body = r.json()
        items += body["feed"]
        cursor = body.get("cursor")
        if not cursor:
            break
    posts = universe.posts_for(c)
    assert len(items) == len(posts)
    keys = [(i["post"]["uri"], i.get("reason", {}).get("uri")) for i in items]
    assert len(keys) == len(set(keys))

    own = next(i for i in items if "reason" not in i)
    post = own["post"]
    assert {"uri", "cid", "author", "record", "likeCount", "repostCount", "replyCount",
            "quoteCount", "bookmarkCount", "indexedAt"} <= set(post)
    assert post["uri"].startswith(f"at://{c.creator_id}/app.bsky.feed.post/")
    assert post["author"]["did"] == c.creator_id
    assert post["record"]["$type"] == "app.bsky.feed.post"
    assert ISO_MS.match(post["record"]["createdAt"]) and post["record"]["langs"]

    repost = next(i for i in items if "reason" in i)
    assert repost["reason"]["$type"] == "app.bsky.feed.defs#reasonRepost"
    assert repost["reason"]["by"]["did"] == c.creator_id
    assert repost["post"]["author"]["did"] != c.creator_id
    assert repost["post"]["uri"].startswith(f"at://{repost['post']['author']['did']}/")


# ---------------------------------------------------------------------------------------------
# Mastodon
# ---------------------------------------------------------------------------------------------

def test_mastodon_lookup_and_account(server, http, universe):
    c = pick(universe, "mastodon", "person", lambda c: c.bio)
    r = http.get(server.base_url + "/api/v1/accounts/lookup", params={"acct": c.handle})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    for h in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
        assert h in r.headers
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", r.headers["X-RateLimit-Reset"])
    a = r.json()
    assert {"id", "username", "acct", "display_name", "note", "url", "avatar", "avatar_static",
            "header", "locked", "bot", "group", "discoverable", "created_at", "last_status_at",
            "followers_count", "following_count", "statuses_count", "emojis",
            "fields"} <= set(a)
    assert a["id"] == c.creator_id and isinstance(a["id"], str)
    assert a["note"].startswith("<p>") and a["note"].endswith("</p>")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", a["last_status_at"])
    assert a["followers_count"] == c.followers and a["group"] is False
    by_id = http.get(server.base_url + f"/api/v1/accounts/{c.creator_id}").json()
    assert by_id == a

    r = http.get(server.base_url + "/api/v1/accounts/lookup", params={"acct": "nobody_here"})
    assert r.status_code == 404 and r.json() == {"error": "Record not found"}
    assert http.get(server.base_url + "/api/v1/accounts/123").status_code == 404
    assert http.get(server.base_url + "/api/v1/accounts/lookup").status_code == 400


def test_mastodon_note_html(server, http, universe):
    c = pick(universe, "mastodon", "repost", lambda c: "#" in c.bio)
    note = http.get(server.base_url + f"/api/v1/accounts/{c.creator_id}").json()["note"]
    assert 'class="mention hashtag" rel="tag">#<span>' in note
    fan = pick(universe, "mastodon", "fan", lambda c: "@" in c.bio)
    note = http.get(server.base_url + f"/api/v1/accounts/{fan.creator_id}").json()["note"]
    assert '<span class="h-card"' in note


def test_mastodon_statuses_link_paging(server, http, universe):
    c = pick(universe, "mastodon", "repost", lambda c: len(universe.posts_for(c)) > 80)
    url = server.base_url + f"/api/v1/accounts/{c.creator_id}/statuses"
    params: dict | None = {"limit": 40, "exclude_replies": "true"}
    statuses, next_url = [], url
    while next_url:
        r = http.get(next_url, params=params)
        assert r.status_code == 200
        page = r.json()
        statuses += page
        params = None
        next_url = r.links.get("next", {}).get("url")
        if next_url:
            assert "max_id=" in next_url and "prev" in r.links
    ids = [s["id"] for s in statuses]
    assert len(ids) == len(set(ids)) == len(universe.posts_for(c))
    assert [int(i) for i in ids] == sorted((int(i) for i in ids), reverse=True)

    s = next(s for s in statuses if s["reblog"] is None)
    assert {"id", "created_at", "in_reply_to_id", "sensitive", "spoiler_text", "visibility",
            "language", "uri", "url", "replies_count", "reblogs_count", "favourites_count",
            "quotes_count", "content", "reblog", "account", "media_attachments", "mentions",
            "tags", "emojis", "card", "poll"} <= set(s)
    assert s["content"].startswith("<p>") and s["visibility"] == "public"
    assert ISO_MS.match(s["created_at"]) and s["in_reply_to_id"] is None
    boost = next(s for s in statuses if s["reblog"] is not None)
    assert boost["content"] == "" and boost["favourites_count"] == 0
    assert boost["account"]["id"] == c.creator_id
    assert boost["reblog"]["account"]["id"] != c.creator_id
    assert boost["reblog"]["content"].startswith("<p>")
    assert http.get(url, params={"limit": 500}).json().__len__() == 40  # clamped like Mastodon


def test_mastodon_directory_search_and_tag_timeline(server, http, universe):
    base = server.base_url
    seen, offset = [], 0
    while True:
        page = http.get(base + "/api/v1/directory",
                        params={"limit": 30, "offset": offset, "order": "active",
                                "local": "true"}).json()
        if not page:
            break
        seen += [a["id"] for a in page]
        offset += len(page)
    expected = [c for c in universe.creators if c.platform == "mastodon" and c.discoverable]
    assert len(seen) == len(set(seen)) == len(expected)

    r = http.get(base + "/api/v2/search", params={"q": "baking", "type": "accounts", "limit": 5})
    body = r.json()
    assert set(body) == {"accounts", "statuses", "hashtags"}
    assert 0 < len(body["accounts"]) <= 5 and body["statuses"] == []
    assert http.get(base + "/api/v2/search").status_code == 400

    tag_url, params, ids = base + "/api/v1/timelines/tag/baking", {"limit": 20}, []
    while tag_url:
        r = http.get(tag_url, params=params)
        page = r.json()
        assert all("baking" in [t["name"] for t in s["tags"]] for s in page)
        ids += [s["id"] for s in page]
        params = None
        tag_url = r.links.get("next", {}).get("url")
    assert len(ids) > 20 and len(ids) == len(set(ids))


# ---------------------------------------------------------------------------------------------
# Service behaviour
# ---------------------------------------------------------------------------------------------

def test_robots_truth_and_stats(server, http, universe):
    r = http.get(server.base_url + "/robots.txt")
    assert r.status_code == 200 and "Disallow: /private/" in r.text
    c = pick(universe, "bluesky", "meme")
    truth = http.get(server.base_url + "/_sandbox/truth",
                     params={"platform": "bluesky", "handle": c.handle}).json()
    assert truth["kind"] == "meme" and truth["is_person"] is False
    stats = http.get(server.base_url + "/_sandbox/stats").json()
    assert stats["requests"] > 0 and stats["by_platform"]["bluesky"] > 0
    assert {"requests", "by_platform", "by_path", "by_status", "rate_limited"} <= set(stats)
    assert server.stats["requests"] == stats["requests"]  # /_sandbox/* is not counted


def test_rate_limit_429_with_retry_after(universe):
    with SandboxServer(universe, rate_limit=3, rate_window=30) as sb, requests.Session() as s:
        url = sb.base_url + "/xrpc/app.bsky.actor.searchActors"
        answers = [s.get(url, params={"q": "baking"}) for _ in range(4)]
        assert [r.status_code for r in answers] == [200, 200, 200, 429]
        assert [r.headers["RateLimit-Remaining"] for r in answers] == ["2", "1", "0", "0"]
        limited = answers[-1]
        assert int(limited.headers["Retry-After"]) >= 1
        assert limited.json() == {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}
        assert limited.headers["RateLimit-Policy"] == "3;w=30"

        # the budget is per platform, and robots.txt / _sandbox are never limited
        masto = sb.base_url + "/api/v1/directory"
        codes = [s.get(masto).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = s.get(masto)
        assert r.json() == {"error": "Too many requests"} and int(r.headers["Retry-After"]) >= 1
        assert "X-RateLimit-Reset" in r.headers
        assert all(s.get(sb.base_url + "/robots.txt").status_code == 200 for _ in range(5))
        assert sb.stats["rate_limited"] == 3


def test_concurrent_requests(server, universe):
    handles = [c.handle for c in universe.creators if c.platform == "bluesky"][:16]
    ids = [c.creator_id for c in universe.creators if c.platform == "mastodon"][:16]
    errors: list = []

    def worker(n: int) -> None:
        with requests.Session() as s:
            for i in range(12):
                try:
                    if i % 2:
                        r = s.get(server.base_url + "/xrpc/app.bsky.feed.getAuthorFeed",
                                  params={"actor": handles[(n + i) % 16], "limit": 10})
                    else:
                        account = ids[(n + i) % 16]
                        r = s.get(server.base_url + f"/api/v1/accounts/{account}/statuses")
                    if r.status_code != 200 or not isinstance(r.json(), (dict, list)):
                        errors.append(r.status_code)
                except Exception as e:  # pragma: no cover - reported below
                    errors.append(repr(e))

    before = server.stats["requests"]
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert server.stats["requests"] - before == 8 * 12


def test_page_kinds_have_page_like_text(universe):
    words = {"meme": "meme", "facts": "fact", "news": "news", "repost": "credit",
             "fan": "fan", "brand": "our"}
    for kind in PAGE_KINDS:
        pages = [c for c in universe.creators if c.kind == kind]
        assert pages, kind
        if kind in words:
            blob = " ".join((c.display_name + " " + c.bio).lower() for c in pages)
            assert words[kind] in blob, kind
