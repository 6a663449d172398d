"""TikTok: saved-page parsers (__UNIVERSAL_DATA_FOR_REHYDRATION__, SIGI_STATE, bot checks) and
Research API parsers on hand-written fixtures in the real shapes, then the Research API client
(POST with a bearer token) against a small local stub."""

from __future__ import annotations

import importlib
import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from json_stub import JsonStub

from core.records import ParseResult, Post, Profile, RawResponse
from scrapers.errors import InvalidInput, MissingCredential
from scrapers.http import HttpClient
from scrapers.tiktok import TIKTOK
from scrapers.tiktok.client import video_query

FIXTURES = Path(__file__).parents[1] / "fixtures" / "tiktok"
UTC = UTC
TOKEN = "clt.test-token-Example12345Example"
API = "https://open.tiktokapis.com"
YUKI_AVATAR = (
    "https://p16-sign-va.tiktokcdn.com/tos-maliva-avt-0068/7d1e9c0a2b3f4e5d6c7b8a9f0e1d2c3b~"
    "tplv-tiktokx-cropcenter:1080:1080.jpeg?dr=14579&refresh_token=8f3c2a1b&x-expires="
    "1736412000&x-signature=Zk2mY5aQ1sU%3D&idc=no1a&ps=13740610&shcp=81f88b70&shp=a5d48078"
    "&t=4d5b0474"
)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def raw(body: str, kind: str, key: str = "yukidraws", status: int = 200) -> RawResponse:
    return RawResponse("tiktok", kind, key, f"{API}/v2/research/x/", status, body)


# ------------------------------------------------------------------ saved pages


def test_universal_data_profile_every_field() -> None:
    result = TIKTOK.parse_saved(fixture("profile_universal.html"), source="yuki.html")
    assert result.errors == [] and result.posts == []
    assert result.profiles == [Profile(
        platform="tiktok",
        creator_id="yukidraws",  # the username: the Research API never returns the numeric id
        handle="yukidraws",
        display_name="Yuki ✏️ illustrations",
        bio="illustrator in Tokyo 🎨\ncommissions open — DM or mail yuki@draws.example",
        followers=48200,
        following=312,
        posts_count=264,
        verified=False,
        avatar_url=YUKI_AVATAR,
        external_url="https://yukidraws.example/shop",  # bioLink.link had no scheme
        profile_url="https://www.tiktok.com/@yukidraws",
        is_bot=None,
    )]


def test_stats_v2_strings_win_over_stats() -> None:
    (profile,) = TIKTOK.parse_saved(fixture("profile_universal_statsv2.html")).profiles
    assert (profile.handle, profile.followers, profile.following, profile.posts_count) == (
        "marisolgrows", 1_234_567, 611, 1207)
    assert profile.verified is True
    assert profile.external_url == "https://marisolgrows.example/shop"


def test_private_account_keeps_the_profile_and_flags_no_posts() -> None:
    result = TIKTOK.parse_saved(fixture("private_10222.html"))
    (profile,) = result.profiles
    assert (profile.handle, profile.followers, profile.posts_count) == ("quiet.corner", 2210, 37)
    assert profile.bio == "" and profile.external_url is None  # bioLink null
    assert result.posts == []
    assert [(e.handle, e.reason) for e in result.errors] == [
        ("quiet.corner", "private account: no posts")]


def test_not_found_page() -> None:
    result = TIKTOK.parse_saved(fixture("not_found_10221.html"))
    assert result.profiles == [] and [e.reason for e in result.errors] == ["TikTok user not found"]


def test_sigi_state_profile_and_videos_every_field() -> None:
    result = TIKTOK.parse_saved(fixture("profile_sigi.html"))
    assert result.errors == []
    (profile,) = result.profiles
    assert (profile.creator_id, profile.handle, profile.display_name) == (
        "marisolgrows", "marisolgrows", "Marisol 🌿 Plant Mom")
    assert (profile.followers, profile.following, profile.posts_count) == (18342, 611, 1207)
    assert profile.verified is True and profile.avatar_url == YUKI_AVATAR
    assert profile.bio == "plants, propagation & slow mornings ☕ #ad-free zone"
    sponsored, tips = result.posts
    assert sponsored == Post(
        platform="tiktok",
        post_id="7187654321098765432",
        creator_id="marisolgrows",
        published_at=datetime(2023, 1, 14, 16, 0, tzinfo=UTC),  # createTime "1673712000"
        text="Repotting my monstera 🌱 watering can gifted by @greenpot #ad #plants",
        likes=1520,
        comments=44,
        shares=31,
        views=18400,
        is_repost=False,
        is_sponsored=True,
    )
    assert (tips.likes, tips.comments, tips.shares, tips.views, tips.is_sponsored) == (
        8870, 215, 402, 120300, False)


def test_video_page_gives_the_video_and_its_author() -> None:
    item = {"id": "7300000000000000001", "desc": "hi", "createTime": 1700000000,
            "author": {"uniqueId": "Yukidraws", "nickname": "Yuki", "verified": False},
            "authorStats": {"followerCount": 10, "followingCount": 2, "videoCount": 3},
            "stats": {"diggCount": 5, "commentCount": 1, "shareCount": 0, "playCount": 99},
            "statsV2": {"diggCount": "5", "commentCount": "1", "shareCount": "0",
                        "playCount": "99", "collectCount": "4"}}
    data = {"__DEFAULT_SCOPE__": {"webapp.video-detail": {"itemInfo": {"itemStruct": item},
                                                          "statusCode": 0}}}
    page = ('<html><body><script id="__UNIVERSAL_DATA_FOR_REHYDRATION__" '
            f'type="application/json">{json.dumps(data)}</script></body></html>')
    result = TIKTOK.parse_saved(page)
    (profile,) = result.profiles
    (post,) = result.posts
    assert (profile.creator_id, profile.handle, profile.followers) == ("yukidraws", "Yukidraws", 10)
    assert (post.creator_id, post.likes, post.comments, post.shares, post.views) == (
        "yukidraws", 5, 1, 0, 99)  # a genuine zero stays 0


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("challenge.html",
         "challenge page: TikTok served a bot check; save the page from a browser"),
        ("truncated.html", "__UNIVERSAL_DATA_FOR_REHYDRATION__ script: invalid JSON: "
                           "Unterminated string starting at char 1484"),
        ("<html><body><p>my blog</p></body></html>",
         "not a TikTok page: no __UNIVERSAL_DATA_FOR_REHYDRATION__ or SIGI_STATE script"),
        ('<script id="SIGI_STATE" type="application/json">{"ItemModule": {}}</script>',
         "SIGI_STATE has no UserModule.users"),
        ('<script id="__UNIVERSAL_DATA_FOR_REHYDRATION__">{"__DEFAULT_SCOPE__": {}}</script>',
         "__UNIVERSAL_DATA_FOR_REHYDRATION__ has no webapp.user-detail or webapp.video-detail "
         "(not a profile page)"),
        ('<script id="__UNIVERSAL_DATA_FOR_REHYDRATION__">{"__DEFAULT_SCOPE__": '
         '{"webapp.user-detail": {"statusCode": 10000, "statusMsg": "", "userInfo": {}}}}'
         '</script>', "TikTok statusCode 10000: no userInfo.user.uniqueId"),
    ],
)
def test_broken_pages_are_recorded_errors(body: str, reason: str) -> None:
    page = fixture(body) if body.endswith(".html") else body
    result = TIKTOK.parse_saved(page, source="saved.html")
    assert result.profiles == [] and result.posts == []
    (error,) = result.errors
    assert (error.platform, error.reason, error.url) == ("tiktok", reason, "saved.html")


def test_a_parser_bug_is_a_recorded_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(raw: RawResponse) -> ParseResult:
        raise ValueError("boom")

    monkeypatch.setattr(importlib.import_module("scrapers.tiktok.parse"), "parse_page", broken)
    (error,) = TIKTOK.parse_saved(fixture("profile_universal.html")).errors
    assert error.reason == "parser failed: ValueError: boom"


def test_bad_items_do_not_lose_good_ones() -> None:
    data = {"UserModule": {"users": {"a": {"uniqueId": "a"}, "b": {"nickname": "no id"}},
                           "stats": {"a": {"followerCount": "1,2K"}}},
            "ItemModule": {"1": {"id": "1", "author": "a", "createTime": "bad"},
                           "2": {"desc": "no id"}, "3": "junk"}}
    result = TIKTOK.parse_saved(json.dumps(data))
    (profile,) = result.profiles
    assert profile.followers == 1200 and profile.following is None and profile.verified is None
    (post,) = result.posts
    assert post.published_at is None and (post.likes, post.views) == (None, None)
    assert [e.reason for e in result.errors] == [
        "UserModule.users['b'] has no uniqueId",
        "ItemModule['2']: video missing 'id'",
        "ItemModule['3']: video is not an object",
    ]


# ------------------------------------------------------------------ Research API parsing


def test_research_user_info_every_field() -> None:
    result = TIKTOK.parse(raw(fixture("research_user_info.json"), "research_user"))
    assert result.errors == []
    assert result.profiles == [Profile(
        platform="tiktok",
        creator_id="yukidraws",
        handle="yukidraws",
        display_name="Yuki ✏️ illustrations",
        bio="illustrator in Tokyo 🎨\ncommissions open — DM or mail yuki@draws.example",
        followers=48200,
        following=312,
        posts_count=264,
        verified=False,
        avatar_url=(
            "https://p16-sign-va.tiktokcdn.com/tos-maliva-avt-0068/7d1e9c0a2b3f4e5d6c7b8a9f0e1d2c3b"
            "~tplv-tiktokx-cropcenter:168:168.jpeg?dr=14577&x-expires=1736412000&x-signature="
            "Qm9vayUzRA%3D"
        ),
        external_url="https://yukidraws.example/shop",
        profile_url="https://www.tiktok.com/@yukidraws",
        is_bot=None,
    )]


def test_research_videos_every_field() -> None:
    result = TIKTOK.parse(raw(fixture("research_videos.json"), "research_videos"))
    assert result.errors == [] and result.next_cursor == "2"
    first, sponsored = result.posts
    assert first == Post(
        platform="tiktok",
        post_id="7456987654321098765",  # an int64 JSON number, kept exact
        creator_id="yukidraws",
        published_at=datetime(2025, 1, 7, 6, 30, tzinfo=UTC),
        text="speedpaint: winter fox 🦊❄️ #illustration #procreate",
        likes=4812,
        comments=96,
        shares=57,
        views=52310,
        is_repost=False,
        is_sponsored=False,
    )
    assert sponsored.is_sponsored is True
    last = TIKTOK.parse(raw(fixture("research_videos_last.json"), "research_videos"))
    (post,) = last.posts
    assert last.next_cursor is None
    assert (post.text, post.shares, post.likes) == ("", None, 610)  # share_count absent


def test_research_error_keeps_code_and_message() -> None:
    result = TIKTOK.parse(raw(fixture("research_error_token.json"), "research_videos", status=401))
    (error,) = result.errors
    assert error.reason == ("The access token is invalid or not found in the request. "
                            "(access_token_invalid); renew the client access token in "
                            "SCOUT_TIKTOK_TOKEN")
    assert (error.status, error.handle) == (401, "yukidraws")


@pytest.mark.parametrize(
    ("body", "kind", "reasons"),
    [
        ('{"data": {}, "error": {"code": "ok"}}', "research_user",
         ["user info answer has no 'data' object"]),
        ('{"data": {"videos": {}}}', "research_videos",
         ["video query answer has no 'data.videos' list"]),
        ('{"data": {"videos": [{"username": "x"}, 4]}}', "research_videos",
         ["video missing 'id'", "video is not an object"]),
        ('{"data": {"videos": [{"id": 1,', "research_videos",
         ["invalid JSON: Expecting property name enclosed in double quotes at char 30"]),
        ("", "research_user", ["empty body"]),
        ("{}", "comments", ["unknown TikTok response kind 'comments'"]),
    ],
)
def test_wrong_research_shapes_are_reported(body: str, kind: str, reasons: list[str]) -> None:
    result = TIKTOK.parse(raw(body, kind))
    assert result.profiles == [] and result.posts == []
    assert [e.reason for e in result.errors] == reasons


@pytest.mark.parametrize(
    ("body", "counts"),
    [
        (fixture("research_videos.json"), (0, 2, 0)),
        (fixture("research_error_token.json"), (0, 0, 1)),
        (fixture("research_user_info.json"), (0, 0, 1)),  # names no user: said so
        (json.dumps({"__DEFAULT_SCOPE__": {"webapp.user-detail": {"statusCode": 0, "userInfo": {
            "user": {"uniqueId": "a"}, "stats": {"followerCount": 3}}}}}), (1, 0, 0)),
        (json.dumps({"UserModule": {"users": {"a": {"uniqueId": "a"}}}}), (1, 0, 0)),
    ],
)
def test_parse_saved_detects_json_kinds(body: str, counts: tuple[int, int, int]) -> None:
    result = TIKTOK.parse_saved(body)
    assert (len(result.profiles), len(result.posts), len(result.errors)) == counts


@pytest.mark.parametrize("body", ['{"foo": 1}', "[1]", "null", "not json", ""])
def test_parse_saved_unrecognised_bodies_say_what_was_expected(body: str) -> None:
    (error,) = TIKTOK.parse_saved(body, source="x.bin").errors
    assert error.reason.startswith(
        "not a saved TikTok profile page (HTML with __UNIVERSAL_DATA_FOR_REHYDRATION__ or "
        "SIGI_STATE), that script's JSON, or a Research API answer")
    assert error.url == "x.bin"


# ------------------------------------------------------------------ the Research API client


class ResearchStub(JsonStub):
    """The two Research API endpoints over a fixed set of users and videos (POST, bearer)."""

    def __init__(self, videos_per_user: dict[str, int], page_cap: int = 3,
                 recent_window: int = 4) -> None:
        super().__init__()
        self.videos = videos_per_user
        self.page_cap = page_cap
        self.recent_window = recent_window  # videos in the newest 30-day window; rest older

    def record(self, path: str, query: dict[str, list[str]], headers: Any, body: Any
               ) -> dict[str, Any]:
        return {"path": path, "query": query, "body": body, "headers": dict(headers)}

    def route(self, path: str, query: dict[str, list[str]], headers: Any,
              body: dict) -> tuple[int, dict]:
        ok = {"code": "ok", "message": "", "log_id": "20250107000000AAAA"}
        if headers.get("Authorization") != f"Bearer {TOKEN}":
            return 401, {"data": {}, "error": {"code": "access_token_invalid", "log_id": "x",
                                               "message": "The access token is invalid or not "
                                                          "found in the request."}}
        if path == "/v2/research/user/info/":
            name = body.get("username")
            if name not in self.videos:
                return 400, {"data": {}, "error": {"code": "invalid_params", "log_id": "y",
                                                   "message": f"User {name} does not exist"}}
            return 200, {"data": {"display_name": name.title(), "follower_count": 1000,
                                  "following_count": 10, "video_count": self.videos[name],
                                  "likes_count": 5, "is_verified": False,
                                  "bio_description": "", "avatar_url": "https://a.example/x"},
                         "error": ok}
        if path == "/v2/research/video/query/":
            (cond,) = body["query"]["and"]
            name = cond["field_values"][0]
            window_recent = body["end_date"] >= "20250101"
            total = self.videos.get(name, 0)
            pool = list(range(min(total, self.recent_window))) if window_recent else list(
                range(min(total, self.recent_window), total))
            start = body.get("cursor", 0)
            size = min(body["max_count"], self.page_cap)
            page = pool[start : start + size]
            videos = [{"id": 7400000000000000000 + n, "create_time": 1736000000 - n * 3600,
                       "username": name, "video_description": f"video {n}", "view_count": 100,
                       "like_count": 10, "comment_count": 1, "share_count": 0} for n in page]
            more = start + size < len(pool)
            return 200, {"data": {"videos": videos, "cursor": start + len(page),
                                  "has_more": more, "search_id": "7457000000000000001"},
                         "error": ok}
        return 404, {"error": {"code": "not_found", "message": "no such path", "log_id": "z"}}

    def calls(self, path: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"] == path]


@pytest.fixture()
def stub() -> Iterator[ResearchStub]:
    with ResearchStub({"yukidraws": 10, "marisolgrows": 2}) as server:
        yield server


@pytest.fixture()
def http() -> Iterator[HttpClient]:
    client = HttpClient(platform="tiktok", rate_per_second=500.0, burst=100, max_retries=0)
    yield client
    client.close()


@pytest.fixture()
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCOUT_TIKTOK_TOKEN", TOKEN)


def test_discover_needs_a_token(monkeypatch: pytest.MonkeyPatch, stub: ResearchStub,
                                http: HttpClient) -> None:
    monkeypatch.delenv("SCOUT_TIKTOK_TOKEN", raising=False)
    with pytest.raises(MissingCredential) as info:
        TIKTOK.discover(http, stub.base_url, queries=[], hashtags=[], handles=["yukidraws"],
                        limit=5)
    assert "SCOUT_TIKTOK_TOKEN" in str(info.value) and "scout import" in str(info.value)
    with pytest.raises(MissingCredential, match="SCOUT_TIKTOK_TOKEN"):
        TIKTOK.fetch_creators(http, stub.base_url, ["yukidraws"], posts_per_creator=3)
    assert stub.requests == []


def test_discover_takes_handles_only(token: None, stub: ResearchStub, http: HttpClient) -> None:
    with pytest.raises(InvalidInput, match="TikTok discovery takes handles only; pass --handle."):
        TIKTOK.discover(http, stub.base_url, queries=["art"], hashtags=[], handles=[], limit=5)
    with pytest.raises(InvalidInput, match="TikTok handle 'x' is invalid"):
        TIKTOK.discover(http, stub.base_url, queries=[], hashtags=[], handles=["x"], limit=5)
    refs = TIKTOK.discover(http, stub.base_url, queries=[], hashtags=["  "], limit=1,
                           handles=["@YukiDraws", "yukidraws", "marisolgrows"])
    assert refs == ["yukidraws", "marisolgrows"] and stub.requests == []


def test_fetch_user_info_then_paged_videos_across_windows(
    token: None, stub: ResearchStub, http: HttpClient
) -> None:
    TIKTOK.fetch_creators(http, stub.base_url, ["yukidraws", "ghost_user"], posts_per_creator=8,
                          now=datetime(2025, 1, 20, 12, tzinfo=UTC))
    infos = stub.calls("/v2/research/user/info/")
    assert [c["body"] for c in infos] == [{"username": "yukidraws"}, {"username": "ghost_user"}]
    assert infos[0]["query"]["fields"] == [
        "display_name,bio_description,avatar_url,is_verified,follower_count,following_count,"
        "likes_count,video_count,bio_url"]
    assert all(c["headers"]["Authorization"] == f"Bearer {TOKEN}" for c in stub.requests)
    queries = [c["body"] for c in stub.calls("/v2/research/video/query/")]
    # Newest window: 4 videos in pages of 3; then the window before it for the other 4.
    assert [(q["start_date"], q["end_date"], q["max_count"], q.get("cursor")) for q in queries] == [
        ("20241222", "20250120", 8, None),
        ("20241222", "20250120", 5, 3),
        ("20241122", "20241221", 4, None),
        ("20241122", "20241221", 1, 3),
    ]
    assert queries[1]["search_id"] == "7457000000000000001" and "search_id" not in queries[0]
    assert queries[0]["query"] == {"and": [{"operation": "EQ", "field_name": "username",
                                            "field_values": ["yukidraws"]}]}

    result = ParseResult()
    for item in http.raw_responses:
        result.extend(TIKTOK.parse(item))
    (profile,) = result.profiles
    assert (profile.handle, profile.posts_count, profile.bio) == ("yukidraws", 10, "")
    assert len(result.posts) == 8 == len({p.post_id for p in result.posts})
    assert [(e.handle, e.status, e.reason) for e in result.errors] == [
        ("ghost_user", 400, "User ghost_user does not exist (invalid_params)")]
    # The token travels in a header only: never in a stored URL or body.
    assert all(TOKEN not in r.url and TOKEN not in r.body for r in http.raw_responses)


def test_fetch_stops_at_the_account_video_count(token: None, http: HttpClient) -> None:
    with ResearchStub({"marisolgrows": 2, "yukidraws": 10}) as stub:
        TIKTOK.fetch_creators(http, stub.base_url, ["marisolgrows"], posts_per_creator=50,
                              now=datetime(2025, 1, 20, tzinfo=UTC))
        bodies = [c["body"] for c in stub.calls("/v2/research/video/query/")]
    assert [(b["end_date"], b["max_count"]) for b in bodies] == [("20250120", 2)]
    posts = [p for r in http.raw_responses for p in TIKTOK.parse(r).posts]
    assert len(posts) == 2


def test_fetch_searches_at_most_six_windows(token: None, http: HttpClient) -> None:
    """video_count says 10 but only 4 are public: the search stops after MAX_WINDOWS."""
    with ResearchStub({"yukidraws": 10}, recent_window=4) as stub:
        original = stub.route

        def only_recent(path: str, query: Any, headers: Any, body: dict) -> tuple[int, dict]:
            status, payload = original(path, query, headers, body)
            if path.endswith("/video/query/") and body["end_date"] < "20250101":
                payload["data"].update(videos=[], has_more=False)
            return status, payload

        stub.route = only_recent  # type: ignore[method-assign]
        TIKTOK.fetch_creators(http, stub.base_url, ["yukidraws"], posts_per_creator=50,
                              now=datetime(2025, 1, 20, tzinfo=UTC))
        ends = [c["body"]["end_date"] for c in stub.calls("/v2/research/video/query/")]
    assert ends == ["20250120", "20250120", "20241221", "20241121", "20241022", "20240922",
                    "20240823"]


def test_bad_token_is_an_error_and_no_videos_are_asked(
    monkeypatch: pytest.MonkeyPatch, stub: ResearchStub, http: HttpClient
) -> None:
    monkeypatch.setenv("SCOUT_TIKTOK_TOKEN", "clt.wrong")
    TIKTOK.fetch_creators(http, stub.base_url, ["yukidraws"], posts_per_creator=5)
    assert stub.calls("/v2/research/video/query/") == []
    (error,) = TIKTOK.parse(http.raw_responses[0]).errors
    assert error.status == 401 and "(access_token_invalid)" in error.reason


def test_post_json_reuses_the_retry_loop(token: None) -> None:
    """503 then 200: the POST is retried like a GET, and only the answer is recorded."""
    answers = [(503, b"busy"), (200, b'{"data": {}, "error": {"code": "ok"}}')]
    seen: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            seen.append(self.rfile.read(int(self.headers["Content-Length"])))
            status, body = answers.pop(0)
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        sleeps: list[float] = []
        client = HttpClient("tiktok", rate_per_second=500, burst=10, max_retries=2,
                            sleep=sleeps.append)
        item = client.post_json(f"http://127.0.0.1:{server.server_address[1]}/q", {"a": 1},
                                kind="research_user", request_key="a", params={"fields": "x"},
                                headers={"Authorization": "Bearer t"})
    finally:
        server.shutdown()
        server.server_close()
    assert item.status == 200 and item.url.endswith("/q?fields=x")
    assert seen == [b'{"a": 1}', b'{"a": 1}'] and len(sleeps) == 1
    assert client.stats["retries"] == 1 and client.raw_responses == [item]


def test_video_query_body_shape() -> None:
    body = video_query("yukidraws", date(2025, 1, 1), date(2025, 1, 30), 100, 200, "s1")
    assert body == {
        "query": {"and": [{"operation": "EQ", "field_name": "username",
                           "field_values": ["yukidraws"]}]},
        "start_date": "20250101", "end_date": "20250130", "max_count": 100,
        "cursor": 200, "search_id": "s1",
    }
