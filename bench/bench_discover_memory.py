"""Peak memory of a real `scout discover` against the sandbox, by --limit: with the raw bodies
of each batch released once it is stored, the peak should barely grow with the limit.

    .venv/bin/python bench/bench_discover_memory.py                 # limits 100 and 400
    .venv/bin/python bench/bench_discover_memory.py --limits 100 400 1000

Not a test: it prints figures and asserts nothing. Each run is its own process (its RSS sampled
every 0.1 s, Prefect's server process not counted), on its own new warehouse.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sandbox import SandboxServer  # noqa: E402

SCOUT = str(Path(sys.executable).parent / "scout")


def _rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def peak_of(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak RSS in MiB of the CLI process alone, sampled every 0.1 s) of one command."""
    started, peak = time.perf_counter(), 0.0
    with tempfile.TemporaryFile("w+") as err, subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=err) as proc:
        while proc.poll() is None:
            peak = max(peak, _rss_mib(proc.pid))
            time.sleep(0.1)
        if proc.returncode:
            err.seek(0)
            raise SystemExit(f"{' '.join(args)} failed: {err.read().strip()}")
    return time.perf_counter() - started, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limits", type=int, nargs="+", default=[100, 400])
    parser.add_argument("--posts", type=int, default=30)
    args = parser.parse_args()
    env = {**os.environ, "PREFECT_HOME": tempfile.mkdtemp(prefix="scout-bench-prefect-")}
    env.pop("PREFECT_API_URL", None)
    with SandboxServer(creators=max(args.limits) + 100, seed=7, rate_limit=100_000, rate_window=10.0).start() as server, \
            tempfile.TemporaryDirectory(prefix="scout-bench-memory-") as work:
        for limit in args.limits:
            db = Path(work) / f"limit{limit}.duckdb"
            seconds, peak = peak_of([SCOUT, "discover", "-p", "bluesky", "--base-url", server.base_url, "-q", "a",
                                     "--limit", str(limit), "--posts", str(args.posts), "--rate", "1000",
                                     "--audience-sample", "0", "--db", str(db)], env)
            print(f"--limit {limit}: {seconds:.1f}s, peak RSS {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
