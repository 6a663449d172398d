"""Mastodon handle rule: ``user`` or ``user@instance``, checked before any request."""

from __future__ import annotations

import re

from scrapers.errors import InvalidInput
from scrapers.validate import ascii_host, cleaned_handle

# Usernames: letters, digits, underscores; remote software may add dots and dashes inside.
_USER = re.compile(r"^[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?$", re.IGNORECASE)


def validate_handle(handle: str) -> str:
    """``user`` or ``user@host`` (host lower-case ASCII), or InvalidInput saying what is wrong."""
    user, sep, domain = cleaned_handle("mastodon", handle).partition("@")
    if not _USER.match(user) or len(user) > 64:
        raise InvalidInput(
            f"Mastodon handle {handle!r} is invalid: the username may hold only letters, "
            "digits and underscores, as in 'user' or 'user@instance.social'."
        )
    if not sep:
        return user
    host = ascii_host(domain)
    if host is None:
        raise InvalidInput(
            f"Mastodon handle {handle!r} has an invalid instance domain {domain!r}; "
            "write it as 'user@instance.social'."
        )
    return f"{user}@{host}"
