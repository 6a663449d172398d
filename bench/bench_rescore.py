"""`scout rescore` at scale: a synthetic warehouse of N creators with P posts each (built in
DuckDB SQL, no fetching), then the real rescore flow; prints seconds, creators per second and
the process's peak memory, so bounded memory shows as a peak that does not grow with N.

    .venv/bin/python bench/bench_rescore.py                      # 100k creators, 30 posts each
    .venv/bin/python bench/bench_rescore.py --creators 1000000 --chunk 50000

Not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="scout-bench-prefect-"))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")

from warehouse.warehouse import Warehouse  # noqa: E402

BIOS = ["I bake sourdough at home, mum of two.", "Daily memes and facts, DM for promo",
        "Trail runner, coffee, photos of my dog", "Official page of a skincare brand",
        "Plant-based recipes from my small kitchen in Leeds", "Travel diaries, PR friendly"]
TEXTS = ["my loaf finally rose! so proud", "new recipe on the blog, link in bio",
         "morning run by the river", "#ad thanks @brand for the new shoes",
         "repost if you agree", "our trip to Crete, best olive oil ever"]


def build(db: Path, creators: int, posts: int) -> None:
    """Creators and posts as a discover would have stored them (one platform, one run)."""
    with Warehouse(db).writer() as con:
        con.execute("INSERT INTO runs (run_id, flow, platform, started_at, status) "
                    "VALUES ('synthetic', 'discover', 'bluesky', now(), 'completed')")
        con.execute(f"""
            INSERT INTO creators (platform, creator_id, handle, display_name, bio, followers, following,
                                  posts_count, profile_url, first_seen_at, last_seen_at, first_run_id, last_run_id)
            SELECT 'bluesky', printf('did:plc:%010d', i), printf('user%d.bsky.social', i), printf('User %d', i),
                   list_extract({BIOS}, (i % {len(BIOS)}) + 1), 500 + (hash(i) % 60000), 300 + i % 700,
                   100 + i % 900, printf('https://bsky.app/profile/user%d.bsky.social', i),
                   now(), now(), 'synthetic', 'synthetic'
            FROM range({creators}) t(i)""")
        con.execute(f"""
            INSERT INTO posts (platform, post_id, creator_id, published_at, text, likes, comments, shares,
                               views, first_seen_at, last_seen_at, first_run_id)
            SELECT 'bluesky', printf('p%d', j), printf('did:plc:%010d', j // {posts}),
                   now() - to_days(CAST(j % {posts} AS INTEGER) * 2),
                   list_extract({TEXTS}, CAST(hash(j) % {len(TEXTS)} AS BIGINT) + 1), 5 + hash(j) % 200, hash(j) % 20,
                   hash(j) % 5, NULL, now(), now(), 'synthetic'
            FROM range({creators * posts}) t(j)""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=30)
    parser.add_argument("--chunk", type=int, default=50_000)
    args = parser.parse_args()
    from flows.rescore import rescore

    with tempfile.TemporaryDirectory(prefix="scout-bench-rescore-") as work:
        db = Path(work) / "scout.duckdb"
        started = time.perf_counter()
        build(db, args.creators, args.posts)
        built = time.perf_counter() - started
        print(f"built {args.creators:,} creators, {args.creators * args.posts:,} posts in {built:.1f}s "
              f"({db.stat().st_size / 2**20:,.0f} MiB); peak so far "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB")
        started = time.perf_counter()
        summary = rescore(db_path=str(db), chunk_size=args.chunk)
        seconds = time.perf_counter() - started
        print(f"rescored {summary['creators']:,} creators in {seconds:.1f}s "
              f"({summary['creators'] / seconds:,.0f} creators/s, chunk {args.chunk:,}); "
              f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB")


if __name__ == "__main__":
    main()
