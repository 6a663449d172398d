"""One creator, one row: what `scout import` stores for a creator seen on several saved pages."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from cli.app import app

pytestmark = pytest.mark.usefixtures("prefect_harness")
FIXTURES = Path(__file__).parents[1] / "fixtures"
runner = CliRunner()


def rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def scout_import(platform: str, folder: Path, db: Path) -> None:
    result = runner.invoke(app, ["import", "-p", platform, str(folder), "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("newest", "followers", "tier"), [
    ("profile_sigi.html", 18342, "micro"),
    ("profile_universal_statsv2.html", 1_234_567, "mega"),
])
def test_two_saved_tiktok_pages_store_and_score_the_newest_observation(tmp_path, newest, followers, tier):
    """Both pages show marisolgrows (18,342 and 1,234,567 followers): the newer file (by the time it was
    saved) is the profile stored and the one scored, whatever the files' name order."""
    saved = tmp_path / "saved"
    saved.mkdir()
    for name in ("profile_sigi.html", "profile_universal_statsv2.html"):
        shutil.copy(FIXTURES / "tiktok" / name, saved / name)
        age = 0 if name == newest else 3600
        os.utime(saved / name, (1_700_000_000 - age, 1_700_000_000 - age))
    db = tmp_path / "tt.duckdb"
    scout_import("tiktok", saved, db)
    assert rows(db, "select followers from creators where handle = 'marisolgrows'") == [(followers,)]
    assert rows(db, "select tier from latest_scores s join creators c using (platform, creator_id) "
                    "where c.handle = 'marisolgrows'") == [(tier,)]
