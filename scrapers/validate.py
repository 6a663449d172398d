"""Input checks at the edge: a bad handle or URL fails fast with one clear sentence.

Why here and not in the scrapers: the CLI, the flows and the scrapers all take user input, and a
handle that cannot exist should never cost a request. The same goes for answers: a response
whose layout changed is stopped here (``layout_problem``) before it becomes a record.
"""

from __future__ import annotations

import ipaddress
import json
import re
from urllib.parse import urlsplit, urlunsplit

from scrapers.errors import InvalidInput

# One DNS label: letters, digits, hyphens inside, at most 63 characters.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
# atproto handle syntax: at least two labels, the last (TLD) starting with a letter.
_BSKY_HANDLE = re.compile(rf"^(?:{_LABEL}\.)+[a-z](?:[a-z0-9-]{{0,61}}[a-z0-9])?$")
_DID_PLC = re.compile(r"^did:plc:[a-z2-7]{24}$")
_DID_WEB = re.compile(r"^did:web:[a-z0-9.%-]+$")
_HOSTNAME = re.compile(rf"^(?:{_LABEL}\.)+{_LABEL}$")
# Mastodon usernames: letters, digits, underscores; remote software may add dots and dashes inside.
_MASTODON_USER = re.compile(r"^[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?$", re.IGNORECASE)

# Instagram: 1-30 letters, digits, periods, underscores; no leading/trailing or double period.
# TikTok: 2-24 letters, digits, periods, underscores; no trailing period.
_USERNAME_RULES: dict[str, tuple[str, re.Pattern[str], str]] = {
    "instagram": (
        "Instagram",
        re.compile(r"^(?!\.)(?!.*\.\.)(?!.*\.$)[a-z0-9._]{1,30}$"),
        "1-30 letters, digits, periods and underscores, not starting or ending with a period",
    ),
    "tiktok": (
        "TikTok",
        re.compile(r"^(?!.*\.$)[a-z0-9._]{2,24}$"),
        "2-24 letters, digits, periods and underscores, not ending with a period",
    ),
}
_MAX_HANDLE = 253
# TLDs atproto refuses for handles ("handle.invalid" is what the API shows for a broken handle).
_BSKY_BAD_TLDS = frozenset({"invalid", "local", "localhost", "arpa", "internal", "onion", "alt"})


def validate_handle(platform: str, handle: str) -> str:
    """Normalised handle (no leading @, lower-case domain), or InvalidInput saying what is wrong."""
    if not isinstance(handle, str) or not handle.strip():
        raise InvalidInput(f"The {platform} handle is empty; give a handle such as @name.")
    cleaned = handle.strip().lstrip("@")
    if platform == "bluesky":
        return _bluesky_handle(handle, cleaned)
    if platform == "mastodon":
        return _mastodon_handle(handle, cleaned)
    if platform == "youtube":
        return _youtube_handle(handle, cleaned)
    if platform in _USERNAME_RULES:
        return _username(platform, handle, cleaned)
    raise InvalidInput(f"There are no handle rules for platform {platform!r}.")


def _bluesky_handle(original: str, cleaned: str) -> str:
    value = cleaned.lower()
    if value.startswith("did:"):
        if _DID_PLC.match(value) or _DID_WEB.match(value):
            return value
        raise InvalidInput(
            f"Bluesky DID {original!r} is not a valid did:plc:<24 base32 chars> or did:web:<host>."
        )
    if len(value) > _MAX_HANDLE or not _BSKY_HANDLE.match(value):
        if value and "." not in value and re.fullmatch(r"[a-z0-9-]+", value):
            raise InvalidInput(
                f"Bluesky handle {original!r} is not domain-like; "
                f"did you mean '{value}.bsky.social'?"
            )
        raise InvalidInput(
            f"Bluesky handle {original!r} is invalid: use a domain-like handle such as "
            "'name.bsky.social' (letters, digits, hyphens and dots only) or a did:plc: DID."
        )
    if value.rsplit(".", 1)[-1] in _BSKY_BAD_TLDS:
        raise InvalidInput(
            f"Bluesky handle {original!r} uses a top-level domain that no handle may use."
        )
    return value


def _mastodon_handle(original: str, cleaned: str) -> str:
    user, sep, domain = cleaned.partition("@")
    if not _MASTODON_USER.match(user) or len(user) > 64:
        raise InvalidInput(
            f"Mastodon handle {original!r} is invalid: the username may hold only letters, "
            "digits and underscores, as in 'user' or 'user@instance.social'."
        )
    if not sep:
        return user
    host = _ascii_host(domain)
    if host is None:
        raise InvalidInput(
            f"Mastodon handle {original!r} has an invalid instance domain {domain!r}; "
            "write it as 'user@instance.social'."
        )
    return f"{user}@{host}"


def _username(platform: str, original: str, cleaned: str) -> str:
    """Lower-case username (both platforms ignore case), or InvalidInput with the rule."""
    label, pattern, rule = _USERNAME_RULES[platform]
    value = cleaned.lower()
    if "/" in value or value.startswith("http"):
        raise InvalidInput(
            f"{label} handle {original!r} looks like a URL; pass the username alone, as in @name."
        )
    if not pattern.match(value):
        raise InvalidInput(f"{label} handle {original!r} is invalid: use {rule}.")
    return value


# YouTube handles: 3-30 letters (any script), digits, underscores, hyphens and periods.
_YOUTUBE_HANDLE = re.compile(r"^[\w.-]{3,30}$")
_YOUTUBE_CHANNEL_ID = re.compile(r"^UC[A-Za-z0-9_-]{22}$")


def _youtube_handle(original: str, cleaned: str) -> str:
    """The handle without @ (case kept: YouTube ignores it), or a UC… channel id unchanged."""
    if _YOUTUBE_CHANNEL_ID.match(cleaned):
        return cleaned
    if "/" in cleaned or cleaned.lower().startswith("http"):
        raise InvalidInput(
            f"YouTube handle {original!r} looks like a URL; pass the handle alone, as in @name."
        )
    if not _YOUTUBE_HANDLE.match(cleaned):
        raise InvalidInput(
            f"YouTube handle {original!r} is invalid: use 3-30 letters, digits, underscores, "
            "hyphens and periods, as in @name."
        )
    return cleaned


def _ascii_host(domain: str) -> str | None:
    """Lower-case ASCII host name (IDNs encoded to punycode), or None when it cannot be one."""
    try:
        host = domain.strip().lower().encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return None
    if len(host) > _MAX_HANDLE or not _HOSTNAME.match(host):
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
