"""The sandbox's Bluesky: the public AppView's XRPC read methods at ``/xrpc/<NSID>``.

``searchActors``, ``getProfiles``/``getProfile`` (creators and their followers),
``getAuthorFeed`` (cursor paging and the feed filters), ``getPostThread`` (a post and its
replies), ``graph.getFollowers`` (cursor paging, profile views without counts) and
``resolveHandle``, in the real shapes with facets, verification and reposts,
and the real error bodies (``{"error", "message"}``). ``searchPosts`` needs auth (403), any
other method is 501. The server's dispatch adds rate limits, faults and stats.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from .. import faults as faultlib
from ..model import SandboxCreator, SandboxPost
from ..replies import Reply, replies_to
from ..seeded import iso_ms
from ..universe import Universe
from .common import Answer, ApiError, cid_for, first, stable_frac, tokens

PREFIX = "/xrpc/"
FEED_FILTERS = ("posts_with_replies", "posts_no_replies", "posts_with_media",
                "posts_and_author_threads", "posts_with_video")


def handles(path: str) -> bool:
    """Whether a request path is Bluesky's (``/xrpc/...``)."""
    return path.startswith(PREFIX)


def xrpc_error(message: str, status: int = 400, error: str = "InvalidRequest") -> ApiError:
    return ApiError(status, {"error": error, "message": message})



# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------

class Render:
    """Universe records as Bluesky JSON, for one base URL."""

    def __init__(self, universe: Universe, base: str):
        self.u = universe
        self.base = base

    def indexed_at(self, c: SandboxCreator) -> str:
        span = (self.u.now - c.created_at).total_seconds()
        return iso_ms(c.created_at + timedelta(seconds=span * stable_frac(c.creator_id)))

    def basic(self, c: SandboxCreator) -> dict:
        out: dict = {"did": c.creator_id, "handle": c.handle, "displayName": c.display_name}
        if c.avatar:
            out["avatar"] = self.base + c.avatar
        out["associated"] = {"activitySubscription": {"allowSubscriptions": "followers"}}
        out["viewer"] = {"muted": False, "blockedBy": False}
        out["labels"] = []
        out["createdAt"] = iso_ms(c.created_at)
        if c.verified:
            out["verification"] = self.verification(c)
        return out

    def verification(self, c: SandboxCreator) -> dict:
        when = iso_ms(c.created_at + timedelta(days=30))
        return {
            "verifications": [{
                "issuer": "did:plc:z72i7hdynmk6r22z27h6tvur",
                "uri": f"at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.graph.verification/"
                       f"{c.creator_id[-13:]}",
                "isValid": True,
                "createdAt": when,
            }],
            "verifiedStatus": "valid",
            "trustedVerifierStatus": "none",
        }

    def profile_view(self, c: SandboxCreator) -> dict:
        out = self.basic(c)
        verification = out.pop("verification", None)
        out.pop("createdAt")
        out["description"] = c.bio
        out["indexedAt"] = self.indexed_at(c)
        out["createdAt"] = iso_ms(c.created_at)
        if verification:
            out["verification"] = verification
        return out

    def profile_detailed(self, c: SandboxCreator) -> dict:
        out: dict = {"did": c.creator_id, "handle": c.handle, "displayName": c.display_name,
                     "description": c.bio}
        if c.avatar:
            out["avatar"] = self.base + c.avatar
        if c.banner:
            out["banner"] = self.base + c.banner
        out.update({
            "followersCount": self.u.followers_now(c),
            "followsCount": c.following,
            "postsCount": c.posts_count,
            "associated": {"lists": 0, "feedgens": 0, "starterPacks": 0, "labeler": False,
                           "activitySubscription": {"allowSubscriptions": "followers"}},
            "indexedAt": self.indexed_at(c),
            "createdAt": iso_ms(c.created_at),
            "viewer": {"muted": False, "blockedBy": False},
            "labels": [],
        })
        if c.verified:
            out["verification"] = self.verification(c)
        return out

    def facets(self, text: str) -> list[dict]:
        facets = []
        for start, end, kind, value, c in tokens(self.u, text, "bluesky"):
            index = {"byteStart": len(text[:start].encode()), "byteEnd": len(text[:end].encode())}
            if kind == "link":
                feature = {"$type": "app.bsky.richtext.facet#link", "uri": value}
            elif kind == "mention":
                feature = {"$type": "app.bsky.richtext.facet#mention", "did": c.creator_id}
            else:
                feature = {"$type": "app.bsky.richtext.facet#tag", "tag": value}
            facets.append({"$type": "app.bsky.richtext.facet", "index": index,
                           "features": [feature]})
        return facets

    def post_view(self, p: SandboxPost) -> dict:
        author = self.u.creators[p.creator_index]
        record: dict = {"$type": "app.bsky.feed.post", "createdAt": iso_ms(p.created_at),
                        "langs": [p.language], "text": p.text}
        facets = self.facets(p.text)
        if facets:
            record["facets"] = facets
        indexed = p.created_at + timedelta(milliseconds=80 + int(stable_frac(p.id) * 900))
        return {
            "uri": f"at://{author.creator_id}/app.bsky.feed.post/{p.id}",
            "cid": p.cid,
            "author": self.basic(author),
            "record": record,
            "bookmarkCount": p.bookmarks,
            "replyCount": p.replies,
            "repostCount": p.reposts,
            "likeCount": p.likes,
            "quoteCount": p.quotes,
            "indexedAt": iso_ms(indexed),
            "viewer": {"bookmarked": False, "threadMuted": False, "embeddingDisabled": False},
            "labels": [],
        }

    def reply_view(self, x: Reply, parent: dict) -> dict:
        """A reply's post view; ``parent`` is the post view it answers (also the root)."""
        uri = f"at://{x.author.creator_id}/app.bsky.feed.post/{x.rkey}"
        ref = {"uri": parent["uri"], "cid": parent["cid"]}
        return {
            "uri": uri, "cid": cid_for(uri), "author": self.basic(x.author),
            "record": {"$type": "app.bsky.feed.post", "createdAt": iso_ms(x.created_at),
                       "langs": ["en"], "reply": {"parent": ref, "root": ref}, "text": x.text},
            "bookmarkCount": 0, "replyCount": 0, "repostCount": 0, "likeCount": x.likes,
            "quoteCount": 0, "indexedAt": iso_ms(x.created_at),
            "viewer": {"bookmarked": False, "threadMuted": False, "embeddingDisabled": False},
            "labels": [],
        }

    def feed_item(self, p: SandboxPost) -> dict:
        if not p.is_repost or p.original is None:
            return {"post": self.post_view(p)}
        by = self.u.creators[p.creator_index]
        return {
            "post": self.post_view(p.original),
            "reason": {
                "$type": "app.bsky.feed.defs#reasonRepost",
                "by": self.basic(by),
                "uri": f"at://{by.creator_id}/app.bsky.feed.repost/{p.id}",
                "cid": cid_for(f"{by.creator_id}/repost/{p.id}"),
                "indexedAt": iso_ms(p.created_at),
            },
        }


# --------------------------------------------------------------------------------------------
# Routes
# --------------------------------------------------------------------------------------------

def _limit(params: dict, default: int, maximum: int, name: str = "limit", least: int = 1) -> int:
    raw = first(params, name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise xrpc_error(f"{name} must be an integer") from None
    if value < least:
        raise xrpc_error(f"{name} can not be less than {least}")
    if value > maximum:
        raise xrpc_error(f"{name} can not be greater than {maximum}")
    return value


def _cursor(params: dict) -> int:
    raw = first(params, "cursor")
    if not raw:
        return 0
    if not raw.isdigit():
        raise xrpc_error("Malformed cursor")
    return int(raw)


def _actor(universe: Universe, ref: str | None, name: str = "actor") -> SandboxCreator:
    if ref is None or ref == "":
        raise xrpc_error(f'Params must have the property "{name}"')
    ref = ref.strip()
    if not (ref.startswith("did:") or re.fullmatch(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", ref)):
        raise xrpc_error(f"{name} must be a valid did or a handle")
    c = universe.lookup("bluesky", ref)
    if c is None:
        raise xrpc_error("Profile not found")
    return c


def _profile_subject(universe: Universe, ref: str | None, name: str) -> SandboxCreator:
    """A creator, or one of the follower accounts the follower lists show (by DID)."""
    try:
        return _actor(universe, ref, name)
    except ApiError as e:
        follower = universe.follower("bluesky", ref or "")
        if follower is None or e.body.get("message") != "Profile not found":
            raise
        return follower


def _followers(universe: Universe, r: Render, params: dict) -> dict:
    """``app.bsky.graph.getFollowers``: profile views (no counts), newest follower first."""
    c = _actor(universe, first(params, "actor"))
    limit = _limit(params, 50, 100)
    before = _cursor(params) if first(params, "cursor") else None
    page = universe.followers_of(c, before, limit)
    out: dict = {"subject": r.profile_view(c), "followers": [r.profile_view(f) for _, f in page]}
    if page and page[-1][0] > 0:
        out["cursor"] = str(page[-1][0])
    return out


def _thread(universe: Universe, r: Render, params: dict) -> dict:
    """``app.bsky.feed.getPostThread``: a creator's own post and its replies (one level)."""
    uri = first(params, "uri")
    if not uri:
        raise xrpc_error('Params must have the property "uri"')
    m = re.fullmatch(r"at://([^/]+)/app\.bsky\.feed\.post/([a-z2-7]+)", uri.strip())
    if m is None:
        raise xrpc_error("uri must be a valid at-uri")
    depth = _limit(params, 6, 1000, "depth", least=0)
    _limit(params, 80, 1000, "parentHeight", least=0)
    c = universe.lookup("bluesky", m.group(1))
    post = next((p for p in universe.own_posts(c) if p.id == m.group(2)), None) if c else None
    if post is None:
        raise xrpc_error(f"Post not found: {uri}", 400, "NotFound")
    view = r.post_view(post)
    replies = (replies_to(universe.seed, c, post, universe.days_elapsed, universe.today)
               if depth else [])
    kind = "app.bsky.feed.defs#threadViewPost"
    return {"thread": {"$type": kind, "post": view, "replies": [
        {"$type": kind, "post": r.reply_view(x, view), "replies": []} for x in replies]}}


def answer(universe: Universe, base: str, path: str, params: dict[str, list[str]]) -> Answer:
    """(status, JSON, extra headers) for one XRPC request; errors raise ``ApiError``."""
    nsid = path[len("/xrpc/"):]
    r = Render(universe, base)
    u = universe
    if nsid == "app.bsky.actor.searchActors":
        limit = _limit(params, 25, 100)
        offset = _cursor(params)
        q = first(params, "q") or first(params, "term") or ""
        hits = u.search("bluesky", q)
        page = hits[offset:offset + limit]
        out: dict = {}
        if offset + limit < len(hits):
            out["cursor"] = str(offset + limit)
        out["actors"] = [r.profile_view(c) for c in page]
        return 200, out, []
    if nsid == "app.bsky.actor.getProfiles":
        actors = params.get("actors") or params.get("actors[]") or []
        if not actors:
            raise xrpc_error('Params must have the property "actors"')
        if len(actors) > 25:
            raise xrpc_error("Error: actors must not have more than 25 elements")
        profiles = []
        for ref in actors:
            try:
                profiles.append(r.profile_detailed(_profile_subject(u, ref, "actors")))
            except ApiError as e:
                if e.body.get("message") != "Profile not found":
                    raise
        return 200, {"profiles": profiles}, []
    if nsid == "app.bsky.actor.getProfile":
        c = _profile_subject(u, first(params, "actor"), "actor")
        return 200, r.profile_detailed(c), []
    if nsid == "app.bsky.feed.getPostThread":
        return 200, _thread(u, r, params), []
    if nsid == "app.bsky.graph.getFollowers":
        return 200, _followers(u, r, params), []
    if nsid == "app.bsky.feed.getAuthorFeed":
        c = _actor(u, first(params, "actor"))
        limit = _limit(params, 50, 100)
        offset = _cursor(params)
        flt = first(params, "filter") or "posts_with_replies"
        if flt not in FEED_FILTERS:
            raise xrpc_error(f"filter must be one of ({', '.join(FEED_FILTERS)})")
        posts = [] if flt in ("posts_with_media", "posts_with_video") else u.posts_for(c)
        page = posts[offset:offset + limit]
        out = {}
        if offset + limit < len(posts):
            out["cursor"] = str(offset + limit)
        out["feed"] = [r.feed_item(p) for p in page]
        return 200, out, []
    if nsid == "com.atproto.identity.resolveHandle":
        handle = first(params, "handle")
        if not handle:
            raise xrpc_error('Params must have the property "handle"')
        c = u.by_handle("bluesky", handle)
        if c is None:
            raise xrpc_error("Unable to resolve handle")
        return 200, {"did": c.creator_id}, []
    if nsid == "app.bsky.feed.searchPosts":
        raise xrpc_error("Forbidden", 403, "Forbidden")
    raise xrpc_error("Method Not Implemented", 501, "MethodNotImplemented")


# --------------------------------------------------------------------------------------------
# Drift hooks (sandbox/faults.py asks; see faults.DriftHooks)
# --------------------------------------------------------------------------------------------

def drift_handle(sandbox: Any, c: SandboxCreator) -> str | None:
    return c.handle if c.platform == "bluesky" else None


def drift(f: Any, path: str, first: dict, obj: Any) -> Any:
    """Per-creator answers drift: a getProfiles entry, a profile, an author feed."""
    nsid = path.removeprefix("/xrpc/")

    def creator_handle(profile: dict) -> str | None:  # followers never drift, creators may
        c = f.sandbox.universe.by_id("bluesky", str(profile.get("did", "")))
        return c and c.handle

    if nsid == "app.bsky.actor.getProfiles" and isinstance(obj.get("profiles"), list):
        return faultlib.entries(f, obj, "profiles", "bluesky", creator_handle,
                                faultlib.PROFILE_KEYS["bluesky"])
    if nsid == "app.bsky.actor.getProfile":
        return faultlib.whole(f.drift_kind("bluesky", creator_handle(obj)), obj,
                              faultlib.PROFILE_KEYS["bluesky"])
    if nsid == "app.bsky.feed.getAuthorFeed":
        c = f.sandbox.universe.lookup("bluesky", first.get("actor", ""))
        return faultlib.whole(f.drift_kind("bluesky", c and c.handle), obj, faultlib.FEED_KEYS)
    return obj
