"""Avatar images, fetched once and kept on disk.

The face-in-avatar signal needs the picture itself. Avatars rarely change and are the heaviest
thing we fetch, so each is cached under ``cache_dir`` as ``sha256(url)``: a URL already on disk is
never fetched again (platforms give a new URL when the picture changes). Fetching goes through
the shared ``HttpClient`` (pacing, retries, User-Agent), and a failure is just "no image": the
signal is optional, so it must never stop a run.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import ipaddress
import logging
import os
import socket
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import requests

from scrapers.errors import ScraperError
from scrapers.http import HttpClient
from scrapers.origins import Guard

log = logging.getLogger(__name__)

MAX_AVATAR_BYTES = 2 * 1024 * 1024  # real avatars are tens of KB; anything over 2 MB is not one


def cache_path(cache_dir: Path, url: str) -> Path:
    """Where the avatar at ``url`` is kept: the URL's sha256, so any URL is a safe file name."""
    return Path(cache_dir) / hashlib.sha256(url.encode("utf-8")).hexdigest()


def forget_avatars(cache_dir: Path, urls: Sequence[str]) -> list[Path]:
    """Delete the cached images of ``urls`` (``scout forget``); returns the files deleted.

    A URL not in the cache is skipped; deleting an entry of someone else costs only a refetch.
    """
    deleted = []
    for url in dict.fromkeys(urls):
        path = cache_path(cache_dir, url)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            deleted.append(path)
    return deleted


def fetch_avatars(
    http: HttpClient,
    urls: Sequence[str | None],
    cache_dir: Path,
    *,
    base_url: str | None,
    max_bytes: int = MAX_AVATAR_BYTES,
) -> list[bytes | None]:
    """Image bytes per URL, in order; None for a missing URL or any failure (never raises).

    Each distinct URL is fetched at most once per call, and never when it is already cached.
    Only public addresses are fetched (redirects included), unless ``base_url``, the
    platform the URLs came from, is itself private or loopback (the sandbox); None: public only.
    """
    cache_dir = Path(cache_dir)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # no cache then, but still the images
        log.warning("avatar cache %s unusable: %s", cache_dir, exc)
    on_private = base_url is not None and any(not _public(a) for a in _addresses(base_url))
    guard = _any_http if on_private else _public_http
    found: dict[str, bytes | None] = {}
    for url in urls:
        if url and url not in found:
            found[url] = _one(http, url, cache_dir, max_bytes, guard)
    return [found.get(url) if url else None for url in urls]


def _one(http: HttpClient, url: str, cache_dir: Path, max_bytes: int, guard: Guard) -> bytes | None:
    path = cache_path(cache_dir, url)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    except OSError as exc:
        log.warning("avatar cache unreadable, refetching %s: %s", path, exc)
    try:
        status, body = http.get_bytes(url, kind="avatar", request_key=url, max_bytes=max_bytes,
                                      guard=guard)
    except (ScraperError, requests.RequestException) as exc:  # refused, retries spent, too big
        log.info("avatar %s not fetched: %s", url, exc)
        return None
    if status != 200 or not body:
        log.info("avatar %s not fetched: HTTP %s", url, status)
        return None
    _store(path, body)
    return body


def _any_http(url: str) -> str | None:
    """The guard when the platform itself is on a private address: any http(s) URL."""
    try:
        scheme = urlsplit(url).scheme
    except ValueError:  # e.g. an unclosed IPv6 bracket
        scheme = ""
    return None if scheme in ("http", "https") else "not an http(s) URL"


def _public_http(url: str) -> str | None:
    """The guard for real platforms: http(s) to a host whose every address is public, so an
    avatar URL (or its redirect) cannot reach loopback, link-local (cloud metadata) or a LAN."""
    reason = _any_http(url)
    if reason is None:
        addresses = _addresses(url)
        if not addresses:
            reason = "its host does not resolve"
        elif not all(_public(a) for a in addresses):
            reason = "not a public address (loopback, link-local or private)"
    return reason


def _addresses(url: str) -> frozenset[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Every address the URL's host resolves to; empty when it does not resolve."""
    try:
        parts = urlsplit(url)
        return _resolve(parts.hostname or "", parts.port or 0)
    except (ValueError, OSError, UnicodeError):  # a bad URL, or no answer (not cached)
        return frozenset()


@functools.lru_cache(maxsize=256)
def _resolve(host: str, port: int) -> frozenset[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Cached per host: avatars of one platform share a handful of CDN hosts."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return frozenset(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos)


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return address.is_global and not address.is_multicast


def _store(path: Path, body: bytes) -> None:
    """Write atomically (temp file + rename), so a reader never sees half an image."""
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        tmp = Path(name)
        with os.fdopen(fd, "wb") as out:
            out.write(body)
        os.replace(tmp, path)
    except OSError as exc:  # a full or read-only disk costs the cache, not the image
        log.warning("avatar not cached at %s: %s", path, exc)
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
