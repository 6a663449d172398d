"""Peak memory of a real `scout discover` against the sandbox, by --limit: with the raw bodies
of each batch released once it is stored, the peak should barely grow with the limit.

    .venv/bin/python bench/bench_discover_memory.py                 # limits 250 and 2000
    .venv/bin/python bench/bench_discover_memory.py --limits 100 400 1000

Not a test: it prints figures and asserts nothing. Each run is its own process (its RSS sampled
every 0.1 s, Prefect's server process not counted), on its own new warehouse; the sandbox holds
enough Bluesky creators matching the query for the largest limit (about half of its creators are
on Bluesky), and the creators each run loaded are printed beside its peak.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from figures import emit  # noqa: E402

from sandbox import SandboxServer  # noqa: E402

SCOUT = str(Path(sys.executable).parent / "scout")
_LOADED = re.compile(r"(\d+) creators, \d+ posts")


def _rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def peak_of(args: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak RSS in MiB of the CLI process alone, sampled every 0.1 s,
    its stdout) of one command."""
    started, peak = time.perf_counter(), 0.0
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err, \
            subprocess.Popen(args, env=env, stdout=out, stderr=err) as proc:
        while proc.poll() is None:
            peak = max(peak, _rss_mib(proc.pid))
            time.sleep(0.1)
        if proc.returncode:
            err.seek(0)
            raise SystemExit(f"{' '.join(args)} failed: {err.read().strip()}")
        out.seek(0)
        stdout = out.read()
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return time.perf_counter() - started, cpu, peak, stdout


def discover_args(base_url: str, limit: int, db: Path, *, posts: int = 30, rate: str | None = "1000") -> list[str]:
    """A Bluesky `scout discover` of ``limit`` creators found by one broad query, no audience audit
    (``rate`` None: the platform's pace, then the sandbox's published one)."""
    return [SCOUT, "discover", "-p", "bluesky", "--base-url", base_url, "-q", "a", "--limit", str(limit),
            "--posts", str(posts), *(["--rate", rate] if rate else []), "--audience-sample", "0", "--db", str(db)]


def prefect_env() -> dict[str, str]:
    """A Prefect home of its own (its shared server started by the first command), no configured API."""
    env = {**os.environ, "PREFECT_HOME": tempfile.mkdtemp(prefix="scout-bench-prefect-")}
    env.pop("PREFECT_API_URL", None)
    return env


def sandbox_for(creators: int, **limits: object) -> SandboxServer:
    """A sandbox with at least ``creators`` Bluesky creators matching "a" (half its creators are
    on Bluesky, nearly all of them match)."""
    return SandboxServer(creators=int(creators * 2.2) + 100, seed=7, **limits)  # type: ignore[arg-type]


def memory_by_limit(limits: list[int], posts: int, env: dict[str, str]) -> dict[int, float]:
    """Peak RSS of one discover per limit, each printed as a line and a BENCH line."""
    peaks: dict[int, float] = {}
    with sandbox_for(max(limits), rate_limit=100_000, rate_window=10.0).start() as server, \
            tempfile.TemporaryDirectory(prefix="scout-bench-memory-") as work:
        for limit in limits:
            args = discover_args(server.base_url, limit, Path(work) / f"limit{limit}.duckdb", posts=posts)
            seconds, cpu, peak, stdout = peak_of(args, env)
            found = _LOADED.search(stdout)
            loaded = int(found.group(1)) if found else 0
            peaks[limit] = peak
            print(f"--limit {limit}: {loaded} creators loaded, {seconds:.1f}s wall, {cpu:.1f}s CPU, "
                  f"peak RSS {peak:,.0f} MiB (load average {load_average()})")
            emit(f"discover peak RSS, {limit} creators", round(peak, 1), "MiB", command=shlex.join(args),
                 creators=loaded, wall_s=round(seconds, 1), cpu_s=round(cpu, 1))
    if len(limits) > 1:
        low, high = min(limits), max(limits)
        ratio = peaks[high] / peaks[low] if peaks[low] else 0.0
        print(f"peak RSS at {high} / at {low}: {ratio:.2f}x")
        emit(f"discover peak RSS, {high} / {low} creators", round(ratio, 3), "ratio",
             command=f".venv/bin/python bench/bench_discover_memory.py --limits {low} {high}", target="<= 1.2")
    return peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limits", type=int, nargs="+", default=[250, 2000])
    parser.add_argument("--posts", type=int, default=30)
    args = parser.parse_args()
    memory_by_limit(args.limits, args.posts, prefect_env())


if __name__ == "__main__":
    main()
