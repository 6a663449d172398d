"""`scout candidates` (json, csv) and `export` show each candidate's niche from the candidates view."""

from __future__ import annotations

import csv
import io
import json

import duckdb
from typer.testing import CliRunner

from cli.app import app

runner = CliRunner()


def test_the_view_the_table_and_the_export_carry_the_niche(bakers_db, tmp_path):
    db = bakers_db(2)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT niche, niches FROM candidates ORDER BY handle").fetchall()
    assert len(rows) == 2 and all(niches.startswith(f"{niche}:") and niches.count("|") == 2 for niche, niches in rows)
    listed = json.loads(runner.invoke(app, ["candidates", "--db", str(db), "-f", "json"]).stdout)
    assert sorted((r["niche"], r["niches"]) for r in listed) == sorted(rows)
    as_csv = list(csv.DictReader(io.StringIO(runner.invoke(app, ["candidates", "--db", str(db), "-f", "csv"]).stdout)))
    assert sorted((r["niche"], r["niches"]) for r in as_csv) == sorted(rows)
    out = tmp_path / "c.csv"
    assert runner.invoke(app, ["export", "--db", str(db), "-o", str(out)]).exit_code == 0
    exported = list(csv.DictReader(out.open(newline="")))
    assert sorted((r["niche"], r["niches"]) for r in exported) == sorted(rows)
