"""Bluesky fetching: XRPC URLs, cursor paging and batching over the shared HttpClient.

Everything here goes through ``http.get`` so every response is kept as a RawResponse; the
pure parsers in ``parse.py`` only peek at pages to learn DIDs and cursors.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from core.records import FollowerSample, Found, RawResponse
from scrapers.bluesky import parse as bsky_parse
from scrapers.bluesky.handles import validate_handle
from scrapers.paginators import cursor_paginator
from scrapers.validate import validate_base_url

PLATFORM = "bluesky"
SEARCH_ACTORS = "app.bsky.actor.searchActors"
GET_PROFILES = "app.bsky.actor.getProfiles"
GET_AUTHOR_FEED = "app.bsky.feed.getAuthorFeed"
GET_FOLLOWERS = "app.bsky.graph.getFollowers"
FOLLOWERS_PAGE_MAX = 100
SEARCH_PAGE_MAX = 100
PROFILES_BATCH = 25  # getProfiles accepts at most 25 actors
FEED_PAGE_MAX = 100
FEED_FILTER = "posts_no_replies"
SEARCH_PAGES = cursor_paginator(lambda raw: bsky_parse.search_actors(raw)[1])
FEED_PAGES = cursor_paginator(lambda raw: bsky_parse.feed_page_size(raw)[1])
FOLLOWER_PAGES = cursor_paginator(lambda raw: bsky_parse.followers_page(raw)[1])


def xrpc(base_url: str, nsid: str) -> str:
    return f"{base_url.rstrip('/')}/xrpc/{nsid}"


def discover(http: Any, base_url: str, *, queries: list[str], hashtags: list[str],
             handles: list[str], limit: int) -> list[Found]:
    """Account refs (handles as given, then DIDs from actor search), de-duplicated, each with how
    it was found (:class:`core.records.Found`).

    Handles are validated and always included, even past ``limit``. Hashtags: the public,
    unauthenticated AppView answers searchPosts with 403, so a hashtag is searched as actor
    text (``searchActors?q=<tag>``), which finds accounts naming the topic in name or bio.
    The search budget is shared fairly: each term gets an equal part of what is left.
    """
    base_url = validate_base_url(base_url)
    refs: list[Found] = []
    seen: set[str] = set()
    for handle in handles:
        valid = validate_handle(handle)
        _add(refs, seen, Found(valid, "handle", valid))
    terms = [("query", q.strip()) for q in queries if q and q.strip()]
    terms += [("hashtag", t.strip().lstrip("#")) for t in hashtags if t and t.strip().lstrip("#")]
    for index, (found_by, term) in enumerate(terms):
        left = limit - len(refs)
        if left <= 0:
            break
        quota = math.ceil(left / (len(terms) - index))
        for did in _search_actors(http, base_url, term, quota, seen):
            _add(refs, seen, Found(did, found_by, term))
    return refs


def _search_actors(http: Any, base_url: str, term: str, quota: int, seen: set[str]) -> list[str]:
    """Up to ``quota`` new DIDs for one search term, following the cursor."""
    found: list[str] = []

    request = _paged(http, base_url, SEARCH_ACTORS, "search", term,
                     lambda: {"q": term, "limit": min(SEARCH_PAGE_MAX, max(quota, 1))})

    for raw in SEARCH_PAGES.pages(request):
        if raw.status >= 400:
            break
        actors, cursor = bsky_parse.search_actors(raw)
        for did, handle in actors:
            if did.lower() in seen or handle.lower() in seen or did in found:
                continue
            found.append(did)
            if len(found) >= quota:
                return found
        if not actors or not cursor:
            break
    return found


def fetch_creators(http: Any, base_url: str, refs: list[str], *, posts_per_creator: int) -> None:
    """getProfiles in batches of 25, then getAuthorFeed for each actor that was found."""
    base_url = validate_base_url(base_url)
    actors = list(dict.fromkeys(r for r in refs if r))
    dids: list[str] = []
    for start in range(0, len(actors), PROFILES_BATCH):
        batch = actors[start : start + PROFILES_BATCH]
        raw: RawResponse = http.get(
            xrpc(base_url, GET_PROFILES),
            params={"actors": batch},
            kind="profiles",
            request_key=",".join(batch),
        )
        for profile in bsky_parse.parse(raw).profiles:
            if profile.creator_id not in dids:
                dids.append(profile.creator_id)
    if posts_per_creator <= 0:
        return
    for did in dids:
        _fetch_feed(http, base_url, did, posts_per_creator)


def _fetch_feed(http: Any, base_url: str, did: str, wanted: int) -> None:
    """Pages of getAuthorFeed until ``wanted`` items, the end of the feed, or an error."""
    got = 0

    request = _paged(http, base_url, GET_AUTHOR_FEED, "author_feed", did,
                     lambda: {"actor": did, "limit": min(FEED_PAGE_MAX, wanted - got), "filter": FEED_FILTER})

    for raw in FEED_PAGES.pages(request):
        if raw.status >= 400:
            return
        count, cursor = bsky_parse.feed_page_size(raw)
        got += count
        if count == 0 or not cursor or got >= wanted:
            return


def sample_followers(http: Any, base_url: str, creator_id: str, *, size: int) -> FollowerSample:
    """The newest ``size`` followers: getFollowers pages of up to 100 (no counts), then
    getProfiles in batches of 25 for their counts. 100 followers cost 5 requests."""
    base_url = validate_base_url(base_url)
    dids: list[str] = []

    request = _paged(http, base_url, GET_FOLLOWERS, "followers", creator_id,
                     lambda: {"actor": creator_id, "limit": min(FOLLOWERS_PAGE_MAX, size - len(dids))})

    for raw in FOLLOWER_PAGES.pages(request):
        if raw.status >= 400:
            return FollowerSample(PLATFORM, creator_id, reason=f"getFollowers answered HTTP {raw.status}")
        page, cursor = bsky_parse.followers_page(raw)
        dids.extend(d for d in page if d not in dids)
        if not page or not cursor or len(dids) >= size:
            break
    sample = FollowerSample(PLATFORM, creator_id)
    dids = dids[:size]
    for start in range(0, len(dids), PROFILES_BATCH):
        batch = dids[start : start + PROFILES_BATCH]
        raw = http.get(xrpc(base_url, GET_PROFILES), params={"actors": batch},
                       kind="follower_profiles", request_key=creator_id)
        sample.followers.extend(bsky_parse.follower_profiles(raw))
    return sample


def _paged(http: Any, base_url: str, nsid: str, kind: str, request_key: str,
           params: Callable[[], dict[str, Any]]) -> Callable[[str | None], RawResponse]:
    """A paginator's ``request(cursor)`` for one XRPC list; ``params`` is read at each page,
    so a page asks only for what is still wanted."""

    def request(cursor: str | None) -> RawResponse:
        query = {**params(), **({"cursor": cursor} if cursor else {})}
        return http.get(xrpc(base_url, nsid), params=query, kind=kind, request_key=request_key)

    return request


def _add(refs: list[Found], seen: set[str], ref: Found) -> None:
    if ref.lower() not in seen:
        seen.add(ref.lower())
        refs.append(ref)


def preflight(base_url: str, *, queries: list[str], hashtags: list[str], handles: list[str]) -> None:
    """Open API, no credentials: only the URL and the handles can be wrong up front."""
    validate_base_url(base_url)
    for handle in handles:
        validate_handle(handle)
