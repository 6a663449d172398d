"""Creators per second of `scout match --input` end to end (CSV in, ranked CSV out), with and
without a posts file, on generated creators (bench_classify's names and bios).

    .venv/bin/python bench/bench_match_input.py                 # 20,000 creators, 8 posts each
    .venv/bin/python bench/bench_match_input.py --rows 100000 --repeat 1

Not a test: it prints timings and asserts nothing. The models are loaded by a first small run
before timing. Each case runs --repeat times and the median is reported. Wall time and this
process's CPU time are both printed, with the load average: on a shared machine the wall time
says more about the neighbours than about the code. The target (issue 14) is 20,000 creators
per second with 8 captions each, on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_classify import BIOS, NAMES  # noqa: E402

from flows.briefs import BriefOptions, build_brief  # noqa: E402
from flows.match_input import match_csv  # noqa: E402

CAPTIONS = ["my sourdough loaf finally rose", "leg day: squats and a 5k run", "sunrise over the rice terraces",
            "new lipstick swatches, which one?", "our living room makeover, before and after",
            "Sunday family dinner: lentil soup recipe", "#ad loving this dress from @zara"]
BRIEF = "Kitchenware brand: creators who cook at home and share family recipes and baking"


def write_inputs(folder: Path, rows: int, posts_each: int, seed: int = 7) -> tuple[Path, Path]:
    rng = np.random.default_rng(seed)
    handles = [f"creator{i}.bsky.social" for i in range(rows)]
    creators = pd.DataFrame({
        "platform": "bluesky", "handle": handles, "display_name": rng.choice(np.array(NAMES, dtype=object), rows),
        "bio": rng.choice(np.array(BIOS, dtype=object), rows), "followers": rng.integers(500, 60_000, rows),
        "following": rng.integers(50, 2_000, rows), "posts": rng.integers(10, 3_000, rows), "crm_id": np.arange(rows)})
    n = rows * posts_each
    posts = pd.DataFrame({
        "platform": "bluesky", "handle": np.repeat(handles, posts_each), "post_id": np.arange(n),
        "published_at": "2024-04-01", "text": rng.choice(np.array(CAPTIONS, dtype=object), n),
        "likes": rng.integers(0, 900, n), "comments": rng.integers(0, 40, n), "shares": rng.integers(0, 10, n)})
    creators.to_csv(folder / "creators.csv", index=False)
    posts.to_csv(folder / "posts.csv", index=False)
    return folder / "creators.csv", folder / "posts.csv"


def timed(creators: Path, posts: Path | None, out: Path) -> tuple[float, float]:
    brief = build_brief(BriefOptions(text=BRIEF))
    wall, cpu = time.perf_counter(), time.process_time()
    match_csv(creators, out, brief, posts_path=posts, force=True)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--posts-each", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        warm = folder / "warm"
        warm.mkdir()
        timed(*write_inputs(warm, 100, 1), warm / "out.csv")  # loads the models
        creators, posts = write_inputs(folder, args.rows, args.posts_each)
        command = f".venv/bin/python bench/bench_match_input.py --rows {args.rows} --posts-each {args.posts_each}"
        cases = (("creators only", "no posts", None),
                 (f"+ {args.rows * args.posts_each:,} posts", f"{args.posts_each} captions each", posts))
        for label, short, posts_file in cases:
            runs = [timed(creators, posts_file, folder / "ranked.csv") for _ in range(args.repeat)]
            wall = statistics.median(w for w, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            load = os.getloadavg()[0]
            print(f"match --input, {args.rows:,} creators {label}: {wall:.2f} s wall "
                  f"({args.rows / wall:,.0f}/s), {cpu:.2f} s CPU ({args.rows / cpu:,.0f}/s), "
                  f"median of {len(runs)}, load average {load:.1f}")
            for figure, value, unit in ((f"match --input creators/s, {short} (wall)", args.rows / wall, "/s"),
                                        (f"match --input creators/s, {short} (CPU)", args.rows / cpu, "/s")):
                print("BENCH " + json.dumps({"figure": figure, "value": round(value), "unit": unit,
                                             "command": command, "target": ">= 20000/s",
                                             "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
                                             "load_average": round(load, 1)}))

if __name__ == "__main__":
    main()
