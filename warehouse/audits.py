"""Audience audits: which creators a run audits, and storing the audits it made."""

from __future__ import annotations

import duckdb
import pandas as pd

from warehouse.candidate_rows import refresh_candidates
from warehouse.db import transaction
from warehouse.staging import require_columns, stage

# Only creators still in the warehouse: one `scout forget` erased meanwhile stays erased.
_INSERT_AUDITS = """
INSERT OR REPLACE INTO audience_audits BY NAME
SELECT *, $run_id AS run_id FROM stg_audits
WHERE (platform, creator_id) IN (SELECT platform, creator_id FROM creators)
"""


def audit_targets(con: duckdb.DuckDBPyConnection, platform: str, run_id: str, *, everyone: bool) -> list[str]:
    """Creator ids to audit: the run's candidates (scored in ``run_id`` and in the candidates
    view), or with ``everyone`` every creator of ``platform`` the run scored."""
    scored = "SELECT creator_id FROM creator_scores WHERE platform = $platform AND run_id = $run_id"
    sql = scored if everyone else (
        f"SELECT creator_id FROM candidates WHERE platform = $platform AND creator_id IN ({scored})")
    rows = con.execute(f"{sql} ORDER BY creator_id", {"platform": platform, "run_id": run_id}).fetchall()
    return [row[0] for row in rows]


def store_audits(con: duckdb.DuckDBPyConnection, run_id: str, audits: pd.DataFrame) -> int:
    """Insert ``audits`` (transforms.audience rows) in one transaction; how many were stored."""
    require_columns("audits", audits)
    with transaction(con, f"Storing the audience audits of run {run_id}"):
        con.register("in_audits", audits)
        stage(con, "audits")
        con.unregister("in_audits")
        stored = con.execute(_INSERT_AUDITS, {"run_id": run_id}).fetchall()
        refresh_candidates(con, "stg_audits")  # a candidate shows its latest audit's credibility
    return int(stored[0][0]) if stored else 0
