"""Bluesky: pure parsers on hand-written fixtures in the real AppView shapes, then fetching
against a tiny local XRPC stub (and the sandbox, once it exists)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from json_stub import JsonStub

from core.records import ParseResult, Post, Profile, RawResponse
from scrapers.bluesky import BLUESKY
from scrapers.errors import InvalidInput

FIXTURES = Path(__file__).parents[1] / "fixtures" / "bluesky"
MARISOL = "did:plc:k4r7aqw2m3xzt5vbn6hyjdoq"
YUKI = "did:plc:q2w3e4r5t6y7u2i3o4p5a6s7"
BOT = "did:plc:botbotbotbotbotbotbotbot"
UTC = UTC


def raw(fixture: str, kind: str, key: str, status: int = 200) -> RawResponse:
    return RawResponse(
        platform="bluesky",
        kind=kind,
        request_key=key,
        url=f"https://public.api.bsky.app/xrpc/{kind}",
        status=status,
        body=(FIXTURES / fixture).read_text(encoding="utf-8"),
    )


def body_raw(body: str, kind: str, key: str = "k", status: int = 200) -> RawResponse:
    return RawResponse("bluesky", kind, key, "https://public.api.bsky.app/xrpc/x", status, body)


# --------------------------------------------------------------------------- parse: profiles


def test_profiles_every_field() -> None:
    result = BLUESKY.parse(raw("get_profiles.json", "profiles", f"marisol.bsky.social,{YUKI},{BOT}"))
    assert result.errors == []
    marisol, yuki, bot = result.profiles
    assert marisol == Profile(
        platform="bluesky",
        creator_id=MARISOL,
        handle="marisol.bsky.social",
        display_name="Marisol 🌿 Plant Mom",
        bio=(
            "Houseplants, propagation & slow mornings ☕\n"
            "Shop: https://marisolgrows.example/shop.\n"
            "Business: hello@marisolgrows.example"
        ),
        followers=18342,
        following=611,
        posts_count=2207,
        verified=True,
        avatar_url=(
            "https://cdn.bsky.app/img/avatar/plain/did:plc:k4r7aqw2m3xzt5vbn6hyjdoq/"
            "bafkreigq3pwnxy2ktn7d4hb5sv6xwzl4rj2ocm6fa3dqhu7ye5bkz4a6ri@jpeg"
        ),
        external_url="https://marisolgrows.example/shop",
        profile_url="https://bsky.app/profile/marisol.bsky.social",
        is_bot=None,
        account_created_at=datetime(2023, 7, 14, 9, 21, 44, 118000, tzinfo=UTC),
    )
    # Japanese text, no avatar, no verification block, an unauthenticated-visibility label.
    assert yuki.display_name == "ゆき｜イラストレーター"
    assert yuki.bio == "東京在住のイラストレーター。お仕事のご依頼はDMへ🎨"
    assert yuki.avatar_url is None
    assert yuki.verified is None
    assert yuki.is_bot is None
    assert yuki.external_url is None
    assert (yuki.followers, yuki.following, yuki.posts_count) == (4120, 388, 915)
    # Self-labelled bot, verification present but not valid, genuine zero counts stay 0.
    assert bot.is_bot is True
    assert bot.verified is False
    assert (bot.followers, bot.following, bot.posts_count) == (0, 0, 17520)
    assert bot.display_name == "" and bot.bio == ""


def test_requested_actor_missing_from_answer_is_an_error() -> None:
    key = f"MARISOL.bsky.social,{YUKI},ghost.bsky.social,did:plc:aaaaaaaaaaaaaaaaaaaaaaaa"
    result = BLUESKY.parse(raw("get_profiles.json", "profiles", key))
    assert len(result.profiles) == 3
    assert [(e.handle, e.reason) for e in result.errors] == [
        ("ghost.bsky.social", "profile not found"),
        ("did:plc:aaaaaaaaaaaaaaaaaaaaaaaa", "profile not found"),
    ]


def test_bad_profile_items_do_not_lose_good_ones() -> None:
    result = BLUESKY.parse(raw("get_profiles_bad_item.json", "profiles", "marisol.bsky.social"))
    assert [p.creator_id for p in result.profiles] == [MARISOL]
    reasons = [e.reason for e in result.errors]
    assert reasons == ["profile missing 'did'", "profile is not an object"]
    # Absent optional fields are unknown (None), never invented.
    only = result.profiles[0]
    assert only.bio is None and only.avatar_url is None and only.verified is None


def test_error_body_becomes_scrape_error_with_api_message() -> None:
    result = BLUESKY.parse(raw("error_profile_not_found.json", "profiles", "nobody.bsky.social", 400))
    assert result.profiles == [] and result.posts == []
    (error,) = result.errors
    assert (error.platform, error.handle, error.status) == ("bluesky", "nobody.bsky.social", 400)
    assert error.reason == "Profile not found"
    assert error.url and error.raw_response_id


def test_error_status_with_html_body() -> None:
    result = BLUESKY.parse(body_raw("<html>Bad gateway</html>", "author_feed", MARISOL, 502))
    assert [e.reason for e in result.errors] == ["HTTP 502"]


# ------------------------------------------------------------------------------- parse: feed


def test_author_feed_posts_every_field() -> None:
    result = BLUESKY.parse(raw("author_feed.json", "author_feed", MARISOL))
    first, sponsored, repost = result.posts
    assert first == Post(
        platform="bluesky",
        post_id="at://did:plc:k4r7aqw2m3xzt5vbn6hyjdoq/app.bsky.feed.post/3lf2xk7q4ms2a",
        creator_id=MARISOL,
        published_at=datetime(2025, 1, 7, 8, 15, 30, 512000, tzinfo=UTC),
        text="New leaf on the monstera 🌱🎉 three weeks of waiting paid off",
        likes=402,
        comments=12,
        shares=34,  # 31 reposts + 3 quotes
        views=None,
        is_repost=False,
        is_sponsored=False,
    )
    # German text with #ad; quoteCount absent, so shares are the reposts alone.
    assert sponsored.text == "Meine neue Gießkanne von @greenpot.example ist da! 💧 #ad"
    assert sponsored.is_sponsored is True
    assert (sponsored.likes, sponsored.comments, sponsored.shares) == (88, 4, 2)
    assert result.next_cursor == "2024-12-20T11:00:00.000Z"


def test_repost_is_credited_to_the_reposter() -> None:
    result = BLUESKY.parse(raw("author_feed.json", "author_feed", MARISOL))
    repost = result.posts[2]
    assert repost.is_repost is True
    assert repost.creator_id == MARISOL  # reason.by, not the original author (Yuki)
    assert repost.post_id == (
        f"at://{YUKI}/app.bsky.feed.post/3ldn4r6w2yb2t#repost-by-{MARISOL}"
    )
    assert repost.text == "冬のイラスト完成しました❄️ #illustration"
    assert repost.published_at == datetime(2024, 12, 21, 7, 30, tzinfo=UTC)  # when reposted
    # The counts belong to the original author's audience, not the reposter's.
    assert (repost.likes, repost.comments, repost.shares, repost.views) == (None, None, None, None)


def test_feed_item_without_uri_is_an_error_and_the_rest_survive() -> None:
    result = BLUESKY.parse(raw("author_feed.json", "author_feed", MARISOL))
    assert len(result.posts) == 3
    assert [e.reason for e in result.errors] == ["feed item missing 'post.uri'"]
    assert result.errors[0].handle == MARISOL


def test_published_at_falls_back_to_indexed_at() -> None:
    item = {"post": {"uri": "at://x/app.bsky.feed.post/1", "author": {"did": MARISOL},
                     "record": {"text": "hi", "createdAt": "not a date"},
                     "indexedAt": "2025-01-02T03:04:05.000Z"}}
    result = BLUESKY.parse(body_raw(json.dumps({"feed": [item]}), "author_feed", MARISOL))
    (post,) = result.posts
    assert post.published_at == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert (post.likes, post.comments, post.shares) == (None, None, None)  # unknown, not 0


def test_truncated_feed_is_an_error_not_an_exception() -> None:
    result = BLUESKY.parse(raw("author_feed_truncated.json", "author_feed", MARISOL))
    assert result.posts == []
    (error,) = result.errors
    assert error.reason.startswith("invalid JSON: ") and "at char 1484" in error.reason
    assert error.handle == MARISOL


@pytest.mark.parametrize(
    ("body", "kind", "reason"),
    [
        ("[]", "profiles", "getProfiles answer has no 'profiles' list"),
        ('{"profiles": {}}', "profiles", "getProfiles answer has no 'profiles' list"),
        ('"feed"', "author_feed", "getAuthorFeed answer has no 'feed' list"),
        ('{"feed": [1, {"post": null}]}', "author_feed", "feed item has no 'post' object"),
        ("", "author_feed", "empty body"),
        ("{}", "search", "searchActors answer has no 'actors' list"),
        ("{}", "timeline", "unknown Bluesky response kind 'timeline'"),
    ],
)
def test_wrong_shapes_are_reported(body: str, kind: str, reason: str) -> None:
    result = BLUESKY.parse(body_raw(body, kind))
    assert result.profiles == [] and result.posts == []
    assert result.errors and all(e.reason == reason for e in result.errors)


def test_saved_post_thread_gives_the_author_and_their_posts() -> None:
    """A saved getPostThread: the root author's profile as far as the thread shows it (no
    counts there), and that author's posts in the thread; others' replies and missing posts
    are left out."""
    body = (FIXTURES / "post_thread.json").read_text(encoding="utf-8")
    result = BLUESKY.parse_saved(body, source="thread.json")
    assert result.errors == []
    (profile,) = result.profiles
    did = "did:plc:q6gjnaw2blty4crticxkmujt"
    assert (profile.creator_id, profile.handle, profile.display_name) == (
        did, "hanna-loaves.bsky.social", "Hanna Weiss 🍞")
    assert profile.followers is None and profile.following is None and profile.posts_count is None
    assert profile.avatar_url and profile.avatar_url.startswith("https://cdn.bsky.app/")
    assert profile.profile_url == "https://bsky.app/profile/hanna-loaves.bsky.social"
    assert [p.post_id.rsplit("/", 1)[1] for p in result.posts] == ["3lbwzk2pqhs2c", "3lbwzm7ytjc2o"]
    root = result.posts[0]
    assert (root.creator_id, root.likes, root.comments, root.shares) == (did, 187, 4, 14)
    assert root.published_at == datetime(2024, 11, 28, 7, 42, 13, 118000, tzinfo=UTC)


def test_search_page_yields_no_records_and_no_errors() -> None:
    result = BLUESKY.parse(raw("search_actors.json", "search", "plants"))
    assert result == ParseResult(next_cursor="25")


# --------------------------------------------------------------------------- fetch: a stub


class XrpcStub(JsonStub):
    """A few lines of http.server answering the three NSIDs from a generated universe.

    Pages are capped at 2 items whatever ``limit`` says, so cursor paging is exercised.
    """

    PAGE_CAP = 2

    def __init__(self, n_creators: int = 40, posts_each: int = 5) -> None:
        super().__init__()
        self.actors = [self._actor(i) for i in range(n_creators)]
        self.posts_each = posts_each

    @staticmethod
    def _actor(i: int) -> dict[str, Any]:
        did = "did:plc:" + f"stub{chr(97 + i // 26)}{chr(97 + i % 26)}".ljust(24, "q")
        return {
            "did": did,
            "handle": f"creator{i}.bsky.social",
            "displayName": f"Creator {i} 🌱",
            "description": f"plants and more, number {i}",
            "followersCount": 1000 + i,
            "followsCount": 10 + i,
            "postsCount": 100 + i,
            "labels": [],
            "indexedAt": "2025-01-01T00:00:00.000Z",
            "createdAt": "2024-01-01T00:00:00.000Z",
        }

    def route(self, path: str, query: dict[str, list[str]], headers: Any = None,
              body: Any = None) -> tuple[int, Any]:
        nsid = path.rsplit("/", 1)[-1]
        start = int(query.get("cursor", ["0"])[0])
        if nsid == "app.bsky.actor.searchActors":
            limit = min(int(query["limit"][0]), self.PAGE_CAP)
            page = self.actors[start : start + limit]
            out: dict[str, Any] = {"actors": [dict(a, followersCount=None) for a in page]}
            if start + limit < len(self.actors):
                out["cursor"] = str(start + limit)
            return 200, out
        if nsid == "app.bsky.actor.getProfiles":
            wanted = [a.lower() for a in query.get("actors", [])]
            if len(wanted) > 25:
                return 400, {"error": "InvalidRequest", "message": "Too many actors"}
            return 200, {"profiles": [a for a in self.actors
                                      if a["did"] in wanted or a["handle"] in wanted]}
        if nsid == "app.bsky.feed.getAuthorFeed":
            actor = query["actor"][0]
            if not any(a["did"] == actor for a in self.actors):
                return 400, {"error": "InvalidRequest", "message": "Profile not found"}
            limit = min(int(query["limit"][0]), self.PAGE_CAP)
            feed = [
                {"post": {"uri": f"at://{actor}/app.bsky.feed.post/{n}", "cid": "bafy",
                          "author": {"did": actor, "handle": "x.bsky.social"},
                          "record": {"text": f"post {n}", "createdAt": "2025-01-01T00:00:00Z"},
                          "likeCount": n, "replyCount": 0, "repostCount": 0, "quoteCount": 0,
                          "indexedAt": "2025-01-01T00:00:00Z"}}
                for n in range(start, min(start + limit, self.posts_each))
            ]
            out = {"feed": feed}
            if start + limit < self.posts_each:
                out["cursor"] = str(start + limit)
            return 200, out
        return 404, {"error": "MethodNotImplemented", "message": "Method Not Implemented"}

    def calls(self, nsid: str) -> list[dict[str, list[str]]]:
        return [q for path, q in self.requests if path == f"/xrpc/{nsid}"]


@pytest.fixture()
def stub() -> Iterator[XrpcStub]:
    with XrpcStub() as server:
        yield server


@pytest.fixture()
def http() -> Any:
    from scrapers.http import HttpClient

    client = HttpClient(platform="bluesky", rate_per_second=500.0, burst=100, max_retries=0)
    yield client
    client.close()


def parse_all(raws: list[RawResponse], parse: Callable[[RawResponse], ParseResult]) -> ParseResult:
    total = ParseResult()
    for item in raws:
        total.extend(parse(item))
    return total


def test_discover_pages_search_by_cursor_and_keeps_handles(stub: XrpcStub, http: Any) -> None:
    refs = BLUESKY.discover(http, stub.base_url, queries=["plants"], hashtags=["#monstera"],
                            handles=["@Creator0.bsky.social"], limit=6)
    assert refs[0] == "creator0.bsky.social"
    assert len(refs) == 6 == len({r.lower() for r in refs})
    assert stub.actors[0]["did"] not in refs  # already asked for by handle
    # each ref says how it was found: the lineage a run records
    assert [(r.found_by, r.term) for r in refs[:2]] == [("handle", "creator0.bsky.social"), ("query", "plants")]
    assert {(r.found_by, r.term) for r in refs[1:]} == {("query", "plants"), ("hashtag", "monstera")}
    searches = stub.calls("app.bsky.actor.searchActors")
    assert [q["q"][0] for q in searches] == ["plants", "plants", "monstera", "monstera", "monstera"]
    assert "cursor" not in searches[0] and searches[1]["cursor"] == ["2"]
    assert all(int(q["limit"][0]) <= 100 for q in searches)
    # Search raws are kept and parse to nothing: counts come from getProfiles.
    assert [r.kind for r in http.raw_responses] == ["search"] * 5
    for item in http.raw_responses:
        result = BLUESKY.parse(item)
        assert result.profiles == [] and result.errors == []


def test_discover_rejects_bad_handles_before_any_request(stub: XrpcStub, http: Any) -> None:
    with pytest.raises(InvalidInput):
        BLUESKY.discover(http, stub.base_url, queries=["x"], hashtags=[],
                         handles=["not a handle"], limit=5)
    assert stub.requests == []


def test_fetch_creators_profiles_then_paged_feeds(stub: XrpcStub, http: Any) -> None:
    refs = [a["did"] for a in stub.actors[:3]] + ["creator3.bsky.social", "ghost.bsky.social"]
    BLUESKY.fetch_creators(http, stub.base_url, refs, posts_per_creator=3)

    (profiles_call,) = stub.calls("app.bsky.actor.getProfiles")
    assert profiles_call["actors"] == refs  # repeated actors= parameters
    feeds = stub.calls("app.bsky.feed.getAuthorFeed")
    # 4 found creators x 2 pages (2 + 1 items); the ghost costs no feed request.
    assert len(feeds) == 8
    assert all(q["filter"] == ["posts_no_replies"] for q in feeds)
    assert [q["limit"][0] for q in feeds[:2]] == ["3", "1"]
    assert feeds[1]["cursor"] == ["2"]

    kinds = [r.kind for r in http.raw_responses]
    assert kinds == ["profiles"] + ["author_feed"] * 8
    result = parse_all(http.raw_responses, BLUESKY.parse)
    assert len(result.profiles) == 4
    assert len(result.posts) == 12
    assert {p.creator_id for p in result.posts} == {p.creator_id for p in result.profiles}
    assert [(e.handle, e.reason) for e in result.errors] == [("ghost.bsky.social", "profile not found")]


def test_fetch_creators_batches_profiles_by_25(stub: XrpcStub, http: Any) -> None:
    refs = [a["did"] for a in stub.actors[:30]]
    BLUESKY.fetch_creators(http, stub.base_url, refs, posts_per_creator=0)
    batches = stub.calls("app.bsky.actor.getProfiles")
    assert [len(q["actors"]) for q in batches] == [25, 5]
    assert stub.calls("app.bsky.feed.getAuthorFeed") == []
    assert http.raw_responses[0].request_key == ",".join(refs[:25])
    assert len(parse_all(http.raw_responses, BLUESKY.parse).profiles) == 30


def test_request_count_per_creator(stub: XrpcStub, http: Any) -> None:
    """One feed page per creator plus a 25th of a getProfiles call."""
    refs = [a["did"] for a in stub.actors[:25]]
    BLUESKY.fetch_creators(http, stub.base_url, refs, posts_per_creator=2)
    assert len(stub.requests) == 1 + 25


# ------------------------------------------------------------------------ fetch: the sandbox


def test_sandbox_discover_fetch_parse(sandbox: Any, http: Any) -> None:
    """The whole chain against the offline twin: query -> DIDs -> profiles -> paged feeds."""
    refs = BLUESKY.discover(http, sandbox.base_url, queries=["baking", "fitness"], hashtags=[],
                            handles=["nobody-here.bsky.social"], limit=30)
    assert refs[0] == "nobody-here.bsky.social" and len(refs) > 1
    assert all(r.startswith("did:") for r in refs[1:])
    discovered = len(http.raw_responses)

    BLUESKY.fetch_creators(http, sandbox.base_url, refs, posts_per_creator=45)
    fetched = http.raw_responses[discovered:]
    result = parse_all(http.raw_responses, BLUESKY.parse)

    creators = {p.creator_id for p in result.profiles}
    assert creators == set(refs[1:])
    assert all(p.followers is not None and p.profile_url for p in result.profiles)
    assert result.posts and {p.creator_id for p in result.posts} <= creators
    assert all(p.published_at is not None and p.published_at.tzinfo for p in result.posts)
    assert len({p.post_id for p in result.posts}) == len(result.posts)
    assert [(e.handle, e.reason) for e in result.errors] == [
        ("nobody-here.bsky.social", "profile not found")
    ]
    # One getProfiles call for the batch, then one feed page (<= 100 posts) per creator found.
    assert [r.kind for r in fetched] == ["profiles"] + ["author_feed"] * len(creators)


def test_sandbox_reposts_are_credited_to_the_reposter(sandbox: Any, http: Any) -> None:
    refs = BLUESKY.discover(http, sandbox.base_url, queries=["baking", "fitness", "art"],
                            hashtags=[], handles=[], limit=20)
    BLUESKY.fetch_creators(http, sandbox.base_url, refs, posts_per_creator=60)
    result = parse_all(http.raw_responses, BLUESKY.parse)
    reposts = [p for p in result.posts if p.is_repost]
    assert reposts, "the sandbox serves reposts"
    assert all(p.creator_id in refs and "#repost-by-" + p.creator_id in p.post_id for p in reposts)
    assert all(p.likes is None for p in reposts)
