"""A 1000-creator Bluesky `scout discover` against the sandbox with a published budget: requests per
profiled creator, 429s, the share of the budget used over the whole run, Prefect's share of wall
time with a running shared server, and (from bench_discover_memory.py) memory at 250 and 2000.

    .venv/bin/python bench/bench_discover.py                       # 3 runs of 1000 creators, memory too
    .venv/bin/python bench/bench_discover.py --creators 300 --runs 1 --no-memory

Not a test: it prints figures and asserts nothing. The sandbox publishes 100 requests per 10 s
(Bluesky's own 3000 per 5 min is the same 10/s). A first small discover starts the shared Prefect
server; each measured run is then a new process that calls the `scout` CLI's app (imports and all,
as a command does) with a sampler thread reading the main (flow) thread's stack every 10 ms: a
sample is Prefect's when the nearest frame of Prefect or of ours is Prefect's (its engine, client,
futures bookkeeping, imports), and waiting when the thread only waits for a fetch task's result.
Requests and 429s are the sandbox's own counts; the budget share is the requests over (published
rate x the run's wall time).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_discover_memory import (  # noqa: E402
    discover_args,
    load_average,
    memory_by_limit,
    peak_of,
    prefect_env,
    sandbox_for,
)
from figures import emit  # noqa: E402

OURS = tuple(str(ROOT / package) + os.sep for package in ("cli", "flows", "scrapers", "transforms", "warehouse",
                                                          "core", "reports"))
PREFECT = f"{os.sep}prefect{os.sep}"
WAITS = (f"{os.sep}threading.py", f"{os.sep}concurrent{os.sep}futures{os.sep}", f"{os.sep}queue.py")
PREFECT_FUTURES = f"{os.sep}prefect{os.sep}futures.py"


def classify(frame: FrameType | None) -> str:
    """'ours', 'prefect', 'waiting' (for a task's result) or 'other', from the innermost frame out."""
    waiting = False
    while frame is not None:
        path = frame.f_code.co_filename
        if path.startswith(OURS):
            return "waiting" if waiting else "ours"
        if PREFECT_FUTURES in path and waiting:
            return "waiting"
        if PREFECT in path:
            return "prefect"
        if any(w in path for w in WAITS):
            waiting = True
        frame = frame.f_back
    return "waiting" if waiting else "other"


class Sampler(threading.Thread):
    """Samples one thread's stack every ``interval`` seconds until stopped."""

    def __init__(self, thread_id: int, interval: float = 0.01) -> None:
        super().__init__(daemon=True)
        self.thread_id, self.interval = thread_id, interval
        self.counts: Counter[str] = Counter()
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.counts[classify(sys._current_frames().get(self.thread_id))] += 1


def sampled_command(args: list[str]) -> None:
    """In a new process: the `scout` command ``args`` with its main thread sampled; prints one
    JSON line of wall and CPU seconds and the samples by kind."""
    sampler = Sampler(threading.get_ident())
    sampler.start()
    started, cpu = time.perf_counter(), time.process_time()
    from cli.app import app

    try:
        app(args, standalone_mode=False)
    finally:
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        sampler.done.set()
        sampler.join()
        print("SAMPLED " + json.dumps({"wall": wall, "cpu": cpu, "samples": sampler.counts}), flush=True)


def measured_run(args: list[str], env: dict[str, str]) -> tuple[float, float, Counter[str]]:
    """(wall s, CPU s, samples by kind) of one `scout` command in a process of its own."""
    done = subprocess.run([sys.executable, __file__, "--sampled", *args[1:]], env=env, capture_output=True,
                          text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("SAMPLED ")]
    if done.returncode or not lines:
        raise SystemExit(f"{shlex.join(args)} failed: {done.stderr.strip()[-2000:]}")
    found = json.loads(lines[-1].removeprefix("SAMPLED "))
    return found["wall"], found["cpu"], Counter(found["samples"])


def creators_loaded(db: Path) -> int:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT count(*) FROM creators").fetchone()
    return int(row[0]) if row else 0


def discover_figures(creators: int, runs: int, rate_limit: int, rate_window: float) -> None:
    env = prefect_env()
    budget = rate_limit / rate_window
    results = []
    with sandbox_for(creators, rate_limit=rate_limit, rate_window=rate_window).start() as server, \
            tempfile.TemporaryDirectory(prefix="scout-bench-discover-") as work:
        peak_of(discover_args(server.base_url, 5, Path(work) / "warm.duckdb"), env)  # starts the shared server
        for run in range(runs):
            db = Path(work) / f"run{run}.duckdb"
            args = discover_args(server.base_url, creators, db, rate=None)
            before, arrived = server.stats, len(server._stats.arrivals.get("bluesky", []))
            wall, cpu, samples = measured_run(args, env)
            after, stamps = server.stats, server._stats.arrivals.get("bluesky", [])[arrived:]
            fetching = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
            requests = after["by_platform"].get("bluesky", 0) - before["by_platform"].get("bluesky", 0)
            refused = after["rate_limited"] - before["rate_limited"]
            loaded = creators_loaded(db)
            total = sum(samples.values()) or 1
            figures = {
                "requests per profiled creator": (requests / loaded if loaded else 0.0, "ratio", "<= 1.1"),
                "429s": (refused, "count", "0"),
                "share of the rate budget used over the run": (100 * requests / (budget * wall), "%", ">= 85"),
                "Prefect's share of wall time": (100 * samples["prefect"] / total, "%", "<= 5"),
                "share of the rate budget used from first to last request": (
                    100 * (len(stamps) - 1) / (budget * fetching) if fetching else 0.0, "%", None),
                "discover wall time": (wall, "s", None),
            }
            results.append(figures)
            print(f"run {run + 1}: {loaded} creators, {requests} requests, {refused} 429s, {wall:.1f}s wall, "
                  f"{cpu:.1f}s CPU (the command), flow thread samples {dict(samples)}, "
                  f"load average {load_average()}")
        command = shlex.join(discover_args("SANDBOX", creators, Path("DB"), rate=None))
        for name in results[0]:
            values = [r[name][0] for r in results]
            unit, target = results[0][name][1], results[0][name][2]
            median = statistics.median(values)
            print(f"{name}: median {median:.3f} {unit} of {runs} ({', '.join(f'{v:.3f}' for v in values)})")
            extra = {"runs": [round(v, 3) for v in values], "budget": f"{rate_limit} per {rate_window:g} s"}
            if target:
                extra["target"] = target
            emit(f"discover {creators} Bluesky: {name}", round(median, 3), unit,
                 command=f"{command} (bench/bench_discover.py)", **extra)


def main() -> None:
    if sys.argv[1:2] == ["--sampled"]:
        sampled_command(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rate-limit", type=int, default=100)
    parser.add_argument("--rate-window", type=float, default=10.0)
    parser.add_argument("--memory-limits", type=int, nargs="+", default=[250, 2000])
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args()
    discover_figures(args.creators, args.runs, args.rate_limit, args.rate_window)
    if not args.no_memory:
        memory_by_limit(args.memory_limits, 30, prefect_env())


if __name__ == "__main__":
    main()
