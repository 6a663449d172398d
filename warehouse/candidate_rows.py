"""``candidate_rows``: the candidates view materialised (migration 018), so ``scout candidates``
filters and orders one table of one row per candidate instead of deriving them on each query.

Its rows are always ``candidate_source``'s (the derivation, a table macro in
``warehouse/views/020_candidates.sql``, restricted to the creators it is asked about). A write that changes what a
candidate shows (its creator row, its latest score, an audit, a lineage row) calls
:func:`refresh_candidates` for the creators it touched, inside its own transaction; erasure needs
no call (``scout forget`` deletes from every table naming the creator). A rebuild of the views
refills the table whole (:func:`rebuild_candidates`), so a changed derivation never leaves old rows.
"""

from __future__ import annotations

from typing import Any

import duckdb


def refresh_candidates(con: duckdb.DuckDBPyConnection, touched: str, params: dict[str, Any] | None = None) -> None:
    """Replace the rows of the creators in ``touched`` (a table, or a parenthesised query with
    bound ``params``, giving platform and creator_id; SQL of ours, never user input) by what the
    derivation says of them now: a creator no longer a candidate loses its row."""
    con.execute("CREATE OR REPLACE TEMP TABLE candidate_keys AS "
                f"SELECT DISTINCT platform, creator_id FROM {touched}", params or {})
    if not con.execute("SELECT count(*) FROM candidate_keys").fetchone()[0]:
        return  # nothing moved (a rescore's chunk): the derivation need not run
    con.execute("DELETE FROM candidate_rows WHERE (platform, creator_id) IN "
                "(SELECT platform, creator_id FROM candidate_keys)")
    con.execute("INSERT INTO candidate_rows BY NAME SELECT * FROM candidate_source('candidate_keys')")


def rebuild_candidates(con: duckdb.DuckDBPyConnection) -> None:
    """Refill the table from the derivation (after the views are rebuilt: a new derivation, or
    migration 018's backfill), in the caller's transaction."""
    con.execute("DELETE FROM candidate_rows")
    con.execute("INSERT INTO candidate_rows BY NAME SELECT * FROM candidate_source('creators')")
