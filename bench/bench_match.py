"""Speed of a brief match: against a stored warehouse (read + rank) and on a user's own list.

    .venv/bin/python bench/bench_match.py                          # 1M stored, 20k listed
    .venv/bin/python bench/bench_match.py --creators 200000 --listed 5000 --posts 4

1. A synthetic warehouse of --creators creators (one latest score each, with niche
   probabilities and content vectors of this content model), built with DuckDB SQL in seconds:
   vectors are drawn from 4,096 random prototypes, which changes nothing about the work a match
   does. Then ``flows.match.rank_warehouse`` (what ``scout match`` calls, 20 shown) for a brief
   without filters and one with four, --repeat times each, the median printed: the whole call
   (BENCH "total"), and apart its reads (the pool every creator is scored on, then the rows
   shown) and its ranking (scores, evidence for the rows shown). Wall and CPU time (this
   process, DuckDB's threads included) and the load average beside each: the machine is shared.
2. ``scout match --input``'s work on --listed creators given as CSV-like frames (display name,
   bio, --posts captions each): the language alone, then ``content_profile`` (niches, vector,
   language) + ``rank_fit``.

Not a test: it prints timings and creators per second and asserts nothing. The first call of
each part loads the models; it is timed apart.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from figures import emit  # noqa: E402

from core.brief import Brief  # noqa: E402
from flows.match import rank_warehouse  # noqa: E402
from transforms.content import CONTENT_DIM, content_profile, text_profile  # noqa: E402
from transforms.content_model import CONTENT_VERSION  # noqa: E402
from transforms.fit import MODEL_VERSIONS, fit_reference, rank_fit, score_fit  # noqa: E402
from transforms.language import MAX_BYTES, main_language  # noqa: E402
from transforms.niches import NICHE_VERSION, NICHES, niche_documents  # noqa: E402
from warehouse.db import connect  # noqa: E402
from warehouse.warehouse import Warehouse  # noqa: E402

PROTOTYPES = 4096
SHOWN = 20  # what `scout match` shows on a terminal by default
BRIEF = Brief(text="Small olive oil producer from Crete: creators who cook at home and share recipes.")
FILTERED = Brief(text=BRIEF.text, platforms=("instagram", "bluesky"), languages=("en", "de"),
                 min_authenticity=60, collaboration="gifting")
WORDS = {
    "food": "recipe pasta olive oil bread sourdough dinner homemade kitchen cake baking tomato sauce",
    "travel": "trip beach mountains city sunset hotel flight wanderlust lisbon rome island road",
    "fitness": "gym workout squats run marathon protein training legs cardio yoga stretch",
    "beauty": "makeup lipstick skincare serum foundation glow eyeliner nails routine",
    "de": "heute backen rezept urlaub wandern familie sonntag lecker garten freunde",
}


def build_warehouse(path: Path, n: int) -> None:
    """n creators and their scores, straight into the tables by SQL."""
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.full(len(NICHES), 0.3), PROTOTYPES).astype(np.float32)
    vectors = rng.normal(size=(PROTOTYPES, CONTENT_DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    protos = pd.DataFrame({"id": np.arange(PROTOTYPES), "probs": list(probs), "vec": list(vectors)})
    with connect(path) as con:
        con.register("protos", protos)
        con.execute(f"CREATE TEMP TABLE p AS SELECT id, CAST(probs AS FLOAT[{len(NICHES)}]) AS probs, "
                    "CAST(vec AS FLOAT[64]) AS vec FROM protos")
        con.execute(f"""
            INSERT INTO creators (platform, creator_id, handle, display_name, bio, followers, profile_url,
                                  first_seen_at, last_seen_at)
            SELECT ['instagram', 'bluesky', 'mastodon', 'youtube'][1 + i % 4], 'c' || i, 'creator' || i,
                   'Creator ' || i, 'I post about things, number ' || i, 500 + (i * 7919) % 200000,
                   'https://example.com/c' || i, now(), now()
            FROM range({n}) AS t(i)""")
        con.execute(f"""
            INSERT INTO creator_scores (platform, creator_id, run_id, scored_at, er_median, tier, is_person,
                                        needs_review, authenticity_score, collab_stance, collab_evidence,
                                        paid_posts, niches, niche, niche_probs, niche_version, content_vector, content_version,
                                        language, is_latest)
            SELECT ['instagram', 'bluesky', 'mastodon', 'youtube'][1 + i % 4], 'c' || i, 'bench', now(),
                   0.001 + (i % 997) / 10000.0, CASE WHEN i % 3 = 0 THEN 'micro' ELSE 'nano' END, i % 10 <> 0,
                   false, 30 + i % 71,
                   ['unknown', 'open_to_gifting', 'paid_only'][1 + i % 3],
                   CASE WHEN i % 3 = 1 THEN 'bio says "pr friendly" (open to gifting)' END,
                   i % 4, 'food:0.50|travel:0.30|other:0.20', 'food', p.probs, '{NICHE_VERSION}', p.vec, '{CONTENT_VERSION}',
                   ['en', 'de', 'fr', 'es', NULL][1 + i % 5], true
            FROM range({n}) AS t(i) JOIN p ON p.id = i % {PROTOTYPES}""")


def listed_frames(n: int, posts_each: int) -> tuple[pd.Series, pd.Series, pd.Series, np.ndarray]:
    """Display names, bios and captions as a user's creators.csv and posts.csv would give them."""
    rng = np.random.default_rng(1)
    kinds = list(WORDS)
    vocab = {k: np.array(v.split()) for k, v in WORDS.items()}

    def sentences(count: int, words: int) -> pd.Series:
        kind = rng.integers(0, len(kinds), count)
        out = [" ".join(rng.choice(vocab[kinds[k]], words)) for k in kind]
        return pd.Series(out, dtype="string")

    names = pd.Series([f"Creator {i}" for i in range(n)], dtype="string")
    return names, sentences(n, 12), sentences(n * posts_each, 20), np.repeat(np.arange(n), posts_each)


def timed(what: str, count: int, fn):
    """Wall time, and the CPU time of this process (what the wall time would be on idle cores
    for single-threaded work: on a shared machine the two differ)."""
    start, cpu = time.perf_counter(), time.process_time()
    out = fn()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{what}: {seconds:.2f} s (CPU {cpu:.2f} s), {count / seconds:,.0f} creators/s")
    return out


class Stopwatch:
    """Wall and CPU seconds (this process: DuckDB's threads too), summed per part of a run."""

    def __init__(self) -> None:
        self.parts: dict[str, tuple[float, float]] = {}

    @contextmanager
    def part(self, name: str) -> Iterator[None]:
        start, cpu = time.perf_counter(), time.process_time()
        yield
        wall, used = self.parts.get(name, (0.0, 0.0))
        self.parts[name] = (wall + time.perf_counter() - start, used + time.process_time() - cpu)


def bench_line(figure: str, runs: list[tuple[float, float]], command: str, **extra: object) -> None:
    """A figure's median over ``runs`` (wall, CPU) as one BENCH line (``make bench``'s table)."""
    emit(figure, round(statistics.median(w for w, _ in runs), 3), "s", command=command,
         cpu_s=round(statistics.median(c for _, c in runs), 3), runs=len(runs), **extra)


def bench_stored(db: Path, stored: int, name: str, brief: Brief, repeat: int, command: str) -> None:
    """``repeat`` times: rank_warehouse whole, then the same work in parts: its reads (the pool,
    the rows shown) and its ranking (the brief read, every creator scored, the evidence)."""
    wh = Warehouse(db)
    runs: dict[str, list[tuple[float, float]]] = {"read": [], "rank": [], "total": []}
    for _ in range(repeat):
        watch = Stopwatch()
        with watch.part("total"):
            rank_warehouse(db, brief, limit=SHOWN)
        with ExitStack() as stack:
            with watch.part("rank"):
                reference = fit_reference(brief)
            with watch.part("read"):
                read = stack.enter_context(wh.match_read(brief, reference.products, MODEL_VERSIONS))
            with watch.part("rank"):
                ranking = score_fit(read.pool, brief, reference, top=SHOWN)
            with watch.part("read"):
                rows = read.rows(read.pool["score_row"].to_numpy()[ranking.order])
            with watch.part("rank"):
                ranking.explain(rows)
        for part, measured in watch.parts.items():
            runs[part].append(measured)
    for part, measured in runs.items():
        wall, cpu = statistics.median(w for w, _ in measured), statistics.median(c for _, c in measured)
        print(f"match {name}, {part}: median of {len(measured)} {wall:.2f} s (CPU {cpu:.2f} s), "
              f"load {os.getloadavg()[0]:.1f}")
        bench_line(f"match {stored:,} stored, {name}: {part}", measured, command,
                   **({"target": "<= 2 s"} if part == "total" else {}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--creators", type=int, default=1_000_000)
    parser.add_argument("--listed", type=int, default=20_000)
    parser.add_argument("--posts", type=int, default=8, help="captions per listed creator")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each stored match (the median is printed)")
    args = parser.parse_args()
    command = " ".join([".venv/bin/python", "bench/bench_match.py", *sys.argv[1:]])

    text_profile("warm up the models")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        timed(f"build a {args.creators:,}-creator warehouse", args.creators,
              lambda: build_warehouse(db, args.creators))
        for name, brief in (("no filters", BRIEF), ("4 filters", FILTERED)):
            bench_stored(db, args.creators, name, brief, args.repeat, command)
    names, bios, captions, owner = listed_frames(args.listed, args.posts)
    content_profile(names.head(10), bios.head(10), captions.head(10), owner[:10] % 10)

    def listed() -> pd.DataFrame:
        profile = content_profile(names, bios, captions, owner)
        return rank_fit(pd.concat([pd.DataFrame({"handle": names}), profile], axis=1), BRIEF)

    docs = niche_documents(names, bios, captions, owner)
    timed(f"language of {args.listed:,} creators (bio + captions, first {MAX_BYTES} bytes)", args.listed,
          lambda: main_language(docs))
    timed(f"match --input on {args.listed:,} creators with {args.posts} captions each", args.listed, listed)


if __name__ == "__main__":
    main()
