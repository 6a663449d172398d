"""Time score_creators on a synthetic universe: 1M creators / 30M posts if memory allows.

    .venv/bin/python bench/bench_transforms.py   # 1M / 30M with >= 16 GB free, else 100k / 3M
    .venv/bin/python bench/bench_transforms.py --creators 100000 --posts 3000000 --stages

Not a test: it prints wall-clock seconds (per stage with --stages) and the peak memory
(RSS; about 11 GB at 1M / 30M). The synthetic frames are built with pyarrow so that
generating 30M posts does not dominate the run.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transforms._keys import creator_positions  # noqa: E402
from transforms.account_type import post_signals_from_positions, score_account_type  # noqa: E402
from transforms.contacts import extract_contacts  # noqa: E402
from transforms.engagement import engagement_from_positions  # noqa: E402
from transforms.frames import POST_DTYPES, PROFILE_DTYPES, STRING  # noqa: E402
from transforms.normalize import normalize_posts, normalize_profiles  # noqa: E402
from transforms.score import score_creators  # noqa: E402
from transforms.tiers import DEFAULT, assign_tier  # noqa: E402

NOW = datetime(2025, 1, 1, tzinfo=UTC)
FULL_SCALE_FREE_GB = 16
NAMES = ["Maya Patel", "José García", "Daily Memes 😂", "Cute Animals 🐶", "BBC News",
         "Ana Silva", "Tom Baker", "Facts Daily", "Nike Store", "Jemma Fan Page", "Kenji Sato",
         "Chioma Obi", "The Repost Hub", "Lena Müller", "Priya Sharma", "Studio Nord"]
BIOS = ["I bake sourdough, mum of 2 🍞 maya [at] gmail [dot] com",
        "Daily memes 😂 DM for promo", "Official store. Free shipping worldwide. shop.nike.com",
        "Breaking news and headlines, 24/7", "Runner, writer, coffee lover. she/her",
        "Did you know? Daily facts 🧠", "The cutest puppies and kittens",
        "Not affiliated. Fan page for Jemma 💜",
        "Photographer 📷 | https://ana.photo/portfolio",
        "We make furniture in Oslo since 1999", "PhD student. Views are my own.", "",
        "Credit to owners. DM for removal. Submit via linktr.ee/repost"]
TEXTS = ["Morning run done, my legs hate me", "via @someone this is amazing 😂",
         "New video out now! link in bio", "📸: @photog golden hour", "I finally finished it!",
         "Breaking: markets fall as rates rise", "Use code SAVE20 #ad", "cr: @artist",
         "Did you know octopuses have three hearts?", "what a day", "Our new collection is here"]


def _pick(rng: np.random.Generator, values: list[str], n: int) -> pa.Array:
    codes = pa.array(rng.integers(0, len(values), n, dtype=np.int32))
    return pa.DictionaryArray.from_arrays(codes, pa.array(values)).cast(pa.string())


def _ids(prefix: str, numbers: np.ndarray) -> pa.Array:
    return pc.binary_join_element_wise(prefix, pa.array(numbers).cast(pa.string()), "")


def _strings(arr: pa.Array) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([arr])), dtype=STRING)


def synthetic(n_creators: int, n_posts: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    platforms = ["bluesky", "mastodon"]
    ids = np.arange(n_creators)
    profiles = pd.DataFrame({
        "platform": _strings(_pick(rng, platforms, n_creators)),
        "creator_id": _strings(_ids("did:plc:", ids)),
        "handle": _strings(_ids("user", ids)),
        "display_name": _strings(_pick(rng, NAMES, n_creators)),
        "bio": _strings(_pick(rng, BIOS, n_creators)),
        "followers": pd.array(rng.lognormal(9, 2, n_creators).astype(np.int64), dtype="Int64"),
        "following": pd.array(rng.integers(0, 3000, n_creators), dtype="Int64"),
        "is_bot": pd.array(rng.random(n_creators) < 0.01, dtype="boolean"),
        "observed_at": pd.Series(NOW, index=range(n_creators), dtype="datetime64[us, UTC]"),
    })
    owner = rng.integers(0, n_creators, n_posts)
    age_us = rng.integers(0, 90 * 86_400, n_posts).astype(np.int64) * 1_000_000
    published = (pd.Timestamp(NOW).value // 1000) - age_us
    posts = pd.DataFrame({
        "platform": _strings(_platform_take(profiles["platform"], owner)),
        "post_id": _strings(_ids("p", np.arange(n_posts))),
        "creator_id": _strings(_ids("did:plc:", owner)),
        "published_at": pd.Series(published.view("datetime64[us]")).dt.tz_localize("UTC"),
        "text": _strings(_pick(rng, TEXTS, n_posts)),
        "likes": pd.array(rng.integers(0, 500, n_posts), dtype="Int64"),
        "comments": pd.array(rng.integers(0, 50, n_posts), dtype="Int64"),
        "shares": pd.array(rng.integers(0, 20, n_posts), dtype="Int64"),
        "views": pd.array(np.zeros(n_posts, dtype=np.int64), dtype="Int64"),
        "is_repost": pd.array(rng.random(n_posts) < 0.1, dtype="boolean"),
        "is_sponsored": pd.array(rng.random(n_posts) < 0.05, dtype="boolean"),
        "observed_at": pd.Series(NOW, index=range(n_posts), dtype="datetime64[us, UTC]"),
    })
    return profiles[[c for c in PROFILE_DTYPES if c in profiles]], posts[list(POST_DTYPES)]


def _platform_take(platform: pd.Series, owner: np.ndarray) -> pa.Array:
    arr = pa.chunked_array(platform.array._pa_array).combine_chunks()
    return arr.take(pa.array(owner))


class Timer:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float]] = []

    def __call__(self, label: str, fn, *args, **kwargs):
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        self.rows.append((label, time.perf_counter() - t0))
        print(f"  {label:<28} {self.rows[-1][1]:8.2f} s", flush=True)
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=None)
    parser.add_argument("--posts", type=int, default=None)
    parser.add_argument("--stages", action="store_true", help="also time each stage alone")
    args = parser.parse_args()
    free_gb = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 1024**3
    full = free_gb >= FULL_SCALE_FREE_GB
    args.creators = args.creators or (1_000_000 if full else 100_000)
    args.posts = args.posts or (30_000_000 if full else 3_000_000)
    print(f"{free_gb:.0f} GB free; {os.cpu_count()} CPUs")

    t0 = time.perf_counter()
    profiles, posts = synthetic(args.creators, args.posts)
    print(f"synthetic {len(profiles):,} creators / {len(posts):,} posts built in "
          f"{time.perf_counter() - t0:.1f} s", flush=True)

    timer = Timer()
    if args.stages:
        print("stages:")
        creators = timer("normalize_profiles", normalize_profiles, profiles)
        clean = timer("normalize_posts", normalize_posts, posts)
        pos = timer("creator_positions", creator_positions, creators, clean)
        metrics = timer("engagement", engagement_from_positions, creators, clean, pos,
                        now=NOW, formula="likes+comments+shares", last_n=50)
        shares = timer("post_signals", post_signals_from_positions, clean, pos, len(creators))
        features = creators.assign(posts_per_week=metrics["posts_per_week"],
                                   repost_share=metrics["repost_share"], **shares)
        timer("score_account_type", score_account_type, features)
        timer("assign_tier", assign_tier, creators["followers"], DEFAULT)
        timer("extract_contacts", extract_contacts, creators["bio"], creators["external_url"])
        del clean, pos, metrics, shares, features
    print("end to end:")
    scores = timer("score_creators", score_creators, profiles, posts, now=NOW)
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"rows out: {len(scores):,}; persons: {int(scores['is_person'].sum()):,}; "
          f"peak RSS {peak_gb:.1f} GB")
    print(scores["account_type"].value_counts().to_string())


if __name__ == "__main__":
    main()
