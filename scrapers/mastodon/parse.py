"""Pure Mastodon parsers: a REST API body in, canonical records out, never an exception.

Accounts arrive whole in lookups, searches, the directory and inside every status, so every
kind yields Profiles; only ``statuses`` yields Posts. Notes and contents are HTML.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from core.records import Follower, ParseResult, Post, Profile, RawResponse
from core.text import html_to_text
from scrapers.mastodon.ids import creator_key
from scrapers.parsing import dispatch, error_for, json_payload, parse_saved_json
from scrapers.text import as_count, as_str, html_links, is_sponsored, parse_datetime
from scrapers.validate import layout_problem

_MESSAGE_KEYS = ("error_description", "error")  # where Mastodon puts its error text
PLATFORM = "mastodon"
# Instances without a custom avatar serve this placeholder: it means "no avatar".
_MISSING_AVATAR = "/missing.png"
# Counts of an Account: absent means unknown, but a count of another type is a changed layout.
ACCOUNT_COUNTS = {"followers_count": int, "following_count": int, "statuses_count": int}


def parse(raw: RawResponse) -> ParseResult:
    """Dispatch on ``raw.kind``; an unexpected failure is reported, never raised."""
    return dispatch(raw, _PARSERS, label="Mastodon", message_keys=_MESSAGE_KEYS)


def page_size(raw: RawResponse) -> int:
    """Items on a list page (statuses, directory, search accounts); 0 when unreadable."""
    data, failed = _payload(raw)
    if failed is not None:
        return 0
    if isinstance(data, dict):
        data = data.get("accounts")
    return len(data) if isinstance(data, list) else 0


def follower_accounts(raw: RawResponse) -> list[Follower]:
    """The followers on an ``/accounts/:id/followers`` page (full accounts, with counts and
    ``created_at``); an entry that cannot be a profile is left out of the sample."""
    data, failed = _payload(raw)
    if failed is not None or not isinstance(data, list):
        return []
    return [Follower(profile, parse_datetime(item.get("created_at")))
            for item in data if isinstance(profile := _profile(item, raw.url), Profile)]


def _payload(raw: RawResponse) -> tuple[Any, ParseResult | None]:
    return json_payload(raw, _MESSAGE_KEYS)


def _parse_account(raw: RawResponse, data: Any) -> ParseResult:
    return _accounts(raw, [data])


def _parse_account_list(raw: RawResponse, data: Any) -> ParseResult:
    """The directory is a bare list; v2 search wraps it as ``{"accounts": [...]}``."""
    if isinstance(data, dict) and isinstance(data.get("accounts"), list):
        return _accounts(raw, data["accounts"])
    if isinstance(data, list):
        return _accounts(raw, data)
    return ParseResult(errors=[error_for(raw, "answer holds no list of accounts")])


def _parse_tag_timeline(raw: RawResponse, data: Any) -> ParseResult:
    """Authors of the statuses under a hashtag (their posts come later, per account)."""
    if not isinstance(data, list):
        return ParseResult(errors=[error_for(raw, "tag timeline is not a list of statuses")])
    accounts = [s.get("account") for s in data if isinstance(s, dict)]
    return _accounts(raw, accounts)


def _accounts(raw: RawResponse, items: list[Any]) -> ParseResult:
    result = ParseResult()
    seen: set[str] = set()
    for item in items:
        profile = _profile(item, raw.url)
        if isinstance(profile, str):
            result.errors.append(error_for(raw, profile))
        elif profile.creator_id not in seen:
            seen.add(profile.creator_id)
            result.profiles.append(profile)
    return result


def _profile(item: Any, request_url: str) -> Profile | str:
    """A Profile, or the reason this item cannot be one."""
    if not isinstance(item, dict):
        return "account is not an object"
    raw_id = item.get("id")
    account_id = str(raw_id) if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else ""
    if not account_id:
        return "account missing 'id'"
    acct = as_str(item.get("acct")) or as_str(item.get("username"))
    if not acct:
        return f"account {account_id} missing 'acct'"
    problem = layout_problem(item, {}, f"account {account_id}", optional=ACCOUNT_COUNTS)
    if problem:
        return problem
    url = as_str(item.get("url"))
    note = as_str(item.get("note"))
    fields = item.get("fields")
    avatar = as_str(item.get("avatar"))
    return Profile(
        platform=PLATFORM,
        creator_id=creator_key(request_url, item, account_id),
        handle=_global_handle(acct, url, request_url),
        display_name=as_str(item.get("display_name")),
        bio=html_to_text(note) if note is not None else None,
        followers=as_count(item.get("followers_count")),
        following=as_count(item.get("following_count")),
        posts_count=as_count(item.get("statuses_count")),
        verified=_verified(fields),
        avatar_url=None if avatar and avatar.endswith(_MISSING_AVATAR) else avatar,
        external_url=_external_url(fields, note),
        profile_url=url,
        is_bot=item["bot"] if isinstance(item.get("bot"), bool) else None,
        account_created_at=parse_datetime(item.get("created_at")),
    )


def _global_handle(acct: str, url: str | None, request_url: str) -> str:
    """``user@host``: a local ``acct`` has no host, so take it from the profile URL (or the
    instance that answered), making handles unique across the fediverse."""
    acct = acct.lstrip("@")
    if "@" in acct:
        return acct
    host = urlsplit(url).hostname if url else None
    host = host or urlsplit(request_url).hostname
    return f"{acct}@{host}" if host else acct


def _verified(fields: Any) -> bool | None:
    """Mastodon's only check mark: a profile link verified by rel="me" (``verified_at``)."""
    if not isinstance(fields, list):
        return None
    return any(isinstance(f, dict) and f.get("verified_at") for f in fields)


def _external_url(fields: Any, note: str | None) -> str | None:
    """First link in a profile field, else the first plain link in the note."""
    for field in fields if isinstance(fields, list) else []:
        if isinstance(field, dict):
            for href, kind in html_links(as_str(field.get("value"))):
                if kind == "link":
                    return href
    for href, kind in html_links(note):
        if kind == "link":
            return href
    return None


def _parse_statuses(raw: RawResponse, data: Any) -> ParseResult:
    """Posts, plus the requested account's Profile from the first status that embeds it:
    every status carries its author's full account, so no separate profile request is needed.
    A saved array has no request: its owner is then the author of its first status."""
    result = ParseResult()
    owner = raw.request_key
    if not isinstance(data, list):
        result.errors.append(error_for(raw, "statuses answer is not a list"))
        return result
    for item in data:
        post = _post(item, raw.url)
        if isinstance(post, str):
            result.errors.append(error_for(raw, post))
            continue
        result.posts.append(post)
        owner = owner or post.creator_id
        if not result.profiles and post.creator_id == owner:
            profile = _profile(item.get("account"), raw.url)
            if isinstance(profile, Profile):
                result.profiles.append(profile)
    return result


def _post(item: Any, request_url: str) -> Post | str:
    """A Post, or the reason this status cannot be one.

    A reblog is credited to the booster (the wrapper's account), dated when boosted, with the
    original's text; its counts are None because neither the wrapper's (always 0) nor the
    original's describe the booster's own engagement.
    """
    if not isinstance(item, dict):
        return "status is not an object"
    status_id = item.get("id")
    if not isinstance(status_id, (str, int)) or status_id == "":
        return "status missing 'id'"
    account = item.get("account") if isinstance(item.get("account"), dict) else {}
    creator = account.get("id")
    if not isinstance(creator, (str, int)) or creator == "":
        return f"status {status_id} missing 'account.id'"
    creator = creator_key(request_url, account, str(creator))
    reblog = item.get("reblog")
    published = parse_datetime(item.get("created_at"))
    if isinstance(reblog, dict):
        text = _status_text(reblog)
        return Post(
            platform=PLATFORM,
            post_id=str(status_id),
            creator_id=creator,
            published_at=published or parse_datetime(reblog.get("created_at")),
            text=text,
            is_repost=True,
            is_sponsored=is_sponsored(text),
        )
    text = _status_text(item)
    reblogs, quotes = as_count(item.get("reblogs_count")), as_count(item.get("quotes_count"))
    shares = None if reblogs is None else reblogs + (quotes or 0)
    return Post(
        platform=PLATFORM,
        post_id=str(status_id),
        creator_id=creator,
        published_at=published,
        text=text,
        likes=as_count(item.get("favourites_count")),
        comments=as_count(item.get("replies_count")),
        shares=shares,
        views=None,
        is_repost=False,
        is_sponsored=is_sponsored(text),
    )


def _status_text(status: dict[str, Any]) -> str | None:
    """Content as text, the content warning (spoiler_text) first when there is one."""
    content = as_str(status.get("content"))
    if content is None:
        return None
    text = html_to_text(content)
    spoiler = as_str(status.get("spoiler_text"))
    return f"{spoiler.strip()}\n\n{text}".strip() if spoiler and spoiler.strip() else text


_PARSERS = {
    "account": _parse_account,
    "search": _parse_account_list,
    "directory": _parse_account_list,
    "tag_timeline": _parse_tag_timeline,
    "statuses": _parse_statuses,
}


def _saved_kind(data: Any) -> str | None:
    if isinstance(data, dict):
        if isinstance(data.get("accounts"), list):
            return "search"
        if "acct" in data and "id" in data:
            return "account"
    if isinstance(data, list) and data and all(isinstance(i, dict) for i in data):
        if any("content" in i and "created_at" in i for i in data):
            return "statuses"
        if any("acct" in i for i in data):
            return "directory"
    if data == []:
        return "statuses"
    return None


def parse_saved(body: str, source: str = "saved file") -> ParseResult:
    """A saved account, statuses array, directory or search body, recognised by its content."""
    return parse_saved_json(
        body, platform=PLATFORM, detect=_saved_kind, parse=parse, source=source,
        expected="Mastodon account, statuses array, directory or v2 search JSON response",
    )
