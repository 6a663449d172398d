"""Creator identity: the one way a handle or ref is compared, everywhere one is compared.

A creator is ``(platform, creator_id)``; a handle is how people name them. Matching by handle
(tombstones, forget, quarantine, a batch's refs) always goes through :func:`handle_key` (one
value) or :func:`handle_keys` (a pandas column), so ``@Maya``, `` maya`` and ``maya`` are one
creator wherever they are compared.
"""

from __future__ import annotations

import pandas as pd


def handle_key(handle: str) -> str:
    """Trimmed, without leading @, lower-case: the form handles are matched in."""
    return handle.strip().lstrip("@").strip().lower()


def handle_keys(values: pd.Series) -> pd.Series:
    """:func:`handle_key` for a whole column, vectorised."""
    return values.astype("string").str.strip().str.lstrip("@").str.strip().str.lower()


def split_ref(ref: str) -> tuple[str | None, str]:
    """A handle as a user writes it (a brief's ``exclude`` and ``like``): ``platform:handle`` ->
    (platform, key); ``@handle`` or ``handle`` -> (None, key). A colon after a letters-only
    prefix names a platform, except ``did:`` (a Bluesky DID is a handle here)."""
    head, sep, tail = ref.strip().partition(":")
    if sep and head.isalpha() and head.lower() != "did":
        return head.lower(), handle_key(tail)
    return None, handle_key(ref)



#: Platforms whose creator ids are ``<instance host>:<account id>`` (scrapers/mastodon/ids.py):
#: their own bodies and API paths spell the bare account id.
INSTANCE_QUALIFIED = frozenset({"mastodon"})


def instance_account_id(creator_id: str) -> str:
    """The instance's own account id in ``host:id`` (``host:port:id``); a bare id unchanged."""
    return creator_id.rpartition(":")[2]


def body_ids(platform: str, ids: list[str]) -> list[str]:
    """``ids`` plus, on an instance-qualified platform, the bare account ids stored bodies hold."""
    if platform not in INSTANCE_QUALIFIED:
        return list(ids)
    return list(dict.fromkeys([*ids, *(instance_account_id(i) for i in ids)]))
