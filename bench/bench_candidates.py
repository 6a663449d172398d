"""`scout candidates --limit 50` over a large warehouse: a synthetic one of N creators with two
runs of scores each (built in DuckDB SQL), then the candidates query timed (median of several)
and the whole CLI command once.

    .venv/bin/python bench/bench_candidates.py                   # 1,000,000 creators
    .venv/bin/python bench/bench_candidates.py --creators 200000

Not a test: it prints timings and asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from warehouse.candidate_rows import rebuild_candidates  # noqa: E402
from warehouse.latest import mark_latest  # noqa: E402
from warehouse.queries import candidates  # noqa: E402
from warehouse.warehouse import Warehouse  # noqa: E402

EVIDENCE = '["display name looks like a name (+1.2)", "bio in the first person (+0.8)"]'


def build(db: Path, creators: int, runs: int = 2) -> None:
    """Creators with ``runs`` scores each, the newest with the better ER, as loads leave them."""
    with Warehouse(db).writer() as con:
        con.execute(f"""
            INSERT INTO creators (platform, creator_id, handle, display_name, followers, profile_url,
                                  first_seen_at, last_seen_at)
            SELECT 'bluesky', printf('did:plc:%010d', i), printf('user%d.bsky.social', i), printf('User %d', i),
                   500 + hash(i) % 60000, printf('https://bsky.app/profile/user%d', i), now(), now()
            FROM range({creators}) t(i)""")
        for run in range(runs):
            con.execute(f"""
                INSERT INTO creator_scores BY NAME
                SELECT 'bluesky' AS platform, printf('did:plc:%010d', i) AS creator_id, 'run{run}' AS run_id,
                       now() - to_days({runs - run}) AS scored_at, 30 AS n_posts,
                       (hash(i + {run}) % 1000) / 10000.0 AS er_median, 0.05 AS er_mean,
                       CASE WHEN hash(i) % 60000 < 9500 THEN 'nano' ELSE 'micro' END AS tier, 'default' AS tier_scheme,
                       CASE WHEN i % 4 = 0 THEN 'page' ELSE 'person' END AS account_type,
                       CASE WHEN i % 4 = 0 THEN 0.1 ELSE 0.9 END AS person_probability,
                       i % 4 <> 0 AS is_person, 0.5 AS person_threshold, false AS needs_review,
                       '{EVIDENCE}' AS evidence, 90.0 AS authenticity_score, '[]' AS authenticity_flags,
                       'm' AS model_version, 'x' AS metrics_version
                FROM range({creators}) t(i)""")
        mark_latest(con, "creators")
        rebuild_candidates(con)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="scout-bench-candidates-") as work:
        db = Path(work) / "scout.duckdb"
        started = time.perf_counter()
        build(db, args.creators)
        print(f"built {args.creators:,} creators with 2 scores each in {time.perf_counter() - started:.1f}s")
        seconds = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            rows = candidates(db, limit=50)
            seconds.append(time.perf_counter() - started)
        print(f"candidates(limit=50): {len(rows)} rows, median {statistics.median(seconds) * 1000:.0f} ms "
              f"(min {min(seconds) * 1000:.0f}, max {max(seconds) * 1000:.0f}) over {args.repeat}")
        scout = str(Path(sys.executable).parent / "scout")
        for command in (["--help"], ["candidates", "--db", str(db), "--limit", "50"]):
            started = time.perf_counter()
            subprocess.run([scout, *command], check=True, capture_output=True)
            print(f"scout {command[0]}: {time.perf_counter() - started:.2f}s (whole process)")


if __name__ == "__main__":
    main()
