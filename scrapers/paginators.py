"""The few ways platforms page, written once (after dlt's ``rest_client/paginators.py``).

A paginator knows only where the next page's token comes from; the client says how to ask for
a page (``request(token)``, token None for the first) and what to keep from it. Pages are
yielded lazily, so a client that has what it wants simply stops iterating and no further
request is made. An error page (status >= 400) is yielded and ends the paging.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from requests.utils import parse_header_links

from core.records import RawResponse

Token = TypeVar("Token")
# Guard against a server that keeps handing out cursors (or next links) with empty pages.
MAX_PAGES = 50


@dataclass(frozen=True)
class Paginator(Generic[Token]):
    """Pages until there is no next token, an error page, or ``max_pages``."""

    next_token: Callable[[RawResponse, Token | None], Token | None]
    max_pages: int = MAX_PAGES

    def pages(self, request: Callable[[Token | None], RawResponse]) -> Iterator[RawResponse]:
        token: Token | None = None
        for _ in range(self.max_pages):
            raw = request(token)
            yield raw
            if raw.status >= 400:
                return
            token = self.next_token(raw, token)
            if token is None:
                return


def cursor_paginator(cursor_of: Callable[[RawResponse], Token | None],
                     max_pages: int = MAX_PAGES) -> Paginator[Token]:
    """The next token is in the body: a cursor (Bluesky, Graph, TikTok) or a page token
    (YouTube), read by the platform's parser."""
    return Paginator(lambda raw, _token: cursor_of(raw) or None, max_pages)


def link_header_paginator(max_pages: int = MAX_PAGES) -> Paginator[str]:
    """The next token is the URL of the response's ``Link: <...>; rel="next"`` (Mastodon)."""
    return Paginator(lambda raw, _token: next_link(raw), max_pages)


def offset_paginator(page_size: Callable[[RawResponse], int],
                     max_pages: int = MAX_PAGES) -> Paginator[int]:
    """The next token is the offset: items seen so far (Mastodon search and directory)."""
    def advance(raw: RawResponse, offset: int | None) -> int | None:
        count = page_size(raw)
        return (offset or 0) + count if count else None

    return Paginator(advance, max_pages)


def next_link(raw: RawResponse) -> str | None:
    """The rel="next" URL of a response's Link header, if any."""
    value = next((v for k, v in raw.headers.items() if k.lower() == "link"), None)
    if not value:
        return None
    for link in parse_header_links(value):
        if link.get("rel") == "next" and link.get("url"):
            return link["url"]
    return None
