"""A real warehouse for report tests: creators loaded over three runs (so growth has snapshots),
five posts each, avatars in a real cache (PNG, JPEG, one missing), and one hostile creator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np

from core.records import Post, Profile
from scrapers.avatars import cache_path
from transforms.frames import errors_frame, posts_frame, profiles_frame, raw_frame
from transforms.score import score_creators
from warehouse.load import load_run

START = datetime(2026, 3, 1, tzinfo=UTC)
FIRST = ["Maya", "Liam", "Sofia", "Noah", "Emma", "Lucas", "Aria", "Mateo", "Chloe", "Elias"]
LAST = ["Lopez", "Berg", "Rossi", "Khan", "Novak", "Silva", "Dubois", "Moreau", "Okafor", "Tanaka"]
#: What a stranger may write; the report must show it as text and run none of it.
HOSTILE_NAME = "Rosa <img src=x onerror=alert(1)> Vidal"
HOSTILE_BIO = "</script><script>alert(2)</script> I bake bread <marquee onmouseover=alert(3)>daily</marquee>"
HOSTILE_POST = '<img src=x onerror=alert(4)> my sourdough "</p><iframe src=https://evil.example/>'
HOSTILE_HANDLE = "rosavidal.bsky.social"
REPOST = "someone else's words, reposted"  # the newest post of creator 1, never on a card


def _image(seed: int, ext: str) -> bytes:
    """A 200-pixel square of one colour: JPEG, or PNG with an alpha channel (kept as PNG)."""
    rng = np.random.default_rng(seed)
    channels = 4 if ext == ".png" else 3
    pixels = np.full((200, 200, channels), rng.integers(40, 220, size=channels), dtype=np.uint8)
    ok, data = cv2.imencode(ext, pixels)
    assert ok
    return data.tobytes()


def _profile(i: int, followers: int) -> Profile:
    name, handle = f"{FIRST[i % 10]} {LAST[i // 10 % 10]}", f"{FIRST[i % 10].lower()}{i}.bsky.social"
    bio = f"I'm {FIRST[i % 10]}, a home baker and mum of two. Sourdough, cakes and family life. PR friendly!"
    if i == 0:
        name, handle, bio = HOSTILE_NAME, HOSTILE_HANDLE, HOSTILE_BIO
    return Profile("bluesky", f"did:plc:c{i:03d}", handle, display_name=name, bio=bio, followers=followers,
                   following=300 + i, posts_count=400 + i, avatar_url=f"https://cdn.example/avatar/{i}.img",
                   profile_url=f"https://bsky.app/profile/{handle}")


def build(tmp_path: Path, creators: int = 50) -> tuple[Path, Path]:
    """(db, avatar cache) with ``creators`` nano and micro bakers; creator 0 is the hostile one."""
    db, cache = tmp_path / "report.duckdb", tmp_path / "avatars"
    cache.mkdir()
    for day in (0, 10, 20):
        now = START + timedelta(days=day)
        profiles = [_profile(i, 2_000 + 900 * (i % 50) + 15 * day * (i % 4)) for i in range(creators)]
        posts = [Post("bluesky", f"p{i}-{day}-{k}", p.creator_id, now - timedelta(hours=10 * k + i),
                      HOSTILE_POST if i == 0 and k == 0 else f"Fresh loaf number {k} from {p.display_name}'s kitchen",
                      likes=p.followers // 25 + 3 * k, comments=p.followers // 600 + k, shares=k)
                 for i, p in enumerate(profiles) for k in range(5)]
        posts.append(Post("bluesky", f"repost-{day}", profiles[1].creator_id, now, REPOST, likes=9_999, is_repost=True))
        frame, post_frame = profiles_frame(profiles, now), posts_frame(posts, now)
        load_run(db, run_id=f"bluesky-day{day}", profiles=frame, posts=post_frame,
                 scores=score_creators(frame, post_frame, now=now), raw_responses=raw_frame([]),
                 errors=errors_frame([]), run={"flow": "discover", "platform": "bluesky", "params": {},
                                               "started_at": now, "finished_at": now, "status": "completed"})
    for i in range(creators - 1):  # the last creator has no cached avatar: the placeholder
        cache_path(cache, f"https://cdn.example/avatar/{i}.img").write_bytes(_image(i, ".png" if i % 2 else ".jpg"))
    return db, cache
