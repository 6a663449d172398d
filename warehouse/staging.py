"""Staging: each input frame becomes a typed, de-duplicated temp table, its casts read from the
table it is loaded into.

The column list and the types of every table are written once, in ``warehouse/migrations/``.
What a frame must hold and what each column is cast to both come from those definitions
(``information_schema.columns``), so adding a column is a migration plus the frame that fills it,
never a cast written out a second time here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import duckdb
import pandas as pd
import pyarrow as pa

from core.errors import WarehouseError
from warehouse.migrate import migrate


@dataclass(frozen=True, slots=True)
class Stage:
    """How one input frame is staged: the table that types it and how duplicates collapse."""

    frame: str  # the input's name: registered as ``in_<frame>``, staged as ``stg_<frame>``
    table: str  # the table whose column definitions type the frame
    key: tuple[str, ...]  # one staged row per key (empty: every row kept)
    keep: str = ""  # ORDER BY among rows sharing a key: the first one is kept
    owned: tuple[str, ...] = ()  # table columns the warehouse fills, never the frame
    observed: bool = False  # the frame carries ``observed_at``, the time of its observation

    @property
    def name(self) -> str:
        return f"stg_{self.frame}"


_RUN_OWNED = ("run_id", "batch_no")

STAGES: dict[str, Stage] = {
    stage.frame: stage
    for stage in (
        Stage("profiles", "creators", ("platform", "creator_id"), "observed_at DESC NULLS LAST",
              owned=("first_seen_at", "last_seen_at", "first_run_id", "last_run_id"), observed=True),
        Stage("posts", "posts", ("platform", "post_id"), "observed_at DESC NULLS LAST",
              owned=("first_seen_at", "last_seen_at", "first_run_id"), observed=True),
        Stage("scores", "creator_scores", ("platform", "creator_id"), "scored_at DESC NULLS LAST",
              owned=("run_id", "is_latest")),
        Stage("raw", "raw_responses", ("response_id",), "fetched_at", owned=_RUN_OWNED),
        Stage("errors", "scrape_errors", (), owned=_RUN_OWNED),
        Stage("lineage", "creator_lineage", ("platform", "creator_id", "found_by", "term"), "found_at",
              owned=("run_id",)),
        Stage("audits", "audience_audits", ("platform", "creator_id", "audited_at"), "audited_at",
              owned=("run_id",)),
    )
}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str
    default: str | None  # the SQL default of a NOT NULL column, applied to a missing value


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[Column]:
    """A table's columns in definition order, as the database describes them."""
    rows = con.execute(
        "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    if not rows:
        raise WarehouseError(f"The warehouse has no table {table!r} to load into.")
    return [Column(name, dtype, default if nullable == "NO" else None) for name, dtype, nullable, default in rows]


def stage_columns(con: duckdb.DuckDBPyConnection, stage: Stage) -> list[Column]:
    """The columns a frame brings for its table, with their types."""
    columns = [c for c in table_columns(con, stage.table) if c.name not in stage.owned]
    if stage.observed:
        columns.append(Column("observed_at", "TIMESTAMP WITH TIME ZONE", None))
    return columns


@lru_cache(maxsize=1)
def _reference_schema() -> dict[str, tuple[str, ...]]:
    """Each stage's column names from the migrations applied to an in-memory database, so a
    frame is checked before the warehouse file is opened (or created)."""
    con = duckdb.connect(":memory:")
    try:
        migrate(con)
        return {name: tuple(c.name for c in stage_columns(con, stage)) for name, stage in STAGES.items()}
    finally:
        con.close()


def input_columns(frame: str) -> tuple[str, ...]:
    """The columns the ``frame`` input must have (the load contract)."""
    return _reference_schema()[frame]


def require_columns(frame: str, df: pd.DataFrame | pa.Table) -> None:
    """Fail before touching the database when a frame does not follow the contract."""
    if not isinstance(df, pd.DataFrame | pa.Table):
        raise WarehouseError(f"The {frame} input must be a pandas DataFrame or an Arrow table, "
                             f"not {type(df).__name__}.")
    names = set(df.column_names if isinstance(df, pa.Table) else df.columns)
    missing = [c for c in input_columns(frame) if c not in names]
    if missing:
        raise WarehouseError(f"The {frame} frame is missing column(s) {', '.join(missing)}.")


def stage(con: duckdb.DuckDBPyConnection, frame: str) -> None:
    """``in_<frame>`` (a registered DataFrame) -> ``stg_<frame>``: typed, one row per key. The
    rows are ranked to keep one per key only when some key repeats: ranking was most of staging a
    rescore chunk's 10,000 scores (50 to 70 ms of CPU), whose keys never repeat; asking costs 2 ms."""
    spec = STAGES[frame]
    casts = ",\n        ".join(_cast(c) for c in stage_columns(con, spec))
    typed = f"WITH typed AS (\n    SELECT\n        {casts}\n    FROM in_{spec.frame}\n)\n"
    sql = f"CREATE OR REPLACE TEMP TABLE {spec.name} AS\n{typed}SELECT * FROM typed"
    if spec.key and _repeats(con, typed, spec.key):
        sql += f"\nQUALIFY row_number() OVER (PARTITION BY {', '.join(spec.key)} ORDER BY {spec.keep}) = 1"
    con.execute(sql)


def _repeats(con: duckdb.DuckDBPyConnection, typed: str, key: tuple[str, ...]) -> bool:
    """Whether two typed rows share a key (NULLs equal, as the ranking's partitions treat them)."""
    [(repeats,)] = con.execute(f"{typed}SELECT EXISTS (SELECT 1 FROM typed GROUP BY {', '.join(key)} "
                               "HAVING count(*) > 1)").fetchall()  # fetched to the end: the connection is free
    return bool(repeats)


def _cast(column: Column) -> str:
    cast = f"CAST({column.name} AS {column.type})"
    if column.default is not None:  # NOT NULL DEFAULT x: an unknown value takes the default
        cast = f"coalesce({cast}, {column.default})"
    return f"{cast} AS {column.name}"
