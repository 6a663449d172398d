"""``scout match --input``: a brief ranked over a creators CSV (and its posts), no warehouse."""

from __future__ import annotations

import pytest
from csv_files import rows, write
from typer.testing import CliRunner

from cli.app import app

runner = CliRunner()

CREATORS = (
    "platform,handle,display_name,bio,followers,following,posts,crm_id\n"
    "bluesky,lena.bakes,Lena Weber,\"I bake sourdough and cook family dinners at home, recipes every week. PR friendly\","
    "4.2K,300,210,A-1\n"
    "bluesky,gymtom,Tom Reyes,Personal trainer: workouts and lifting every day,12500,410,380,A-2\n"
    "mastodon,cheftara@kitchen.social,Tara Singh,Home cook sharing easy vegetarian recipes and baking,\"2,300\",150,90,A-3\n"
    "bluesky,paidpaula,Paula Jones,Recipes and home cooking. Paid collaborations only,8000,200,120,A-4\n"
    "bluesky,travelbo,Bo Lind,Backpacking across Asia: hostels and street food,30000,500,640,A-5\n"
)
POSTS = (
    "platform,handle,post_id,published_at,text,likes,comments,shares,views\n"
    "bluesky,lena.bakes,1,2024-04-01,My sourdough loaf and a simple soup recipe,120,10,2,\n"
    "bluesky,lena.bakes,2,2024-04-03,Sunday family dinner: roast vegetables,80,6,0,\n"
    "bluesky,gymtom,3,2024-04-02,Leg day. Squats and deadlifts,300,12,1,\n"
    "bluesky,unknown.person,4,2024-04-02,Not in the creators file,5,0,0,\n"
)
BRIEF = "Kitchenware brand: creators who cook at home and share recipes"


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def match(tmp_path, *extra: str, creators: str = CREATORS, posts: str | None = None):
    src, out = write(tmp_path, creators, "creators.csv"), tmp_path / "ranked.csv"
    posts_args = ["--posts", str(write(tmp_path, posts, "posts.csv"))] if posts is not None else []
    result = run("match", "--brief", BRIEF, "--input", str(src), "--output", str(out), *posts_args, *extra)
    return result, out


def test_every_row_comes_out_ranked_with_the_match_columns_and_its_own_columns_unchanged(tmp_path):
    result, out = match(tmp_path)
    assert result.exit_code == 0, result.output
    assert "ranked 5 creators" in result.output
    ranked = rows(out)
    assert len(ranked) == 5 and [r["fit_rank"] for r in ranked] == ["1", "2", "3", "4", "5"]
    assert list(ranked[0])[:8] == ["platform", "handle", "display_name", "bio", "followers", "following", "posts",
                                   "crm_id"]
    assert list(ranked[0])[8:] == ["fit_score", "fit_rank", "niches", "fit_evidence", "account_type",
                                   "person_probability", "tier", "collab_stance"]  # no ER without posts
    by_handle = {r["handle"]: r for r in ranked}
    assert by_handle["lena.bakes"]["followers"] == "4.2K" and by_handle["lena.bakes"]["crm_id"] == "A-1"
    assert by_handle["cheftara@kitchen.social"]["followers"] == "2,300"  # as written
    assert ranked[0]["handle"] in {"lena.bakes", "cheftara@kitchen.social"} and ranked[-1]["handle"] == "gymtom"
    scores = [float(r["fit_score"]) for r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert by_handle["lena.bakes"]["tier"] == "nano" and by_handle["travelbo"]["tier"] == "micro"
    assert by_handle["lena.bakes"]["collab_stance"] == "open_to_gifting"
    assert by_handle["paidpaula"]["collab_stance"] == "paid_only"
    assert by_handle["lena.bakes"]["niches"].startswith("food:")
    assert all(r["fit_evidence"] and r["account_type"] for r in ranked)


def test_posts_give_er_and_are_read(tmp_path):
    result, out = match(tmp_path, posts=POSTS)
    assert result.exit_code == 0, result.output
    by_handle = {r["handle"]: r for r in rows(out)}
    assert list(by_handle["gymtom"])[-1] == "er_median"
    # lena: (120 + 10 + 2) / 4200 and (80 + 6) / 4200, median of the two
    assert float(by_handle["lena.bakes"]["er_median"]) == pytest.approx((132 / 4200 + 86 / 4200) / 2, abs=1e-6)
    assert float(by_handle["gymtom"]["er_median"]) == pytest.approx(313 / 12500, abs=1e-6)
    assert by_handle["travelbo"]["er_median"] == ""  # no posts, no ER


def test_filters_apply_only_when_asked(tmp_path):
    result, out = match(tmp_path)
    assert result.exit_code == 0 and len(rows(out)) == 5
    result, out = match(tmp_path, "--collaboration", "gifting", "--tier", "nano", "--force")
    assert result.exit_code == 0, result.output
    kept = {r["handle"] for r in rows(out)}
    assert kept == {"lena.bakes", "cheftara@kitchen.social"}  # paidpaula: paid only; the others: micro
    assert "3 left out by the brief's filters" in result.output
    result, out = match(tmp_path, "--exclude", "@lena.bakes", "-p", "mastodon", "--force")
    assert {r["handle"] for r in rows(out)} == {"cheftara@kitchen.social"}


def test_like_finds_lookalikes_and_leaves_the_seed_out(tmp_path):
    result, out = match(tmp_path, "--like", "@lena.bakes")
    assert result.exit_code == 0, result.output
    ranked = rows(out)
    assert "lena.bakes" not in {r["handle"] for r in ranked} and len(ranked) == 4
    assert "@lena.bakes" in ranked[0]["fit_evidence"]


def test_only_handle_is_required(tmp_path):
    result, out = match(tmp_path, creators="handle\nmaya_cooks\nnike\n")
    assert result.exit_code == 0, result.output
    assert sorted(r["handle"] for r in rows(out)) == ["maya_cooks", "nike"]


@pytest.mark.parametrize(("creators", "posts", "message"), [
    ("name,bio\nx,y\n", None, "has no 'handle' column"),
    ("handle,followers\na,10\nb,lots\n", None, "creators.csv line 3: followers is 'lots', not a number"),
    ("handle,followers\na,10\nb,-5\n", None, "line 3: followers is '-5', a negative count"),
    ("handle,bio\na,x\nb,y,extra\n", None, "malformed CSV: Expected 2 fields in line 3, saw 3"),
    ("handle,tier\na,nano\n", None, "already has output column(s) tier"),
    (CREATORS, "handle,caption\na,b\n", "posts.csv has no 'text' column"),
    (CREATORS, "handle,text,likes\na,b,many\n", "posts.csv line 2: likes is 'many', not a number"),
])
def test_malformed_input_is_one_line_with_its_line_exit_2_and_nothing_written(tmp_path, creators, posts, message):
    result, out = match(tmp_path, creators=creators, posts=posts)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists() and not list(tmp_path.glob(".ranked.csv*"))


@pytest.mark.parametrize(("extra", "message"), [
    (["--like", "@nobody"], "--like '@nobody' is not a creator in"),
    (["--save", "x"], "--save is for matching the warehouse"),
    (["--limit", "3"], "--limit is for matching the warehouse"),
    (["--tier", "gold"], "--tier: unknown tier 'gold'"),
])
def test_bad_options_are_one_line_exit_2_and_nothing_written(tmp_path, extra, message):
    result, out = match(tmp_path, *extra)
    assert result.exit_code == 2, result.output
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_an_existing_output_needs_force(tmp_path):
    out = tmp_path / "ranked.csv"
    out.write_text("keep me", encoding="utf-8")
    result, _ = match(tmp_path)
    assert result.exit_code == 2 and "--force" in result.output and out.read_text() == "keep me"
    result, _ = match(tmp_path, "--force")
    assert result.exit_code == 0 and len(rows(out)) == 5


def test_input_needs_output_and_posts_needs_input(tmp_path):
    src = write(tmp_path, CREATORS, "creators.csv")
    result = run("match", "--brief", BRIEF, "--input", str(src))
    assert result.exit_code == 2 and "--input needs --output" in result.output
    result = run("match", "--brief", BRIEF, "--posts", str(src), "--db", str(tmp_path / "w.duckdb"))
    assert result.exit_code == 2 and "--posts goes with --input" in result.output
    assert not (tmp_path / "w.duckdb").exists()
