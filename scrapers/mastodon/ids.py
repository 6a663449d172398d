"""A Mastodon creator's id: ``<answering instance host>:<account id>``.

An account id is only the instance's own number (two instances both have a 110529384756), so the
host of the instance that answered qualifies it: creator ids, discover's refs and request keys all
take this one form. The host is the name alone, as in handles: the port an instance was reached
through does not change who an account is (the demo's sandbox gets a new port every run). A saved
body has no answering instance: the account's profile URL, then its handle, name the host instead
(wrong for a remote account seen through another instance, so only a fallback). Migration 010
gives stored rows the same form, by the same rules.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from core.identity import instance_account_id


def creator_key(request_url: str, account: dict[str, Any], account_id: str) -> str:
    """The creator id of ``account`` (a Mastodon account object) as ``request_url``'s instance knows it."""
    profile_url = account.get("url") if isinstance(account.get("url"), str) else ""
    acct = account.get("acct") if isinstance(account.get("acct"), str) else ""
    host = instance_host(request_url) or instance_host(profile_url) or (acct.rpartition("@")[2] if "@" in acct else "")
    return f"{host.lower()}:{account_id}" if host else account_id


def account_id(key: str) -> str:
    """The instance's own account id in a creator key (what its API paths take)."""
    return instance_account_id(key)


def instance_host(url: str) -> str:
    """The lower-case host name of an http(s) URL; "" for anything else (a saved file's path)."""
    parts = urlsplit(url or "")
    return (parts.hostname or "").lower() if parts.scheme in ("http", "https") else ""
