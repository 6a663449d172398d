"""A brief: what a marketer asks for, in plain words plus optional filters.

It comes from a TOML file (``--brief-file``) or from the command line (``--brief`` and the
filter options); both end as this one record, so ranking, storing and reporting never care
which. Parsing and validation live beside the CLI; this is only the shape.
"""

from __future__ import annotations

from dataclasses import dataclass

COLLABORATIONS = ("gifting", "paid", "any")


@dataclass(frozen=True)
class Brief:
    """``text`` is what the brand wants in its own words; every other field narrows or steers.

    ``exclude`` and ``like`` hold handles as the user wrote them (``@name``, ``name`` or
    ``platform:name``); ``like`` seeds a lookalike search. ``collaboration`` is one of
    ``COLLABORATIONS``: ``gifting`` keeps creators not known to be paid-only, ``paid`` keeps
    creators open to paid work, ``any`` keeps everyone.
    """

    text: str
    name: str | None = None
    platforms: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    min_authenticity: float | None = None
    collaboration: str = "any"
    exclude: tuple[str, ...] = ()
    like: tuple[str, ...] = ()
