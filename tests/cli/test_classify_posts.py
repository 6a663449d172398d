"""``scout classify-posts``: every row out with its collab kind; bad input is one line, exit 2."""

from __future__ import annotations

import csv

from typer.testing import CliRunner

from cli.app import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_classify_posts_adds_the_columns_to_every_row(tmp_path):
    src, out = tmp_path / "posts.csv", tmp_path / "out.csv"
    src.write_text('handle,text,likes\nanna,"Loving this dress #ad @zara @anna",3\n'
                   'anna,Dinner with my partner @sam,4\n,,\nbo,Thanks @glossier for sending these!,1\n'
                   'cy,Use code CY10 for 10% off,2\n', encoding="utf-8")
    result = run("classify-posts", "--input", str(src), "--output", str(out))
    assert result.exit_code == 0, result.output
    assert "classified 5 posts" in result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["collab_kind"] for r in rows] == ["paid", "organic", "", "gifted", "affiliate"]
    assert [r["is_sponsored"] for r in rows] == ["true", "false", "", "false", "false"]
    assert [r["partners"] for r in rows] == ["@zara", "", "", "@glossier", ""]
    assert rows[0]["collab_evidence"] == '"#ad" (disclosure tag)'
    assert [r["likes"] for r in rows] == ["3", "4", "", "1", "2"]


def test_only_text_is_required(tmp_path):
    src, out = tmp_path / "posts.csv", tmp_path / "out.csv"
    src.write_text("text\nc/o @nike new shoes\n", encoding="utf-8")
    assert run("classify-posts", "--input", str(src), "--output", str(out)).exit_code == 0
    assert list(csv.DictReader(out.open(encoding="utf-8")))[0]["collab_kind"] == "gifted"


def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path):
    out = tmp_path / "out.csv"
    no_text = tmp_path / "no_text.csv"
    no_text.write_text("handle,caption\na,#ad\n", encoding="utf-8")
    clash = tmp_path / "clash.csv"
    clash.write_text("text,collab_kind\n#ad,x\n", encoding="utf-8")
    for src, message in [(no_text, "has no 'text' column"), (clash, "already has output column(s) collab_kind"),
                         (tmp_path / "missing.csv", "missing.csv")]:
        result = run("classify-posts", "--input", str(src), "--output", str(out))
        assert result.exit_code == 2, result.output
        assert message in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1
        assert not out.exists() and not list(tmp_path.glob(".out.csv*"))
    out.write_text("keep me", encoding="utf-8")
    src = tmp_path / "ok.csv"
    src.write_text("text\nhello\n", encoding="utf-8")
    result = run("classify-posts", "--input", str(src), "--output", str(out))
    assert result.exit_code == 2 and "--force" in result.output and out.read_text() == "keep me"
