"""Follower tiers: named, versioned ladders, because the industry does not agree on one.

A tier's lower bound is inclusive: with the default scheme exactly 10,000 followers is
"micro". Below the first bound a creator is ``below`` ("sub_nano"). Each score stores the
scheme's ``label`` ("default@v1") so old scores stay interpretable after a ladder changes.

Built-in ladders:

- ``default`` (design.md section 3): nano 1k, micro 10k, mid 50k, macro 500k, mega 1M.
- ``later_fohr``: Later and Fohr put micro at 10k-100k; the rest of their five-tier ladder
  is nano 1k-10k, mid 100k-500k, macro 500k-1M, mega 1M+.
- ``hypeauditor_legacy``: HypeAuditor's older ladder, as quoted in its reports and by
  agencies citing it: nano 1k-5k, micro 5k-20k, mid 20k-100k, macro 100k-1M, mega 1M+.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.errors import InputError
from transforms.frames import STRING, to_float

BELOW = "sub_nano"
_TIER_NAME = re.compile(r"[a-z][a-z0-9_]*")
_COUNT = re.compile(r"(\d+(?:\.\d+)?)([km]?)")


@dataclass(frozen=True)
class TierScheme:
    """An ordered ladder of (tier, min_followers); lower bounds inclusive."""

    name: str
    version: str
    bounds: tuple[tuple[str, int], ...]
    below: str = BELOW

    def __post_init__(self) -> None:
        if not self.bounds:
            raise InputError("a tier scheme needs at least one tier")
        names = [t for t, _ in self.bounds]
        mins = [m for _, m in self.bounds]
        for tier in [*names, self.below]:
            if not _TIER_NAME.fullmatch(tier):
                raise InputError(
                    f"tier name {tier!r} must be lowercase letters, digits or '_', "
                    "starting with a letter"
                )
        if len(set(names + [self.below])) != len(names) + 1:
            raise InputError(f"tier names must be unique, got {names + [self.below]}")
        if any(m < 0 for m in mins):
            raise InputError(f"minimum followers cannot be negative, got {mins}")
        if any(b <= a for a, b in zip(mins, mins[1:])):
            raise InputError(f"minimum followers must strictly increase, got {mins}")

    @property
    def label(self) -> str:
        """What is stored with each score: "name@version"."""
        return f"{self.name}@{self.version}"

    @property
    def tiers(self) -> list[str]:
        """All tier names, lowest first, including the one below the ladder."""
        return [self.below, *(t for t, _ in self.bounds)]

    def spec(self) -> str:
        """The ladder in scheme_from_spec syntax."""
        return ",".join(f"{t}:{m}" for t, m in self.bounds)


DEFAULT = TierScheme(
    "default",
    "v1",
    (("nano", 1_000), ("micro", 10_000), ("mid", 50_000), ("macro", 500_000), ("mega", 1_000_000)),
)
LATER_FOHR = TierScheme(
    "later_fohr",
    "v1",
    (("nano", 1_000), ("micro", 10_000), ("mid", 100_000), ("macro", 500_000), ("mega", 1_000_000)),
)
HYPEAUDITOR_LEGACY = TierScheme(
    "hypeauditor_legacy",
    "v1",
    (("nano", 1_000), ("micro", 5_000), ("mid", 20_000), ("macro", 100_000), ("mega", 1_000_000)),
)
SCHEMES: dict[str, TierScheme] = {s.name: s for s in (DEFAULT, LATER_FOHR, HYPEAUDITOR_LEGACY)}


def get_scheme(name: str) -> TierScheme:
    """A built-in scheme by name (or by its label, "default@v1")."""
    base, _, version = name.strip().partition("@")
    scheme = SCHEMES.get(base)
    if scheme is None or (version and version != scheme.version):
        known = ", ".join(s.label for s in SCHEMES.values())
        raise InputError(f"unknown tier scheme {name!r}; known schemes: {known}")
    return scheme


def _parse_count(text: str, item: str) -> int:
    m = _COUNT.fullmatch(text.strip().lower().replace("_", "").replace(",", ""))
    if not m:
        raise InputError(
            f"bad minimum {text!r} in {item!r}: use a whole number like 10000, 10_000 or 10k"
        )
    value = float(m.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2)]
    if value != int(value):
        raise InputError(f"bad minimum {text!r} in {item!r}: not a whole number of followers")
    return int(value)


def scheme_from_spec(spec: str, *, name: str = "custom") -> TierScheme:
    """A scheme from "nano:1000,micro:10000,mid:50k,..." (lowest tier first).

    The version is a short hash of the normalized ladder, so two different custom ladders
    never share a label. Raises ValueError with the offending item on any mistake.
    """
    items = [i.strip() for i in spec.split(",") if i.strip()]
    if not items:
        raise InputError("empty tier spec: expected 'tier:min_followers,...', e.g. 'nano:1000'")
    bounds: list[tuple[str, int]] = []
    for item in items:
        tier, sep, count = item.partition(":")
        if not sep or not tier.strip() or not count.strip():
            raise InputError(f"bad tier item {item!r}: expected 'tier:min_followers'")
        bounds.append((tier.strip().lower(), _parse_count(count, item)))
    canonical = ",".join(f"{t}:{m}" for t, m in bounds)
    version = hashlib.sha1(canonical.encode()).hexdigest()[:8]
    return TierScheme(name, version, tuple(bounds))


def resolve_scheme(scheme: TierScheme | str) -> TierScheme:
    """A TierScheme from itself, a built-in name/label, or a spec containing ':'."""
    if isinstance(scheme, TierScheme):
        return scheme
    if ":" in scheme:
        return scheme_from_spec(scheme)
    return get_scheme(scheme)


def assign_tier(followers: pd.Series, scheme: TierScheme = DEFAULT) -> pd.Series:
    """The tier of each follower count (searchsorted on the lower bounds); NA stays NA."""
    counts = to_float(followers).to_numpy(dtype="float64", na_value=np.nan)
    mins = np.array([m for _, m in scheme.bounds], dtype="float64")
    idx = np.searchsorted(mins, counts, side="right")  # 0 = below the ladder
    labels = np.array(scheme.tiers, dtype=object)[np.minimum(idx, len(mins))]
    labels[~np.isfinite(counts)] = None
    return pd.Series(pd.array(labels, dtype=STRING), index=followers.index, name="tier")
