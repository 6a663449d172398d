"""Mastodon fetching: REST paths, offset and Link-header paging over the shared HttpClient.

Accounts come whole in search, directory, lookup and tag-timeline answers and inside every
status, so one statuses request per creator brings both its posts and a fresh profile.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from core.records import FollowerSample, Found, RawResponse
from scrapers.mastodon import parse as masto_parse
from scrapers.mastodon.handles import validate_handle
from scrapers.mastodon.ids import account_id
from scrapers.origins import same_origin
from scrapers.paginators import link_header_paginator, offset_paginator
from scrapers.validate import validate_base_url

PLATFORM = "mastodon"
SEARCH = "/api/v2/search"
DIRECTORY = "/api/v1/directory"
LOOKUP = "/api/v1/accounts/lookup"
ACCOUNT = "/api/v1/accounts/{id}"
STATUSES = "/api/v1/accounts/{id}/statuses"
TAG_TIMELINE = "/api/v1/timelines/tag/{tag}"
FOLLOWERS = "/api/v1/accounts/{id}/followers"
FOLLOWERS_PAGE_MAX = 80
SEARCH_PAGE_MAX = 40
DIRECTORY_PAGE_MAX = 80
TAG_PAGE_MAX = 40
STATUSES_PAGE_MAX = 40
# Kinds whose answers carry full account objects.
ACCOUNT_KINDS = frozenset({"account", "search", "directory", "tag_timeline"})
OFFSET_PAGES = offset_paginator(masto_parse.page_size)
LINK_PAGES = link_header_paginator()


def discover(http: Any, base_url: str, *, queries: list[str], hashtags: list[str],
             handles: list[str], limit: int) -> list[Found]:
    """Creator keys (``host:account id``, scrapers/mastodon/ids.py): handles (looked up, always included), then search and hashtag hits, or the
    instance's directory of active local accounts when nothing else is asked for.

    Unauthenticated v2 search refuses ``offset`` on real instances (401), so a query usually
    yields one page of at most 40 accounts; paging stops quietly at the first error.
    """
    base = validate_base_url(base_url)
    accts = [validate_handle(handle) for handle in handles]  # all, before any request
    refs: list[Found] = []
    for acct in accts:
        raw = _get(http, base, base + LOOKUP, params={"acct": acct}, kind="account", request_key=acct)
        _add(refs, [Found(i, "handle", acct) for i in _ids(raw)])
    terms: list[tuple[str, str]] = [("q", q.strip()) for q in queries if q and q.strip()]
    terms += [("tag", t.strip().lstrip("#")) for t in hashtags if t and t.strip().lstrip("#")]
    if not terms and not handles:
        _add(refs, [Found(i, "directory", base) for i in _directory(http, base, limit)])
        return refs[: max(limit, 0)]
    for index, (what, term) in enumerate(terms):
        left = limit - len(refs)
        if left <= 0:
            break
        quota = math.ceil(left / (len(terms) - index))
        fetch, found_by = (_search, "query") if what == "q" else (_tag_accounts, "hashtag")
        _add(refs, [Found(i, found_by, term) for i in fetch(http, base, term, quota, set(refs))])
    return refs


def _search(http: Any, base: str, query: str, quota: int, known: set[str]) -> list[str]:
    """Up to ``quota`` new account ids from v2 search, paging by offset."""
    found: list[str] = []
    size = min(SEARCH_PAGE_MAX, max(quota, 1))

    def request(offset: int | None) -> RawResponse:
        params: dict[str, Any] = {"q": query, "type": "accounts", "limit": size}
        if offset:
            params["offset"] = offset
        return _get(http, base, base + SEARCH, params=params, kind="search", request_key=query)

    for raw in OFFSET_PAGES.pages(request):
        if raw.status >= 400:
            break
        count = masto_parse.page_size(raw)
        new = _new(_ids(raw), known, found)
        found.extend(new[: quota - len(found)])
        if len(found) >= quota or count < size:
            break
    return found


def _tag_accounts(http: Any, base: str, tag: str, quota: int, known: set[str]) -> list[str]:
    """Up to ``quota`` new authors of statuses under #tag, following Link rel="next"."""
    found: list[str] = []
    first = base + TAG_TIMELINE.format(tag=quote(tag, safe=""))

    def request(next_url: str | None) -> RawResponse:
        if next_url is None:
            return _get(http, base, first, params={"limit": TAG_PAGE_MAX}, kind="tag_timeline",
                        request_key=tag)
        return _get(http, base, next_url, kind="tag_timeline", request_key=tag)

    for raw in LINK_PAGES.pages(request):
        if raw.status >= 400 or masto_parse.page_size(raw) == 0:
            break
        found.extend(_new(_ids(raw), known, found)[: quota - len(found)])
        if len(found) >= quota:
            break
    return found


def _directory(http: Any, base: str, limit: int) -> list[str]:
    """Active local accounts from the profile directory, paging by offset."""
    found: list[str] = []
    if limit <= 0:
        return found
    sizes: list[int] = []  # what each page asked for

    def request(offset: int | None) -> RawResponse:
        sizes.append(min(DIRECTORY_PAGE_MAX, limit - len(found)))
        params = {"limit": sizes[-1], "offset": offset or 0, "order": "active", "local": "true"}
        return _get(http, base, base + DIRECTORY, params=params, kind="directory",
                    request_key="directory")

    for raw in OFFSET_PAGES.pages(request):
        if raw.status >= 400:
            break
        count = masto_parse.page_size(raw)
        found.extend(_new(_ids(raw), set(), found)[: limit - len(found)])
        if count < sizes[-1] or len(found) >= limit:
            break
    return found


def fetch_creators(http: Any, base_url: str, refs: list[str], *, posts_per_creator: int) -> None:
    """Recent statuses per creator key (its bare account id in the URL), following Link rel="next".

    Statuses embed their author's full account, so they refresh the profile too; a separate
    ``/accounts/:id`` request is made only for an account with no statuses that no earlier
    response on this client described (e.g. a refresh of a silent account).
    """
    base = validate_base_url(base_url)
    have = _known_account_ids(http, base)
    for key in dict.fromkeys(str(r) for r in refs if r):
        first_page = None
        if posts_per_creator > 0:
            first_page = _fetch_statuses(http, base, key, posts_per_creator)
        if key in have or (first_page is not None and first_page.status >= 400):
            continue
        if first_page is None or masto_parse.page_size(first_page) == 0:
            _get(
                http, base, base + ACCOUNT.format(id=quote(account_id(key), safe="")),
                kind="account",
                request_key=key,
            )


def _fetch_statuses(http: Any, base: str, key: str, wanted: int) -> RawResponse | None:
    """Pages of statuses until ``wanted`` items, the end, or an error; returns the first page."""
    got = 0
    first: RawResponse | None = None
    url = base + STATUSES.format(id=quote(account_id(key), safe=""))

    def request(next_url: str | None) -> RawResponse:
        if next_url is None:
            params = {"limit": min(STATUSES_PAGE_MAX, wanted), "exclude_replies": "true"}
            return _get(http, base, url, params=params, kind="statuses", request_key=key)
        return _get(http, base, _with_limit(next_url, min(STATUSES_PAGE_MAX, wanted - got)),
                    kind="statuses", request_key=key)

    for raw in LINK_PAGES.pages(request):
        first = first or raw
        if raw.status >= 400:
            break
        count = masto_parse.page_size(raw)
        got += count
        if count == 0 or got >= wanted:
            break
    return first


def sample_followers(http: Any, base_url: str, creator_id: str, *, size: int) -> FollowerSample:
    """The newest ``size`` followers as full accounts (counts included), up to 80 a page,
    following Link rel="next": 100 followers cost 2 requests."""
    base = validate_base_url(base_url)
    sample = FollowerSample(PLATFORM, creator_id)
    url = base + FOLLOWERS.format(id=quote(account_id(creator_id), safe=""))  # a host:id key: the path takes the id

    def request(next_url: str | None) -> RawResponse:
        wanted = min(FOLLOWERS_PAGE_MAX, size - len(sample.followers))
        return _get(http, base, _with_limit(next_url or url, wanted), kind="followers", request_key=creator_id)

    for raw in LINK_PAGES.pages(request):
        if raw.status >= 400:
            return FollowerSample(PLATFORM, creator_id, reason=f"the followers list answered HTTP {raw.status}")
        page = masto_parse.follower_accounts(raw)
        sample.followers.extend(page)
        if not page or len(sample.followers) >= size:
            break
    sample.followers = sample.followers[:size]
    return sample


def _get(http: Any, base: str, url: str, **kwargs: Any) -> RawResponse:
    """A GET that stays on the instance: a next link or a redirect to another origin is not
    followed but recorded, and parses to a ScrapeError naming the creator and the URL."""
    return http.get(url, guard=same_origin(base), **kwargs)


def _with_limit(url: str, limit: int) -> str:
    """The server's next link, asking only for what is still wanted."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "limit"]
    query.append(("limit", str(limit)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _known_account_ids(http: Any, base: str) -> set[str]:
    """Creator keys already held by this client's responses from this instance."""
    ids: set[str] = set()
    for raw in getattr(http, "raw_responses", []):
        if raw.platform == PLATFORM and raw.kind in ACCOUNT_KINDS and raw.url.startswith(base):
            ids.update(_ids(raw))
    return ids


def _ids(raw: RawResponse) -> list[str]:
    return [p.creator_id for p in masto_parse.parse(raw).profiles]


def _new(ids: list[str], known: set[str], found: list[str]) -> list[str]:
    return [i for i in dict.fromkeys(ids) if i not in known and i not in found]


def _add(refs: list[Found], ids: list[Found]) -> None:
    for key in ids:
        if key not in refs:
            refs.append(key)


def preflight(base_url: str, *, queries: list[str], hashtags: list[str], handles: list[str]) -> None:
    """Open API, no credentials: only the URL and the handles can be wrong up front."""
    validate_base_url(base_url)
    for handle in handles:
        validate_handle(handle)
