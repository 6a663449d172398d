"""Pure Bluesky parsers: an XRPC response body in, canonical records out, never an exception.

Shapes follow the public AppView (app.bsky.actor.getProfiles, app.bsky.feed.getAuthorFeed,
app.bsky.actor.searchActors). A bad item becomes a ScrapeError; the good items beside it survive.
"""

from __future__ import annotations

from typing import Any

from core.records import Follower, ParseResult, Post, Profile, RawResponse
from scrapers.parsing import dispatch, error_for, json_payload, parse_saved_json
from scrapers.text import as_count, as_str, dig, first_url, is_sponsored, parse_datetime
from scrapers.validate import attribute, layout_problem

_MESSAGE_KEYS = ("message", "error")  # where Bluesky puts its error text
PLATFORM = "bluesky"
REPOST_REASON = "app.bsky.feed.defs#reasonRepost"
PROFILE_WEB = "https://bsky.app/profile/"
# What a profileViewDetailed always holds; without it the record would be half-filled.
PROFILE_LAYOUT = {"did": str, "handle": str, "followersCount": int, "followsCount": int,
                  "postsCount": int}


def parse(raw: RawResponse) -> ParseResult:
    """Dispatch on ``raw.kind``; an unexpected failure is reported, never raised."""
    return dispatch(raw, _PARSERS, label="Bluesky", message_keys=_MESSAGE_KEYS)


def search_actors(raw: RawResponse) -> tuple[list[tuple[str, str]], str | None]:
    """(did, handle) pairs and the next cursor of a searchActors page; the client pages with
    this, and the handles let it skip accounts already asked for by handle."""
    data, failed = _payload(raw)
    if failed is not None or not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        return [], None
    pairs = [
        (a["did"], as_str(a.get("handle")) or "")
        for a in data["actors"]
        if isinstance(a, dict) and isinstance(a.get("did"), str)
    ]
    return pairs, _cursor(data)


def feed_page_size(raw: RawResponse) -> tuple[int, str | None]:
    """How many feed items a getAuthorFeed page held, and its cursor (for paging)."""
    data, failed = _payload(raw)
    if failed is not None or not isinstance(data, dict) or not isinstance(data.get("feed"), list):
        return 0, None
    return len(data["feed"]), _cursor(data)


def followers_page(raw: RawResponse) -> tuple[list[str], str | None]:
    """The follower DIDs of a getFollowers page (profile views without counts) and its cursor."""
    data, failed = _payload(raw)
    if failed is not None or not isinstance(data, dict) or not isinstance(data.get("followers"), list):
        return [], None
    dids = [f["did"] for f in data["followers"] if isinstance(f, dict) and isinstance(f.get("did"), str)]
    return dids, _cursor(data)


def follower_profiles(raw: RawResponse) -> list[Follower]:
    """The followers a getProfiles answer describes, with counts and creation dates; an entry
    that cannot be a profile is left out of the sample (it is a follower, not a creator)."""
    data, failed = _payload(raw)
    if failed is not None or not isinstance(data, dict) or not isinstance(data.get("profiles"), list):
        return []
    return [Follower(profile, parse_datetime(item.get("createdAt")))
            for item in data["profiles"] if isinstance(profile := _profile(item), Profile)]


def _payload(raw: RawResponse) -> tuple[Any, ParseResult | None]:
    return json_payload(raw, _MESSAGE_KEYS)


def _parse_search(raw: RawResponse, data: Any) -> ParseResult:
    """searchActors has no counts: its profiles come later from getProfiles, so none here."""
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        return ParseResult(errors=[error_for(raw, "searchActors answer has no 'actors' list")])
    return ParseResult(next_cursor=_cursor(data))


def _parse_profiles(raw: RawResponse, data: Any) -> ParseResult:
    result = ParseResult()
    if not isinstance(data, dict) or not isinstance(data.get("profiles"), list):
        result.errors.append(error_for(raw, "getProfiles answer has no 'profiles' list"))
        return result
    seen: set[str] = set()
    requested = _requested(raw)
    for item in data["profiles"]:
        profile = _profile(item)
        if isinstance(profile, str):  # only this entry is quarantined; the others still parse
            owner = attribute(item, requested)
            result.errors.append(error_for(raw, profile, handle=owner))
            seen.add((owner or "").lower())
            continue
        result.profiles.append(profile)
        seen.update({profile.creator_id.lower(), profile.handle.lower()})
    for actor in requested:
        if actor.lower() not in seen:
            result.errors.append(error_for(raw, "profile not found", handle=actor))
    return result


def _profile(item: Any) -> Profile | str:
    """A Profile, or the reason this item cannot be one."""
    problem = layout_problem(item, PROFILE_LAYOUT, "profile")
    if problem:
        return problem
    did, handle = item["did"], item["handle"]
    bio = as_str(item.get("description"))
    # A handle that failed verification shows as "handle.invalid"; the DID URL still works.
    page = did if handle == "handle.invalid" else handle
    return Profile(
        platform=PLATFORM,
        creator_id=did,
        handle=handle,
        display_name=as_str(item.get("displayName")),
        bio=bio,
        followers=as_count(item.get("followersCount")),
        following=as_count(item.get("followsCount")),
        posts_count=as_count(item.get("postsCount")),
        verified=_verified(item.get("verification")),
        avatar_url=as_str(item.get("avatar")),
        external_url=first_url(bio),
        profile_url=PROFILE_WEB + page,
        is_bot=_is_bot(item.get("labels")),
        account_created_at=parse_datetime(item.get("createdAt")),
    )


def _verified(verification: Any) -> bool | None:
    """Blue check: verified by a trusted verifier, or a trusted verifier itself."""
    if not isinstance(verification, dict):
        return None
    statuses = (verification.get("verifiedStatus"), verification.get("trustedVerifierStatus"))
    return "valid" in statuses


def _is_bot(labels: Any) -> bool | None:
    """True on a "bot" label; otherwise unknown, since Bluesky has no bot flag."""
    if isinstance(labels, list) and any(
        isinstance(label, dict) and label.get("val") == "bot" for label in labels
    ):
        return True
    return None


def _parse_feed(raw: RawResponse, data: Any) -> ParseResult:
    result = ParseResult()
    if not isinstance(data, dict) or not isinstance(data.get("feed"), list):
        result.errors.append(error_for(raw, "getAuthorFeed answer has no 'feed' list"))
        return result
    result.next_cursor = _cursor(data)
    for item in data["feed"]:
        post = _post(item, raw.request_key)
        if isinstance(post, str):
            result.errors.append(error_for(raw, post))
        else:
            result.posts.append(post)
    return result


def _post(item: Any, actor: str) -> Post | str:
    """A Post from one feed item, or the reason it cannot be one.

    A repost is credited to the reposter (``reason.by``), dated when reposted, and gets a
    post_id unique per reposter; its counts are the original author's engagement, so None.
    """
    if not isinstance(item, dict) or not isinstance(item.get("post"), dict):
        return "feed item has no 'post' object"
    post = item["post"]
    uri = as_str(post.get("uri"))
    if not uri:
        return "feed item missing 'post.uri'"
    record = post.get("record") if isinstance(post.get("record"), dict) else {}
    author = post.get("author") if isinstance(post.get("author"), dict) else {}
    text = as_str(record.get("text"))
    created = parse_datetime(record.get("createdAt")) or parse_datetime(post.get("indexedAt"))
    reason = item.get("reason") if isinstance(item.get("reason"), dict) else {}
    if reason.get("$type") == REPOST_REASON:
        by = reason.get("by") if isinstance(reason.get("by"), dict) else {}
        reposter = as_str(by.get("did")) or (actor if actor.startswith("did:") else None)
        if not reposter:
            return f"repost of {uri} missing 'reason.by.did'"
        return Post(
            platform=PLATFORM,
            post_id=f"{uri}#repost-by-{reposter}",
            creator_id=reposter,
            published_at=parse_datetime(reason.get("indexedAt")) or created,
            text=text,
            is_repost=True,
            is_sponsored=is_sponsored(text),
        )
    creator = as_str(author.get("did")) or (actor if actor.startswith("did:") else None)
    if not creator:
        return f"post {uri} missing 'author.did'"
    reposts, quotes = as_count(post.get("repostCount")), as_count(post.get("quoteCount"))
    shares = None if reposts is None and quotes is None else (reposts or 0) + (quotes or 0)
    return Post(
        platform=PLATFORM,
        post_id=uri,
        creator_id=creator,
        published_at=created,
        text=text,
        likes=as_count(post.get("likeCount")),
        comments=as_count(post.get("replyCount")),
        shares=shares,
        views=None,
        is_repost=False,
        is_sponsored=is_sponsored(text),
    )


def _requested(raw: RawResponse) -> list[str]:
    return [a.strip() for a in (raw.request_key or "").split(",") if a.strip()]


def _cursor(data: dict[str, Any]) -> str | None:
    cursor = data.get("cursor")
    return cursor if isinstance(cursor, str) and cursor else None


_PARSERS = {
    "search": _parse_search,
    "profiles": _parse_profiles,
    "author_feed": _parse_feed,
}


def _parse_thread(raw: RawResponse, data: Any) -> ParseResult:
    """A getPostThread answer: the root post's author as far as a profileViewBasic shows them
    (no counts), and that author's posts anywhere in the thread (parents and replies)."""
    root = data.get("thread") if isinstance(data, dict) else None
    author = dig(root, "post", "author")
    if not isinstance(author, dict) or not isinstance(author.get("did"), str):
        return ParseResult(errors=[error_for(raw, "getPostThread answer has no 'thread.post.author.did'")])
    result = ParseResult(profiles=[_basic_profile(author)])
    for view in _thread_views(root):
        if dig(view, "post", "author", "did") != author["did"]:
            continue
        post = _post(view, author["did"])
        if isinstance(post, str):
            result.errors.append(error_for(raw, post))
        else:
            result.posts.append(post)
    return result


def _basic_profile(author: dict[str, Any]) -> Profile:
    """A Profile from a post's author (profileViewBasic): who, but no counts or bio."""
    handle = as_str(author.get("handle")) or author["did"]
    page = author["did"] if handle == "handle.invalid" else handle
    return Profile(
        platform=PLATFORM,
        creator_id=author["did"],
        handle=handle,
        display_name=as_str(author.get("displayName")),
        avatar_url=as_str(author.get("avatar")),
        verified=_verified(author.get("verification")),
        profile_url=PROFILE_WEB + page,
        is_bot=_is_bot(author.get("labels")),
        account_created_at=parse_datetime(author.get("createdAt")),
    )


def _thread_views(root: dict[str, Any]) -> list[dict[str, Any]]:
    """Every threadViewPost in a thread: the root, its parents, its replies (at any depth);
    notFoundPost and blockedPost entries carry no post and are skipped."""
    views: list[dict[str, Any]] = []
    parent = root.get("parent")
    while isinstance(parent, dict):  # nearest parent first; the thread reads top down
        if isinstance(parent.get("post"), dict):
            views.insert(0, parent)
        parent = parent.get("parent")
    pending = [root]
    while pending:
        view = pending.pop(0)
        if isinstance(view, dict) and isinstance(view.get("post"), dict):
            views.append(view)
            replies = view.get("replies")
            pending.extend(replies if isinstance(replies, list) else [])
    return views



def _saved_kind(data: Any) -> str | None:
    if isinstance(data, dict):
        if isinstance(data.get("profiles"), list):
            return "profiles"
        if isinstance(data.get("feed"), list):
            return "author_feed"
        if isinstance(data.get("thread"), dict):
            return "thread"
        if isinstance(data.get("did"), str) and "handle" in data:
            return "profile"
    return None


def _parse_one_profile(raw: RawResponse, data: Any) -> ParseResult:
    """A getProfile answer: one profileViewDetailed, not wrapped in a list."""
    return _parse_profiles(raw, {"profiles": [data]})


_PARSERS["profile"] = _parse_one_profile
_PARSERS["thread"] = _parse_thread


def parse_saved(body: str, source: str = "saved file") -> ParseResult:
    """A saved getProfile, getProfiles, getAuthorFeed or getPostThread body, recognised by its
    content."""
    return parse_saved_json(
        body, platform=PLATFORM, detect=_saved_kind, parse=parse, source=source,
        expected="Bluesky getProfile, getProfiles, getAuthorFeed or getPostThread JSON response",
    )
