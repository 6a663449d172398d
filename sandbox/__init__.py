"""The sandbox: an offline twin of Bluesky's and Mastodon's public APIs.

``build_universe`` makes a deterministic universe of creators (with ground-truth account
kinds); ``SandboxServer`` serves it over HTTP on 127.0.0.1 with the real paths, field names,
paging, rate-limit headers and 429s. Scrapers reach it only through their base-URL setting.
"""

from .generate import build_universe
from .model import KINDS, PAGE_KINDS, PLATFORMS, REFERENCE_NOW, SandboxCreator, SandboxPost
from .server import SandboxServer
from .universe import Universe
from .words import NICHES

__all__ = [
    "KINDS",
    "NICHES",
    "PAGE_KINDS",
    "PLATFORMS",
    "REFERENCE_NOW",
    "SandboxCreator",
    "SandboxPost",
    "SandboxServer",
    "Universe",
    "build_universe",
]
