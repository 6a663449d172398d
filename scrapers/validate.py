"""Input checks at the edge: a bad handle or URL fails fast with one clear sentence.

Why here: the CLI, the flows and the scrapers all take user input, and a handle that cannot
exist should never cost a request. Each platform's own handle rule lives in its package
(``scrapers/<platform>/handles.py``) and builds on the helpers here. The same goes for answers: a response
whose layout changed is stopped here (``layout_problem``) before it becomes a record.
"""

from __future__ import annotations

import ipaddress
import json
import re
from urllib.parse import urlsplit, urlunsplit

from scrapers.errors import InvalidInput

# One DNS label: letters, digits, hyphens inside, at most 63 characters.
DNS_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOSTNAME = re.compile(rf"^(?:{DNS_LABEL}\.)+{DNS_LABEL}$")
MAX_HANDLE = 253


def cleaned_handle(platform: str, handle: str) -> str:
    """The handle trimmed and without its leading @; InvalidInput when there is nothing.

    Every platform's handle rule (``scrapers/<platform>/handles.py``) starts here."""
    if not isinstance(handle, str) or not handle.strip():
        raise InvalidInput(f"The {platform} handle is empty; give a handle such as @name.")
    return handle.strip().lstrip("@")


def check_username(label: str, pattern: re.Pattern[str], rule: str, original: str) -> str:
    """Lower-case username (Instagram and TikTok ignore case), or InvalidInput with ``rule``."""
    value = cleaned_handle(label.lower(), original).lower()
    if "/" in value or value.startswith("http"):
        raise InvalidInput(
            f"{label} handle {original!r} looks like a URL; pass the username alone, as in @name."
        )
    if not pattern.match(value):
        raise InvalidInput(f"{label} handle {original!r} is invalid: use {rule}.")
    return value


def ascii_host(domain: str) -> str | None:
    """Lower-case ASCII host name (IDNs encoded to punycode), or None when it cannot be one."""
    try:
        host = domain.strip().lower().encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return None
    if len(host) > MAX_HANDLE or not _HOSTNAME.match(host):
        return None
    return host


def validate_base_url(url: str) -> str:
    """http(s) URL with a host and no spaces, without a trailing slash, or InvalidInput."""
    if not isinstance(url, str) or not url.strip():
        raise InvalidInput("The base URL is empty; give one such as https://mastodon.social.")
    value = url.strip()
    if any(ch.isspace() for ch in value):
        raise InvalidInput(f"The base URL {url!r} contains spaces, which no URL may hold.")
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError on a non-numeric port
    except ValueError:
        raise InvalidInput(f"The base URL {url!r} cannot be parsed as a URL.") from None
    if parts.username is not None or parts.password is not None:
        raise InvalidInput(f"The base URL {url!r} must not carry a user name or password.")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InvalidInput(
            f"The base URL {url!r} must start with http:// or https://, "
            "as in https://mastodon.social."
        )
    host = parts.hostname or ""
    if not host or (not _HOSTNAME.match(host) and host != "localhost" and not _is_ip(host)):
        raise InvalidInput(f"The base URL {url!r} has no valid host name.")
    netloc = host if port is None else f"{host}:{port}"
    if ":" in host:  # IPv6 literal
        netloc = f"[{host}]" if port is None else f"[{host}]:{port}"
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), parts.query, "")).rstrip("/")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------- response layout

FieldSpec = dict[str, type | tuple[type, ...]]


def layout_problem(item: object, spec: FieldSpec, what: str,
                   optional: FieldSpec | None = None) -> str | None:
    """Why ``item`` does not have the layout a parser relies on, or None when it does.

    ``spec`` maps dotted paths to the type(s) each must hold; ``optional`` paths may be
    absent (unknown) but, when present, must hold their type. A platform that changes its
    layout (a renamed key, a missing field, a count sent as an object) must give a
    ScrapeError, never a half-filled record; bools never pass for numbers.
    """
    if not isinstance(item, dict):
        return f"{what} is not an object"
    for path, types in {**(optional or {}), **spec}.items():
        value: object = item
        for key in path.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            if path in spec:
                return f"{what} missing {path!r}"
            continue
        wrong_bool = isinstance(value, bool) and bool not in _as_tuple(types)
        if not isinstance(value, types) or wrong_bool:
            return f"{what} field {path!r} is {type(value).__name__}, not {_names(types)}"
    return None


def attribute(item: object, requested: list[str]) -> str | None:
    """Which requested ref a broken entry of a batched answer belongs to: the only one asked
    for, else the first whose text appears in the entry (a DID, an id, a handle)."""
    if len(requested) == 1:
        return requested[0]
    text = json.dumps(item, default=str) if not isinstance(item, str) else item
    return next((ref for ref in requested if ref and ref in text), None)


def _as_tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


def _names(types: type | tuple[type, ...]) -> str:
    return " or ".join(t.__name__ for t in _as_tuple(types))
