"""Seconds a real `scout discover` against the sandbox takes with N processes polling the
warehouse read-only (`warehouse.queries.candidates` back to back), against none.

    .venv/bin/python bench/bench_readers.py                      # 0 and 3 readers, twice each
    .venv/bin/python bench/bench_readers.py --readers 0 1 3 --rounds 3
    .venv/bin/python bench/bench_readers.py --pause 0.1        # readers that poll 10 times a second
    .venv/bin/python bench/bench_readers.py --elsewhere        # readers on another file: CPU cost only

Not a test: it prints timings and asserts nothing. Rounds alternate the reader counts, so
load from other processes on the machine falls on all of them alike. Same sandbox (120
creators, seed 7) and parameters as tests/test_concurrency.py.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="scout-bench-prefect-"))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"

from sandbox import SandboxServer  # noqa: E402
from warehouse.db import connect  # noqa: E402

SCOUT = str(Path(sys.executable).parent / "scout")
READER = textwrap.dedent("""
    import select, sys
    from warehouse.queries import candidates
    reads, pause = 0, float(sys.argv[2])
    while not select.select([sys.stdin], [], [], pause)[0]:
        try:
            candidates(sys.argv[1])
        except Exception as exc:
            print("error:", exc, file=sys.stderr, flush=True)
            sys.exit(1)
        reads += 1
        if reads == 1:
            print("reading", flush=True)
    print(reads, flush=True)
""")


def one_run(base_url: str, readers: int, env: dict[str, str], pause: float = 0.0, elsewhere: bool = False,
            ) -> tuple[float, int, list[int]]:
    """(seconds, discover's exit code, reads per reader; -1 for a reader that failed)."""
    with tempfile.TemporaryDirectory(prefix="scout-bench-") as tmp:
        db = Path(tmp) / "scout.duckdb"
        with connect(db):
            pass
        other = Path(tmp) / "other.duckdb"
        with connect(other):
            pass
        target = other if elsewhere else db
        procs = [subprocess.Popen([sys.executable, "-c", READER, str(target), str(pause)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(readers)]
        for p in procs:
            assert p.stdout is not None
            p.stdout.readline()
        start = time.monotonic()
        run = subprocess.run(
            [SCOUT, "discover", "-p", "bluesky", "-q", "baking", "-q", "fitness", "--base-url", base_url,
             "--limit", "120", "--posts", "10", "--rate", "100", "--db", str(db)],
            env=env, capture_output=True, text=True,
        )
        seconds = time.monotonic() - start
        reads = []
        for p in procs:
            out, _ = p.communicate(timeout=120)
            reads.append(int(out.split()[-1]) if p.returncode == 0 else -1)
        if run.returncode:
            print("  discover failed:", (run.stderr.strip().splitlines() or ["?"])[-1][:300])
        return seconds, run.returncode, reads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, nargs="+", default=[0, 3])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pause", type=float, default=0.0, help="seconds a reader waits between reads")
    parser.add_argument("--elsewhere", action="store_true", help="readers poll another warehouse file")
    args = parser.parse_args()
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with SandboxServer(creators=120, seed=7, rate_limit=2000, rate_window=10.0).start() as sandbox, \
            prefect_test_harness(server_startup_timeout=60):
        env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
        for round_no in range(1, args.rounds + 1):
            for n in args.readers:
                seconds, code, reads = one_run(sandbox.base_url, n, env, args.pause, args.elsewhere)
                print(f"round {round_no}: {n} readers: discover {seconds:.1f}s, exit {code}, reads {reads}, "
                      f"load average {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
