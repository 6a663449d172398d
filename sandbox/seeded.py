"""Seeded randomness, ids and times for the sandbox: every value derives from the seed.

Generation and lookups both need the same stable derivations (never Python's salted
``hash()``), and the same id formats (AT Protocol TIDs, Mastodon snowflakes)."""

from __future__ import annotations

import bisect
import hashlib
import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")


def iso_ms(dt: datetime) -> str:
    """UTC ISO-8601 with milliseconds and a Z, as both platforms print timestamps."""
    dt = dt.astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def derive(seed: int, *parts: object) -> int:
    """A stable 64-bit seed from the universe seed and a path (never Python's salted hash())."""
    text = "|".join([str(seed), *map(str, parts)])
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def loguniform(rng: random.Random, lo: float, hi: float) -> float:
    """Log-uniform in [lo, hi]: every order of magnitude equally likely."""
    return lo * (hi / lo) ** rng.random()


EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
DAY_MS = 86_400_000


def to_ms(dt: datetime) -> int:
    return (dt - EPOCH) // timedelta(milliseconds=1)


def from_ms(ms: int) -> datetime:
    return EPOCH + timedelta(milliseconds=ms)


_ASCII_EXTRA = str.maketrans({"ß": "ss", "ł": "l", "Ł": "l", "ı": "i", "ø": "o", "æ": "ae",
                              "œ": "oe", "đ": "d", "İ": "i"})


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=8192)
def ascii_key(text: str) -> str:
    """Lowercase ASCII letters and digits only ("Müller" -> "muller", "Łódź" -> "lodz")."""
    text = unicodedata.normalize("NFKD", text.translate(_ASCII_EXTRA))
    return _NON_ALNUM.sub("", text.encode("ascii", "ignore").decode().lower())


_B32 = "abcdefghijklmnopqrstuvwxyz234567"
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


_B32_TABLE = bytes(ord(_B32[b & 31]) for b in range(256))


def b32(rng: random.Random, n: int) -> str:
    """n random chars of the lowercase RFC 4648 base32 alphabet (as in DIDs and CIDs)."""
    return rng.randbytes(n).translate(_B32_TABLE).decode()


def tid(ms: int, clock: int) -> str:
    """An AT Protocol record key (TID): 13 sortable base32 chars of micros<<10 | clock id."""
    n = ((ms * 1000) << 10) | (clock & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(_TID_ALPHABET[n & 31])
        n >>= 5
    return "".join(reversed(chars))


def snowflake(ms: int, low: int) -> int:
    """A Mastodon-style id: milliseconds since the epoch << 16, plus 16 low bits."""
    return (ms << 16) | (low & 0xFFFF)


def pick(rng: random.Random, seq):
    return seq[int(rng.random() * len(seq))]


def rint(rng: random.Random, a: int, b: int) -> int:
    """Like rint(rng, a, b), cheaper (this runs a few million times for a big universe)."""
    return a + int(rng.random() * (b - a + 1))


def cum(weights) -> tuple[float, ...]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return tuple(out)


def wpick(rng: random.Random, items, cum: tuple[float, ...]):
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]



def by_roll(roll: float, options: Sequence[tuple[float, Callable[[], T]]],
            otherwise: Callable[[], T]) -> T:
    """The value of the first option whose threshold ``roll`` is under (thresholds ascending),
    else ``otherwise``'s. Each value is made only when chosen, so only that branch draws from
    the rng, exactly as an if/elif chain would."""
    for threshold, make in options:
        if roll < threshold:
            return make()
    return otherwise()
