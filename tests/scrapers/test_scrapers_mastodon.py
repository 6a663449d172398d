"""Mastodon: pure parsers on hand-written fixtures in the real REST shapes, then fetching
against a tiny local stub with Link-header paging (and the sandbox, once it exists)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from json_stub import JsonStub

from core.records import ParseResult, Post, Profile, RawResponse
from scrapers.errors import InvalidInput
from scrapers.mastodon import MASTODON
from scrapers.mastodon.ids import account_id, instance_host

FIXTURES = Path(__file__).parents[1] / "fixtures" / "mastodon"
JONAS_ID = "109384756102938475"  # mastodon.social's own account id
JONAS = f"mastodon.social:{JONAS_ID}"  # the creator id: the answering instance qualifies it
UTC = UTC


def raw(fixture: str, kind: str, key: str = "k", status: int = 200) -> RawResponse:
    return RawResponse(
        platform="mastodon",
        kind=kind,
        request_key=key,
        url=f"https://mastodon.social/api/v1/{kind}",
        status=status,
        body=(FIXTURES / fixture).read_text(encoding="utf-8"),
    )


def body_raw(body: str, kind: str, key: str = "k", status: int = 200) -> RawResponse:
    return RawResponse("mastodon", kind, key, "https://mastodon.social/api/v1/x", status, body)


# ---------------------------------------------------------------------------- parse: accounts


def test_account_every_field_and_html_note() -> None:
    result = MASTODON.parse(raw("account_lookup.json", "account", "jonas"))
    assert result.errors == [] and result.posts == []
    (profile,) = result.profiles
    assert profile == Profile(
        platform="mastodon",
        creator_id=JONAS,
        handle="jonas@mastodon.social",  # local acct + host of the profile URL
        display_name="Jonas Bäcker 🥖",
        bio=(
            "Sourdough nerd & home baker in Köln 🇩🇪. Recipes every Friday.\n\n"
            "Co-host of @brotpod #baking\n"
            "Newsletter: https://jonasbackt.example/newsletter"
        ),
        followers=12873,
        following=402,
        posts_count=3318,
        verified=True,  # the Blog field has verified_at
        avatar_url=(
            "https://files.mastodon.social/accounts/avatars/109/384/756/102/938/475/"
            "original/5f2a9c3e1b7d4a60.jpg"
        ),
        external_url="https://jonasbackt.example",  # first field href beats the note link
        profile_url="https://mastodon.social/@jonas",
        is_bot=False,
        account_created_at=datetime(2022, 11, 8, tzinfo=UTC),
    )


def test_search_accounts_keep_remote_handles() -> None:
    result = MASTODON.parse(raw("search_accounts.json", "search", "bread"))
    jonas, amelie = result.profiles
    assert jonas.handle == "jonas@mastodon.social"
    assert jonas.verified is False  # fields present, none verified
    assert amelie.creator_id == "mastodon.social:110529384756"
    assert amelie.handle == "amelie@boulangerie.example"
    assert amelie.display_name == "Amélie — boulangère"
    assert amelie.bio == "Pain au levain, viennoiseries et café ☕\nParis 11ᵉ"
    assert amelie.profile_url == "https://boulangerie.example/@amelie"
    assert amelie.external_url is None


def test_directory_bot_missing_avatar_note_link_and_bad_item() -> None:
    result = MASTODON.parse(raw("directory.json", "directory"))
    bot, lucia = result.profiles
    assert bot.is_bot is True
    assert bot.avatar_url is None  # the instance's missing.png placeholder
    assert (bot.followers, bot.following, bot.posts_count) == (310, 0, 58211)
    # A field without a link is skipped; the note's plain link (not a mention/hashtag) is used.
    assert lucia.external_url == "https://luciafoto.example/tienda"
    assert lucia.bio == "Fotógrafa de naturaleza 📷 · Asturias\nTienda: https://luciafoto.example/tienda"
    assert [e.reason for e in result.errors] == ["account missing 'id'"]


def test_tag_timeline_yields_each_author_once() -> None:
    result = MASTODON.parse(raw("tag_timeline.json", "tag_timeline", "sourdough"))
    assert [(p.creator_id, p.handle) for p in result.profiles] == [
        (JONAS, "jonas@mastodon.social"),
        ("mastodon.social:110777000000000042", "kasia@bread.example")  # as mastodon.social knows her,
    ]
    assert result.posts == [] and result.errors == []
    kasia = result.profiles[1]
    assert kasia.bio == "" and kasia.verified is False


def test_local_acct_without_url_takes_the_answering_instance() -> None:
    body = json.dumps({"id": "7", "acct": "solo", "username": "solo"})
    (profile,) = MASTODON.parse(body_raw(body, "account")).profiles
    assert profile.handle == "solo@mastodon.social"
    assert (profile.followers, profile.verified, profile.is_bot, profile.bio) == (None, None, None, None)


def test_lookup_404_is_a_scrape_error() -> None:
    result = MASTODON.parse(raw("error_not_found.json", "account", "nobody@mastodon.social", 404))
    (error,) = result.errors
    assert (error.platform, error.handle, error.status, error.reason) == (
        "mastodon", "nobody@mastodon.social", 404, "Record not found"
    )
    assert result.profiles == []


# ---------------------------------------------------------------------------- parse: statuses


def test_status_every_field_html_to_text() -> None:
    result = MASTODON.parse(raw("statuses.json", "statuses", JONAS))
    first = result.posts[0]
    assert first == Post(
        platform="mastodon",
        post_id="113790412345678901",
        creator_id=JONAS,
        published_at=datetime(2025, 1, 9, 7, 30, 12, 345000, tzinfo=UTC),
        text=(
            "Friday loaf is out 🍞🔥 Crumb shot for @brotpod's listeners & friends.\n\n"
            "Recipe: https://jonasbackt.example/rezepte/friday-loaf\n#sourdough #baking"
        ),
        likes=310,
        comments=14,
        shares=54,  # 52 reblogs + 2 quotes
        views=None,
        is_repost=False,
        is_sponsored=False,
    )


def test_reblog_is_a_repost_with_unknown_counts() -> None:
    reblog = MASTODON.parse(raw("statuses.json", "statuses", JONAS)).posts[1]
    assert reblog.is_repost is True
    assert reblog.post_id == "113780000000000002"  # the wrapper, unique per booster
    assert reblog.creator_id == JONAS  # the booster, not Amélie
    assert reblog.text == "Les croissants du dimanche sont prêts 🥐 — « feuilletage maison »"
    assert reblog.published_at == datetime(2025, 1, 7, 18, 2, tzinfo=UTC)  # when boosted
    assert (reblog.likes, reblog.comments, reblog.shares, reblog.views) == (None, None, None, None)


def test_sponsored_status_without_quotes_count_and_spoiler() -> None:
    posts = MASTODON.parse(raw("statuses.json", "statuses", JONAS)).posts
    werbung, spoiler = posts[2], posts[3]
    assert werbung.is_sponsored is True
    assert werbung.text == "Anzeige: Mein neuer Gärkorb von Korbmacher Müller – ich liebe ihn! #Werbung"
    assert (werbung.likes, werbung.comments, werbung.shares) == (61, 3, 5)  # no quotes_count
    assert spoiler.text == (
        "Kitchen accident (no blood)\n\nDropped a whole proofing basket on the floor. "
        "Happy new year 🎆"
    )


def test_statuses_carry_the_creator_profile_and_survive_a_bad_item() -> None:
    result = MASTODON.parse(raw("statuses.json", "statuses", JONAS))
    assert len(result.posts) == 4
    assert [e.reason for e in result.errors] == ["status 113740000000000006 missing 'account.id'"]
    (profile,) = result.profiles
    assert (profile.creator_id, profile.handle, profile.followers) == (
        JONAS, "jonas@mastodon.social", 12873
    )


def test_truncated_statuses_are_an_error_not_an_exception() -> None:
    result = MASTODON.parse(raw("statuses_truncated.json", "statuses", JONAS))
    (error,) = result.errors
    assert error.reason.startswith("invalid JSON: ") and "at char 1994" in error.reason
    assert error.handle == JONAS and result.posts == [] and result.profiles == []


@pytest.mark.parametrize(
    ("body", "kind", "reason"),
    [
        ("{}", "statuses", "statuses answer is not a list"),
        ('{"accounts": null}', "search", "answer holds no list of accounts"),
        ("[]", "account", "account is not an object"),
        ('"x"', "tag_timeline", "tag timeline is not a list of statuses"),
        ('[{"id": ""}]', "statuses", "status missing 'id'"),
        ("{}", "home", "unknown Mastodon response kind 'home'"),
        ("   ", "statuses", "empty body"),
    ],
)
def test_wrong_shapes_are_reported(body: str, kind: str, reason: str) -> None:
    result = MASTODON.parse(body_raw(body, kind))
    assert result.profiles == [] and result.posts == []
    assert [e.reason for e in result.errors] == [reason]


def test_error_without_json_body() -> None:
    result = MASTODON.parse(body_raw("<h1>503</h1>", "statuses", JONAS, 503))
    assert [e.reason for e in result.errors] == ["HTTP 503"]


# --------------------------------------------------------------------------- fetch: a stub


class MastodonStub(JsonStub):
    """Enough of a Mastodon instance on 127.0.0.1: lookup, search, directory, tag timeline,
    accounts and statuses, with Link rel="next" paging capped at 2 items per page."""

    PAGE_CAP = 2

    def __init__(self, n_accounts: int = 12, statuses_each: int = 5) -> None:
        super().__init__()
        self.accounts = [self._account(i) for i in range(n_accounts)]
        self.accounts.append(dict(self._account(99), statuses_count=0))  # a silent account
        self.statuses_each = statuses_each

    def _account(self, i: int) -> dict[str, Any]:
        return {
            "id": str(1000 + i), "username": f"user{i}", "acct": f"user{i}",
            "display_name": f"User {i} 🍞", "bot": False, "group": False,
            "note": f"<p>Baker number {i}</p>", "url": f"{self.base_url}/@user{i}",
            "avatar": f"{self.base_url}/avatars/{i}.png",
            "followers_count": 500 + i, "following_count": 50, "statuses_count": 5,
            "last_status_at": "2025-01-09", "fields": [], "emojis": [],
        }

    def _status(self, account: dict[str, Any], n: int) -> dict[str, Any]:
        return {
            "id": f"{account['id']}{n:04d}", "created_at": "2025-01-09T07:30:12.000Z",
            "content": f"<p>Loaf {n} <a href=\"#\" class=\"mention hashtag\" rel=\"tag\">#bread</a></p>",
            "spoiler_text": "", "reblog": None, "replies_count": 1, "reblogs_count": 2,
            "favourites_count": 3, "quotes_count": 0, "account": account,
        }

    def _by_id(self, account_id: str) -> dict[str, Any] | None:
        return next((a for a in self.accounts if a["id"] == account_id), None)

    def route(self, path: str, q: dict[str, list[str]], headers: Any = None,
              body: Any = None) -> tuple[int, Any, dict[str, str]]:
        not_found = (404, {"error": "Record not found"}, {})
        if path == "/api/v1/accounts/lookup":
            acct = q["acct"][0].split("@")[0]
            match = next((a for a in self.accounts if a["username"] == acct), None)
            return (200, match, {}) if match else not_found
        if path == "/api/v2/search":
            if "offset" in q:  # like real instances without a token
                return 401, {"error": "Search queries pagination is not supported without authentication"}, {}
            limit = min(int(q["limit"][0]), 40)
            return 200, {"accounts": self.accounts[:limit], "statuses": [], "hashtags": []}, {}
        if path == "/api/v1/directory":
            offset, limit = int(q.get("offset", ["0"])[0]), min(int(q["limit"][0]), 80)
            return 200, self.accounts[offset : offset + limit], {}
        if path.startswith("/api/v1/timelines/tag/"):
            statuses = [self._status(a, 0) for a in self.accounts[:-1]]
            return self._paged(path, statuses, q)
        parts = path.strip("/").split("/")
        if parts[:3] == ["api", "v1", "accounts"] and len(parts) >= 4:
            account = self._by_id(parts[3])
            if account is None:
                return not_found
            if len(parts) == 4:
                return 200, account, {}
            count = 0 if account["statuses_count"] == 0 else self.statuses_each
            return self._paged(path, [self._status(account, n) for n in range(count)], q)
        return not_found

    def _paged(self, path: str, items: list[Any], q: dict[str, list[str]]) -> tuple[int, Any, dict[str, str]]:
        """Newest first; ``max_id`` is an index here, and the next link carries it."""
        start = int(q.get("max_id", ["0"])[0])
        limit = min(int(q.get("limit", ["20"])[0]), self.PAGE_CAP)
        page = items[start : start + limit]
        headers = {}
        if start + limit < len(items):
            nxt = f"{self.base_url}{path}?limit={limit}&max_id={start + limit}"
            prev = f"{self.base_url}{path}?limit={limit}&min_id=0"
            headers["Link"] = f'<{nxt}>; rel="next", <{prev}>; rel="prev"'
        return 200, page, headers

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


@pytest.fixture()
def stub() -> Iterator[MastodonStub]:
    with MastodonStub() as server:
        yield server


@pytest.fixture()
def http() -> Any:
    from scrapers.http import HttpClient

    client = HttpClient(platform="mastodon", rate_per_second=500.0, burst=100, max_retries=0)
    yield client
    client.close()


def parse_all(raws: list[RawResponse]) -> ParseResult:
    total = ParseResult()
    for item in raws:
        total.extend(MASTODON.parse(item))
    return total


def test_discover_handles_queries_and_hashtags(stub: MastodonStub, http: Any) -> None:
    refs = MASTODON.discover(http, stub.base_url + "/", queries=["bread"], hashtags=["#sourdough"],
                             handles=["@user5", "nobody"], limit=6)
    assert refs[0] == f"{instance_host(stub.base_url)}:1005"
    assert len(refs) == 6 == len(set(refs))
    assert [(r.found_by, r.term) for r in refs[:2]] == [("handle", "user5"), ("query", "bread")]
    assert ("hashtag", "sourdough") in {(r.found_by, r.term) for r in refs}
    assert stub.paths()[:2] == ["/api/v1/accounts/lookup", "/api/v1/accounts/lookup"]
    assert stub.requests[0][1]["acct"] == ["user5"]
    search = [q for p, q in stub.requests if p == "/api/v2/search"]
    assert search[0]["type"] == ["accounts"] and "offset" not in search[0]
    tag_pages = [q for p, q in stub.requests if p == "/api/v1/timelines/tag/sourdough"]
    assert len(tag_pages) >= 2 and tag_pages[1]["max_id"] == ["2"]  # followed Link rel="next"
    result = parse_all(http.raw_responses)
    assert {r.kind for r in http.raw_responses} == {"account", "search", "tag_timeline"}
    assert set(refs) <= {p.creator_id for p in result.profiles}
    assert [(e.handle, e.status, e.reason) for e in result.errors] == [
        ("nobody", 404, "Record not found")
    ]


def test_search_stops_quietly_where_unauthenticated_paging_ends(stub: MastodonStub, http: Any) -> None:
    stub.accounts = stub.accounts * 5  # more than one page of hits
    MASTODON.discover(http, stub.base_url, queries=["bread"], hashtags=[], handles=[], limit=200)
    search = [q for p, q in stub.requests if p == "/api/v2/search"]
    assert len(search) <= 2


def test_discover_without_terms_reads_the_directory(stub: MastodonStub, http: Any) -> None:
    refs = MASTODON.discover(http, stub.base_url, queries=[], hashtags=[], handles=[], limit=5)
    assert refs == [f"{instance_host(stub.base_url)}:{i}" for i in ("1000", "1001", "1002", "1003", "1004")]
    (path, q), = stub.requests
    assert path == "/api/v1/directory"
    assert (q["order"], q["local"], q["limit"]) == (["active"], ["true"], ["5"])


def test_discover_validates_inputs_first(stub: MastodonStub, http: Any) -> None:
    with pytest.raises(InvalidInput):
        MASTODON.discover(http, "mastodon.social", queries=["x"], hashtags=[], handles=[], limit=5)
    with pytest.raises(InvalidInput):
        MASTODON.discover(http, stub.base_url, queries=[], hashtags=[], handles=["fine", "bad handle!"], limit=5)
    assert stub.requests == []


def test_fetch_creators_follows_link_paging(stub: MastodonStub, http: Any) -> None:
    refs = MASTODON.discover(http, stub.base_url, queries=["bread"], hashtags=[], handles=[], limit=3)
    before = len(stub.requests)
    MASTODON.fetch_creators(http, stub.base_url, refs, posts_per_creator=3)
    calls = stub.requests[before:]
    # 3 creators x 2 pages (2 + 1 statuses), no profile requests: search carried them.
    assert [p for p, _ in calls] == [f"/api/v1/accounts/{account_id(i)}/statuses" for i in refs for _ in (0, 1)]
    assert calls[0][1] == {"limit": ["3"], "exclude_replies": ["true"]}
    assert calls[1][1] == {"limit": ["1"], "max_id": ["2"]}  # the Link URL, asking for what is left
    result = parse_all(http.raw_responses)
    assert len(result.posts) == 3 * 3
    assert {p.creator_id for p in result.posts} == set(refs)
    assert result.errors == []


def test_fetch_creators_on_a_fresh_client_and_unknown_ids(stub: MastodonStub, http: Any) -> None:
    """A refresh: statuses bring the profile; a silent account gets one /accounts/:id call;
    an unknown id stops at its 404."""
    host = instance_host(stub.base_url)
    MASTODON.fetch_creators(http, stub.base_url, [f"{host}:{i}" for i in ("1001", "1099", "424242")],
                            posts_per_creator=2)
    assert stub.paths() == [
        "/api/v1/accounts/1001/statuses",
        "/api/v1/accounts/1099/statuses",
        "/api/v1/accounts/1099",
        "/api/v1/accounts/424242/statuses",
    ]
    result = parse_all(http.raw_responses)
    assert sorted(p.creator_id for p in result.profiles) == [f"{host}:1001", f"{host}:1099"]
    assert len(result.posts) == 2
    assert [(e.handle, e.status, e.reason) for e in result.errors] == [
        (f"{host}:424242", 404, "Record not found")
    ]


# ------------------------------------------------------------------------ fetch: the sandbox


def test_sandbox_discover_fetch_parse_with_link_paging(sandbox: Any, http: Any) -> None:
    refs = MASTODON.discover(http, sandbox.base_url, queries=["baking"], hashtags=["baking"],
                             handles=["ghost_account_404"], limit=12)
    host = instance_host(sandbox.base_url)
    assert refs and all(r == f"{host}:{account_id(r)}" and account_id(r).isdigit() for r in refs)
    discovered = len(http.raw_responses)

    MASTODON.fetch_creators(http, sandbox.base_url, refs, posts_per_creator=45)
    fetched = http.raw_responses[discovered:]
    result = parse_all(http.raw_responses)

    assert {p.creator_id for p in result.profiles} >= set(refs)
    assert all("<p>" not in (p.bio or "") and "@" in p.handle for p in result.profiles)
    per_creator: dict[str, int] = {}
    for post in result.posts:
        per_creator[post.creator_id] = per_creator.get(post.creator_id, 0) + 1
    assert set(per_creator) <= set(refs)
    assert max(per_creator.values()) == 45  # 40 + 5: the second page came from Link rel="next"
    assert any("max_id=" in r.url for r in fetched)
    assert all(r.kind == "statuses" for r in fetched)
    assert all("<" not in (p.text or "") for p in result.posts)
    assert [(e.handle, e.status, e.reason) for e in result.errors] == [
        ("ghost_account_404", 404, "Record not found")
    ]


def test_sandbox_directory_when_nothing_is_asked(sandbox: Any, http: Any) -> None:
    refs = MASTODON.discover(http, sandbox.base_url, queries=[], hashtags=[], handles=[], limit=15)
    assert len(refs) == 15 == len(set(refs))
    assert [r.kind for r in http.raw_responses] == ["directory"]
    assert len(parse_all(http.raw_responses).profiles) == 15


def test_same_account_id_on_two_instances_is_two_creators() -> None:
    """One account id answered by two instances names two creators; two ports of one host are one."""
    ids = set()
    for url in ("https://mastodon.social/api/v1/accounts/1", "https://bread.example/api/v1/accounts/1",
                "http://127.0.0.1:8101/api/v1/accounts/1", "http://127.0.0.1:8102/api/v1/accounts/1"):
        ids.add(MASTODON.parse(RawResponse(platform="mastodon", kind="account", request_key="k", url=url, status=200,
                                           body=(FIXTURES / "account_lookup.json").read_text(encoding="utf-8"))).profiles[0].creator_id)
    assert ids == {f"{host}:{JONAS_ID}" for host in ("mastodon.social", "bread.example", "127.0.0.1")}


def test_a_sandbox_discover_paces_to_the_instance_s_published_budget_with_no_429() -> None:
    """The sandbox publishes 60 requests per 2 s (30/s) in Mastodon's X-RateLimit-* headers and no
    window: four fetch threads on the platform's default pace (0.9/s) take up 90% of that after the
    first answer, stay within every window and are never refused."""
    from concurrent.futures import ThreadPoolExecutor

    from sandbox import SandboxServer
    from scrapers.http import HttpClient

    def client() -> HttpClient:
        return HttpClient("mastodon", rate_per_second=MASTODON.defaults.rate_per_second,
                          burst=MASTODON.defaults.burst)

    with SandboxServer(creators=300, seed=11, rate_limit=60, rate_window=2.0).start() as server:
        with client() as http:
            refs = MASTODON.discover(http, server.base_url, queries=[], hashtags=[], handles=[], limit=60)
        batches = [refs[i::4] for i in range(4)]

        def fetch(batch: list[str]) -> HttpClient:
            with client() as http:
                MASTODON.fetch_creators(http, server.base_url, batch, posts_per_creator=5)
            return http

        with ThreadPoolExecutor(4) as pool:
            clients = list(pool.map(fetch, batches))
        stats = server.stats
        busiest = server.max_in_window("mastodon", 2.0)
    assert len(refs) == 60
    assert {p.creator_id for c in clients for p in parse_all(c.raw_responses).profiles} == set(refs)
    assert stats["rate_limited"] == 0
    assert busiest <= 60
    assert clients[0]._bucket(server.base_url).rate == pytest.approx(0.9 * 60 / 2.0, rel=0.15)
