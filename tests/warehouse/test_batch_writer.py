"""The batch writer's checkpoints append: on a real DuckDB file, batches saved across several
releases (each one a checkpoint) keep every row they were given, and each checkpoint writes its own
row group of raw bodies instead of rewriting the bodies stored before it (DuckDB's vacuum would
merge them, so the memory of every checkpoint of a discover grew with the table)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from core.records import RawResponse, utcnow
from transforms.frames import errors_frame, posts_frame, profiles_frame, raw_frame
from transforms.score import score_creators
from warehouse.manifest import RunStatus
from warehouse.warehouse import Warehouse

BODY = "x" * 20_000  # a body the size of a real profile listing
RAWS_PER_BATCH = 10


def _raws(batch_no: int, now: datetime) -> list[RawResponse]:
    return [RawResponse("bluesky", "profiles", f"b{batch_no}-{i}", f"https://bsky.test/{batch_no}/{i}", 200,
                        f'{{"n": {i}, "pad": "{BODY}"}}', fetched_at=now) for i in range(RAWS_PER_BATCH)]


def _save(warehouse: Warehouse, batch_no: int, now: datetime) -> None:
    profiles, posts = profiles_frame([], observed_at=now), posts_frame([], observed_at=now)
    frames = {"profiles": profiles, "posts": posts, "scores": score_creators(profiles, posts, now=now)}
    warehouse.save_batch(run_id="run-1", batch_no=batch_no, refs=[f"r{batch_no}"],
                         raws=raw_frame(_raws(batch_no, now)), frames=frames, errors=errors_frame([]),
                         counts={"fetched": 1, "requests": RAWS_PER_BATCH, "retries": 0})


def _saved_in_windows(db: Path, windows: int, per_window: int) -> Warehouse:
    """A run whose batches are saved ``per_window`` at a time on the held connection, released
    (closed, so checkpointed) after each window, as a discover does before it waits."""
    now = utcnow()
    warehouse = Warehouse(db)
    warehouse.open_run("run-1", {"flow": "discover", "platform": "bluesky", "params": {}, "started_at": now,
                                 "finished_at": None, "status": RunStatus.RUNNING}, fingerprint="f")
    with warehouse.keeping_open():
        for window in range(windows):
            for k in range(per_window):
                _save(warehouse, 1 + window * per_window + k, now)
            warehouse.release()
    return warehouse


def test_each_release_appends_its_own_row_group_and_every_row_is_kept(tmp_path: Path) -> None:
    db = tmp_path / "scout.duckdb"
    _saved_in_windows(db, windows=4, per_window=3)
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute("SELECT request_key, body, batch_no FROM raw_responses ORDER BY request_key").df()
        groups = con.execute("SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('raw_responses')"
                             ).fetchone()[0]
        loaded = con.execute("SELECT count(*) FROM run_batches WHERE status = 'loaded'").fetchone()[0]
    expected = pd.DataFrame(
        [(f"b{n}-{i}", f'{{"n": {i}, "pad": "{BODY}"}}', n) for n in range(1, 13) for i in range(RAWS_PER_BATCH)],
        columns=["request_key", "body", "batch_no"]).sort_values("request_key", ignore_index=True)
    pd.testing.assert_frame_equal(stored, expected, check_dtype=False)
    assert loaded == 12
    assert groups == 4  # one per checkpoint: none rewrote the bodies an earlier one wrote


def test_a_later_default_connection_still_reads_and_writes_the_file(tmp_path: Path) -> None:
    """The setting goes with the batch writer: a connection opened afterwards checkpoints as
    DuckDB does by default, and the rows are all there."""
    db = tmp_path / "scout.duckdb"
    _saved_in_windows(db, windows=2, per_window=2)
    with duckdb.connect(str(db)) as con:
        assert con.execute("SELECT current_setting('max_vacuum_tasks')").fetchone()[0] == 100
        con.execute("DELETE FROM raw_responses WHERE batch_no = 1")
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw_responses").fetchone()[0] == 3 * RAWS_PER_BATCH
