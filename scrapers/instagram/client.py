"""Instagram fetching: the Graph API's Business Discovery, with the user's own token.

Business Discovery reads another Business or Creator account's public profile and media
through the caller's own IG professional account (``GET /<own ig id>?fields=
business_discovery.username(<handle>){...}``). It cannot search, so discovery takes handles
only. instagram.com itself is never fetched: its robots.txt forbids automated collection, so
saved pages come in through ``scout import`` and ``parse_saved`` instead.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn
from urllib.parse import urlsplit

from core.records import RawResponse
from scrapers.errors import InvalidInput, RobotsDisallowed
from scrapers.instagram import parse as ig_parse
from scrapers.instagram.handles import validate_handle
from scrapers.paginators import cursor_paginator
from scrapers.platform import handles_only, no_follower_lists
from scrapers.settings import credential
from scrapers.text import decode_json
from scrapers.validate import validate_base_url

log = logging.getLogger(__name__)

PLATFORM = "instagram"
TOKEN_VAR = "SCOUT_INSTAGRAM_TOKEN"
USER_ID_VAR = "SCOUT_INSTAGRAM_USER_ID"
PROFILE_FIELDS = ("username", "name", "biography", "website", "profile_picture_url",
                  "followers_count", "follows_count", "media_count")
# Public IG Media fields. No view count: Graph answers a whole request with error 100 when
# one field does not exist, so only documented fields are asked for.
MEDIA_FIELDS = ("id", "caption", "like_count", "comments_count", "timestamp", "media_type",
                "media_product_type", "permalink")
MEDIA_PAGE_MAX = 50  # bigger pages risk "reduce the amount of data" (error 1)
MEDIA_PAGES = cursor_paginator(lambda raw: ig_parse.media_cursor(raw)[1])
REFUSAL = (
    "creator-scout never fetches instagram.com pages: Instagram's robots.txt forbids "
    "automated collection. Open the profile in a browser, save the page (or its "
    "web_profile_info JSON), then run `scout import --platform instagram FILE`."
)


def preflight(base_url: str, *, queries: list[str], hashtags: list[str], handles: list[str]) -> None:
    """Everything discover needs, checked before any flow starts: handles only, credentials."""
    if any(q and q.strip() for q in queries) or any(t and t.strip("# ") for t in hashtags):
        raise InvalidInput(
            "Instagram discovery takes handles only (Business Discovery cannot search); "
            "pass --handle."
        )
    graph_base(base_url)
    _credentials()
    if not [validate_handle(h) for h in handles]:
        raise InvalidInput("Instagram discovery needs at least one --handle.")


# Business Discovery looks accounts up by username and has no search.
discover = handles_only(preflight, validate_handle)
sample_followers = no_follower_lists(
    PLATFORM, "Instagram's Graph API lists no followers of another account")


def fetch_creators(http: Any, base_url: str, refs: list[str], *, posts_per_creator: int) -> None:
    """One Business Discovery request per handle (profile and first media page), then more
    media pages with ``.after(<cursor>)`` until ``posts_per_creator``.

    A Graph rate-limit error ends the batch: every further call would fail the same way.
    """
    base = graph_base(base_url)
    token, user_id = _credentials()
    url = f"{base}/{user_id}"
    for handle in dict.fromkeys(validate_handle(r) for r in refs if r):
        if not _fetch_one(http, url, token, handle, max(posts_per_creator, 0)):
            log.warning("Instagram Graph API rate limit reached; stopping this batch")
            return


def _fetch_one(http: Any, url: str, token: str, handle: str, wanted: int) -> bool:
    """Pages of one account; False when the Graph API says its rate limit is spent."""
    got = 0

    def request(cursor: str | None) -> RawResponse:
        if cursor is None:  # the profile and the first media page in one expression
            return _get(http, url, token, handle,
                        fields_expression(handle, media_limit=min(MEDIA_PAGE_MAX, wanted) or None))
        return _get(http, url, token, handle, fields_expression(
            handle, profile=False, after=cursor, media_limit=min(MEDIA_PAGE_MAX, wanted - got)))

    for page_no, raw in enumerate(MEDIA_PAGES.pages(request)):
        count, _ = ig_parse.media_cursor(raw)
        got += count
        if got >= wanted or (count == 0 and page_no > 0):
            break
    return not (raw.status >= 400 and _throttled(raw))


def _get(http: Any, url: str, token: str, handle: str, fields: str) -> RawResponse:
    return http.get(url, params={"fields": fields, "access_token": token},
                    kind=ig_parse.KIND_BUSINESS_DISCOVERY, request_key=handle)


def fields_expression(
    handle: str, *, profile: bool = True, media_limit: int | None = None, after: str | None = None
) -> str:
    """``business_discovery.username(h){...,media.after(c).limit(n){...}}``: Graph field
    expansion, the only way Business Discovery pages through media."""
    fields = list(PROFILE_FIELDS) if profile else []
    if media_limit:
        edge = "media" + (f".after({after})" if after else "") + f".limit({media_limit})"
        fields.append(edge + "{" + ",".join(MEDIA_FIELDS) + "}")
    return f"business_discovery.username({handle}){{{','.join(fields)}}}"


def graph_base(base_url: str) -> str:
    """The validated Graph API base URL; an instagram.com host is refused outright."""
    base = validate_base_url(base_url)
    if refuses_host(base):
        raise RobotsDisallowed(REFUSAL)
    return base


def refuses_host(url: str) -> bool:
    """True for instagram.com and its subdomains: never a fetch target."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host == "instagram.com" or host.endswith(".instagram.com")


def fetch_profile_page(*_args: Any, **_kwargs: Any) -> NoReturn:
    """Always refuses: profile pages come from a user's browser, never from this tool."""
    raise RobotsDisallowed(REFUSAL)


def _credentials() -> tuple[str, str]:
    token = credential(TOKEN_VAR, "Instagram needs a Graph API access token")
    user_id = credential(  # an account id, not a secret: it stays readable in stored URLs
        USER_ID_VAR, "Instagram needs the id of your own Instagram Business or Creator account",
        secret=False,
    )
    if not user_id.isdigit():
        raise InvalidInput(
            f"{USER_ID_VAR} must be the numeric id of your own Instagram Business or Creator "
            "account (Graph API 'IG User ID'), not a username."
        )
    return token, user_id


def _throttled(raw: RawResponse) -> bool:
    data, _ = decode_json(raw.body)
    failure = ig_parse.graph_error(data)
    return failure is not None and failure[0] in ig_parse.THROTTLE_CODES
