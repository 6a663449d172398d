"""`scout rescore` at scale: a synthetic warehouse of N creators with P posts each (built in
DuckDB SQL, no fetching), then the real rescore flow against a running Prefect API (the shared
server a CLI command uses, started before the clock). Beside it, from the same run and the same
warehouse: DuckDB's own SQL computing the median ER per creator over the same posts (the floor
for reading the data once), the account model alone on the same creators, and score_creators on
one chunk with content_profile's share of it, so what else the rescore spends shows as ratios.

    .venv/bin/python bench/bench_rescore.py                          # 100k and 1M creators, 30 posts each
    .venv/bin/python bench/bench_rescore.py --creators 100000 --chunk 20000

Peak RSS is the flow's process plus its scoring processes (summed), sampled every 0.2 s; the
warehouse is built in a process of its own first, so none of its memory is counted.
Not a test: it prints figures (human lines and BENCH lines) and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="scout-bench-prefect-"))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")

from figures import emit  # noqa: E402

from flows.rescore import DEFAULT_CHUNK  # noqa: E402
from warehouse.warehouse import Warehouse  # noqa: E402

BIOS = ["I bake sourdough at home, mum of two.", "Daily memes and facts, DM for promo",
        "Trail runner, coffee, photos of my dog", "Official page of a skincare brand",
        "Plant-based recipes from my small kitchen in Leeds", "Travel diaries, PR friendly"]
TEXTS = ["my loaf finally rose! so proud", "new recipe on the blog, link in bio",
         "morning run by the river", "#ad thanks @brand for the new shoes",
         "repost if you agree", "our trip to Crete, best olive oil ever"]
GIB = 2**30

# The floor: every post read once and one median per creator, in DuckDB's own SQL.
FLOOR_SQL = """
SELECT p.creator_id, median((p.likes + coalesce(p.comments, 0) + coalesce(p.shares, 0)) / c.followers) AS er
FROM posts p JOIN creators c ON c.platform = p.platform AND c.creator_id = p.creator_id
WHERE NOT p.is_repost AND c.followers > 0 GROUP BY p.creator_id
"""


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


class TreePeak:
    """The largest resident set of this process and the processes started while it samples (the
    scoring processes; not the Prefect server, which runs before and after), sampled in a thread."""

    def __init__(self, every: float = 0.2) -> None:
        self.peak = 0
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        before = {p.pid for p in me.children(recursive=True)}
        while not self._stop.is_set():
            total = 0
            for proc in [me, *(p for p in me.children(recursive=True) if p.pid not in before)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:  # ended between the listing and the read
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self._every)

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, wall seconds, CPU seconds of this process and its reaped children)."""
    def cpu() -> float:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    wall, started = time.perf_counter(), cpu()
    result = fn()
    return result, time.perf_counter() - wall, cpu() - started


def sql_floor(db: Path) -> tuple[int, float, float]:
    """(creators with an ER, wall s, CPU s) of FLOOR_SQL, its result fetched as Arrow."""
    with Warehouse(db).reader() as con:
        table, wall, cpu = timed(lambda: con.sql(FLOOR_SQL).to_arrow_table())
    return table.num_rows, wall, cpu


def account_model_alone(db: Path, chunk: int) -> tuple[int, float, float]:
    """The account model (score_account_type on the normalised profiles) over every creator, in
    chunks as the rescore runs it; reading and normalising are not timed."""
    from transforms.account_type import score_account_type
    from transforms.normalize import normalize_profiles
    from warehouse.rescore import chunk_ranges, read_chunk

    total = wall = cpu = 0.0
    now = datetime.now(UTC)
    with Warehouse(db).reader() as con:
        for span in chunk_ranges(con, "bluesky", "bench", chunk):
            read = read_chunk(con, "bluesky", "bench", span, now)
            profiles = normalize_profiles(read.profiles.to_pandas())
            _, w, c = timed(lambda p=profiles: score_account_type(p, assume_clean=True))
            total, wall, cpu = total + len(profiles), wall + w, cpu + c
    return int(total), wall, cpu


def content_share(db: Path, chunk: int) -> dict[str, float]:
    """score_creators on the first chunk (after a warm-up on a few of its creators, as a scoring
    process is warm after its first chunk) and content_profile (creator_content) alone on the same
    creators: content's share of scoring."""
    import pandas as pd

    from transforms._keys import creator_positions
    from transforms.content import creator_content
    from transforms.normalize import normalize_posts, normalize_profiles
    from transforms.score import _naive_published, score_stored
    from warehouse.rescore import chunk_ranges, read_chunk

    now = datetime.now(UTC)
    with Warehouse(db).reader() as con:
        read = read_chunk(con, "bluesky", "bench", chunk_ranges(con, "bluesky", "bench", chunk)[0], now)
    few = read.profiles.num_rows // 20  # a warm-up: models loaded and caches filled, as in a scoring process
    score_stored(read.profiles.slice(0, few), read.posts.slice(0, few * 30), now=now)
    _, score_wall, score_cpu = timed(lambda: score_stored(read.profiles, read.posts, now=now))
    creators = normalize_profiles(read.profiles.to_pandas())
    posts = normalize_posts(read.posts.to_pandas().assign(collab_kind=pd.NA))
    pos = creator_positions(creators, posts)
    _, content_wall, content_cpu = timed(lambda: creator_content(creators, _naive_published(posts), pos))
    return {"creators": len(creators), "score_wall": score_wall, "score_cpu": score_cpu,
            "content_wall": content_wall, "content_cpu": content_cpu}


def bench_line(figure: str, value: float, unit: str, command: str, **extra: Any) -> None:
    emit(figure, round(value, 4), unit, command=command, **extra)


def run(creators: int, posts: int, chunk: int, command: str) -> None:
    from flows.rescore import rescore

    size = f"{creators // 1000}k" if creators < 1_000_000 else f"{creators / 1e6:g}M"
    with tempfile.TemporaryDirectory(prefix="scout-bench-rescore-") as work:
        db = Path(work) / "scout.duckdb"
        # Built in a process of its own: DuckDB's memory from writing 30M posts is not the rescore's.
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as builder:
            _, built, _ = timed(lambda: builder.submit(build, db, creators, posts).result())
        print(f"\n== {creators:,} creators, {creators * posts:,} posts: built in {built:.1f}s "
              f"({db.stat().st_size / 2**20:,.0f} MiB); load {os.getloadavg()[0]:.1f}")
        load_before = os.getloadavg()[0]
        with TreePeak() as peak:
            summary, wall, cpu = timed(lambda: rescore(db_path=str(db), chunk_size=chunk))
        load = (load_before + os.getloadavg()[0]) / 2
        rate = summary["creators"] / wall
        print(f"rescored {summary['creators']:,} creators in {wall:.1f}s wall, {cpu:.1f}s CPU "
              f"({rate:,.0f} creators/s, chunk {chunk:,}); peak RSS {peak.peak / GIB:.2f} GiB (flow + scoring processes), "
              f"load {load:.1f}")
        rows, floor_wall, floor_cpu = sql_floor(db)
        print(f"SQL floor (median ER per creator in DuckDB): {rows:,} creators in {floor_wall:.2f}s wall, "
              f"{floor_cpu:.2f}s CPU; rescore/floor {wall / floor_wall:.0f}x")
        scored, model_wall, model_cpu = account_model_alone(db, chunk)
        print(f"account model alone: {scored:,} creators in {model_wall:.1f}s wall, {model_cpu:.1f}s CPU; "
              f"rescore/model {wall / model_wall:.1f}x")
        content = content_share(db, chunk)
        share = content["content_cpu"] / content["score_cpu"]
        print(f"one chunk of {content['creators']:,}: score_creators {content['score_wall']:.1f}s wall "
              f"{content['score_cpu']:.1f}s CPU, content_profile {content['content_wall']:.1f}s wall "
              f"{content['content_cpu']:.1f}s CPU ({share:.0%} of scoring CPU)")
        common = {"load": round(load, 1), "creators": creators, "posts": creators * posts}
        bench_line(f"rescore {size} wall", wall, "s", command, cpu_s=round(cpu, 1),
                   **({"target": "<= 120 s"} if creators >= 1_000_000 else {}), **common)
        bench_line(f"rescore {size} rate", rate, "/s", command, **common)
        bench_line(f"rescore {size} peak RSS", peak.peak / GIB, "GiB", command, scope="flow + scoring processes",
                   **({"target": "<= 4 GiB"} if creators >= 1_000_000 else {}), **common)
        bench_line(f"rescore {size} SQL floor", floor_wall, "s", command, cpu_s=round(floor_cpu, 2), **common)
        bench_line(f"rescore {size} / SQL floor", wall / floor_wall, "ratio", command, **common)
        bench_line(f"rescore {size} account model", model_wall, "s", command, cpu_s=round(model_cpu, 1), **common)
        bench_line(f"rescore {size} / account model", wall / model_wall, "ratio", command, **common)
        bench_line(f"rescore {size} content_profile share", share * 100, "%", command,
                   chunk_creators=content["creators"], content_cpu_s=round(content["content_cpu"], 1),
                   score_cpu_s=round(content["score_cpu"], 1), **common)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--posts", type=int, default=30)
    parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK)  # the CLI's default
    args = parser.parse_args()
    from flows.shared_server import stop_shared_server, use_prefect_api

    command = " ".join([".venv/bin/python", "bench/bench_rescore.py", *sys.argv[1:]])
    _, started, _ = timed(lambda: use_prefect_api(None, 600))
    print(f"Prefect API ready in {started:.1f}s (not in any figure)")
    try:
        for creators in args.creators:
            run(creators, args.posts, args.chunk, command)
    finally:
        stop_shared_server(Path(os.environ["PREFECT_HOME"]))


if __name__ == "__main__":
    main()
