"""core.memory in fresh processes (the settings last for a process's life, so never in pytest's)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_REUSE = """
import resource, sys
import numpy as np
from core.memory import keep_freed_memory
kept = keep_freed_memory() if sys.argv[1] == "keep" else False
import pyarrow as pa

def faults_touching(mib):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    block = np.ones(mib << 20, dtype=np.uint8)  # written, so every page is faulted in
    after = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    del block
    return after - before

first, second = faults_touching(200), faults_touching(200)
print(kept, pa.default_memory_pool().backend_name, first, second)
"""


def _run(mode: str) -> tuple[str, str, int, int]:
    out = subprocess.run([sys.executable, "-c", _REUSE, mode], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    kept, pool, first, second = out.stdout.split()
    return kept, pool, int(first), int(second)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc only")
def test_a_kept_array_is_not_faulted_in_again() -> None:
    kept, pool, first, second = _run("keep")
    assert (kept, pool) == ("True", "system")
    assert first > 50  # at least one fault per 4 MiB, whether the kernel maps 4 KiB or 2 MiB pages
    assert second < first // 10  # the second array reuses the first's pages


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc only")
def test_by_default_a_large_array_is_faulted_in_afresh() -> None:
    kept, _, first, second = _run("default")
    assert kept == "False"
    assert second > first // 2  # what keep_freed_memory saves: the pages are returned and refaulted
