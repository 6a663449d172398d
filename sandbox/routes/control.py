"""The sandbox's own control routes, never rate-limited or faulted: ``/_sandbox/stats`` (the
counters), ``/_sandbox/truth`` (ground truth: kinds and planted fraud, all
creators or one creator or follower), ``/_sandbox/drift``
(the creators served with drift) and ``/_sandbox/info`` (size, seed, clock, kinds)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..seeded import iso_ms
from .common import first

if TYPE_CHECKING:
    from ..server import SandboxServer


def answer(sandbox: SandboxServer, path: str, params: dict[str, list[str]]) -> tuple[int, dict]:
    """(status, JSON) for one ``/_sandbox/...`` request."""
    u = sandbox.universe
    if path == "/_sandbox/stats":
        return 200, sandbox.stats
    if path == "/_sandbox/truth":
        platform = first(params, "platform")
        handle = first(params, "handle") or first(params, "id")
        if platform is not None and platform not in ("bluesky", "mastodon"):
            return 400, {"error": "platform must be bluesky or mastodon"}
        if handle:
            if platform is None:
                return 400, {"error": "platform is required with handle"}
            truth = u.truth(platform, handle)
            if truth is None:
                return 404, {"error": "Record not found"}
            return 200, truth
        return 200, {"creators": u.ground_truth(platform)}
    if path == "/_sandbox/drift":
        drifted = sandbox.drifted()
        return 200, {"drifted": [{"platform": p, "handle": h} for p, h in sorted(drifted)]}
    if path == "/_sandbox/info":
        return 200, {"creators": len(u), "seed": u.seed, "now": iso_ms(u.today),
                     "generated_at": iso_ms(u.now), "days_elapsed": u.days_elapsed,
                     "kinds": dict(u.kind_counts())}
    return 404, {"error": "Not Found"}
