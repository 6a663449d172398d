"""Where a request may go and what it may carry there: the origin rules.

``CredentialSafeSession`` keeps every credential with its origin across redirects; a ``Guard``
such as ``same_origin(base)`` refuses a URL or a redirect target before it is sent.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import requests

from scrapers.errors import HostUnreachable, RefusedUrl
from scrapers.redaction import CREDENTIAL_HEADERS, CREDENTIAL_PARAMS, redact
from scrapers.settings import known_secrets

# Decides whether a URL (the first one, or a redirect's target) may be fetched: None, or why not.
Guard = Callable[[str], "str | None"]


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the default port filled in: what "the same origin" compares."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:  # a malformed port matches no origin
        return scheme, url, -1
    return scheme, (parts.hostname or "").lower(), port or {"http": 80, "https": 443}.get(scheme)


def site(url: str) -> str:
    """``scheme://host[:port]`` of ``url``: what a person recognises as the server."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def check_reachable(base_url: str, timeout: float = 5.0, option: str = "--instance") -> None:
    """One TCP connection to ``base_url``'s host before a run starts, so a dead or mistyped
    host fails in seconds with one line (naming the ``option`` that set it) instead of after
    every retry of every batch."""
    scheme, host, port = origin(base_url)
    try:
        socket.create_connection((host, port or 0), timeout=timeout).close()
    except OSError as exc:
        reason = ("connection refused" if isinstance(exc, ConnectionRefusedError)
                  else "name not resolved" if isinstance(exc, socket.gaierror)
                  else "timed out" if isinstance(exc, TimeoutError)
                  else exc.strerror or type(exc).__name__)
        raise HostUnreachable(f"cannot reach {site(base_url)} ({reason}); check {option}") from None


def same_origin(base_url: str) -> Guard:
    """A guard keeping a request, its paging and its redirects on ``base_url``'s origin."""
    home = origin(base_url)

    def check(url: str) -> str | None:
        if origin(url) == home:
            return None
        return f"{redact(url)} is not on {redact(base_url)}'s origin; not followed"

    return check


def _strip_credentials(request: requests.PreparedRequest) -> None:
    """Drop every credential header and credential query parameter from ``request``."""
    secrets = known_secrets()
    for name in list(request.headers):
        value = str(request.headers[name])
        if name.lower() in CREDENTIAL_HEADERS or any(s in value for s in secrets):
            del request.headers[name]
    parts = urlsplit(request.url or "")
    kept = [p for p in parts.query.split("&") if p and not _credential_param(p, secrets)]
    request.url = parts._replace(query="&".join(kept)).geturl()


def _credential_param(pair: str, secrets: frozenset[str]) -> bool:
    name, _, value = pair.partition("=")
    value = unquote(value.replace("+", " "))
    return unquote(name).lower() in CREDENTIAL_PARAMS or any(s in value for s in secrets)


class CredentialSafeSession(requests.Session):
    """requests drops only ``Authorization`` when a redirect leaves the host (and keeps it on
    an http -> https upgrade); here every credential stays with its origin (scheme, host, port):
    an API key header or a token in the query string is never sent anywhere else."""

    def rebuild_auth(self, prepared_request: requests.PreparedRequest,
                     response: requests.Response) -> None:
        super().rebuild_auth(prepared_request, response)
        if origin(response.request.url or "") != origin(prepared_request.url or ""):
            _strip_credentials(prepared_request)


def guard_redirects(guard: Guard) -> Callable[..., requests.Response]:
    """A response hook refusing a redirect whose target ``guard`` rejects, before it is sent."""

    def hook(resp: requests.Response, **_: Any) -> requests.Response:
        if resp.is_redirect:
            reason = guard(urljoin(resp.url, resp.headers["Location"]))
            if reason is not None:
                resp.close()
                raise RefusedUrl(f"redirect from {redact(resp.url)}: {reason}")
        return resp

    return hook
