"""Progress when stdout is not a terminal (a log file, CI, a worker): one plain line per batch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.flows.test_resume import scout_discover

pytestmark = pytest.mark.usefixtures("prefect_harness")

LINE = re.compile(r"^batch (\d+)/(\d+): (\d+) creators, \d+\.\d creators/s, ETA (\d+:\d\d:\d\d|\?)$")


def test_discover_prints_a_line_per_batch_when_not_a_terminal(tmp_path: Path, sandbox) -> None:
    done = scout_discover(tmp_path / "scout.duckdb", sandbox)  # stdout captured: a pipe, not a terminal
    assert done.returncode == 0, done.stderr
    lines = [LINE.match(line) for line in done.stdout.splitlines() if line.startswith("batch ")]
    assert all(lines), done.stdout
    # the seed handles make three batches, of 25, 25 and the rest; the last has nothing left to wait for
    fetched = re.search(r"fetched (\d+),", done.stdout)
    assert fetched and 50 < int(fetched.group(1)) <= 75, done.stdout
    assert [m.groups()[:3] for m in lines] == [("1", "3", "25"), ("2", "3", "50"), ("3", "3", fetched.group(1))]
    assert lines[-1].group(4) == "0:00:00"
    assert "batch " not in done.stderr  # stderr stays for errors (Ctrl-C's one line)
