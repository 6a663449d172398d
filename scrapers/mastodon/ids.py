"""A Mastodon creator's id: ``<answering instance host>:<account id>``.

An account id is only the instance's own number (two instances both have a 110529384756), so the
host of the instance that answered qualifies it: creator ids, discover's refs and request keys all
take this one form. The host keeps a port other than the scheme's default (two instances on one
machine differ by port). A saved body has no answering instance: the account's profile URL, then
its handle, name the host instead (wrong for a remote account seen through another instance, so
only a fallback). Migration 008 gives stored rows the same form, by the same rules.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from core.identity import instance_account_id

_DEFAULT_PORTS = {"http": 80, "https": 443}


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
    """``host`` or ``host:port`` of an http(s) URL, lower-case; "" for anything else (a file path)."""
    try:
        parts = urlsplit(url or "")
        port = parts.port
    except ValueError:
        return ""
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return ""
    host = parts.hostname.lower()
    return f"{host}:{port}" if port and port != _DEFAULT_PORTS[parts.scheme] else host
