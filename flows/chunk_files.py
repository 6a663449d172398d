"""A rescore's chunks handed to its scoring processes as Arrow IPC files in shared memory.

Pickled through the process pool's pipe, a 10,000-creator chunk (about 40 MB of Arrow) was
serialised into a fresh bytes object, copied through the pipe and rebuilt on the other side: a
tenth of the flow's process time and two fifths of its page faults. Written once to a file in
``/dev/shm`` (RAM; the system's temporary directory where there is none), it is memory-mapped
by the scoring process, which reads the tables in place and unlinks the file at once: the
mapping keeps the data until the tables are dropped. A file the process never read (it failed
first, or the rescore was stopped) is removed by the flow, and a killed flow's directory by the
next rescore that starts. Where /dev/shm is small or full, the files go to the temporary
directory, and a chunk that fits nowhere is pickled as before.

Only pyarrow and the scoring entry point are imported here: a scoring process imports this
module, never Prefect.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa

from transforms.score import score_stored

SHARED_MEMORY = Path("/dev/shm")
MIN_SHARED_MEMORY = 1 << 30  # free bytes /dev/shm needs to be used (Docker gives containers 64 MiB)
_PREFIX = "scout-rescore-"


class ChunkFiles:
    """A directory of chunk files for one rescore, removed with whatever is left in it on close."""

    def __init__(self) -> None:
        root = SHARED_MEMORY if _free_bytes(SHARED_MEMORY) >= MIN_SHARED_MEMORY else None
        _remove_orphans(Path(root or tempfile.gettempdir()))
        self.directory = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-", dir=root))

    def write(self, tables: dict[str, pa.Table]) -> dict[str, str] | None:
        """Each table written to its own file: {name: path}; None, and nothing left behind, when
        they do not fit (a full disk, a container's small /dev/shm): the caller pickles instead."""
        paths: dict[str, str] = {}
        try:
            for name, table in tables.items():
                paths[name] = str(self.directory / f"{uuid.uuid4().hex}-{name}.arrow")
                with pa.OSFile(paths[name], "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
                    writer.write_table(table)
        except OSError:
            self.remove(paths)
            return None
        return paths

    @staticmethod
    def remove(paths: dict[str, str]) -> None:
        """The files of ``write``, if the scoring process has not unlinked them (it failed first)."""
        for path in paths.values():
            Path(path).unlink(missing_ok=True)

    def close(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def read_tables(paths: dict[str, str]) -> dict[str, pa.Table]:
    """The tables of ``ChunkFiles.write``, memory-mapped (no copy) and their files unlinked."""
    tables = {}
    for name, path in paths.items():
        with pa.memory_map(path) as source:
            tables[name] = pa.ipc.open_file(source).read_all()
        os.unlink(path)
    return tables


def score_chunk_files(paths: dict[str, str], **kwargs: Any) -> pa.Table:
    """What a scoring process runs: transforms.score.score_stored over the chunk's files."""
    tables = read_tables(paths)
    return score_stored(tables["profiles"], tables["posts"], **kwargs)


def _remove_orphans(root: Path) -> None:
    """Chunk directories left by rescores whose process is gone (killed before its clean-up)."""
    for directory in root.glob(f"{_PREFIX}*"):
        pid = directory.name.removeprefix(_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(directory, ignore_errors=True)


def _free_bytes(directory: Path) -> int:
    """Bytes free for this user in ``directory``; 0 where it is missing or not writable."""
    try:
        stats = os.statvfs(directory)
    except OSError:
        return 0
    return stats.f_bavail * stats.f_frsize if os.access(directory, os.W_OK) else 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        pass
    return True
