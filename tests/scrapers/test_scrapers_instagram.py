"""Instagram: pure parsers on hand-written fixtures in the real shapes (Graph API Business
Discovery, web_profile_info JSON, saved profile pages), credentials, the never-fetch-
instagram.com guarantee, and Business Discovery fetching against the sandbox."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import requests

from core.records import ParseResult, Post, Profile, RawResponse
from sandbox import SandboxServer
from sandbox.routes.instagram import accounts, parse_fields
from scrapers import instagram
from scrapers.errors import InvalidInput, MissingCredential, RobotsDisallowed
from scrapers.http import HttpClient
from scrapers.instagram import INSTAGRAM
from scrapers.registry import validate_handle

FIXTURES = Path(__file__).parents[1] / "fixtures" / "instagram"
UTC = UTC
MARISOL_IG = "17841403925461781"
TOKEN = "EAAGm0PX4ZCpsBA-test-token-never-stored"
USER_ID = "17841405309211844"
GRAPH = "https://graph.facebook.com/v21.0"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def raw(body: str, kind: str = "business_discovery", key: str = "marisolgrows",
        status: int = 200) -> RawResponse:
    return RawResponse("instagram", kind, key, f"{GRAPH}/{USER_ID}?fields=x", status, body)


@pytest.fixture()
def creds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCOUT_INSTAGRAM_TOKEN", TOKEN)
    monkeypatch.setenv("SCOUT_INSTAGRAM_USER_ID", USER_ID)


class RecordingHttp:
    """Stands in for HttpClient: answers scripted bodies and records every URL asked for."""

    def __init__(self, answers: list[tuple[int, str]] | None = None) -> None:
        self.answers = list(answers or [])
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.raw_responses: list[RawResponse] = []

    def get(self, url: str, params: Any = None, *, kind: str, request_key: str = "",
            html: bool = False) -> RawResponse:
        self.calls.append((url, dict(params or {})))
        status, body = self.answers.pop(0) if self.answers else (200, "{}")
        item = RawResponse("instagram", kind, request_key, url, status, body)
        self.raw_responses.append(item)
        return item


# ------------------------------------------------------------------ Business Discovery parse


def test_business_discovery_profile_every_field() -> None:
    result = INSTAGRAM.parse(raw(fixture("business_discovery.json")))
    assert result.errors == []
    assert result.profiles == [Profile(
        platform="instagram",
        creator_id=MARISOL_IG,  # business_discovery.id, not the caller's id
        handle="marisolgrows",
        display_name="Marisol 🌿 Plant Mom",
        bio=("Houseplants, propagation & slow mornings ☕\n"
             "Shop below 👇 | hello@marisolgrows.example"),
        followers=18342,
        following=611,
        posts_count=1207,
        verified=None,  # Business Discovery does not say
        avatar_url=(
            "https://scontent-iad3-1.xx.fbcdn.net/v/t51.2885-15/431927384_1174458613898321_"
            "4473204398571837651_n.jpg?_nc_cat=105&ccb=1-7&_nc_sid=7d201b&_nc_ohc=Qx3GmW7nT2kQ7k"
            "NvgH2kX1q&_nc_ht=scontent-iad3-1.xx&oh=00_AYBZ4j0nQ8L2Ck1vN6a&oe=6789ABCD"
        ),
        external_url="https://marisolgrows.example/shop",
        profile_url="https://www.instagram.com/marisolgrows/",
        is_bot=None,
    )]
    assert result.next_cursor and result.next_cursor.startswith("QVFIUnlL")


def test_business_discovery_posts_every_field() -> None:
    result = INSTAGRAM.parse(raw(fixture("business_discovery.json")))
    image, reel, carousel, bare = result.posts
    assert image == Post(
        platform="instagram",
        post_id="18047613529102245",
        creator_id=MARISOL_IG,
        published_at=datetime(2025, 1, 7, 8, 15, 30, tzinfo=UTC),
        text="New leaf on the monstera 🌱🎉 three weeks of waiting paid off",
        likes=402,
        comments=12,
        shares=None,
        views=None,  # no view_count in the answer: unknown, not 0
        is_repost=False,
        is_sponsored=False,
    )
    assert reel.is_sponsored is True and (reel.likes, reel.comments) == (88, 4)
    assert reel.views is None
    # The owner hid the like count: the field is absent, so the likes are unknown.
    assert carousel.likes is None and carousel.comments == 27
    # A post without caption, with genuine zero counts.
    assert bare.text is None and (bare.likes, bare.comments) == (0, 0)
    assert bare.published_at == datetime(2024, 12, 24, 19, 30, 12, tzinfo=UTC)


def test_view_count_is_used_when_present() -> None:
    body = {"business_discovery": {"id": "1", "media": {"data": [
        {"id": "9", "view_count": 5120, "like_count": 10, "comments_count": 1}]}}, "id": "2"}
    (post,) = INSTAGRAM.parse(raw(json.dumps(body))).posts
    assert post.views == 5120 and post.published_at is None and post.text is None


def test_later_media_page_has_posts_but_no_profile() -> None:
    result = INSTAGRAM.parse(raw(fixture("business_discovery_page2.json")))
    assert result.profiles == [] and result.errors == [] and result.next_cursor is None
    (post,) = result.posts
    assert (post.post_id, post.creator_id, post.likes) == ("17869912284150327", MARISOL_IG, 311)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("error_190.json", "Error validating access token: Session has expired on Tuesday, "
                           "07-Jan-25 09:00:00 PST. The current time is Tuesday, 07-Jan-25 "
                           "10:12:41 PST. (code 190); the access token is invalid or expired; "
                           "renew SCOUT_INSTAGRAM_TOKEN"),
        ("error_110.json", "Invalid user id (code 110): The user with username: jonas.privat "
                           "cannot be found; Business Discovery only sees Business and Creator "
                           "accounts, so this one is personal, private, age-gated or does not "
                           "exist"),
    ],
)
def test_graph_errors_keep_their_message(name: str, reason: str) -> None:
    result = INSTAGRAM.parse(raw(fixture(name), key="jonas.privat", status=400))
    assert result.profiles == [] and result.posts == []
    (error,) = result.errors
    assert (error.platform, error.handle, error.status, error.reason) == (
        "instagram", "jonas.privat", 400, reason)
    assert error.raw_response_id and error.url


def test_truncated_answer_is_an_error_not_an_exception() -> None:
    result = INSTAGRAM.parse(raw(fixture("business_discovery_truncated.json")))
    (error,) = result.errors
    assert error.reason.startswith("invalid JSON: Unterminated string")
    assert result.profiles == [] and result.posts == []


@pytest.mark.parametrize(
    ("body", "kind", "reasons"),
    [
        ("{}", "business_discovery", ["answer has no 'business_discovery' object"]),
        ('{"business_discovery": []}', "business_discovery",
         ["answer has no 'business_discovery' object"]),
        ('{"business_discovery": {"username": "x"}}', "business_discovery",
         ["business_discovery missing 'id'"]),
        ('{"business_discovery": {"id": "1", "media": {"data": {}}}}', "business_discovery",
         ["business_discovery.media has no 'data' list"]),
        ('{"business_discovery": {"id": "1", "media": {"data": [{"caption": "x"}, 3]}}}',
         "business_discovery", ["media item missing 'id'", "media item is not an object"]),
        ("<html>502</html>", "business_discovery", ["HTTP 502"]),
        ("{}", "stories", ["unknown Instagram response kind 'stories'"]),
        ("[]", "web_profile_info", ["web_profile_info answer is not an object"]),
        ('{"data": {}}', "web_profile_info", ["web_profile_info answer has no 'data.user'"]),
    ],
)
def test_wrong_shapes_are_reported(body: str, kind: str, reasons: list[str]) -> None:
    status = 502 if "502" in body else 200
    result = INSTAGRAM.parse(raw(body, kind=kind, status=status))
    assert result.profiles == [] and result.posts == []
    assert [e.reason for e in result.errors] == reasons


# ------------------------------------------------------------------ web_profile_info (saved)


def test_web_profile_info_profile_every_field() -> None:
    result = INSTAGRAM.parse(raw(fixture("web_profile_info.json"), kind="web_profile_info",
                                 key="jonas.backt"))
    assert result.errors == []
    assert result.profiles == [Profile(
        platform="instagram",
        creator_id="2871640533",
        handle="jonas.backt",
        display_name="Jonas Becker",
        bio="Brot, Zimt & Sauerteig aus Leipzig 🥨\nRezepte jeden Sonntag\n"
            "Kooperationen: jonas@backt.example",
        followers=24611,
        following=312,
        posts_count=1045,
        verified=False,
        avatar_url=(  # the HD picture, not the 150px one
            "https://scontent-fra5-1.cdninstagram.com/v/t51.2885-19/412345678_1034567890123456_"
            "2345678901234567890_n.jpg?stp=dst-jpg_s320x320&_nc_ht=scontent-fra5-1.cdninstagram"
            ".com&_nc_cat=1&_nc_ohc=Zk2mY5aQ1sUQ7kNvgE&oh=00_AYDq&oe=6789ABCD"
        ),
        external_url="https://jonasbackt.example/rezepte",
        profile_url="https://www.instagram.com/jonas.backt/",
        is_bot=None,
        id_is_alias=True,  # the web's user id: merged into the Graph API's id at load time
    )]


def test_web_profile_info_timeline_posts() -> None:
    result = INSTAGRAM.parse(raw(fixture("web_profile_info.json"), kind="web_profile_info"))
    image, video, hidden = result.posts
    assert image == Post(
        platform="instagram",
        post_id="DDpMGH2Nx5h",  # the shortcode, as in instagram.com/p/<shortcode>/
        creator_id="2871640533",
        published_at=datetime(2025, 1, 1, 11, 30, tzinfo=UTC),
        text="Frohes neues Jahr! 🎉 Mein erstes Sauerteigbrot 2025 – Rezept am Sonntag",
        likes=1288,
        comments=41,
        shares=None,
        views=None,  # not a video
        is_repost=False,
        is_sponsored=False,
    )
    assert (video.post_id, video.views, video.likes, video.comments) == (
        "DDZk7wQNa2P", 20417, 2210, 96)
    assert video.is_sponsored is True  # "Anzeige" / "#werbung"
    # like_and_view_counts_disabled: the 3 shown is not the real count.
    assert (hidden.likes, hidden.views, hidden.comments, hidden.text) == (None, None, 12, None)


def test_web_profile_info_fallbacks_and_bad_nodes() -> None:
    body = {"data": {"user": {"id": 77, "username": "x", "edge_owner_to_timeline_media": {
        "edges": [
            {"node": {"id": "55", "edge_media_preview_like": {"count": 9},
                      "edge_media_preview_comment": {"count": 2}, "is_video": True}},
            {"nope": 1},
        ]}}}, "status": "ok"}
    result = INSTAGRAM.parse(raw(json.dumps(body), kind="web_profile_info", key=""))
    (profile,) = result.profiles
    assert profile.creator_id == "77" and profile.followers is None and profile.posts_count is None
    assert profile.verified is None and profile.avatar_url is None
    (post,) = result.posts
    assert (post.post_id, post.likes, post.comments, post.views) == ("55", 9, 2, None)
    assert [e.reason for e in result.errors] == ["timeline edge has no 'node' object"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("web_profile_info_not_found.json", "Instagram user not found"),
        ("web_profile_info_fail.json", "Please wait a few minutes before you try again."),
    ],
)
def test_web_profile_info_without_a_user(name: str, reason: str) -> None:
    result = INSTAGRAM.parse_saved(fixture(name))
    assert result.profiles == [] and [e.reason for e in result.errors] == [reason]


# ------------------------------------------------------------------ saved profile pages (HTML)


def test_profile_page_english() -> None:
    result = INSTAGRAM.parse_saved(fixture("profile_en.html"), source="marisol.html")
    assert result.errors == [] and result.posts == []
    assert result.profiles == [Profile(
        platform="instagram",
        creator_id="6543210987",  # instapp:owner_user_id
        handle="marisolgrows",
        display_name="Marisol 🌿 Plant Mom",
        bio=None,
        followers=18000,  # "18K": the page only shows the rounded count
        following=611,
        posts_count=1207,
        verified=None,
        avatar_url=(
            "https://scontent-iad3-1.cdninstagram.com/v/t51.2885-19/431927384_1174458613898321_"
            "4473204398571837651_n.jpg?stp=dst-jpg_s100x100&_nc_cat=105&ccb=1-7&_nc_sid=8ae9d6"
            "&oh=00_AYBZ&oe=6789ABCD"
        ),
        external_url=None,
        profile_url="https://www.instagram.com/marisolgrows/",
        is_bot=None,
        id_is_alias=True,  # the page's user id: merged into the Graph API's id at load time
    )]


@pytest.mark.parametrize(
    ("name", "handle", "display", "counts", "bio"),
    [
        ("profile_de.html", "jonas.backt", "Jonas Becker", (24600, 312, 1045), None),
        ("profile_es.html", "luciacocina", "Lucía Fernández", (1_200_000, 845, 3210), None),
        ("profile_en_bio.html", "natperez", "Nat Pérez", (30_300_000, 1024, 9876),
         "Chef • NYC 🍋\ncollabs: hello@natperez.example"),
        # A wording we do not know: the account is still named, the counts stay unknown.
        ("profile_ja.html", "yuki.draws", "ゆき｜イラストレーター",
         (None, None, None), None),
    ],
)
def test_profile_pages_in_other_languages(
    name: str, handle: str, display: str, counts: tuple, bio: str | None
) -> None:
    result = INSTAGRAM.parse_saved(fixture(name))
    assert result.errors == []
    (profile,) = result.profiles
    assert (profile.handle, profile.display_name, profile.bio) == (handle, display, bio)
    assert (profile.followers, profile.following, profile.posts_count) == counts
    assert profile.creator_id == handle  # no user id on the page: the username keys it
    assert profile.profile_url == f"https://www.instagram.com/{handle}/"
    assert profile.avatar_url and profile.avatar_url.startswith("https://scontent-")
    assert profile.verified is None and profile.external_url is None


@pytest.mark.parametrize(
    ("description", "counts"),
    [
        ("1,234 Followers, 56 Following, 78 Posts - See Instagram photos and videos from A (@a)",
         (1234, 56, 78)),
        ("24.6K Followers, 1.2 M Following, 1 Post - See Instagram photos and videos from A (@a)",
         (24600, 1_200_000, 1)),
        ("1.234 Follower, 0 Gefolgt, 1 Beitrag - Sieh dir Instagram-Fotos und -Videos von "
         "A (@a) an", (1234, 0, 1)),
        ("12,5 mil seguidores, 3 seguidos, 40 publicaciones - Ver fotos y videos de Instagram de "
         "A (@a)", (12500, 3, 40)),
        ("1 234 abonnés, 56 abonnements, 78 publications - Voir les photos et vidéos "
         "Instagram de "
         "A (@a)", (1234, 56, 78)),
        ("Followers, Following, Posts - A (@a)", (None, None, None)),
        ("See Instagram photos and videos from A (@a)", (None, None, None)),
    ],
)
def test_og_description_counts(description: str, counts: tuple) -> None:
    page = (f'<html><head><meta property="og:title" content="A (@a) • Instagram photos and '
            f'videos"><meta property="og:description" content="{description}"></head></html>')
    (profile,) = INSTAGRAM.parse_saved(page).profiles
    assert (profile.followers, profile.following, profile.posts_count) == counts


def test_handle_from_description_or_url_when_og_title_is_missing() -> None:
    described = ('<html><meta property="og:description" content="5 Followers, 6 Following, '
                 '7 Posts - See Instagram photos and videos from Ana (@ana.b)"></html>')
    (profile,) = INSTAGRAM.parse_saved(described).profiles
    assert (profile.handle, profile.display_name, profile.followers) == ("ana.b", None, 5)
    by_url = '<html><meta property="og:url" content="https://www.instagram.com/ana.b/"></html>'
    (profile,) = INSTAGRAM.parse_saved(by_url).profiles
    assert (profile.handle, profile.followers) == ("ana.b", None)


@pytest.mark.parametrize(
    ("name_or_body", "reason"),
    [
        ("login_wall.html", "login wall: save the page while logged in to Instagram (this copy "
                            "shows the login form, not the profile)"),
        ("<html><head><title>Login • Instagram</title></head><body></body></html>",
         "login wall: save the page while logged in to Instagram (this copy shows the login "
         "form, not the profile)"),
        ("page_not_found.html", "Instagram page not found: the account does not exist or was "
                                "renamed"),
        ("<html><head><title>Bake with me</title></head><body>hi</body></html>",
         "not an Instagram profile page: no og:title or og:description naming the account as "
         "'Name (@handle)'"),
        ("<p>", "not an Instagram profile page: no og:title or og:description naming the "
                "account as 'Name (@handle)'"),
    ],
)
def test_pages_without_a_profile_are_recorded_errors(name_or_body: str, reason: str) -> None:
    body = fixture(name_or_body) if name_or_body.endswith(".html") else name_or_body
    result = INSTAGRAM.parse_saved(body, source="page.html")
    assert result.profiles == [] and result.posts == []
    (error,) = result.errors
    assert (error.platform, error.reason, error.url, error.status) == (
        "instagram", reason, "page.html", 200)


def test_a_parser_bug_is_a_recorded_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(raw: RawResponse) -> ParseResult:
        raise KeyError("og:title")

    monkeypatch.setattr(importlib.import_module("scrapers.instagram.parse"), "parse_profile_html", broken)
    (error,) = INSTAGRAM.parse_saved(fixture("profile_en.html")).errors
    assert error.reason == "parser failed: KeyError: 'og:title'"


# ------------------------------------------------------------------ parse_saved detection


@pytest.mark.parametrize(
    ("name", "profiles", "posts", "errors"),
    [
        ("business_discovery.json", 1, 4, 0),
        ("business_discovery_page2.json", 0, 1, 0),
        ("error_110.json", 0, 0, 1),
        ("web_profile_info.json", 1, 3, 0),
        ("profile_en.html", 1, 0, 0),
        ("login_wall.html", 0, 0, 1),
    ],
)
def test_parse_saved_detects_the_kind_from_content(
    name: str, profiles: int, posts: int, errors: int
) -> None:
    body = fixture(name)
    result = INSTAGRAM.parse_saved("\ufeff\n  " + body if name.endswith(".html") else body)
    found = (len(result.profiles), len(result.posts), len(result.errors))
    assert found == (profiles, posts, errors)


@pytest.mark.parametrize("body", ['{"foo": 1}', "[]", '"text"', "hello", "", "   "])
def test_parse_saved_unrecognised_bodies_say_what_was_expected(body: str) -> None:
    result = INSTAGRAM.parse_saved(body, source="mystery.txt")
    assert result.profiles == [] and result.posts == []
    (error,) = result.errors
    assert error.reason.startswith(
        "not a Graph API Business Discovery JSON, web_profile_info JSON "
        '({"data": {"user": ...}}) or a saved Instagram profile page (HTML)')
    assert error.url == "mystery.txt"


def test_parse_saved_truncated_json_is_an_error() -> None:
    (error,) = INSTAGRAM.parse_saved(fixture("business_discovery_truncated.json")).errors
    assert "invalid JSON: Unterminated string" in error.reason


# ------------------------------------------------------------------ discover and credentials


def test_discover_takes_handles_only(creds: None) -> None:
    http = RecordingHttp()
    for queries, hashtags in ((["plants"], []), ([], ["#baking"])):
        with pytest.raises(InvalidInput) as info:
            INSTAGRAM.discover(http, GRAPH, queries=queries, hashtags=hashtags,
                               handles=["marisolgrows"], limit=10)
        assert str(info.value) == ("Instagram discovery takes handles only (Business Discovery "
                                   "cannot search); pass --handle.")
    refs = INSTAGRAM.discover(http, GRAPH, queries=[" "], hashtags=[], limit=1,
                              handles=["@MarisolGrows", "marisolgrows", "jonas.backt"])
    assert refs == ["marisolgrows", "jonas.backt"]  # all handles, past the limit, no request
    assert http.calls == []
    with pytest.raises(InvalidInput, match="at least one --handle"):
        INSTAGRAM.discover(http, GRAPH, queries=[], hashtags=[], handles=[], limit=5)
    with pytest.raises(InvalidInput, match="Instagram handle 'bad handle!' is invalid"):
        INSTAGRAM.discover(http, GRAPH, queries=[], hashtags=[], handles=["bad handle!"], limit=5)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "SCOUT_INSTAGRAM_TOKEN"),
        ({"SCOUT_INSTAGRAM_TOKEN": "  "}, "SCOUT_INSTAGRAM_TOKEN"),
        ({"SCOUT_INSTAGRAM_TOKEN": TOKEN}, "SCOUT_INSTAGRAM_USER_ID"),
    ],
)
def test_missing_credentials_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], variable: str
) -> None:
    monkeypatch.delenv("SCOUT_INSTAGRAM_TOKEN", raising=False)
    monkeypatch.delenv("SCOUT_INSTAGRAM_USER_ID", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    http = RecordingHttp()
    for call in (
        lambda: INSTAGRAM.discover(http, GRAPH, queries=[], hashtags=[], handles=["a"], limit=1),
        lambda: INSTAGRAM.fetch_creators(http, GRAPH, ["a"], posts_per_creator=5),
    ):
        with pytest.raises(MissingCredential) as info:
            call()
        assert variable in str(info.value) and TOKEN not in str(info.value)
    assert http.calls == []


def test_user_id_must_be_numeric(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCOUT_INSTAGRAM_TOKEN", TOKEN)
    monkeypatch.setenv("SCOUT_INSTAGRAM_USER_ID", "marisolgrows")
    with pytest.raises(InvalidInput, match="SCOUT_INSTAGRAM_USER_ID must be the numeric id"):
        INSTAGRAM.fetch_creators(RecordingHttp(), GRAPH, ["a"], posts_per_creator=1)


# ------------------------------------------------------------------ never instagram.com HTML


def test_fetching_a_profile_page_is_refused() -> None:
    with pytest.raises(RobotsDisallowed) as info:
        instagram.fetch_profile_page("https://www.instagram.com/marisolgrows/")
    message = str(info.value)
    assert "robots.txt" in message and "scout import" in message and "browser" in message


@pytest.mark.parametrize("base", ["https://www.instagram.com", "https://instagram.com/",
                                  "https://i.instagram.com/api/v1", "http://WWW.Instagram.COM"])
def test_instagram_hosts_are_refused_before_any_request(creds: None, base: str) -> None:
    http = RecordingHttp()
    with pytest.raises(RobotsDisallowed, match="robots.txt"):
        INSTAGRAM.fetch_creators(http, base, ["marisolgrows"], posts_per_creator=5)
    with pytest.raises(RobotsDisallowed):
        INSTAGRAM.discover(http, base, queries=[], hashtags=[], handles=["a"], limit=1)
    assert http.calls == []


def test_no_code_path_asks_for_html() -> None:
    """Every request goes through the Graph base URL; nothing asks the HTTP layer for a page."""
    sources = [p.read_text() for p in Path(instagram.__file__).parent.glob("*.py")]
    assert not any("html=True" in s or "get_bytes" in s or "requests." in s for s in sources)
    assert sum(s.count("http.get(") for s in sources) == 1  # client._get, on graph_base(...)


# ------------------------------------------------------------------ fetching (scripted)


def test_fetch_pages_media_with_after_cursor(creds: None) -> None:
    http = RecordingHttp([(200, fixture("business_discovery.json")),
                          (200, fixture("business_discovery_page2.json"))])
    INSTAGRAM.fetch_creators(http, GRAPH, ["marisolgrows"], posts_per_creator=30)
    (first_url, first), (_, second) = http.calls
    assert first_url == f"{GRAPH}/{USER_ID}"
    assert first["access_token"] == TOKEN
    assert first["fields"] == (
        "business_discovery.username(marisolgrows){username,name,biography,website,"
        "profile_picture_url,followers_count,follows_count,media_count,media.limit(30)"
        "{id,caption,like_count,comments_count,timestamp,media_type,media_product_type,"
        "permalink}}")
    assert second["fields"].startswith(
        "business_discovery.username(marisolgrows){media.after(QVFIUnlL")
    assert ".limit(26){" in second["fields"]  # 30 wanted, 4 already in
    result = ParseResult()
    for item in http.raw_responses:
        result.extend(INSTAGRAM.parse(item))
    assert len(result.profiles) == 1 and len(result.posts) == 5 and result.errors == []


def test_fetch_without_posts_asks_no_media(creds: None) -> None:
    http = RecordingHttp([(200, fixture("business_discovery.json"))])
    INSTAGRAM.fetch_creators(http, GRAPH, ["marisolgrows"], posts_per_creator=0)
    (_, params), = http.calls
    assert "media" not in params["fields"].replace("media_count", "")


def test_a_graph_rate_limit_ends_the_batch(creds: None) -> None:
    limited = json.dumps({"error": {"message": "(#4) Application request limit reached",
                                    "type": "OAuthException", "is_transient": True, "code": 4,
                                    "fbtrace_id": "AoQ1"}})
    http = RecordingHttp([(400, fixture("error_110.json")), (400, limited)])
    INSTAGRAM.fetch_creators(http, GRAPH, ["ghost", "a", "b", "c"], posts_per_creator=5)
    assert [p["fields"].split("(")[1].split(")")[0] for _, p in http.calls] == ["ghost", "a"]
    (error,) = INSTAGRAM.parse(http.raw_responses[1]).errors
    assert error.reason.startswith("(#4) Application request limit reached (code 4); ")


# ------------------------------------------------------------------ the sandbox


@pytest.fixture(scope="module")
def sb() -> Iterator[SandboxServer]:
    with SandboxServer(creators=60, seed=1).start() as server:
        yield server


@pytest.fixture()
def http_client() -> Iterator[HttpClient]:
    client = HttpClient(platform="instagram", rate_per_second=500.0, burst=100, max_retries=0)
    yield client
    client.close()


def test_sandbox_accounts_are_derived_deterministically(sb: SandboxServer) -> None:
    acc = accounts(sb.universe)
    again = accounts(SandboxServer(creators=60, seed=1).universe)
    assert acc.username == again.username and acc.ig_id == again.ig_id
    assert len(acc.by_username) == len(sb.universe.creators) == len(set(acc.ig_id.values()))
    for index, name in acc.username.items():
        assert validate_handle("instagram", name) == name
        assert acc.ig_id[index].startswith("1784") and len(acc.ig_id[index]) == 17
        handle = sb.universe.creators[index].handle
        assert name.startswith(handle.split(".")[0].lower().replace("-", "_")[:20])
    # The Bluesky/Mastodon split is untouched: Instagram is a view over the same creators.
    assert {c.platform for c in sb.universe.creators} == {"bluesky", "mastodon"}


def test_sandbox_fetch_parse_with_paging(sb: SandboxServer, http_client: HttpClient,
                                         creds: None) -> None:
    acc = accounts(sb.universe)
    names = sorted(acc.by_username)[:6]
    base = sb.base_url + "/v21.0"
    refs = INSTAGRAM.discover(http_client, base, queries=[], hashtags=[],
                              handles=names + ["nobody.here"], limit=10)
    assert http_client.raw_responses == []
    INSTAGRAM.fetch_creators(http_client, base, refs, posts_per_creator=60)

    result = ParseResult()
    for item in http_client.raw_responses:
        result.extend(INSTAGRAM.parse(item))
    assert [(e.handle, e.status) for e in result.errors] == [("nobody.here", 400)]
    assert "Invalid user id (code 110)" in result.errors[0].reason
    assert [p.handle for p in result.profiles] == names
    for profile in result.profiles:
        c = sb.universe.creators[acc.by_username[profile.handle]]
        assert profile.creator_id == acc.ig_id[c.index]
        assert (profile.followers, profile.following, profile.posts_count) == (
            c.followers, c.following, c.posts_count)
        assert profile.display_name == (c.display_name or None)
        assert profile.bio == (c.bio or None) and profile.external_url == c.website
        own = [p for p in sb.universe.posts_for(c) if not p.is_repost]
        posts = [p for p in result.posts if p.creator_id == profile.creator_id]
        assert len(posts) == min(60, len(own))
        assert [p.text for p in posts] == [p.text or None for p in own[: len(posts)]]
        assert all(p.published_at and p.published_at.tzinfo for p in posts)
        assert all(p.likes is None or p.likes == o.likes for p, o in zip(posts, own, strict=False))
    assert len({p.post_id for p in result.posts}) == len(result.posts)
    assert any(p.likes is None for p in result.posts)  # hidden like counts exist
    assert any(p.is_sponsored for p in result.posts)
    # Paging: a second request per creator with more than 50 posts, asking .after(<cursor>).
    urls = [unquote(r.url) for r in http_client.raw_responses]
    second_pages = [u for u in urls if "media.after(" in u]
    assert second_pages and all(".limit(10){" in u for u in second_pages)


def test_token_never_stored_in_raw_urls_or_bodies(sb: SandboxServer, http_client: HttpClient,
                                                  creds: None) -> None:
    """Needs HttpClient's central redaction of ``access_token`` from stored URLs."""
    name = _busiest(sb)
    INSTAGRAM.fetch_creators(http_client, sb.base_url + "/v21.0", [name, "ghost.x"],
                             posts_per_creator=80)
    assert len(http_client.raw_responses) >= 3
    for item in http_client.raw_responses:
        assert TOKEN not in item.url and TOKEN not in item.body
        assert "access_token=" in item.url  # redacted, not silently dropped


# ------------------------------------------------------------------ the sandbox's Graph API


def _busiest(sb: SandboxServer) -> str:
    """The username with the most posts: enough of them to need a second media page."""
    acc = accounts(sb.universe)
    return max(sorted(acc.by_username),
               key=lambda n: len(sb.universe.posts_for(acc.by_username[n])))


def _graph(sb: SandboxServer, node: str, **params: str) -> tuple[int, dict]:
    resp = requests.get(f"{sb.base_url}/v21.0/{node}", params=params, timeout=10)
    return resp.status_code, resp.json()


def test_sandbox_graph_errors(sb: SandboxServer) -> None:
    name = sorted(accounts(sb.universe).by_username)[0]
    fields = f"business_discovery.username({name}){{followers_count}}"
    status, body = _graph(sb, USER_ID, fields=fields)
    assert status == 400 and body["error"]["code"] == 190
    assert body["error"]["type"] == "OAuthException" and body["error"]["fbtrace_id"]
    status, body = _graph(sb, USER_ID, fields=fields, access_token="")
    assert body["error"]["code"] == 190
    status, body = _graph(sb, USER_ID, access_token="t",
                          fields="business_discovery.username(nobody.here){id}")
    assert (status, body["error"]["code"], body["error"]["error_subcode"]) == (400, 110, 2207013)
    status, body = _graph(sb, USER_ID, access_token="t",
                          fields=f"business_discovery.username({name}){{view_count}}")
    assert body["error"]["code"] == 100
    assert "nonexisting field (view_count)" in body["error"]["message"]
    status, body = _graph(sb, USER_ID, access_token="t",
                          fields=f"business_discovery.username({name}){{media{{id}}")
    assert body["error"]["code"] == 100 and "Syntax error" in body["error"]["message"]
    status, body = _graph(sb, "me-not-a-number", access_token="t", fields=fields)
    assert body["error"]["code"] == 100 and body["error"]["type"] == "GraphMethodException"


def test_sandbox_graph_answers_only_what_was_asked(sb: SandboxServer) -> None:
    name = _busiest(sb)
    fields = f"business_discovery.username({name}){{followers_count,media.limit(3){{like_count}}}}"
    status, body = _graph(sb, USER_ID, access_token="t", fields=fields)
    assert status == 200 and body["id"] == USER_ID
    bd = body["business_discovery"]
    assert set(bd) == {"followers_count", "media", "id"}
    assert len(bd["media"]["data"]) == 3
    assert all(set(m) <= {"like_count", "id"} and "id" in m for m in bd["media"]["data"])
    after = bd["media"]["paging"]["cursors"]["after"]
    more = f"business_discovery.username({name}){{media.after({after}).limit(2){{id}}}}"
    _, page2 = _graph(sb, USER_ID, access_token="t", fields=more)
    ids = [m["id"] for m in page2["business_discovery"]["media"]["data"]]
    assert len(ids) == 2 and not set(ids) & {m["id"] for m in bd["media"]["data"]}
    _, bad = _graph(sb, USER_ID, access_token="t",
                    fields=f"business_discovery.username({name}){{media.after(zzz){{id}}}}")
    assert bad["error"]["code"] == 100


def test_field_expansion_parser() -> None:
    (bd,) = parse_fields("business_discovery.username(a.b){x,media.after(Q-_=).limit(5){id,y}}")
    assert (bd.name, bd.mods) == ("business_discovery", {"username": "a.b"})
    x, media = bd.children or []
    assert x.name == "x" and media.mods == {"after": "Q-_=", "limit": "5"}
    assert [c.name for c in media.children or []] == ["id", "y"]
