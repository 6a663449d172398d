"""The sandbox's universe: its creators and the query engine over them (lookups, search,
tag timelines, cached posts).

``build_universe(creators, seed)`` makes the accounts (cheap: 100k in a few seconds); posts are
generated lazily, per creator, from an RNG derived from the seed and the creator's index, so the
same seed always yields the same universe, whatever order things are asked for in.

Every creator has a ground-truth ``kind`` (person or one of seven page kinds) so the account-type
classifier can be measured against it. All the words below (names, bios, posts) were written for
this module; none come from a dataset.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from datetime import datetime, timedelta
from functools import lru_cache

from . import words
from .followers import (decode_follower_id, follower_account, follower_kind, follower_positions,
                        is_following)
from .fraud import bought_by, bought_share, followers_at
from .model import MAX_POSTS, PLATFORMS, TAG_RE, SandboxCreator, SandboxPost, post_order
from .posts import PostWriter
from .seeded import ascii_key

TAG_SCAN_CAP = 250

_SPONSOR_TAGS = frozenset(
    m.lower() for ms in words.SPONSOR_MARKERS.values() for x in ms for m in TAG_RE.findall(x))
_KIND_TAGS = {
    "person": _SPONSOR_TAGS,
    "meme": frozenset({"memes", "ad", "promo"}),
    "facts": frozenset({"didyouknow", "facts"}),
    "animal": frozenset({"pets", "dogs", "cats", "caturday", "dogsofbluesky", "catsofmastodon"}),
}


@lru_cache(maxsize=None)
def _niche_kind_tags(niche: str, kind: str) -> frozenset[str]:
    return frozenset(words.NICHE_DATA[niche]["tags"]) | _KIND_TAGS.get(kind, frozenset())


def _can_use_tag(c: "SandboxCreator", tag: str) -> bool:
    """Whether c's own posts can carry #tag (a superset test, to narrow tag timelines)."""
    if tag in _niche_kind_tags(c.niche, c.kind):
        return True
    return c.kind == "brand" and tag == (ascii_key(c.display_name)[:20] or "shop")[:18]


# --------------------------------------------------------------------------------------------
# The universe
# --------------------------------------------------------------------------------------------

class Universe(PostWriter):
    """The creators, lookups, and lazily generated posts. Safe to share across threads."""

    def __init__(self, creators: list[SandboxCreator], *, seed: int, now: datetime,
                 days_elapsed: int = 0):
        self.seed = seed
        self.now = now  # the generator's "today": posts and ages are relative to it
        self.days_elapsed = days_elapsed  # the clock: how far past ``now`` counts have grown
        self.creators = creators
        self._by_handle: dict[str, dict[str, int]] = {p: {} for p in PLATFORMS}
        self._by_id: dict[str, dict[str, int]] = {p: {} for p in PLATFORMS}
        for c in creators:
            self._by_handle[c.platform][c.handle.lower()] = c.index
            self._by_id[c.platform][c.creator_id] = c.index
        self._lock = threading.Lock()
        self._own_cache: OrderedDict[int, list[SandboxPost]] = OrderedDict()
        self._feed_cache: OrderedDict[int, list[SandboxPost]] = OrderedDict()
        self._pools: dict[tuple, list[int]] = {}
        self._cache_size = 4096
        self._search_cache: OrderedDict[tuple, list[int]] = OrderedDict()
        self._tag_cache: OrderedDict[tuple, list[SandboxPost]] = OrderedDict()
        self._hay: dict[str, list[tuple[int, str, str, str]]] = {}
        self._by_avatar: dict[str, int] | None = None

    # ---- lookups ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.creators)

    def by_handle(self, platform: str, handle: str) -> SandboxCreator | None:
        i = self._by_handle.get(platform, {}).get(handle.strip().lstrip("@").lower())
        return None if i is None else self.creators[i]

    def by_id(self, platform: str, creator_id: str) -> SandboxCreator | None:
        i = self._by_id.get(platform, {}).get(creator_id.strip())
        return None if i is None else self.creators[i]

    def lookup(self, platform: str, ref: str) -> SandboxCreator | None:
        """A creator by handle or id (DID on Bluesky, numeric id on Mastodon)."""
        return self.by_id(platform, ref) or self.by_handle(platform, ref)

    def by_avatar(self, path: str) -> SandboxCreator | None:
        """The creator whose avatar is served at ``path`` (the index is built on first use)."""
        with self._lock:
            if self._by_avatar is None:
                self._by_avatar = {c.avatar: c.index for c in self.creators if c.avatar}
            i = self._by_avatar.get(path)
        return None if i is None else self.creators[i]

    def platform_creators(self, platform: str) -> list[SandboxCreator]:
        return [self.creators[i] for i in self._pool(platform, "all")]

    def kind_counts(self, platform: str | None = None) -> Counter:
        return Counter(c.kind for c in self.creators if platform in (None, c.platform))

    @property
    def today(self) -> datetime:
        """The sandbox clock: ``now`` moved on by ``days_elapsed``."""
        return self.now + timedelta(days=self.days_elapsed)

    def followers_now(self, c: SandboxCreator) -> int:
        """c's follower count on the sandbox clock (its growth curve, with any bought spike)."""
        return followers_at(c, self.days_elapsed)

    def followers_of(self, c: SandboxCreator, before: int | None,
                     limit: int) -> list[tuple[int, SandboxCreator]]:
        """Up to ``limit`` of c's followers as (position, account), newest first, below
        position ``before`` (None: from the newest); position 0 followed first."""
        return [(k, follower_account(self.seed, c.platform, c, k))
                for k in follower_positions(c, self.days_elapsed, before, limit)]

    def follower(self, platform: str, ref: str) -> SandboxCreator | None:
        """A follower account by its id, if that follower follows its creator today."""
        found = decode_follower_id(platform, self.seed, ref.strip())
        if found is None or not 0 <= found[0] < len(self.creators):
            return None
        c = self.creators[found[0]]
        if c.platform != platform or not is_following(c, found[1], self.days_elapsed):
            return None
        return follower_account(self.seed, platform, c, found[1])

    def truth(self, platform: str, ref: str) -> dict | None:
        """Ground truth for evaluation: never served through the platform endpoints. A
        follower's id gives that follower's kind (real, mass or fake) and whom it follows."""
        c = self.lookup(platform, ref)
        if c is None:
            return self._follower_truth(platform, ref)
        spike = None if c.spike_day is None else self.now + timedelta(days=c.spike_day)
        return {"platform": c.platform, "handle": c.handle, "creator_id": c.creator_id,
                "kind": c.kind, "is_person": c.is_person, "niche": c.niche, "is_bot": c.is_bot,
                "engagement": c.engagement, "engagement_anomaly": c.engagement_anomaly,
                "followers": self.followers_now(c), "following": c.following,
                "bought_followers": c.bought_followers if bought_by(c, self.days_elapsed) else 0,
                "bought_follower_share": bought_share(c, self.days_elapsed),
                "follower_spike_day": c.spike_day,
                "follower_spike_date": None if spike is None else spike.date().isoformat(),
                "mass_following": c.mass_following, "ad_network": c.ad_network,
                "language": c.language, "collab": c.collab}

    def _follower_truth(self, platform: str, ref: str) -> dict | None:
        f = self.follower(platform, ref)
        if f is None:
            return None
        index, k = decode_follower_id(platform, self.seed, f.creator_id) or (0, 0)
        return {"platform": platform, "handle": f.handle, "creator_id": f.creator_id,
                "kind": "follower", "follower_kind": follower_kind(self.seed, self.creators[index], k),
                "follows": self.creators[index].handle}

    def ground_truth(self, platform: str | None = None) -> list[dict]:
        """Every creator's truth (what ``GET /_sandbox/truth`` serves), in generation order."""
        return [self.truth(c.platform, c.creator_id) for c in self.creators
                if platform in (None, c.platform)]

    def mention(self, c: SandboxCreator) -> str:
        """How a post or bio on c's platform writes an @mention of c."""
        return "@" + c.handle

    # ---- pools (lazy, cached) -----------------------------------------------------------
    def _pool(self, platform: str, key: str, niche: str | None = None) -> list[int]:
        k = (platform, key, niche)
        pool = self._pools.get(k)
        if pool is not None:
            return pool
        cs = [c for c in self.creators if c.platform == platform]
        if key == "all":
            pool = [c.index for c in cs]
        elif key == "people":
            pool = [c.index for c in cs
                    if c.kind == "person" and (niche is None or c.niche == niche)]
            pool.sort(key=lambda i: (-self.creators[i].followers, i))
        elif key == "brands":
            pool = [c.index for c in cs
                    if c.kind == "brand" and (niche is None or c.niche == niche)]
        elif key == "originals":  # whose posts get reposted: popular people and animal pages
            pool = [c.index for c in cs if c.kind in ("person", "animal")
                    and (niche is None or c.niche == niche)]
            pool.sort(key=lambda i: (-self.creators[i].followers, i))
            pool = pool[:30]
        else:
            raise KeyError(key)
        self._pools[k] = pool
        return pool

    # ---- search -------------------------------------------------------------------------
    def search(self, platform: str, query: str) -> list[SandboxCreator]:
        """Accounts matching any whitespace-separated term (case-insensitive) in the handle,
        display name or bio. Deterministic order: more and stronger matches first (handle or
        name beats bio), then more followers, then index."""
        terms = tuple(dict.fromkeys(t.strip("#@").lower() for t in query.split() if t.strip("#@")))
        if not terms:
            return []
        key = (platform, terms)
        with self._lock:
            hit = self._search_cache.get(key)
            if hit is not None:
                self._search_cache.move_to_end(key)
                return [self.creators[i] for i in hit]
        scored = []
        for i, handle, name, bio in self._haystacks(platform):
            score = 0
            for term in terms:
                if term in handle or term in name:
                    score += 3
                elif term in bio:
                    score += 1
            if score:
                scored.append((-score, -self.creators[i].followers, i))
        scored.sort()
        result = [i for _, _, i in scored]
        with self._lock:
            self._search_cache[key] = result
            while len(self._search_cache) > 256:
                self._search_cache.popitem(last=False)
        return [self.creators[i] for i in result]

    def _haystacks(self, platform: str) -> list[tuple[int, str, str, str]]:
        hay = self._hay.get(platform)
        if hay is None:
            hay = [(c.index, c.handle.lower().removesuffix(".bsky.social"),
                    c.display_name.lower(), c.bio.lower())
                   for c in self.creators if c.platform == platform]
            self._hay[platform] = hay
        return hay

    # ---- hashtag timelines --------------------------------------------------------------
    def tag_timeline(self, platform: str, tag: str) -> list[SandboxPost]:
        """Own posts (never reposts) carrying #tag, newest first, across creators.

        Only the TAG_SCAN_CAP most recently active creators that can use the tag are scanned,
        so the first request stays fast in a 100k universe; small universes are exhaustive."""
        tag = tag.strip().lstrip("#").lower()
        key = (platform, tag)
        with self._lock:
            hit = self._tag_cache.get(key)
            if hit is not None:
                self._tag_cache.move_to_end(key)
                return hit
        cands = [c for c in self.creators if c.platform == platform and _can_use_tag(c, tag)]
        cands.sort(key=lambda c: (c.last_post_at, c.posts_per_day, -c.index), reverse=True)
        posts = [p for c in cands[:TAG_SCAN_CAP] for p in self.own_posts(c) if tag in p.tags]
        posts.sort(key=post_order, reverse=True)
        with self._lock:
            self._tag_cache[key] = posts
            while len(self._tag_cache) > 64:
                self._tag_cache.popitem(last=False)
        return posts

    # ---- posts --------------------------------------------------------------------------
    def posts_for(self, creator: SandboxCreator | int, n: int | None = None) -> list[SandboxPost]:
        """The creator's recent feed, newest first: own posts and reposts of others (<= 200)."""
        c = creator if isinstance(creator, SandboxCreator) else self.creators[creator]
        feed = self._cached(self._feed_cache, c.index, lambda: self._build_feed(c))
        return list(feed if n is None else feed[:max(0, n)])

    def own_posts(self, creator: SandboxCreator | int) -> list[SandboxPost]:
        """Only the creator's own posts (what a hashtag timeline can show), newest first."""
        c = creator if isinstance(creator, SandboxCreator) else self.creators[creator]
        own = self._cached(self._own_cache, c.index, lambda: self._build_own(c))
        limit = min(MAX_POSTS, c.posts_count)
        return own[:limit]

    def _cached(self, cache: OrderedDict, key: int, build):
        with self._lock:
            value = cache.get(key)
            if value is not None:
                cache.move_to_end(key)
                return value
        value = build()  # deterministic, so a race only wastes a little work
        with self._lock:
            cache[key] = value
            while len(cache) > self._cache_size:
                cache.popitem(last=False)
        return value
