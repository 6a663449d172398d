"""`scout --help`, `scout candidates --help` and `scout candidates` (a table) start without the
heavy libraries: no Prefect, pandas or scraper plug-in is imported to list commands, check a
platform name or show the candidate table. Checked in a fresh interpreter's ``sys.modules``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: What a command that only lists, checks and shows must not import.
HEAVY = ("prefect", "pandas", "pyarrow", "numpy", "requests", "bs4", "scrapers.bluesky", "scrapers.youtube")

_RUN = """
import sys
from cli.app import app
try:
    app({args!r})
except SystemExit as exit:
    assert exit.code in (0, None), exit.code
print("IMPORTED:" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


def run_scout(*args: str) -> tuple[str, set[str]]:
    """(what `scout ARGS` printed, which of HEAVY it imported), in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", _RUN.format(args=list(args), heavy=HEAVY)], cwd=ROOT,
                          capture_output=True, text=True, check=True, env={**os.environ, "COLUMNS": "200"})
    output, _, imported = done.stdout.rpartition("IMPORTED:")
    return output, set(filter(None, imported.strip().split(",")))


@pytest.mark.parametrize(("args", "shown"), [
    (["--help"], ["candidates", "discover", "export", "forget", "rescore", "show", "demo", "server"]),
    (["candidates", "--help"], ["--platform", "--tier", "--min-er", "--format", "--limit", "--sort",
                                "--include-flagged", "--db", "Show the candidate list"]),
    (["discover", "--help"], ["bluesky, mastodon, youtube, instagram, tiktok", "--query"]),
])
def test_help_imports_no_heavy_library_and_stays_complete(args: list[str], shown: list[str]) -> None:
    output, imported = run_scout(*args)
    assert imported == set()
    for text in shown:
        assert text in output


def test_the_candidate_table_imports_neither_pandas_nor_prefect(bakers_db) -> None:
    db = bakers_db(3)
    output, imported = run_scout("candidates", "--db", str(db), "--platform", "Bluesky", "--limit", "2")
    assert imported == set()
    assert "2 candidates" in output and "baker2.bsky.social" in output and "baker0" not in output
