"""YouTube handle rule: an @handle or a UC… channel id, checked before any request."""

from __future__ import annotations

import re

from scrapers.errors import InvalidInput
from scrapers.validate import cleaned_handle

# Handles: 3-30 letters (any script), digits, underscores, hyphens and periods.
_HANDLE = re.compile(r"^[\w.-]{3,30}$")
_CHANNEL_ID = re.compile(r"^UC[A-Za-z0-9_-]{22}$")


def validate_handle(handle: str) -> str:
    """The handle without @ (case kept: YouTube ignores it), or a UC… channel id unchanged."""
    cleaned = cleaned_handle("youtube", handle)
    if _CHANNEL_ID.match(cleaned):
        return cleaned
    if "/" in cleaned or cleaned.lower().startswith("http"):
        raise InvalidInput(
            f"YouTube handle {handle!r} looks like a URL; pass the handle alone, as in @name."
        )
    if not _HANDLE.match(cleaned):
        raise InvalidInput(
            f"YouTube handle {handle!r} is invalid: use 3-30 letters, digits, underscores, "
            "hyphens and periods, as in @name."
        )
    return cleaned
