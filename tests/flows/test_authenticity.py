"""`scout authenticity` on CSVs written here: the verdict columns, pass-through, bad input."""

from __future__ import annotations

import pytest
from csv_files import rows, write
from typer.testing import CliRunner

from cli.app import app

runner = CliRunner()

HEADER = ("platform,handle,display_name,bio,followers,following,posts,favourites,listed,created_at,"
          "external_url,has_default_avatar,lang,location,verified,observed_at,campaign\n")
GOOD = HEADER + (
    'twitter,maya_bakes,Maya Patel,"I bake bread, mum of 2",412,380,2100,900,12,2010-03-02T10:00:00Z,'
    "https://maya.example,False,en,Leeds,False,2013-05-01T00:00:00Z,spring\n"
    "twitter,jennifer84302,Jennifer Moss,,9,610,4,0,0,2013-03-20T08:00:00Z,,False,en,,False,"
    "2013-05-01T00:00:00Z,spring\n"
    ",,,,,,,,,,,,,,,,\n"
    "twitter,followback_king,Follow Back,,200,4800,1500,0,0,2012-01-01T00:00:00Z,,False,en,,False,"
    "2013-05-01T00:00:00Z,\n"
)


def authenticity(*args: str):
    return runner.invoke(app, ["authenticity", *args], catch_exceptions=False)


def test_rows_keep_order_and_columns_and_get_a_verdict(tmp_path):
    src, out = write(tmp_path, GOOD), tmp_path / "out.csv"
    result = authenticity("--input", str(src), "--output", str(out))
    assert result.exit_code == 0, result.output
    assert "1 fake, 1 mass followers" in result.output
    got = rows(out)
    assert [r["handle"] for r in got] == ["maya_bakes", "jennifer84302", "", "followback_king"]
    assert list(got[0])[-4:] == ["fake_probability", "is_fake", "follower_class", "authenticity_evidence"]
    maya, jennifer, empty, mass = got
    assert maya["campaign"] == "spring" and maya["favourites"] == "900"  # passed through
    assert maya["follower_class"] == "real" and maya["is_fake"] == "false"
    assert float(maya["fake_probability"]) < 0.1
    assert jennifer["follower_class"] == "fake" and jennifer["is_fake"] == "true"
    assert float(jennifer["fake_probability"]) > 0.9
    assert "follows 67.8 accounts per follower: suggests fake (+" in jennifer["authenticity_evidence"]
    assert mass["follower_class"] == "mass_follower"
    assert mass["authenticity_evidence"].startswith("follows 4,800 accounts, more than 10 per follower")
    assert empty["follower_class"] == "" and empty["authenticity_evidence"] == ""  # nothing invented


def test_only_handle_is_required_and_chunks_change_nothing(tmp_path):
    body = "".join(f"user{i},{i * 7 % 900},{i * 13 % 2000}\n" for i in range(250))
    src = write(tmp_path, "handle,followers,following\n" + body)
    one, many = tmp_path / "one.csv", tmp_path / "many.csv"
    assert authenticity("-i", str(src), "-o", str(one)).exit_code == 0
    assert authenticity("-i", str(src), "-o", str(many), "--chunk-rows", "100").exit_code == 0
    assert one.read_bytes() == many.read_bytes() and len(rows(one)) == 250
    bare = write(tmp_path, "handle\nalice\n", "bare.csv")
    assert authenticity("-i", str(bare), "-o", str(tmp_path / "bare_out.csv")).exit_code == 0
    (alice,) = rows(tmp_path / "bare_out.csv")
    assert alice["follower_class"] in {"real", "fake"} and alice["authenticity_evidence"] == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("display_name,bio\nMaya,hi\n", "no 'handle' column"),
        ("handle,bio\na,b\nc,d,e\n", "line 3"),
        ('handle,bio,followers\na,"two\nlines",10\nb,fine,lots\n', "line 4: followers is 'lots', not a number"),
        ("handle,followers\na,10\nb,-5\n", "line 3: followers is '-5', a negative count"),
        ("handle,created_at\na,2012-01-01\nb,last tuesday\n", "line 3: created_at is 'last tuesday', not a date"),
        ("handle,has_default_avatar\na,True\nb,maybe\n", "line 3: has_default_avatar is 'maybe', not true or false"),
        ("handle,is_fake\na,b\n", "already has output column"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path, text, message):
    src, out = write(tmp_path, text), tmp_path / "out.csv"
    result = authenticity("-i", str(src), "-o", str(out))
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["in.csv"]  # no output, no temp file


def test_refuses_to_overwrite_without_force(tmp_path):
    src, out = write(tmp_path, GOOD), write(tmp_path, "keep me", "out.csv")
    result = authenticity("-i", str(src), "-o", str(out))
    assert result.exit_code == 2 and "--force" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert out.read_text() == "keep me"
    assert authenticity("-i", str(src), "-o", str(out), "--force").exit_code == 0
    assert len(rows(out)) == 4


def test_a_threshold_outside_0_to_1_is_named_for_what_it_is(tmp_path):
    src, out = write(tmp_path, GOOD), tmp_path / "out.csv"
    result = authenticity("-i", str(src), "-o", str(out), "--threshold", "1.5")
    assert result.exit_code == 2 and not out.exists()
    assert result.output.strip() == "error: The fake threshold must be a number from 0 to 1, not 1.5."
