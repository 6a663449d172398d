"""The HTML report without a browser: what `scout report` and `scout export --format html` write
from a real DuckDB file, parsed back; the card reads; the avatar cache; bad input."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import cv2
import numpy as np
import pandas as pd
import pytest
import report_warehouse
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from cli.app import app
from core.brief import Brief
from reports.avatars import PLACEHOLDER, avatar_src
from reports.charts import niche_mix
from reports.render import ReportContext, render_report
from scrapers.avatars import MAX_AVATAR_BYTES, cache_path
from warehouse.cards import card_details
from warehouse.queries import candidates

CREATORS = 12


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return report_warehouse.build(tmp_path_factory.mktemp("report"), CREATORS)


def scout(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def written(warehouse: tuple[Path, Path], tmp_path: Path, *args: str, command: str = "report") -> BeautifulSoup:
    db, cache = warehouse
    out = tmp_path / "r.html"
    extra = ["--avatar-cache", str(cache)] if command == "report" else []
    result = scout(command, "--db", str(db), "-o", str(out), *extra, *args)
    assert result.exit_code == 0, result.output
    return BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")


def visible_text(page: BeautifulSoup) -> str:
    for hidden in page(["svg", "style", "script", "head"]):
        hidden.decompose()
    return page.get_text(" ")


def test_the_html_export_prints_numbers_for_people(warehouse, tmp_path: Path) -> None:
    """The old HTML export printed ER as 0.043478260869565216; the report rounds every number."""
    page = written(warehouse, tmp_path, command="export")
    assert len(page.select("article.card")) == CREATORS  # an export has every creator, no limit
    er = [td.get_text() for td in page.select("#creator-table tbody td:nth-of-type(5)")]
    assert len(er) == CREATORS and all(re.fullmatch(r"\d+\.\d%", e) for e in er), er
    followers = [td.get_text() for td in page.select("#creator-table tbody td:nth-of-type(4)")]
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*", f) for f in followers), followers
    assert not re.search(r"\d\.\d{3,}", visible_text(page))


def test_a_card_shows_growth_posts_niches_stance_and_contact(warehouse, tmp_path: Path) -> None:
    page = written(warehouse, tmp_path)
    card = next(c for c in page.select("article.card") if "liam1.bsky.social" in c.get_text())
    assert card.select_one("a.handle")["href"] == "https://bsky.app/profile/liam1.bsky.social"
    assert card.select_one("svg.spark polyline") is not None  # three snapshots make a sparkline
    assert "over 3 observations" in card.get_text()
    posts = card.select("ul.posts li")
    assert len(posts) == 3 and report_warehouse.REPOST not in card.get_text()  # reposts are not theirs
    assert all(re.search(r"\d+ likes · \d+ comments · \d+ shares · ER \d+\.\d%", p.get_text()) for p in posts)
    assert "open to gifting" in card.get_text() and "food" in card.select_one("p .label").parent.get_text()
    assert card.select_one("img.avatar")["src"].startswith("data:image/png;base64,")
    assert len(page.select("figure.chart svg")) == 4


def test_card_details_read_the_latest_three_original_posts_and_every_snapshot(warehouse) -> None:
    db, _ = warehouse
    keys = candidates(db)[["platform", "creator_id"]]
    details = card_details(db, keys)
    assert details.posts.groupby("creator_id").size().eq(3).all() and len(details.posts) == 3 * CREATORS
    assert report_warehouse.REPOST not in set(details.posts["text"])
    for _, posts in details.posts.groupby("creator_id"):
        assert posts["published_at"].is_monotonic_decreasing
    assert details.snapshots.groupby("creator_id").size().eq(3).all()
    assert set(details.profiles["creator_id"]) == set(keys["creator_id"]) and details.profiles["bio"].notna().all()
    assert details.runs["run_id"].tolist() == ["bluesky-day20"]  # the newest run of each platform


def test_fit_and_the_brief_show_when_a_match_provides_them(warehouse, tmp_path: Path) -> None:
    db, cache = warehouse
    frame = candidates(db)
    details = card_details(db, frame[["platform", "creator_id"]])
    plain = BeautifulSoup(render_report(frame, details, context=ReportContext(), avatar_cache=cache), "html.parser")
    assert not plain.select(".fit") and "fit" not in [th.get_text() for th in plain.select("th")]
    matched = frame.assign(fit_score=[90.0 - i for i in range(len(frame))], fit_rank=range(1, len(frame) + 1),
                           fit_evidence=['["bakes sourdough", "<script>x</script> in the bio"]'] * len(frame))
    brief = Brief(text="Home bakers <b>for</b> a flour brand", name="Spring flour =launch")
    page = BeautifulSoup(render_report(matched, details, context=ReportContext(brief=brief), avatar_cache=cache),
                         "html.parser")
    assert page.h1.get_text() == "Spring flour =launch" and page.title.get_text() == "Spring flour =launch"
    assert page.select_one(".brief").get_text() == "Home bakers <b>for</b> a flour brand"  # text, not markup
    card = page.select_one("article.card")
    assert card.select_one(".fit").get_text(" ", strip=True) == "90 fit (#1)"
    assert [li.get_text() for li in card.select("ul.evidence li")] == ["bakes sourdough", "<script>x</script> in the bio"]
    assert not page.select(".brief *, ul.evidence li *") and len(page.find_all("script")) == 1  # no element from the data
    assert "fit" in [th.get_text() for th in page.select("th")]
    as_lists = matched.assign(fit_evidence=[np.array(["bakes sourdough", "in Leeds"])] * len(frame))  # a LIST column
    card = BeautifulSoup(render_report(as_lists, details, context=ReportContext(), avatar_cache=cache),
                         "html.parser").select_one("article.card")
    assert [li.get_text() for li in card.select("ul.evidence li")] == ["bakes sourdough", "in Leeds"]


def test_the_policy_allows_no_remote_load_and_names_the_inline_style_and_script(warehouse, tmp_path: Path) -> None:
    page = written(warehouse, tmp_path)
    policy = page.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert policy == (f"default-src 'none'; img-src data:; style-src {sha(page.style.string)}; "
                      f"script-src {sha(page.script.string)}; base-uri 'none'; form-action 'none'")
    assert len(page.find_all("script")) == 1 and not page.select("[src]:not(img), link")
    assert all(img["src"].startswith("data:") for img in page.find_all("img"))
    assert "@media print" in page.style.string


def test_only_cached_images_are_inlined_and_anything_else_is_the_placeholder(tmp_path: Path) -> None:
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
    files = {"png": png, "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
             "html": b"<script>alert(1)</script>", "huge": png + b"\0" * MAX_AVATAR_BYTES}
    for name, data in files.items():
        cache_path(tmp_path, f"https://cdn.example/{name}").write_bytes(data)
    assert image(avatar_src(tmp_path, "https://cdn.example/png")) == ("image/png", (1, 1))  # transparency kept
    for name in ("svg", "html", "huge", "missing"):
        assert avatar_src(tmp_path, f"https://cdn.example/{name}") == PLACEHOLDER, name
    assert avatar_src(tmp_path, None) == PLACEHOLDER


def test_chart_labels_are_text_in_the_svg() -> None:
    svg = str(niche_mix(pd.DataFrame({"niche": ["<script>alert(1)</script>", "a&b"]})))
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg and "a&amp;b" in svg


def image(src: str) -> tuple[str, tuple[int, int]]:
    """(MIME type, (height, width)) of a data: URI's image."""
    head, _, data = src.partition(";base64,")
    pixels = cv2.imdecode(np.frombuffer(base64.b64decode(data), np.uint8), cv2.IMREAD_UNCHANGED)
    return head.removeprefix("data:"), pixels.shape[:2]


def test_avatars_are_shrunk_to_twice_the_size_a_card_shows(tmp_path: Path) -> None:
    ok, photo = cv2.imencode(".jpg", np.random.default_rng(1).integers(0, 255, (300, 450, 3), dtype=np.uint8))
    assert ok
    cache_path(tmp_path, "https://cdn.example/photo").write_bytes(photo.tobytes())
    src = avatar_src(tmp_path, "https://cdn.example/photo")
    assert image(src) == ("image/jpeg", (75, 112)) and len(src) < len(base64.b64encode(photo.tobytes()))


def test_a_limit_says_what_it_left_out_and_an_empty_list_says_so(warehouse, tmp_path: Path) -> None:
    db, cache = warehouse
    out = tmp_path / "five.html"
    result = scout("report", "--db", str(db), "-o", str(out), "--limit", "5", "--avatar-cache", str(cache))
    assert result.exit_code == 0 and f"{CREATORS - 5} more candidates not in the report" in result.output
    page = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert len(page.select("article.card")) == 5 and f"of {CREATORS} matching" in page.header.get_text()
    assert "no avatar cache" not in result.output
    without = scout("report", "--db", str(db), "-o", str(tmp_path / "bare.html"), "--avatar-cache", str(tmp_path / "nope"))
    assert without.exit_code == 0 and f"no avatar cache at {tmp_path / 'nope'}: cards show a placeholder" in without.output
    empty = written(warehouse, tmp_path / "none", "--min-er", "90%")
    assert not empty.select("article.card, figure.chart") and "No candidates match" in empty.get_text()


@pytest.mark.parametrize("args", [
    ["--limit", "0"], ["--tier", "mega"], ["--sort", "fame"], ["--min-er", "lots"], ["-p", "myspace"],
    ["-o", "{tmp}/r.csv"], ["-o", "{tmp}"], ["-o", "{tmp}/existing.html"],
])
def test_bad_input_is_one_line_exit_2_and_nothing_written(warehouse, tmp_path: Path, args: list[str]) -> None:
    db, _ = warehouse
    existing = tmp_path / "existing.html"
    existing.write_text("mine", encoding="utf-8")
    args = [a.format(tmp=tmp_path) for a in args]
    result = scout("report", "--db", str(db), *(args if "-o" in args else ["-o", str(tmp_path / "r.html"), *args]))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.count("error:") == 1 and result.output.strip().count("\n") == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.html"] and existing.read_text() == "mine"
    forced = scout("report", "--db", str(db), "-o", str(existing), "--force")
    assert forced.exit_code == 0 and existing.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
