"""The scout CLI through Typer's runner: happy paths and every bad input of the issue."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from json_stub import closed_port
from typer.testing import CliRunner

from cli.app import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def one_clear_line(result) -> str:
    text = result.output.strip()
    assert "Traceback" not in text
    assert text.count("error:") == 1, text
    return text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["discover", "-p", "myspace"], "unknown platform"),
        (["discover", "-p", "mastodon", "--instance", "not a url"], "URL"),
        (["discover", "-p", "mastodon", "--instance", "ftp://x.org"], "URL"),
        (["discover", "-p", "bluesky", "--handle", "bad handle!"], "handle"),
        (["discover", "-p", "mastodon", "--handle", "a@b@c"], "handle"),
        (["discover", "-p", "bluesky", "--tier-scheme", "gold"], "tier scheme"),
        (["candidates", "--platform", "friendster"], "unknown platform"),
    ],
)
def test_bad_input_is_one_line_and_nonzero(args, message, tmp_path):
    result = run(*args, "--db", str(tmp_path / "x.duckdb")) if args[0] == "discover" else run(*args)
    assert result.exit_code != 0
    assert message.lower() in one_clear_line(result).lower()
    assert not (tmp_path / "x.duckdb").exists()


def test_read_only_db_location_is_reported(tmp_path):
    result = run("discover", "-p", "bluesky", "-q", "x", "--db", "/proc/scout/x.duckdb")
    assert result.exit_code != 0
    assert "/proc/scout" in one_clear_line(result)


@pytest.mark.usefixtures("prefect_harness")
def test_discover_candidates_export_roundtrip(tmp_path, sandbox):
    db = tmp_path / "new" / "dir" / "scout.duckdb"  # missing directories are created
    result = run("discover", "-p", "bluesky", "--base-url", sandbox.base_url, "-q", "baking",
                 "-q", "travel", "--limit", "40", "--posts", "10", "--rate", "100", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert db.exists() and "creators" in result.output
    assert f"created directory {db.parent}\n" in result.stderr  # said, not silent

    shown = run("candidates", "--db", str(db), "--format", "json")
    assert shown.exit_code == 0
    with duckdb.connect(str(db), read_only=True) as con:
        expected = con.execute("select count(*) from candidates").fetchone()[0]
    assert shown.output.count('"handle"') == expected  # a file format lists every row

    out = tmp_path / "c.csv"
    assert run("export", "--db", str(db), "-o", str(out)).exit_code == 0
    assert out.read_text().splitlines()[0].startswith('"profile_url","handle","name"')  # text is quoted
    again = run("export", "--db", str(db), "-o", str(out))
    assert again.exit_code != 0 and "--force" in one_clear_line(again)
    assert run("export", "--db", str(db), "-o", str(out), "--force").exit_code == 0
    assert run("export", "--db", str(db), "-o", str(tmp_path / "c.xlsx")).exit_code == 0
    assert run("export", "--db", str(db), "-o", str(tmp_path / "c.parquet")).exit_code == 0
    bad = run("export", "--db", str(db), "-o", str(tmp_path / "c.txt"))
    assert bad.exit_code != 0 and "format" in one_clear_line(bad)


@pytest.mark.usefixtures("prefect_harness")
def test_empty_discovery_says_so_and_exits_zero(tmp_path, sandbox):
    result = run("discover", "-p", "bluesky", "--base-url", sandbox.base_url,
                 "-q", "zzzqqq-nothing", "--db", str(tmp_path / "s.duckdb"))
    assert result.exit_code == 0
    assert "No creators found" in result.output


def test_candidates_on_missing_db_is_clear(tmp_path):
    result = run("candidates", "--db", str(tmp_path / "none.duckdb"))
    assert result.exit_code != 0
    assert "scout" in one_clear_line(result)


@pytest.mark.usefixtures("prefect_harness")
def test_demo_runs_offline_and_twice_is_idempotent(tmp_path):
    db, csv = tmp_path / "scout.duckdb", tmp_path / "exports" / "candidates.csv"
    args = ("demo", "--db", str(db), "--output", str(csv), "--creators", "120", "--limit", "40")
    first = run(*args)
    assert first.exit_code == 0, first.output
    assert "Top candidates" in first.output and csv.exists()
    with duckdb.connect(str(db), read_only=True) as con:
        before = con.execute("select (select count(*) from creators), (select count(*) from posts)").fetchone()
        platforms = {p for (p,) in con.execute("select distinct platform from creators").fetchall()}
    assert platforms == {"bluesky", "mastodon"} and before[0] > 40
    assert run(*args).exit_code == 0
    with duckdb.connect(str(db), read_only=True) as con:
        after = con.execute("select (select count(*) from creators), (select count(*) from posts)").fetchone()
    assert after == before


@pytest.mark.parametrize(("instance", "reason"), [
    ("closed port", "connection refused"),
    ("http://nonexistent.invalid", "name not resolved"),
])
def test_discover_on_a_host_that_cannot_be_reached_fails_in_one_line(instance, reason, tmp_path):
    """Issue 12: a refused or unresolvable host used to be retried 24 times (~100 s, 82 lines)."""
    if instance == "closed port":  # chosen when the test runs, so the id is stable and the port still free
        instance = f"http://127.0.0.1:{closed_port()}"
    scout = Path(sys.executable).with_name("scout")
    result = subprocess.run([str(scout), "discover", "-p", "mastodon", "--instance", instance, "-q", "baking",
                             "--limit", "5", "--db", str(tmp_path / "x.duckdb")],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 1, output
    assert f"cannot reach {instance} ({reason}); check --instance" in output
    assert "Traceback" not in output and len(output.splitlines()) < 5, output


def test_file_formats_list_every_candidate_unless_limited(bakers_db):
    db = str(bakers_db(60))
    assert len(run("candidates", "--db", db, "-f", "csv").stdout.splitlines()) == 1 + 60
    assert run("candidates", "--db", db, "-f", "json").stdout.count('"handle"') == 60
    assert len(run("candidates", "--db", db, "-f", "csv", "--limit", "7").stdout.splitlines()) == 1 + 7


def test_a_cut_table_says_how_many_were_left_out(bakers_db):
    db = str(bakers_db(60))
    cut = run("candidates", "--db", db)
    assert cut.exit_code == 0 and "50 candidates" in cut.stdout
    assert cut.stderr.strip().splitlines() == ["10 more candidates not shown; use --limit 60 or -f csv for all"]
    whole = run("candidates", "--db", db, "--limit", "60")
    assert whole.exit_code == 0 and whole.stderr == ""


def test_min_er_takes_a_percentage_and_warns_about_a_fraction_above_one(bakers_db, tmp_path):
    db = str(bakers_db(60))
    as_fraction = run("candidates", "--db", db, "-f", "json", "--min-er", "0.02")
    as_percent = run("candidates", "--db", db, "-f", "json", "--min-er", "2%")
    assert as_percent.exit_code == 0 and as_percent.stderr == ""
    matching = as_percent.stdout.count('"handle"')
    assert as_percent.stdout == as_fraction.stdout and 0 < matching < 60
    exported = run("export", "--db", db, "-o", str(tmp_path / "c.csv"), "--min-er", "2%")
    assert exported.exit_code == 0 and f"wrote {matching} candidates" in exported.stdout

    above_one = run("candidates", "--db", db, "-f", "json", "--min-er", "2")
    assert above_one.exit_code == 0 and above_one.stdout.strip() == "[]"
    assert above_one.stderr.strip().splitlines() == [
        "warning: --min-er 2 read as a fraction, 200%; for 2% write --min-er 2% or 0.02"]


@pytest.mark.parametrize("value", ["abc", "-1", "-2%", "nan", "inf", "%"])
def test_a_bad_min_er_is_one_line(bakers_db, value):
    result = run("candidates", "--db", str(bakers_db(1)), "--min-er", value)
    assert result.exit_code == 2
    assert "--min-er" in one_clear_line(result)


def test_export_says_which_directory_it_created(bakers_db, tmp_path):
    db = str(bakers_db(3))
    out = tmp_path / "exports" / "uk" / "c.csv"
    first = run("export", "--db", db, "-o", str(out))
    assert first.exit_code == 0 and out.exists()
    assert first.stderr.splitlines() == [f"created directory {out.parent}"]
    again = run("export", "--db", db, "-o", str(out.with_name("d.csv")))
    assert again.exit_code == 0 and again.stderr == ""
