"""YouTube: pure parsers on hand-written fixtures in the real Data API v3 and channel-page shapes,
the quota meter, credentials, robots.txt, and fetching against the sandbox (key and key-less)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from core.records import ParseResult, Post, Profile, RawResponse
from sandbox import SandboxServer
from sandbox.routes import youtube_channels as sandbox_yt
from scrapers import youtube
from scrapers.errors import InvalidInput, QuotaExhausted, RobotsDisallowed, ScraperError
from scrapers.http import HttpClient
from scrapers.registry import validate_handle
from scrapers.youtube import YOUTUBE
from scrapers.youtube import client as yt_client
from scrapers.youtube.parse import (
    SAVED_EXPECTED,
    channel_uploads,
    playlist_video_ids,
    search_channel_ids,
)
from scrapers.youtube.quota import QuotaMeter, default_meter

FIXTURES = Path(__file__).parents[1] / "fixtures" / "youtube"
PRIYA = "UCq7VbM2Zt4kW9pJxL3nRa8Q"
HIDDEN = "UCh1dd3nSubsQ0x8Yk2LmPw4"
MISSING = "UCn0tF0und0000000000000A"
KEY = "sandbox-key-S3CRET-9f2b"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def raw(name: str, kind: str, key: str = "", status: int = 200) -> RawResponse:
    return RawResponse("youtube", kind, key, f"https://www.googleapis.com/youtube/v3/{kind}",
                       status, fixture(name))


def page_raw(name: str, key: str = "@someone", status: int = 200) -> RawResponse:
    return RawResponse("youtube", "channel_page", key, f"https://www.youtube.com/{key}", status,
                       fixture(name))


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests choose their key explicitly; a developer's real key must never be used here."""
    for name in ("SCOUT_YOUTUBE_API_KEY", "SCOUT_YOUTUBE_WEB_URL", "SCOUT_YOUTUBE_DAILY_QUOTA",
                 "SCOUT_YOUTUBE_SEARCH_QUOTA"):
        monkeypatch.delenv(name, raising=False)


# ------------------------------------------------------------------------ parse: channels.list


def test_channels_every_field() -> None:
    result = YOUTUBE.parse(raw("channels_list.json", "channels", f"{PRIYA},{HIDDEN}"))
    assert result.errors == [] and result.posts == []
    priya, hidden = result.profiles
    assert priya == Profile(
        platform="youtube",
        creator_id=PRIYA,
        handle="priyabakes",
        display_name="Priya Bakes",
        bio=("Home baker in Leeds 🍞 Sourdough, laminated dough and the odd disaster.\n"
             "New video every Friday.\nBusiness: priya.bakes@example.com"),
        followers=38400,  # "38400": counts are strings
        following=None,  # YouTube has no "following"
        posts_count=212,
        verified=None,  # the Data API does not say
        avatar_url=("https://yt3.ggpht.com/Xb7kPq2mLr9TzV4aWc8sNd1eFg3hJk5lMn6oPq7rSt8uVw9xYz0aB"
                    "c1dEf2gHi3jKl4=s800-c-k-c0x00ffffff-no-rj"),  # the "high" thumbnail
        external_url=None,
        profile_url="https://www.youtube.com/@priyabakes",
        is_bot=None,
    )
    # Hidden subscriber count: unknown, never 0; a real "0" video count stays 0.
    assert hidden.followers is None
    assert hidden.posts_count == 0
    assert hidden.bio == ""
    assert hidden.avatar_url.endswith("=s240-c-k-c0x00ffffff-no-rj")  # best available: medium
    assert (hidden.following, hidden.verified, hidden.external_url) == (None, None, None)


def test_requested_channel_missing_from_answer_is_an_error() -> None:
    result = YOUTUBE.parse(raw("channels_list.json", "channels", f"{PRIYA},{MISSING},{HIDDEN}"))
    assert [p.creator_id for p in result.profiles] == [PRIYA, HIDDEN]
    assert [(e.handle, e.reason) for e in result.errors] == [(MISSING, "channel not found")]


def test_for_handle_miss_has_no_items_key() -> None:
    result = YOUTUBE.parse(raw("channels_for_handle_empty.json", "channels", "@nobody"))
    assert result.profiles == []
    (error,) = result.errors
    assert (error.handle, error.reason, error.status) == ("@nobody", "channel not found", 200)


def test_channel_uploads_peek() -> None:
    uploads = channel_uploads(raw("channels_list.json", "channels"))
    assert uploads == [(PRIYA, "UUq7VbM2Zt4kW9pJxL3nRa8Q", 212),
                       (HIDDEN, "UUh1dd3nSubsQ0x8Yk2LmPw4", 0)]


def test_bad_channel_items_do_not_lose_good_ones() -> None:
    body = json.loads(fixture("channels_list.json"))
    body["items"].insert(0, {"kind": "youtube#channel", "snippet": {"title": "no id"}})
    body["items"].append("junk")
    result = YOUTUBE.parse(RawResponse("youtube", "channels", "", "u", 200, json.dumps(body)))
    assert [p.creator_id for p in result.profiles] == [PRIYA, HIDDEN]
    assert [e.reason for e in result.errors] == ["channel item missing 'id'",
                                                 "channel item is not an object"]


def test_channel_without_custom_url_or_counts() -> None:
    body = {"kind": "youtube#channelListResponse",
            "items": [{"kind": "youtube#channel", "id": PRIYA, "snippet": {"title": "T"}}]}
    (profile,) = YOUTUBE.parse(
        RawResponse("youtube", "channels", PRIYA, "u", 200, json.dumps(body))).profiles
    assert profile.handle == PRIYA
    assert profile.profile_url == f"https://www.youtube.com/channel/{PRIYA}"
    assert (profile.followers, profile.posts_count, profile.bio, profile.avatar_url) == (
        None, None, None, None)


# -------------------------------------------------------------------------- parse: videos.list


def test_videos_every_field() -> None:
    result = YOUTUBE.parse(raw("videos_list.json", "videos", "Hk3vQp8Zr2M,tW9xLm4Ka7c,B5nR-e1_yQ0"))
    assert result.errors == [] and result.profiles == []
    croissants, mixer, rye = result.posts
    assert croissants == Post(
        platform="youtube",
        post_id="Hk3vQp8Zr2M",
        creator_id=PRIYA,
        published_at=datetime(2026, 10, 30, 17, 0, 8, tzinfo=UTC),
        text=("My 72-hour croissants (finally!)\nThree days, one block of butter, zero shortcuts."
              "\n\n00:00 lamination\n04:12 proofing\n\nRecipe: https://priyabakes.example/croissants"),
        likes=2391,
        comments=187,
        shares=None,  # the Data API has no share count
        views=48213,
        is_repost=False,
        is_sponsored=False,
    )
    # Likes hidden by the creator: None, not 0; "#ad" in the title marks the sponsorship.
    assert (mixer.likes, mixer.comments, mixer.views) == (None, 41, 15002)
    assert mixer.is_sponsored is True
    # Comments turned off: None; paidProductPlacementDetails marks it sponsored; no description.
    assert (rye.likes, rye.comments, rye.views) == (402, None, 9120)
    assert rye.text == "Rye starter from scratch"
    assert rye.is_sponsored is True
    assert all(p.shares is None and p.is_repost is False for p in result.posts)


def test_video_without_channel_or_statistics() -> None:
    body = {"kind": "youtube#videoListResponse", "items": [
        {"kind": "youtube#video", "id": "aaaaaaaaaaa", "snippet": {"title": "x"}},
        {"kind": "youtube#video", "id": "bbbbbbbbbbb",
         "snippet": {"channelId": PRIYA, "title": "only a title"}}]}
    result = YOUTUBE.parse(RawResponse("youtube", "videos", "", "u", 200, json.dumps(body)))
    assert [e.reason for e in result.errors] == ["video aaaaaaaaaaa missing 'snippet.channelId'"]
    (post,) = result.posts
    assert (post.likes, post.comments, post.views, post.published_at) == (None, None, None, None)


# ------------------------------------------------------------- parse: search, playlists, errors


def test_search_and_playlist_pages_give_ids_and_tokens_only() -> None:
    search = raw("search_list.json", "search", "baking")
    assert search_channel_ids(search) == ([PRIYA, HIDDEN], "CAIQAA")
    parsed = YOUTUBE.parse(search)
    assert (parsed.profiles, parsed.errors, parsed.next_cursor) == ([], [], "CAIQAA")
    items = raw("playlist_items.json", "playlist_items", PRIYA)
    assert playlist_video_ids(items) == (
        ["Hk3vQp8Zr2M", "tW9xLm4Ka7c", "B5nR-e1_yQ0"], "EAAaBlBUOkNBTQ")
    parsed = YOUTUBE.parse(items)
    assert (parsed.posts, parsed.errors, parsed.next_cursor) == ([], [], "EAAaBlBUOkNBTQ")


def test_quota_exceeded_error_body() -> None:
    result = YOUTUBE.parse(raw("error_quota_exceeded.json", "videos", "Hk3vQp8Zr2M", 403))
    (error,) = result.errors
    assert error.status == 403 and error.handle == "Hk3vQp8Zr2M"
    assert error.reason == ("The request cannot be completed because you have exceeded your "
                            "quota. (quotaExceeded)")  # the HTML link is gone


def test_key_invalid_error_body() -> None:
    (error,) = YOUTUBE.parse(raw("error_key_invalid.json", "channels", PRIYA, 400)).errors
    assert error.reason == ("API key not valid. Please pass a valid API key. "
                            "(badRequest, API_KEY_INVALID)")


@pytest.mark.parametrize(("body", "status", "reason"), [
    ('{"kind": "youtube#channelListResponse", "items": [', 200, "invalid JSON"),
    ("", 200, "empty body"),
    ('["not", "an", "object"]', 200, "channels.list answer has no 'items' list"),
    ('{"items": {"id": "x"}}', 200, "channels.list answer has no 'items' list"),
    ("<html>Bad gateway</html>", 502, "HTTP 502"),
])
def test_bad_channel_bodies(body: str, status: int, reason: str) -> None:
    (error,) = YOUTUBE.parse(RawResponse("youtube", "channels", "", "u", status, body)).errors
    assert error.reason.startswith(reason)


def test_unknown_kind() -> None:
    (error,) = YOUTUBE.parse(RawResponse("youtube", "comments", "", "u", 200, "{}")).errors
    assert error.reason == "unknown YouTube response kind 'comments'"


# -------------------------------------------------------------------------- parse: channel pages


def test_channel_page_page_header_layout() -> None:
    result = YOUTUBE.parse(page_raw("channel_page.html", "@martaruizcocina"))
    assert result.errors == []
    (profile,) = result.profiles
    assert profile == Profile(
        platform="youtube",
        creator_id="UCm4rT4RuIz0Kp9Lw2Xv7Bq1",
        handle="martaruizcocina",
        display_name="Marta Ruiz",
        bio=("Cocino recetas veganas fáciles desde Valencia 🌱 | vegan food in Spanish & English"
             "\nNuevo vídeo cada martes.\n\nColaboraciones: hola@martaruiz.example"),
        followers=1_200_000,  # "1.2M subscribers"
        following=None,
        posts_count=337,  # "337 videos"
        verified=None,
        avatar_url=("https://yt3.googleusercontent.com/Vw8Qe3Rt6Yu9Io2Pa5Sd8Fg1Hj4Kl7Zx0Cv3Bn6Mq9We2"
                    "Rt5Yu8Io1Pa4Sd7Fg0Hj3=s160-c-k-c0x00ffffff-no-rj"),  # the largest source
        external_url=None,
        profile_url="https://www.youtube.com/@martaruizcocina",
        is_bot=None,
    )


def test_channel_page_c4_layout() -> None:
    (profile,) = YOUTUBE.parse(page_raw("channel_page_c4.html", "@jonasbackt")).profiles
    assert profile == Profile(
        platform="youtube",
        creator_id="UCj0n4sB4ckt9Xa2Lp5Rw8Ye",
        handle="jonasbackt",
        display_name="Jonas backt",
        bio="Sauerteig, Brötchen und alles dazwischen 🥖\nKöln",
        followers=48_300,  # "48.3K subscribers"
        following=None,
        posts_count=1024,  # runs "1,024" + " videos"
        verified=True,  # BADGE_STYLE_TYPE_VERIFIED
        avatar_url=("https://yt3.googleusercontent.com/Jb4Ck7Tn0Ws3Xa6Lp9Rw2Ye5Mq8Kz1Vd4Fg7Hj0="
                    "s176-c-k-c0x00ffffff-no-rj"),
        external_url=None,
        profile_url="https://www.youtube.com/@jonasbackt",
        is_bot=None,
    )


def test_channel_page_hidden_subscribers_and_window_assignment() -> None:
    (profile,) = YOUTUBE.parse(page_raw("channel_page_hidden_subscribers.html")).profiles
    assert profile.creator_id == HIDDEN and profile.handle == "dailybreadfacts"
    assert profile.followers is None  # no subscriber part at all: unknown
    assert profile.posts_count == 12
    assert profile.bio == ""


@pytest.mark.parametrize(("text", "expected"), [
    ("25m subscribers", 25_000_000),
    ("1.2M subscribers", 1_200_000),
    ("12.5K subscribers", 12_500),
    ("987 subscribers", 987),
    ("1 subscriber", 1),
    ("No subscribers", 0),
])
def test_subscriber_texts(text: str, expected: int) -> None:
    data = {"header": {"pageHeaderRenderer": {"pageTitle": "N", "content": {"pageHeaderViewModel": {
        "metadata": {"contentMetadataViewModel": {"metadataRows": [{"metadataParts": [
            {"text": {"content": "@n_n"}}, {"text": {"content": text}}]}]}}}}}},
        "metadata": {"channelMetadataRenderer": {"externalId": PRIYA}}}
    html = f"<html><body><script>var ytInitialData = {json.dumps(data)};</script></body></html>"
    (profile,) = YOUTUBE.parse(RawResponse("youtube", "channel_page", "@n_n", "u", 200,
                                           html)).profiles
    assert profile.followers == expected and profile.posts_count is None


@pytest.mark.parametrize(("name", "reason"), [
    ("channel_page_no_script.html", "channel page has no ytInitialData"),
    ("channel_page_truncated.html", "invalid JSON in ytInitialData: "),
    ("consent_wall.html", "YouTube served a cookie consent page instead of the channel page"),
    ("signin_wall.html", "YouTube served a sign-in / bot-check page instead of the channel page"),
])
def test_channel_pages_without_data(name: str, reason: str) -> None:
    result = YOUTUBE.parse(page_raw(name, "@martaruizcocina"))
    assert result.profiles == []
    (error,) = result.errors
    assert error.reason.startswith(reason)
    assert error.handle == "@martaruizcocina" and error.status == 200


def test_channel_page_404() -> None:
    raw404 = RawResponse("youtube", "channel_page", "@ghost", "u", 404, "<html>404</html>")
    assert [e.reason for e in YOUTUBE.parse(raw404).errors] == ["channel not found (HTTP 404)"]


# ------------------------------------------------------------------------------- parse_saved


@pytest.mark.parametrize(("name", "profiles", "posts"), [
    ("channels_list.json", 2, 0),
    ("videos_list.json", 0, 3),
    ("channel_page.html", 1, 0),
    ("channel_page_c4.html", 1, 0),
    ("channel_page_hidden_subscribers.html", 1, 0),
])
def test_parse_saved_detects_the_body(name: str, profiles: int, posts: int) -> None:
    result = YOUTUBE.parse_saved(fixture(name), source=name)
    assert result.errors == []
    assert (len(result.profiles), len(result.posts)) == (profiles, posts)


def test_parse_saved_bare_initial_data_json() -> None:
    """ytInitialData saved on its own (the browse response of a videos tab) reads as the page
    that embeds it does: the channel's profile."""
    result = YOUTUBE.parse_saved(fixture("browse_videos_tab.json"), source="browse.json")
    assert result.errors == []
    (profile,) = result.profiles
    assert (profile.creator_id, profile.handle, profile.display_name) == (
        "UCn3Qm8vX2kLr5TzYp0aWfHg", "tessbakesbread", "Tess Bakes Bread")
    assert (profile.followers, profile.posts_count) == (38_200, 214)
    assert profile.bio and profile.bio.startswith("Home baker in Leeds")
    assert profile.profile_url == "https://www.youtube.com/@tessbakesbread"


def test_parse_saved_channel_atom_feed() -> None:
    """A channel's feeds/videos.xml saved by the user: the channel (no counts in a feed) and
    its videos with likes (starRating count) and views."""
    result = YOUTUBE.parse_saved(fixture("channel_feed.xml"), source="videos.xml")
    assert result.errors == []
    (profile,) = result.profiles
    channel = "UCn3Qm8vX2kLr5TzYp0aWfHg"
    assert (profile.creator_id, profile.display_name, profile.followers) == (
        channel, "Tess Bakes Bread", None)
    assert profile.profile_url == f"https://www.youtube.com/channel/{channel}"
    first, second = result.posts
    assert (first.post_id, first.creator_id, first.likes, first.views, first.comments) == (
        "q7Lm2Xc9RtA", channel, 612, 8412, None)
    assert first.published_at == datetime(2024, 11, 26, 16, 0, 7, tzinfo=UTC)
    assert first.text == ("Rye sourdough from a 3-day starter\nFull recipe & timings in the "
                          "description. Flour from @millhouse #ad")
    assert first.is_sponsored and not second.is_sponsored
    assert (second.post_id, second.views) == ("Wb4nP0s1KdE", 21_930)


def test_parse_saved_feed_refuses_entities() -> None:
    """No entity is expanded: a feed with a DTD is refused, not parsed."""
    laughs = ('<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;">]>'
              '<feed xmlns="http://www.w3.org/2005/Atom"><title>&b;</title></feed>')
    result = YOUTUBE.parse_saved(laughs, source="videos.xml")
    assert result.profiles == [] and result.posts == []
    (error,) = result.errors
    assert "DTD" in error.reason


def test_parse_saved_matches_parse() -> None:
    saved = YOUTUBE.parse_saved(fixture("channels_list.json"))
    assert saved.profiles == YOUTUBE.parse(raw("channels_list.json", "channels")).profiles
    saved = YOUTUBE.parse_saved(fixture("channel_page_c4.html"))
    assert saved.profiles == YOUTUBE.parse(page_raw("channel_page_c4.html")).profiles


def test_parse_saved_without_kind_fields() -> None:
    body = json.loads(fixture("videos_list.json"))
    del body["kind"]
    for item in body["items"]:
        del item["kind"]
    assert len(YOUTUBE.parse_saved(json.dumps(body)).posts) == 3


@pytest.mark.parametrize(("body", "reason"), [
    ('{"data": {"user": {}}, "status": "ok"}', SAVED_EXPECTED),
    ("just text", SAVED_EXPECTED),
    ("<html><head><title>Instagram</title></head></html>", "(an HTML page that is not YouTube's)"),
    (fixture("search_list.json"), "a YouTube search.list answer holds ids but no counts"),
    (fixture("playlist_items.json"), "a YouTube playlistItems.list answer holds ids"),
    (fixture("error_quota_exceeded.json"), "a YouTube API error, not data: The request cannot"),
    (fixture("channels_for_handle_empty.json"), "channels.list answer holds no channels"),
    (fixture("channel_page_no_script.html"), "channel page has no ytInitialData"),
    (fixture("consent_wall.html"), "YouTube served a cookie consent page"),
])
def test_parse_saved_unrecognised_or_empty(body: str, reason: str) -> None:
    result = YOUTUBE.parse_saved(body, source="saved.txt")
    assert result.profiles == [] and result.posts == []
    (error,) = result.errors
    assert reason in error.reason
    assert error.platform == "youtube" and error.url == "saved.txt"


# -------------------------------------------------------------------------- handles, registry


def test_youtube_handles() -> None:
    assert validate_handle("youtube", "@MKBHD") == "MKBHD"
    assert validate_handle("youtube", "priya.bakes-2_") == "priya.bakes-2_"
    assert validate_handle("youtube", "@café_tv") == "café_tv"  # handles may use any script
    assert validate_handle("youtube", PRIYA) == PRIYA  # a channel id passes unchanged
    for bad in ("ab", "@" + "x" * 31, "has space", "https://youtube.com/@x", "a/b", "@"):
        with pytest.raises(InvalidInput):
            validate_handle("youtube", bad)


# ------------------------------------------------------------------------------- quota meter


def test_meter_stops_before_the_budget() -> None:
    meter = QuotaMeter(daily_units=3)
    assert [meter.charge("channels") for _ in range(3)] == [1, 1, 1]
    with pytest.raises(QuotaExhausted) as info:
        meter.charge("videos")
    assert str(info.value) == ("YouTube daily quota would be exceeded (used 3 of 3 units); "
                               "resume tomorrow or raise SCOUT_YOUTUBE_DAILY_QUOTA")
    assert (info.value.used, info.value.budget, meter.used) == (3, 3, 3)  # nothing booked


def test_search_costs_100_and_has_its_own_bucket() -> None:
    meter = QuotaMeter(daily_units=250, search_calls=5)
    assert meter.charge("search") == 100 and meter.charge("search") == 100
    with pytest.raises(QuotaExhausted, match="used 200 of 250 units"):
        meter.charge("search")  # 300 > 250
    assert meter.charge("channels") == 1 and meter.remaining == 49
    calls = QuotaMeter(daily_units=10_000, search_calls=1)
    calls.charge("search")
    with pytest.raises(QuotaExhausted, match="used 1 of 1 search calls today"):
        calls.charge("search")
    assert calls.used == 100


def test_meter_resets_on_a_new_pacific_day() -> None:
    now = [datetime(2026, 11, 26, 7, 59, tzinfo=UTC)]  # 23:59 in Los Angeles
    meter = QuotaMeter(daily_units=1, clock=lambda: now[0])
    meter.charge("channels")
    with pytest.raises(QuotaExhausted):
        meter.charge("channels")
    now[0] += timedelta(minutes=2)  # midnight Pacific has passed
    assert meter.charge("channels") == 1


def test_default_meter_budget_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCOUT_YOUTUBE_DAILY_QUOTA", "2500")
    monkeypatch.setenv("SCOUT_YOUTUBE_SEARCH_QUOTA", "7")
    meter = default_meter()
    assert (meter.daily_units, meter.search_calls) == (2500, 7)
    assert default_meter() is meter  # one per process
    monkeypatch.setenv("SCOUT_YOUTUBE_DAILY_QUOTA", "lots")
    with pytest.raises(InvalidInput, match="SCOUT_YOUTUBE_DAILY_QUOTA must be a whole number"):
        default_meter()


# ---------------------------------------------------------------------- a fake HTTP client


class FakeHttp:
    """Answers every GET with a canned (status, body); records what was asked."""

    def __init__(self, status: int = 200, body: str = "{}") -> None:
        self.status, self.body = status, body
        self.calls: list[tuple[str, dict[str, Any], str, bool]] = []
        self.raw_responses: list[RawResponse] = []

    def get(self, url: str, params: Any = None, *, kind: str, request_key: str = "",
            html: bool = False, headers: dict[str, str] | None = None) -> RawResponse:
        self.calls.append((url, dict(params or {}), kind, html))
        self.headers = headers
        response = RawResponse("youtube", kind, request_key, url, self.status, self.body)
        self.raw_responses.append(response)
        return response


def test_query_without_key_is_refused_before_any_request() -> None:
    http = FakeHttp()
    with pytest.raises(InvalidInput) as info:
        YOUTUBE.discover(http, "https://www.googleapis.com/youtube/v3", queries=["baking"],
                         hashtags=[], handles=["@priyabakes"], limit=10)
    assert str(info.value) == ("YouTube search needs an API key; pass --handle, or set "
                               "SCOUT_YOUTUBE_API_KEY or save a Prefect Secret block named "
                               "'scout-youtube-api-key'")
    assert http.calls == []


def test_hashtags_are_refused() -> None:
    with pytest.raises(InvalidInput, match="YouTube has no hashtag search"):
        YOUTUBE.discover(FakeHttp(), "https://www.googleapis.com/youtube/v3", queries=[],
                         hashtags=["#baking"], handles=[], limit=10, api_key=KEY)


def test_handles_need_no_request_and_keep_ids() -> None:
    http = FakeHttp()
    refs = YOUTUBE.discover(http, "https://www.googleapis.com/youtube/v3", queries=[],
                            hashtags=[], handles=["@PriyaBakes", "priyabakes", PRIYA],
                            limit=1)
    assert refs == ["@PriyaBakes", PRIYA] and http.calls == []


def test_key_from_environment_and_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    assert youtube.api_key_from() is None
    monkeypatch.setenv("SCOUT_YOUTUBE_API_KEY", " env-key ")
    assert youtube.api_key_from() == "env-key"
    assert youtube.api_key_from("given") == "given"
    assert yt_client.api_url("https://www.googleapis.com/youtube/v3/") == (
        "https://www.googleapis.com/youtube/v3")
    assert yt_client.api_url("http://127.0.0.1:8080") == "http://127.0.0.1:8080/youtube/v3"
    assert yt_client.web_url("https://www.googleapis.com/youtube/v3") == "https://www.youtube.com"
    assert yt_client.web_url("http://127.0.0.1:8080/youtube/v3") == "http://127.0.0.1:8080"
    monkeypatch.setenv("SCOUT_YOUTUBE_WEB_URL", "https://yt.example/")
    assert yt_client.web_url("http://127.0.0.1:8080") == "https://yt.example"


def test_google_quota_answer_stops_the_run() -> None:
    http = FakeHttp(403, fixture("error_quota_exceeded.json"))
    meter = QuotaMeter()
    with pytest.raises(QuotaExhausted, match="YouTube answered quotaExceeded: The request "
                       "cannot be completed because you have exceeded your quota"):
        YOUTUBE.fetch_creators(http, "https://www.googleapis.com/youtube/v3", [PRIYA, HIDDEN],
                               posts_per_creator=5, api_key=KEY, quota=meter)
    assert len(http.calls) == 1 and len(http.raw_responses) == 1  # the answer is kept


def test_rejected_key_stops_the_run_without_echoing_it() -> None:
    http = FakeHttp(400, fixture("error_key_invalid.json"))
    with pytest.raises(InvalidInput) as info:
        YOUTUBE.fetch_creators(http, "https://www.googleapis.com/youtube/v3", ["@priyabakes"],
                               posts_per_creator=5, api_key=KEY, quota=QuotaMeter())
    assert "API key not valid" in str(info.value) and KEY not in str(info.value)
    assert http.calls[0][1]["forHandle"] == "@priyabakes"
    assert "key" not in http.calls[0][1] and http.headers == {"X-goog-api-key": KEY}  # never in a URL


def test_keyless_never_asks_for_the_feed() -> None:
    http = FakeHttp(200, fixture("channel_page.html"))
    YOUTUBE.fetch_creators(http, "https://www.googleapis.com/youtube/v3",
                           ["@martaruizcocina", "UCm4rT4RuIz0Kp9Lw2Xv7Bq1"], posts_per_creator=5)
    assert [(url, html) for url, _, _, html in http.calls] == [
        ("https://www.youtube.com/@martaruizcocina", True),
        ("https://www.youtube.com/channel/UCm4rT4RuIz0Kp9Lw2Xv7Bq1", True),
    ]
    assert not any("/feeds/" in url for url, *_ in http.calls)


# ----------------------------------------------------------------------------- sandbox: fetch


@pytest.fixture(scope="module")
def sb() -> Iterator[SandboxServer]:
    with SandboxServer(creators=60, seed=1, rate_limit=None).start() as server:
        yield server


@pytest.fixture()
def http() -> Iterator[HttpClient]:
    with HttpClient("youtube", rate_per_second=2000, burst=2000, max_retries=1) as client:
        yield client


def parse_all(http: HttpClient) -> ParseResult:
    result = ParseResult()
    for response in http.raw_responses:
        result.extend(YOUTUBE.parse(response))
    return result


def channels(sb: SandboxServer) -> list[sandbox_yt.Channel]:
    return sandbox_yt.state(sb).channels()


def test_sandbox_profiles_posts_and_paging(sb: SandboxServer, http: HttpClient) -> None:
    every = channels(sb)
    before = sandbox_yt.units_served(sb).get("total", 0)
    meter = QuotaMeter()
    YOUTUBE.fetch_creators(http, sb.base_url, [ch.channel_id for ch in every],
                           posts_per_creator=60, api_key=KEY, quota=meter)
    # The meter booked exactly what the server charged.
    assert sandbox_yt.units_served(sb)["total"] - before == meter.used
    kinds = [r.kind for r in http.raw_responses]
    assert kinds.count("channels") == 2  # 50 + 10 ids
    result = parse_all(http)
    assert result.errors == []
    by_id = {p.creator_id: p for p in result.profiles}
    assert set(by_id) == {ch.channel_id for ch in every}
    for ch in every:
        profile, creator = by_id[ch.channel_id], ch.creator
        assert profile.handle == ch.handle and profile.display_name == creator.display_name
        assert profile.bio == creator.bio and profile.posts_count == creator.posts_count
        expected = None if ch.hidden_subscribers else sandbox_yt.three_figures(creator.followers)
        assert profile.followers == expected
    assert any(ch.hidden_subscribers for ch in every)
    posts: dict[str, list[Post]] = {}
    for post in result.posts:
        posts.setdefault(post.creator_id, []).append(post)
    for ch in every:
        got = posts.get(ch.channel_id, [])
        assert len(got) == min(60, len(sandbox_yt.state(sb).videos(ch)))  # paged 50 + 10
        assert len({p.post_id for p in got}) == len(got)
        for post in got:
            assert post.views is not None and post.shares is None and not post.is_repost
            assert (post.likes is None) == ch.hidden_likes
            if post.likes is not None:
                assert post.views >= post.likes
    assert any(p.is_sponsored for p in result.posts)
    assert any(p.comments is None for p in result.posts)  # comments turned off somewhere


def test_sandbox_discover_by_query_and_handle(sb: SandboxServer, http: HttpClient) -> None:
    person = next(ch for ch in channels(sb) if ch.creator.kind == "person")
    meter = QuotaMeter()
    refs = YOUTUBE.discover(http, sb.base_url, queries=["baking", "vegan"], hashtags=[],
                            handles=["@" + person.handle], limit=6, api_key=KEY, quota=meter)
    assert refs[0] == "@" + person.handle
    assert 1 < len(refs) <= 6 and all(yt_client.is_channel_id(r) for r in refs[1:])
    assert meter.used == 100 * meter.searches and meter.searches == 2
    YOUTUBE.fetch_creators(http, sb.base_url, refs + ["@nobody_here"], posts_per_creator=3,
                           api_key=KEY, quota=meter)
    result = parse_all(http)
    assert person.channel_id in {p.creator_id for p in result.profiles}
    assert [(e.handle, e.reason) for e in result.errors] == [("@nobody_here",
                                                              "channel not found")]


def test_sandbox_stops_before_the_budget(sb: SandboxServer, http: HttpClient) -> None:
    every = channels(sb)
    before = sandbox_yt.units_served(sb).get("total", 0)
    meter = QuotaMeter(daily_units=4)
    with pytest.raises(QuotaExhausted, match=r"used 4 of 4 units"):
        YOUTUBE.fetch_creators(http, sb.base_url, [ch.channel_id for ch in every[:3]],
                               posts_per_creator=5, api_key=KEY, quota=meter)
    assert sandbox_yt.units_served(sb)["total"] - before == 4 == len(http.raw_responses)
    search_meter = QuotaMeter(daily_units=150)
    with pytest.raises(QuotaExhausted, match=r"used 100 of 150 units"):
        YOUTUBE.discover(http, sb.base_url, queries=["baking", "vegan"], hashtags=[], handles=[],
                         limit=50, api_key=KEY, quota=search_meter)
    assert [r.kind for r in http.raw_responses].count("search") == 1


def test_sandbox_quota_exceeded_answer(sb: SandboxServer, http: HttpClient) -> None:
    state = sandbox_yt.state(sb)
    state.daily_quota = sum(state.units.values())  # the server's budget is spent
    try:
        with pytest.raises(QuotaExhausted, match="YouTube answered quotaExceeded"):
            YOUTUBE.fetch_creators(http, sb.base_url, [channels(sb)[0].channel_id],
                                   posts_per_creator=1, api_key=KEY, quota=QuotaMeter())
    finally:
        state.daily_quota = None
    (answer,) = http.raw_responses
    assert answer.status == 403 and "quotaExceeded" in YOUTUBE.parse(answer).errors[0].reason


def test_sandbox_missing_key_is_the_real_error(sb: SandboxServer, http: HttpClient) -> None:
    answer = http.get(sb.base_url + "/youtube/v3/channels", params={"part": "snippet",
                      "id": channels(sb)[0].channel_id}, kind="channels")
    assert answer.status == 403
    assert "unregistered callers" in YOUTUBE.parse(answer).errors[0].reason


def _run_with_env_key(sb: SandboxServer, http: HttpClient) -> None:
    refs = YOUTUBE.discover(http, sb.base_url, queries=["baking"], hashtags=[],
                            handles=["@" + channels(sb)[1].handle], limit=3)
    YOUTUBE.fetch_creators(http, sb.base_url, refs + ["@nobody_here"], posts_per_creator=2)


def test_key_never_stored_or_logged(sb: SandboxServer, http: HttpClient,
                                    monkeypatch: pytest.MonkeyPatch,
                                    caplog: pytest.LogCaptureFixture) -> None:
    """Needs HttpClient's redaction of credential query parameters (scrapers/http.py)."""
    monkeypatch.setenv("SCOUT_YOUTUBE_API_KEY", KEY)
    caplog.set_level(logging.DEBUG, logger="scrapers")
    _run_with_env_key(sb, http)
    assert len(http.raw_responses) > 3
    for response in http.raw_responses:
        assert KEY not in response.url and "S3CRET" not in response.url
        assert KEY not in response.body
    for error in parse_all(http).errors:
        assert KEY not in (error.url or "") and KEY not in error.reason
    assert KEY not in caplog.text


def test_key_not_even_in_third_party_debug_logs(sb: SandboxServer, http: HttpClient,
                                                monkeypatch: pytest.MonkeyPatch,
                                                caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("SCOUT_YOUTUBE_API_KEY", KEY)
    caplog.set_level(logging.DEBUG)
    _run_with_env_key(sb, http)
    assert KEY not in caplog.text


def test_sandbox_keyless_channel_pages(sb: SandboxServer, http: HttpClient,
                                       caplog: pytest.LogCaptureFixture,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yt_client, "_warned_keyless", False)
    every = channels(sb)
    assert any(ch.c4_layout for ch in every) and not all(ch.c4_layout for ch in every)
    refs = YOUTUBE.discover(http, sb.base_url, queries=[], hashtags=[],
                            handles=["@" + ch.handle for ch in every], limit=10)
    with caplog.at_level(logging.WARNING):
        YOUTUBE.fetch_creators(http, sb.base_url, refs + [every[0].channel_id, "@nobody_here"],
                               posts_per_creator=10)
    assert "profiles only" in caplog.text
    assert {r.kind for r in http.raw_responses} == {"channel_page"}
    result = parse_all(http)
    assert result.posts == []
    assert [(e.handle, e.reason) for e in result.errors] == [
        ("@nobody_here", "channel not found (HTTP 404)")]
    by_id: dict[str, Profile] = {}
    for profile in result.profiles:
        by_id.setdefault(profile.creator_id, profile)
    assert len(result.profiles) == len(every) + 1  # every[0] twice: by handle and by id
    for ch in every:
        profile, creator = by_id[ch.channel_id], ch.creator
        assert (profile.handle, profile.display_name, profile.bio) == (
            ch.handle, creator.display_name, creator.bio)
        assert profile.profile_url == f"https://www.youtube.com/@{ch.handle}"
        expected = None if ch.hidden_subscribers else sandbox_yt.three_figures(creator.followers)
        assert profile.followers == expected  # abbreviated text, e.g. "12.3K subscribers"
        assert profile.posts_count == sandbox_yt.three_figures(creator.posts_count)
        assert profile.avatar_url and profile.avatar_url.startswith(sb.base_url)
        if ch.c4_layout:
            assert profile.verified is (True if creator.verified else None)


def test_robots_disallow_raises_and_feeds_are_never_fetched(sb: SandboxServer,
                                                           http: HttpClient) -> None:
    with pytest.raises(RobotsDisallowed):
        YOUTUBE.fetch_creators(http, sb.base_url, ["@" + channels(sb)[0].handle],
                               posts_per_creator=0, web=sb.base_url + "/private")
    assert http.raw_responses == []
    feed = f"{sb.base_url}/feeds/videos.xml?channel_id={channels(sb)[0].channel_id}"
    assert http.allowed_by_robots(feed) is False
    assert isinstance(RobotsDisallowed("x"), ScraperError)
    # Across every test of this module, nothing ever asked the sandbox for a feed.
    assert "feeds/videos.xml" not in sb.stats["by_path"]
