"""Reading a response body: a size cap that stops early, and charset decoding that never fails."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import requests

from scrapers.errors import ScraperError
from scrapers.redaction import redact

log = logging.getLogger(__name__)


class ResponseTooLarge(ScraperError):
    """A body is bigger than the caller's limit; it was not read to the end."""


def read_capped(resp: requests.Response, max_bytes: int | None) -> bytes:
    """The body, refusing (early) one longer than ``max_bytes``."""
    if max_bytes is None:
        return resp.content
    declared = resp.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise ResponseTooLarge(f"{redact(resp.url)}: {declared} bytes > limit {max_bytes}")
    chunks, size = [], 0
    for chunk in resp.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > max_bytes:
            raise ResponseTooLarge(f"{redact(resp.url)}: more than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def capped_or_none(resp: requests.Response, max_bytes: int) -> bytes | None:
    """The body, or None when it is over ``max_bytes`` (then it is not read further)."""
    try:
        return read_capped(resp, max_bytes)
    except ResponseTooLarge as exc:
        log.warning("not reading an oversized body: %s", exc)
        return None


def decode_bytes(content: bytes, headers: Mapping[str, str]) -> str:
    """``content`` as text: the declared charset, else UTF-8 (JSON's only encoding, RFC 8259).

    Bytes invalid in the charset become U+FFFD and an unknown charset falls back to UTF-8, so
    no body fails to decode; requests' charset sniffing is avoided (slow, wrong on short bodies).
    """
    declared = requests.utils.get_encoding_from_headers(headers)
    if declared and "charset" in headers.get("Content-Type", "").lower():
        try:
            return content.decode(declared, errors="replace")
        except LookupError:
            pass
    return content.decode("utf-8", errors="replace")
