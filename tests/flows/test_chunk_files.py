"""flows.chunk_files: a rescore's chunks carried to scoring processes as Arrow files in shared memory."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pytest

import flows.chunk_files as chunk_files
from flows.chunk_files import ChunkFiles, read_tables

TABLES = {"profiles": pa.table({"creator_id": ["a", "b"], "followers": [1, None]}),
          "posts": pa.table({"text": ["x" * 1000] * 3000})}


@pytest.fixture
def files():
    files = ChunkFiles()
    yield files
    files.close()
    assert not files.directory.exists()


def test_tables_come_back_equal_and_their_files_are_gone_once_read(files) -> None:
    paths = files.write(TABLES)
    assert sorted(paths) == ["posts", "profiles"] and all(Path(p).is_file() for p in paths.values())
    got = read_tables(paths)
    assert not any(Path(p).exists() for p in paths.values())  # unlinked by the reader ...
    assert got["posts"].equals(TABLES["posts"]) and got["profiles"].equals(TABLES["profiles"])  # ... still mapped
    unread = files.write(TABLES)  # a chunk whose scoring failed before reading it
    files.remove(unread)
    files.remove(paths)  # already gone: not an error
    assert list(files.directory.iterdir()) == []


def test_tables_that_do_not_fit_are_not_written_and_leave_nothing(files, monkeypatch) -> None:
    real = pa.OSFile

    def full_after_the_first(path, mode):
        if list(files.directory.iterdir()):
            raise OSError(28, "No space left on device")
        return real(path, mode)

    monkeypatch.setattr(chunk_files.pa, "OSFile", full_after_the_first)
    assert files.write(TABLES) is None
    assert list(files.directory.iterdir()) == []


def test_a_small_shared_memory_is_not_used(monkeypatch) -> None:
    monkeypatch.setattr(chunk_files, "MIN_SHARED_MEMORY", 1 << 60)
    files = ChunkFiles()
    try:
        assert files.directory.parent == Path(tempfile.gettempdir())
    finally:
        files.close()


def test_a_killed_rescore_s_directory_is_removed_by_the_next_and_a_running_one_s_is_kept(monkeypatch,
                                                                                          tmp_path) -> None:
    root = tmp_path
    monkeypatch.setattr(chunk_files, "SHARED_MEMORY", root)
    monkeypatch.setattr(chunk_files, "MIN_SHARED_MEMORY", 0)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    (root / f"scout-rescore-{dead}-abc").mkdir()
    (root / f"scout-rescore-{dead}-abc" / "x-posts.arrow").write_bytes(b"left over")
    (root / "scout-rescore-1-def").mkdir()  # pid 1 is always running
    files = ChunkFiles()
    assert sorted(p.name for p in root.iterdir()) == sorted(["scout-rescore-1-def", files.directory.name])
    files.close()
