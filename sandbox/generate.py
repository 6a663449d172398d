"""Generation: builds the universe's creators (handles, ids, names, bios, counts) from a seed.

``build_universe(creators, seed)`` makes the accounts (cheap: 100k in a few seconds): this
module decides each one's kind, platform, id, niche, avatar and activity; ``people.py`` and
``pages.py`` make the person or page itself, ``handles.py`` keeps handles unique. Posts are
made later, lazily, by ``sandbox.posts``. All the words come from ``sandbox/data``.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import datetime, timezone

from . import words
from .fraud import plant_fraud
from .handles import Handles
from .model import MAX_CREATORS, MIN_CREATORS, PLATFORMS, REFERENCE_NOW, SandboxCreator
from .pages import fill_fan, page
from .people import person
from .seeded import DAY_MS, b32, cum, derive, from_ms, pick, rint, to_ms, wpick
from .universe import Universe

# Kinds are assigned in shuffled blocks of 50 with these exact counts, so every universe (>= 50)
# holds every kind on both platforms and the mix is ~60% people at any size.
_BLOCK_KINDS = {
    "person": 30, "meme": 4, "facts": 2, "animal": 3, "brand": 4, "news": 3, "repost": 2, "fan": 2,
}
_BLOCK = sum(_BLOCK_KINDS.values())

# Some niches host some page kinds more than others.
_PAGE_NICHE_WEIGHTS = {
    "meme": {"gaming": 5, "fitness": 3, "pets": 4, "parenting": 3, "tech": 3, "books": 2},
    "facts": {"tech": 3, "travel": 3, "pets": 2, "books": 2, "music": 2},
    "repost": {"baking": 3, "travel": 4, "fashion": 3, "photography": 4, "vegan food": 3},
}


class _Builder:
    """What every creator of one universe shares: its clock, the handles and ids taken."""

    def __init__(self, seed: int, now: datetime):
        self.seed = seed
        self.now = now
        self.now_ms = to_ms(now)
        self.start_ms = {"bluesky": to_ms(datetime(2023, 4, 1, tzinfo=timezone.utc)),
                         "mastodon": to_ms(datetime(2017, 1, 1, tzinfo=timezone.utc))}
        self.handles = Handles()
        self.ids: set[str] = set()

    def new_id(self, rng: random.Random, platform: str, created_ms: int) -> str:
        while True:
            cid = ("did:plc:" + b32(rng, 24) if platform == "bluesky"
                   else str((created_ms << 16) | rng.getrandbits(16)))
            if cid not in self.ids:
                self.ids.add(cid)
                return cid

    # ---- one creator --------------------------------------------------------------------
    def creator(self, rng: random.Random, index: int, kind: str, platform: str) -> SandboxCreator:
        # Time math is done in integer milliseconds: aware-datetime arithmetic is slow, and
        # this runs 100k times for the biggest universe.
        now_ms = self.now_ms
        start_ms = self.start_ms[platform]
        span = now_ms - 45 * DAY_MS - start_ms
        # Bluesky's big sign-up waves were late 2023 and late 2024: skew towards recent.
        created_ms = start_ms + int(span * (rng.random() ** 0.7))
        if platform == "mastodon":  # Mastodon reports account creation at midnight
            created_ms -= created_ms % DAY_MS
        created = from_ms(created_ms)
        creator_id = self.new_id(rng, platform, created_ms)

        niche = self.niche_for(rng, kind)
        if kind == "person":
            c = person(rng, self.handles, index, platform, niche, created, creator_id)
        else:
            c = page(rng, self.handles, index, kind, platform, niche, created, creator_id)

        # avatars and banners live on the sandbox host, in each platform's URL style
        has_avatar = rng.random() < (0.93 if kind == "person" else 0.97)
        if platform == "bluesky":
            c.avatar = (f"/img/avatar/plain/{creator_id}/bafkrei{b32(rng, 52)}@jpeg"
                        if has_avatar else None)
            c.banner = (f"/img/banner/plain/{creator_id}/bafkrei{b32(rng, 52)}@jpeg"
                        if rng.random() < 0.6 else None)
        else:
            parts = "/".join(creator_id[i:i + 3] for i in range(0, len(creator_id), 3))
            c.avatar = (f"/system/accounts/avatars/{parts}/original/{rng.getrandbits(64):016x}.jpg"
                        if has_avatar else None)
            c.banner = (f"/system/accounts/headers/{parts}/original/{rng.getrandbits(64):016x}.jpg"
                        if rng.random() < 0.5 else None)

        # when they last posted: pages and most people are active, a few people went quiet
        age_days = max((now_ms - created_ms) / DAY_MS, 1.0)
        if kind == "person" and rng.random() < 0.06:
            gap = rng.uniform(20, 90)
        else:
            gap = min(rng.expovariate(c.posts_per_day), 14.0)
        gap = max(min(gap, age_days - 0.05), 0.0)
        c.last_post_at = from_ms(now_ms - int(gap * DAY_MS) - rint(rng, 60_000, 3_600_000))
        if kind == "person":
            c.posts_count = int(c.posts_per_day * age_days * rng.uniform(0.8, 1.3)
                                + rint(rng, 0, 60)) + 1
        else:
            c.posts_count = int(c.posts_per_day * age_days * rng.uniform(0.7, 1.1)) + 1

        if rng.random() < 0.015 and kind in ("person", "meme", "animal", "fan"):
            c.engagement_anomaly = True
            c.engagement_rate = rng.uniform(0.25, 0.9)
        return c

    def niche_for(self, rng: random.Random, kind: str) -> str:
        if kind == "animal":
            return "pets" if rng.random() < 0.9 else "photography"
        weights = _PAGE_NICHE_WEIGHTS.get(kind)
        if weights and rng.random() < 0.6:
            names = tuple(weights)
            return wpick(rng, names, cum(weights[n] for n in names))
        return pick(rng, words.NICHES)


def build_universe(creators: int = 300, seed: int = 42, now: datetime | None = None,
                   days_elapsed: int = 0) -> Universe:
    """A deterministic universe of ``creators`` accounts (50..100,000), about half per platform.

    ``now`` is the universe's fixed "today" (default REFERENCE_NOW, 2026-11-01T12:00Z): every
    timestamp is relative to it, so output never depends on the wall clock. Posts are made
    lazily by ``Universe.posts_for``. ``days_elapsed`` moves the clock on: follower counts
    follow each creator's growth curve (``sandbox.fraud``), nothing else changes."""
    if isinstance(days_elapsed, bool) or not isinstance(days_elapsed, int) or days_elapsed < 0:
        raise ValueError(f"days_elapsed must be a whole number of days >= 0, got {days_elapsed!r}")
    if isinstance(creators, bool) or not isinstance(creators, int):
        raise TypeError("creators must be an integer")
    if not MIN_CREATORS <= creators <= MAX_CREATORS:
        raise ValueError(
            f"creators must be between {MIN_CREATORS} and {MAX_CREATORS}, got {creators}")
    now = now or REFERENCE_NOW
    now = now.replace(tzinfo=timezone.utc) if now.tzinfo is None else now.astimezone(timezone.utc)
    if now < datetime(2023, 6, 1, tzinfo=timezone.utc):
        raise ValueError("now must be 2023-06-01 or later (Bluesky accounts start in 2023)")
    builder = _Builder(seed, now)
    pattern = [k for k, n in _BLOCK_KINDS.items() for _ in range(n)]
    out: list[SandboxCreator] = []
    for block in range(math.ceil(creators / _BLOCK)):
        rng = random.Random(derive(seed, "block", block))
        kinds = pattern[:]
        rng.shuffle(kinds)
        offset = rng.randrange(2)
        seen: Counter = Counter()
        for kind in kinds:
            index = len(out)
            if index >= creators:
                break
            platform = PLATFORMS[(seen[kind] + offset) % 2]
            seen[kind] += 1
            out.append(builder.creator(rng, index, kind, platform))

    # fan pages are about the most-followed people on their platform
    top: dict[str, list[SandboxCreator]] = {}
    for p in PLATFORMS:
        people = sorted((c for c in out if c.platform == p and c.kind == "person"),
                        key=lambda c: (-c.followers, c.index))
        top[p] = people[:20]
    for c in out:
        if c.kind == "fan":
            rng = random.Random(derive(seed, "fan", c.index))
            fill_fan(rng, builder.handles, c, pick(rng, top[c.platform]))
    plant_fraud(out, seed)
    return Universe(out, seed=seed, now=now, days_elapsed=days_elapsed)
