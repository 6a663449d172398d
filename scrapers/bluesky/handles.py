"""Bluesky handle rule: a domain-like atproto handle or a DID, checked before any request."""

from __future__ import annotations

import re

from scrapers.errors import InvalidInput
from scrapers.validate import DNS_LABEL, MAX_HANDLE, cleaned_handle

# atproto handle syntax: at least two labels, the last (TLD) starting with a letter.
_HANDLE = re.compile(rf"^(?:{DNS_LABEL}\.)+[a-z](?:[a-z0-9-]{{0,61}}[a-z0-9])?$")
_DID_PLC = re.compile(r"^did:plc:[a-z2-7]{24}$")
_DID_WEB = re.compile(r"^did:web:[a-z0-9.%-]+$")
# TLDs atproto refuses for handles ("handle.invalid" is what the API shows for a broken handle).
_BAD_TLDS = frozenset({"invalid", "local", "localhost", "arpa", "internal", "onion", "alt"})


def validate_handle(handle: str) -> str:
    """Lower-case handle or DID without @, or InvalidInput saying what is wrong."""
    value = cleaned_handle("bluesky", handle).lower()
    if value.startswith("did:"):
        if _DID_PLC.match(value) or _DID_WEB.match(value):
            return value
        raise InvalidInput(
            f"Bluesky DID {handle!r} is not a valid did:plc:<24 base32 chars> or did:web:<host>."
        )
    if len(value) > MAX_HANDLE or not _HANDLE.match(value):
        if value and "." not in value and re.fullmatch(r"[a-z0-9-]+", value):
            raise InvalidInput(
                f"Bluesky handle {handle!r} is not domain-like; "
                f"did you mean '{value}.bsky.social'?"
            )
        raise InvalidInput(
            f"Bluesky handle {handle!r} is invalid: use a domain-like handle such as "
            "'name.bsky.social' (letters, digits, hyphens and dots only) or a did:plc: DID."
        )
    if value.rsplit(".", 1)[-1] in _BAD_TLDS:
        raise InvalidInput(
            f"Bluesky handle {handle!r} uses a top-level domain that no handle may use."
        )
    return value
