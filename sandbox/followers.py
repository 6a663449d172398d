"""Follower lists, made lazily: the k-th follower of a creator (k = 0 the first to follow) is
derived from the seed, the creator and k, so lists of millions cost nothing until asked for.

A follower's id encodes (creator, k) with a seeded check, so ``getProfiles`` or an account
lookup can rebuild any follower from its id alone, in any order. Three kinds of follower:
real people (bios, avatars, plausible counts and ages), mass followers (following thousands)
and, for a creator with bought followers, the fake accounts of its spike (default avatar, empty
bio, almost no posts, following far more than followed, new, handles with digit runs)."""

from __future__ import annotations

import math
import random
from datetime import timedelta

from . import words
from .fraud import followers_at, organic_at
from .model import REFERENCE_NOW, SandboxCreator
from .people import CULTURE_CUM, CULTURE_NAMES
from .seeded import ascii_key, b32, derive, from_ms, loguniform, pick, rint, to_ms, wpick

MASS_FOLLOWER_SHARE = 0.05  # of the organic followers
_K_BITS = 34  # up to 17 billion followers per creator
_N_BITS = 51  # creator index (17 bits) and k
_TAG_BITS = 69  # a 24-character base32 DID holds 120 bits
_MASTODON_FLAG = 1 << 62  # above every creator's snowflake id
_B32 = "abcdefghijklmnopqrstuvwxyz234567"
_PLATFORM_START = {"bluesky": to_ms(REFERENCE_NOW) - 540 * 86_400_000,
                   "mastodon": to_ms(REFERENCE_NOW) - 2_900 * 86_400_000}
#: log of following per follower and of posts per follower of a real follower (uniform)
_FOLLOWING_PER_FOLLOWER_LOG = (-0.7, 2.0)
_POSTS_PER_FOLLOWER_LOG = (0.0, 3.8)
_MASS_BIOS = ("Follow back 💯", "I follow back! #f4f", "#followback #followtrain",
              "Growth tips | DM for promo", "Follow for follow 🔁", "")


def follower_id(platform: str, seed: int, creator_index: int, k: int) -> str:
    """The id (a DID on Bluesky, a numeric id on Mastodon) of a creator's k-th follower."""
    n = (creator_index << _K_BITS) | k
    if platform == "mastodon":
        return str(_MASTODON_FLAG | n)
    tag = derive(seed, "follower-did", n) & ((1 << _TAG_BITS) - 1)
    value = (tag << _N_BITS) | (n ^ _mask(seed, tag))  # masked: neighbours look unrelated
    return "did:plc:" + "".join(_B32[(value >> (5 * i)) & 31] for i in reversed(range(24)))


def _mask(seed: int, tag: int) -> int:
    return derive(seed, "follower-did-mask", tag) & ((1 << _N_BITS) - 1)


def decode_follower_id(platform: str, seed: int, ref: str) -> tuple[int, int] | None:
    """(creator index, k) of a follower id, or None when ``ref`` is no follower's id."""
    if platform == "mastodon":
        if not ref.isdigit() or not int(ref) & _MASTODON_FLAG or int(ref) >> 63:
            return None
        n = int(ref) & ~_MASTODON_FLAG
    else:
        body = ref.removeprefix("did:plc:")
        if len(body) != 24 or body == ref or any(ch not in _B32 for ch in body):
            return None
        value = 0
        for ch in body:
            value = (value << 5) | _B32.index(ch)
        tag = value >> _N_BITS
        n = (value & ((1 << _N_BITS) - 1)) ^ _mask(seed, tag)
        if tag != derive(seed, "follower-did", n) & ((1 << _TAG_BITS) - 1):
            return None
    return n >> _K_BITS, n & ((1 << _K_BITS) - 1)


def follower_kind(seed: int, c: SandboxCreator, k: int) -> str:
    """real, mass or fake: the bought followers are the ``bought_followers`` who followed
    right after the organic ones of ``spike_day``."""
    if c.spike_day is not None:
        first_fake = organic_at(c, c.spike_day)
        if first_fake <= k < first_fake + c.bought_followers:
            return "fake"
    rng = random.Random(derive(seed, "follower-kind", c.index, k))
    return "mass" if rng.random() < MASS_FOLLOWER_SHARE else "real"


def follower_positions(c: SandboxCreator, day: float, before: int | None, limit: int) -> list[int]:
    """The k of up to ``limit`` followers, newest first, starting below ``before`` (None: from
    the newest). Followers who arrive later never move the older ones."""
    top = followers_at(c, day) if before is None else min(before, followers_at(c, day))
    return list(range(top - 1, max(top - limit, 0) - 1, -1))


def follower_account(seed: int, platform: str, c: SandboxCreator, k: int) -> SandboxCreator:
    """The k-th follower of ``c`` as an account, the same for the same (seed, c, k)."""
    kind = follower_kind(seed, c, k)
    rng = random.Random(derive(seed, "follower", c.index, k))
    account_id = follower_id(platform, seed, c.index, k)
    culture = wpick(rng, CULTURE_NAMES, CULTURE_CUM)
    _, fem, masc, lasts, cities, _ = words.CULTURES[culture]
    first = pick(rng, fem if rng.random() < 0.5 else masc)
    last = pick(rng, lasts)
    fa, la = ascii_key(first), ascii_key(last)
    now_ms = to_ms(REFERENCE_NOW)
    if kind == "fake":
        spike_ms = now_ms + (c.spike_day or 0) * 86_400_000
        created_ms = spike_ms - rint(rng, 1, 20) * 86_400_000
        handle = f"{fa}{la[:rint(rng, 0, 4)]}{rint(rng, 10_000, 99_999_999)}"
        display, bio, avatar = (first if rng.random() < 0.5 else ""), "", False
        followers, following, posts = rint(rng, 0, 20), rint(rng, 300, 4_000), rint(rng, 0, 3)
    else:
        start = _PLATFORM_START[platform]
        created_ms = start + int((now_ms - 30 * 86_400_000 - start) * rng.random())
        handle = pick(rng, (f"{fa}{la}", f"{fa}_{la}", f"{fa}{la[:1]}", f"{la}{fa[:1]}"))
        if rng.random() < 0.3:
            handle += str(rint(rng, 1, 99))
        display = pick(rng, (f"{first} {last}", first, f"{first} {last[:1]}."))
        niche = words.NICHE_DATA[c.niche]
        bio = "" if rng.random() < 0.3 else pick(rng, niche["short"]) + pick(
            rng, ("", f" | {pick(rng, cities)}", f" · {pick(rng, words.HOBBIES)}"))
        avatar = rng.random() < 0.88
        if kind == "mass":
            bio = pick(rng, _MASS_BIOS)
            followers, following = int(loguniform(rng, 200, 3_000)), rint(rng, 2_000, 7_500)
            posts = int(loguniform(rng, 50, 3_000))
        else:
            # a real person's following and posts go with their followers (the same three draws
            # as before, now of the ratios): 10%-90% of following per follower 0.6-6, of posts per
            # follower 1.5-30, as among the verified humans of the follower model's training data
            followers = int(loguniform(rng, 5, 3_000))
            following = max(1, round(followers * math.exp(rng.uniform(*_FOLLOWING_PER_FOLLOWER_LOG))))
            posts = max(1, round(followers * math.exp(rng.uniform(*_POSTS_PER_FOLLOWER_LOG))))
    if platform == "mastodon":
        created_ms -= created_ms % 86_400_000
        parts = "/".join(account_id[i:i + 3] for i in range(0, len(account_id), 3))
        avatar_path = f"/system/accounts/avatars/{parts}/original/{rng.getrandbits(64):016x}.jpg"
    else:
        handle += ".bsky.social"
        avatar_path = f"/img/avatar/plain/{account_id}/bafkrei{b32(rng, 52)}@jpeg"
    created = from_ms(created_ms)
    return SandboxCreator(
        index=-1, platform=platform, creator_id=account_id, handle=handle, display_name=display,
        bio=bio, followers=followers, following=following, posts_count=posts, kind="person",
        niche=c.niche, is_bot=False, engagement_anomaly=False,
        avatar=avatar_path if avatar else None, banner=None, created_at=created,
        last_post_at=max(created, REFERENCE_NOW - timedelta(days=rng.uniform(0, 60))) if posts
        else created,
        mass_following=kind == "mass", culture=culture, given_name=first)


def is_following(c: SandboxCreator, k: int, day: float) -> bool:
    """Whether the k-th follower follows ``c`` ``day`` days after REFERENCE_NOW."""
    return 0 <= k < followers_at(c, day)

