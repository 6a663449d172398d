"""`scout import` in a fresh process: Prefect's INFO lines only with -v (issue 12)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SCOUT = str(Path(sys.executable).parent / "scout")
FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.mark.slow
def test_import_prints_no_prefect_info_lines_without_verbose(tmp_path: Path) -> None:
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}
    env.pop("PREFECT_LOGGING_LEVEL", None)
    done = subprocess.run(
        [SCOUT, "import", "-p", "youtube", str(FIXTURES / "youtube" / "channels_list.json"),
         "--db", str(tmp_path / "scout.duckdb")],
        capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "youtube: 1 files, 2 creators" in done.stdout
    assert re.search(r"^batch 1/1: 2 creators, [\d.]+ creators/s, ETA 0:00:00$", done.stdout, re.M), done.stdout
    assert "| INFO" not in done.stdout + done.stderr, done.stderr
