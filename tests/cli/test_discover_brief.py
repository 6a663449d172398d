"""``scout discover --brief-file``: queries and hashtags derived from a brief, said, then a usual run."""

from __future__ import annotations

import duckdb
import pytest
from typer.testing import CliRunner

from cli.app import app
from flows.briefs import BriefOptions, brief_search_terms, build_brief

runner = CliRunner()
COOKING = "A kitchenware brand looking for creators who cook at home and share their recipes and baking."


def brief_file(tmp_path, extra: str = ""):
    path = tmp_path / "brief.toml"
    path.write_text(f'brief = "{COOKING}"\n{extra}', encoding="utf-8")
    return path


def test_the_brief_words_without_stopwords_become_queries_and_its_niche_a_hashtag():
    queries, hashtags = brief_search_terms(build_brief(BriefOptions(text=COOKING)))
    assert queries == ["kitchenware", "cook", "home", "recipes", "baking"]
    assert hashtags[0] == "food" and "other" not in hashtags


def test_a_brief_naming_several_platforms_needs_p_and_nothing_is_written(tmp_path):
    db = tmp_path / "w.duckdb"
    result = runner.invoke(app, ["discover", "--brief-file", str(brief_file(tmp_path, 'platforms = ["bluesky", "mastodon"]\n')),
                                 "--db", str(db)])
    assert result.exit_code == 2 and "names 2 platforms (bluesky, mastodon)" in result.output
    assert "choose it with -p" in result.output and not db.exists()


def test_without_p_or_a_brief_platform_discover_says_what_it_needs(tmp_path):
    result = runner.invoke(app, ["discover", "--brief-file", str(brief_file(tmp_path)), "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 2 and "needs --platform" in result.output


def test_a_bad_brief_file_is_one_line_naming_the_key(tmp_path):
    result = runner.invoke(app, ["discover", "-p", "bluesky", "--brief-file", str(brief_file(tmp_path, "tiers = [1]\n")),
                                 "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 2 and "key 'tiers' must be a list of strings" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.usefixtures("prefect_harness")
def test_discover_runs_on_the_briefs_platform_with_the_derived_terms(tmp_path, sandbox):
    db = tmp_path / "w.duckdb"
    result = runner.invoke(app, ["discover", "--brief-file", str(brief_file(tmp_path, 'platforms = ["bluesky"]\n')),
                                 "--base-url", sandbox.base_url, "--limit", "15", "--posts", "5", "--rate", "100",
                                 "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    said = result.stderr.splitlines()[0]
    assert said.startswith(f"from {tmp_path / 'brief.toml'}: queries kitchenware, cook, home, recipes, baking; "
                           "hashtags food") and said.endswith("; platform bluesky")
    with duckdb.connect(str(db), read_only=True) as con:
        (params,) = con.execute("SELECT params FROM runs").fetchone()
        assert con.execute("SELECT count(*) FROM creators WHERE platform = 'bluesky'").fetchone()[0] > 0
        lineage = con.execute("SELECT DISTINCT found_by, term FROM creator_lineage ORDER BY ALL").fetchall()
    assert '"baking"' in params and '"food"' in params
    # the creators the brief's own terms found are credited to it (issue 15's lineage)
    assert lineage and {by for by, _ in lineage} == {"brief"}, lineage
    assert all(term.startswith("brief: ") for _, term in lineage), lineage


@pytest.mark.parametrize(("text", "niche"), [
    ("A gaming chair brand looking for streamers who play video games on PC and console.", "gaming"),
    ("An indie record label looking for musicians: singers, guitarists and songwriters.", "music"),
    ("A bookshop looking for readers who review novels and share their bookshelf.", "books"),
])
def test_a_brief_about_a_seeded_niche_makes_that_niche_a_hashtag(text, niche):
    queries, hashtags = brief_search_terms(build_brief(BriefOptions(text=text)))
    assert hashtags[:1] == [niche] and queries
