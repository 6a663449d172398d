"""Handles for generated creators: each one unique on its platform, in the platform's style."""

from __future__ import annotations

import random
import re

from .model import PLATFORMS
from .seeded import rint


class Handles:
    """The handles taken on each platform, so generation never hands one out twice."""

    def __init__(self) -> None:
        self.taken: dict[str, set[str]] = {p: set() for p in PLATFORMS}

    def claim(self, rng: random.Random, platform: str, base: str) -> str:
        """A free handle made from ``base`` by the platform's rule (a number appended on a clash)."""
        base = base.lower()
        if not (base.isascii() and base.replace("_", "").isalnum()):
            base = re.sub(r"[^a-z0-9_]", "", base)
        base = base.strip("_")[:22] or "user"
        if base[0].isdigit():
            base = "x" + base
        if platform == "bluesky":
            base = base.replace("_", "-").strip("-") or "user"
        taken = self.taken[platform]
        cand, tries = base, 0
        while cand in taken:  # short numeric suffixes first, then a wider space
            tries += 1
            cand = f"{base}{rint(rng, 1, 999) if tries <= 4 else rint(rng, 1000, 9_999_999)}"
        taken.add(cand)
        return f"{cand}.bsky.social" if platform == "bluesky" else cand

    def swap(self, platform: str, old: str, new: str) -> bool:
        """Trade a claimed handle for ``new`` (a brand's CamelCase name) when ``new`` is free."""
        taken = self.taken[platform]
        if new.lower() in taken:
            return False
        taken.discard(old)
        taken.add(new.lower())
        return True
