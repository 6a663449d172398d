"""`scout candidates --limit 50` over a large warehouse: a synthetic one of N creators with two
runs of scores each (built in DuckDB SQL, then materialised as loads leave it), the candidates
query timed (median of several, on an open connection, beside the derivation each query ran
before migration 018), and whole processes (python start included): `scout candidates`,
`scout --help` and `scout candidates --help`, each the median of three.

    .venv/bin/python bench/bench_candidates.py                   # 1,000,000 creators
    .venv/bin/python bench/bench_candidates.py --creators 200000

Not a test: it prints timings (wall and CPU, with the load average) and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from warehouse.candidate_query import candidate_sql  # noqa: E402
from warehouse.candidate_rows import rebuild_candidates  # noqa: E402
from warehouse.latest import mark_latest  # noqa: E402
from warehouse.warehouse import Warehouse  # noqa: E402

EVIDENCE = '["display name looks like a name (+1.2)", "bio in the first person (+0.8)"]'
SCRIPT = "bench/bench_candidates.py"


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


def timed(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeat`` calls (CPU: this process and its children)."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = os.times()
        started = time.perf_counter()
        run()
        walls.append(time.perf_counter() - started)
        after = os.times()
        cpus.append(sum(after[:4]) - sum(before[:4]))
    return statistics.median(walls), statistics.median(cpus)


def bench_line(figure: str, value: float, unit: str, command: str, **extra: object) -> None:
    print("BENCH " + json.dumps({"figure": figure, "value": round(value, 3), "unit": unit, "command": command,
                                 **extra}))


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    command = f".venv/bin/python {SCRIPT} --creators {args.creators}"
    with tempfile.TemporaryDirectory(prefix="scout-bench-candidates-") as work:
        db = Path(work) / "scout.duckdb"
        started = time.perf_counter()
        build(db, args.creators)
        print(f"built {args.creators:,} creators with 2 scores each in {time.perf_counter() - started:.1f}s")
        sql, params = candidate_sql(limit=50)
        # What every query computed before migration 018: the derivation over all latest scores.
        before = sql.replace("FROM candidates", "FROM candidate_source('creators')")
        with duckdb.connect(str(db), read_only=True) as con:
            for figure, query in ((f"candidates SQL, {args.creators:,} creators", sql),
                                  (f"candidates derivation SQL (each query before 018), {args.creators:,}", before)):
                repeat = args.repeat if query is sql else 3
                wall, cpu = timed(lambda q=query: con.execute(q, params).fetchall(), repeat)
                print(f"{figure}: median {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU over {repeat} "
                      f"(load average {load_average()})")
                bench_line(figure, wall * 1000, "ms", command, cpu_ms=round(cpu * 1000), repeat=repeat,
                           load=load_average(), **({"target": "<= 200 ms"} if query is sql else {}))
        scout = str(Path(sys.executable).parent / "scout")
        for args_, figure, target in (
            (["candidates", "--db", str(db), "--limit", "50"], "scout candidates --limit 50, whole process", "<= 0.7 s"),
            (["--help"], "scout --help, whole process", None),
            (["candidates", "--help"], "scout candidates --help, whole process", None),
        ):
            wall, cpu = timed(lambda a=args_: subprocess.run([scout, *a], check=True, capture_output=True), 3)
            print(f"{figure}: median {wall:.2f}s wall, {cpu:.2f}s CPU over 3 (load average {load_average()})")
            bench_line(figure, wall, "s", command, cpu_s=round(cpu, 3), repeat=3, load=load_average(),
                       **({"target": target} if target else {}))


if __name__ == "__main__":
    main()
