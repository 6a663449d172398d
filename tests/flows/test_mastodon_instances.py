"""Mastodon ids qualified by their instance, through real discover runs: two instances that share
account ids stay apart, and a run left unfinished by an older release resumes after migration 010."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.discover import discover
from scrapers.mastodon.ids import account_id, instance_host

pytestmark = pytest.mark.usefixtures("prefect_harness")
SCOUT = str(Path(sys.executable).parent / "scout")
KEYED = ("creators", "posts", "creator_snapshots", "creator_scores")


def creator_ids(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [i for (i,) in con.execute("SELECT creator_id FROM creators WHERE platform = 'mastodon' ORDER BY 1").fetchall()]


def test_two_instances_sharing_account_ids_give_two_creators_each(tmp_path: Path, sandbox) -> None:
    from sandbox import SandboxServer

    db = tmp_path / "scout.duckdb"
    run = dict(platform="mastodon", limit=8, posts_per_creator=3, db_path=str(db), rate_per_second=200)
    # Same seed: the second instance serves the very same account ids, under another host name.
    with SandboxServer(creators=120, seed=7, rate_limit=2000, rate_window=10.0).start() as twin:
        twin_url = twin.base_url.replace("127.0.0.1", "localhost")
        first = discover(base_url=sandbox.base_url, **run)
        second = discover(base_url=twin_url, **run)
        hosts = instance_host(sandbox.base_url), instance_host(twin_url)
    assert hosts == ("127.0.0.1", "localhost")
    ids = creator_ids(db)
    assert first["creators"] == second["creators"] == 8
    per_host = {h: {account_id(i) for i in ids if i.startswith(f"{h}:")} for h in hosts}
    assert per_host[hosts[0]] == per_host[hosts[1]] and len(per_host[hosts[0]]) == first["creators"]
    assert len(ids) == first["creators"] + second["creators"] == 2 * first["creators"]


def scout_discover(db: Path, base_url: str, kill_at: str | None = None) -> subprocess.CompletedProcess:
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    env.pop("SCOUT_FAULT_KILL_AT", None)
    if kill_at:
        env["SCOUT_FAULT_KILL_AT"] = kill_at
    args = [SCOUT, "discover", "-p", "mastodon", "--base-url", base_url, "--limit", "60", "--posts", "3",
            "--rate", "200", "--db", str(db)]
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)


def make_old_style(db: Path) -> None:
    """Back to how release 009 stored it: bare account ids everywhere, migration 010 not applied."""
    bare = "regexp_extract({0}, '[^:]*$')"
    with duckdb.connect(str(db)) as con:
        for table in KEYED:
            columns = [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table]).fetchall()]
            con.execute(f"CREATE TEMP TABLE old AS SELECT * REPLACE ({bare.format('creator_id')} AS creator_id) FROM {table}")
            con.execute(f"DELETE FROM {table}")
            con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM old")
            con.execute("DROP TABLE old")
        con.execute(f"UPDATE raw_responses SET request_key = {bare.format('request_key')} WHERE contains(request_key, ':')")
        con.execute(f"UPDATE scrape_errors SET handle = {bare.format('handle')} WHERE contains(handle, ':')")
        for table in ("runs", "run_batches"):
            con.execute(f"""UPDATE {table} SET refs = CAST(regexp_replace(CAST(refs AS VARCHAR), '"[^"]*:([0-9]+)"', '"\\1"', 'g') AS JSON)""")
        con.execute("DELETE FROM schema_migrations WHERE version = 10")
        assert not any(":" in i for i in con.execute("SELECT list(creator_id) FROM creators").fetchone()[0])


def test_an_old_style_unfinished_run_resumes_after_the_migration(tmp_path: Path, sandbox) -> None:
    clean_db, crashed_db = tmp_path / "clean.duckdb", tmp_path / "crashed.duckdb"
    clean = scout_discover(clean_db, sandbox.base_url)
    assert clean.returncode == 0, clean.stderr
    killed = scout_discover(crashed_db, sandbox.base_url, kill_at="load:2")  # batch 1 loaded, batch 2 not
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    make_old_style(crashed_db)

    resumed = scout_discover(crashed_db, sandbox.base_url)
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed run" in resumed.stdout
    assert creator_ids(crashed_db) == creator_ids(clean_db)  # one row each, all as "<host>:<id>"
    host = instance_host(sandbox.base_url)
    assert all(i.startswith(f"{host}:") for i in creator_ids(crashed_db))
    with duckdb.connect(str(crashed_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
        for table in KEYED:
            (bare,) = con.execute(f"SELECT count(*) FROM {table} WHERE NOT contains(creator_id, ':')").fetchone()
            assert bare == 0, table
