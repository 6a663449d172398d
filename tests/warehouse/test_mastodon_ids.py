"""Migration 010: an old warehouse's bare Mastodon account ids become ``<host>:<id>``, no row lost."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from warehouse.db import connect
from warehouse.migrate import migrate

T = "2026-01-01 00:00:00+00"
BASE = "http://127.0.0.1:9001"
# bare id -> (handle, profile_url, what the migration must make of it)
OLD = {
    "111": ("ann@127.0.0.1", "https://wrong.example/@ann", "127.0.0.1:111"),  # from its raw body's URL
    "222": ("bob@remote.example", "https://remote.example/@bob", "remote.example:222"),  # profile URL
    "333": ("cy@handle.example", None, "handle.example:333"),  # the handle's domain
    "444": ("dee", None, "444"),  # no host anywhere: kept, bare
}


def old_style_warehouse(db: Path) -> None:
    """A warehouse as release 009 left it, holding old-style Mastodon rows in every table."""
    with duckdb.connect(str(db)) as con:
        migrate(con, up_to=9)
        for cid, (handle, url, _) in OLD.items():
            con.execute("INSERT INTO creators (platform, creator_id, handle, profile_url, first_seen_at, last_seen_at) "
                        "VALUES ('mastodon', ?, ?, ?, ?, ?)", [cid, handle, url, T, T])
            con.execute("INSERT INTO creator_snapshots (platform, creator_id, observed_at, run_id) "
                        "VALUES ('mastodon', ?, ?, 'r1')", [cid, T])
            con.execute("INSERT INTO creator_scores (platform, creator_id, run_id, scored_at) "
                        "VALUES ('mastodon', ?, 'r1', ?)", [cid, T])
            con.execute("INSERT INTO posts (platform, post_id, creator_id, first_seen_at, last_seen_at) "
                        "VALUES ('mastodon', ?, ?, ?, ?)", [f"p{cid}", cid, T, T])
            con.execute("INSERT INTO audience_audits (platform, creator_id, audited_at, run_id, sample_size) "
                        "VALUES ('mastodon', ?, ?, 'r1', 100)", [cid, T])
        con.execute("INSERT INTO creators (platform, creator_id, handle, first_seen_at, last_seen_at) "
                    "VALUES ('bluesky', 'did:plc:x', 'x.bsky.social', ?, ?)", [T, T])
        con.execute("INSERT INTO raw_responses (response_id, run_id, platform, kind, request_key, url, fetched_at, body) "
                    "VALUES ('w1', 'r1', 'mastodon', 'statuses', '111', ?, ?, '[{\"account\":{\"id\":\"111\"}}]'), "
                    "('w2', 'r1', 'mastodon', 'account', 'ann', ?, ?, '{}')",
                    [f"{BASE}/api/v1/accounts/111/statuses", T, f"{BASE}/api/v1/accounts/lookup", T])
        con.execute("INSERT INTO scrape_errors (run_id, platform, handle, url, reason, raw_response_id) "
                    "VALUES ('r1', 'mastodon', '111', ?, 'bad item', 'w1')", [f"{BASE}/api/v1/accounts/111/statuses"])
        con.execute("INSERT INTO runs (run_id, flow, platform, params, status, refs) VALUES "
                    "('r1', 'discover', 'mastodon', ?, 'running', ?)",
                    [json.dumps({"base_url": BASE}), json.dumps(["111", "[forgotten]", "555"])])
        con.execute("INSERT INTO run_batches (run_id, batch_no, refs, status) VALUES ('r1', 1, ?, 'fetched')",
                    [json.dumps(["111", "555"])])
        con.execute("INSERT INTO tombstones VALUES ('mastodon', 'gone@t.example', ['999'], ?, NULL), "
                    "('mastodon', 'nohost', ['998'], ?, NULL)", [T, T])


def creator_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table with a creator_id column, as information_schema lists them."""
    return [t for (t,) in con.execute(
        "SELECT DISTINCT c.table_name FROM information_schema.columns AS c JOIN information_schema.tables AS t "
        "USING (table_schema, table_name) WHERE c.column_name = 'creator_id' AND t.table_type = 'BASE TABLE' "
        "ORDER BY 1").fetchall()]


def test_old_style_mastodon_ids_migrate_to_host_qualified_without_losing_a_row(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    old_style_warehouse(db)
    with duckdb.connect(str(db)) as con:
        tables = creator_columns(con)
        before = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    with connect(db) as con:  # the first write connection migrates
        assert tables == ["audience_audits", "creator_scores", "creator_snapshots", "creators", "posts"]
        for table in tables:
            got = con.execute(f'SELECT platform, creator_id FROM "{table}" ORDER BY ALL').fetchall()
            assert len(got) == before[table] == len(set(got)), table
            assert sorted(i for p, i in got if p == "mastodon") == sorted(new for _, _, new in OLD.values()), table
            assert ("bluesky", "did:plc:x") in got or table != "creators"
        assert con.execute("SELECT request_key FROM raw_responses ORDER BY response_id").fetchall() == [
            ("127.0.0.1:111",), ("ann",)]
        assert con.execute("SELECT handle FROM scrape_errors").fetchall() == [("127.0.0.1:111",)]
        assert json.loads(con.execute("SELECT refs FROM runs").fetchone()[0]) == [
            "127.0.0.1:111", "[forgotten]", "127.0.0.1:555"]  # the run's own instance
        assert json.loads(con.execute("SELECT refs FROM run_batches").fetchone()[0]) == [
            "127.0.0.1:111", "127.0.0.1:555"]
        assert con.execute("SELECT handle, creator_ids FROM tombstones ORDER BY handle").fetchall() == [
            ("gone@t.example", ["t.example:999"]), ("nohost", ["998"])]


def test_forget_finds_a_migrated_creator_by_handle_and_by_bare_id(tmp_path: Path) -> None:
    from warehouse.forget import forget_creator

    db = tmp_path / "old.duckdb"
    old_style_warehouse(db)
    by_handle = forget_creator(db, platform="mastodon", handle="bob@remote.example", rewrite=False)
    assert by_handle.ids == ["remote.example:222"]
    by_bare_id = forget_creator(db, platform="mastodon", handle="111", rewrite=False)
    assert (by_bare_id.handle, by_bare_id.ids) == ("ann@127.0.0.1", ["127.0.0.1:111"])
    assert by_bare_id.deleted["raw_responses"] == 1  # its body names only the bare id
    with duckdb.connect(str(db), read_only=True) as con:
        left = {i for (i,) in con.execute("SELECT creator_id FROM creators WHERE platform = 'mastodon'").fetchall()}
    assert left == {"handle.example:333", "444"}
