"""Progress when stdout is not a terminal (a log file, CI, a worker): one plain line per batch."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.flows.test_resume import LIMIT, POSTS, SCOUT, prefect_env, seed_handles

pytestmark = pytest.mark.usefixtures("prefect_harness")

LINE = re.compile(r"^batch (\d+)/(\d+): (\d+) creators, \d+\.\d creators/s, ETA (\d+:\d\d:\d\d|\?)$")


def test_discover_prints_a_line_per_batch_when_not_a_terminal(tmp_path: Path, sandbox) -> None:
    """stdout captured (a pipe, not a terminal): the CLI prints each batch's line; with Prefect's
    logging at INFO, as a worker has it, the flow's own log line for each batch is there too."""
    args = [SCOUT, "discover", "-p", "bluesky", "--base-url", sandbox.base_url, "--limit", str(LIMIT),
            "--posts", str(POSTS), "--rate", "200", "--handle", ",".join(seed_handles(sandbox)),
            "--db", str(tmp_path / "scout.duckdb"), "--audience-sample", "0"]
    done = subprocess.run(args, env={**prefect_env(), "PREFECT_LOGGING_LEVEL": "INFO"}, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = [LINE.match(line) for line in done.stdout.splitlines() if line.startswith("batch ")]
    assert all(lines), done.stdout
    # the seed handles make three batches, of 25, 25 and the rest; the last has nothing left to wait for
    fetched = re.search(r"fetched (\d+),", done.stdout)
    assert fetched and 50 < int(fetched.group(1)) <= 75, done.stdout
    assert [m.groups()[:3] for m in lines] == [("1", "3", "25"), ("2", "3", "50"), ("3", "3", fetched.group(1))]
    assert lines[-1].group(4) == "0:00:00"
    logged = re.findall(r"\| INFO +\| Flow run '[^']+' - (batch \d+/3: \d+ creators)", done.stderr)
    assert logged == [m.group(0).split(",")[0] for m in lines], done.stderr
