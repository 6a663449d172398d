"""`scout classify` on CSVs written here: optional columns, unicode, HTML, empty and bad rows."""

from __future__ import annotations

import math

import pytest
from csv_files import rows, write
from typer.testing import CliRunner

from cli.app import app

runner = CliRunner()

GOOD = (
    "platform,handle,display_name,bio,followers,following,posts,sample_post,avatar_url,campaign\n"
    'twitter,mayabakes,Maya Patel 🌱,"<p>I bake sourdough &amp; cakes<br>mum of 2</p>",4200,310,1200,'
    '"my starter finally rose!",,spring\n'
    "twitter,dailymemes,Daily Memes 😂,daily memes | DM for promo | not affiliated,120000,3,9000,"
    '"tag a friend 😂 (via @someone)",,spring\n'
    ",,,,,,,,,\n"
    'mastodon,jose_g,José García,"Fotógrafo en Madrid 📷\ncafé y bici",,,,,,autumn\n'
    "twitter,oakridge_coffee,Oakridge Coffee Co.,Official account. Shop our beans at oakridge.example,"
    '"8,100",200,500,,,\n'
)


def classify(*args: str):
    return runner.invoke(app, ["classify", *args], catch_exceptions=False)


def test_rows_keep_order_and_columns_and_get_a_verdict(tmp_path):
    src, out = write(tmp_path, GOOD), tmp_path / "out.csv"
    result = classify("--input", str(src), "--output", str(out))
    assert result.exit_code == 0, result.output
    got = rows(out)
    assert [r["handle"] for r in got] == ["mayabakes", "dailymemes", "", "jose_g", "oakridge_coffee"]
    assert list(got[0])[-5:] == ["account_type", "is_person", "person_probability", "needs_review", "evidence"]
    assert got[0]["campaign"] == "spring" and got[0]["bio"].startswith("<p>I bake")  # passed through
    maya, memes, empty, jose, brand = got
    assert maya["is_person"] == "true" and maya["account_type"] == "person"
    assert memes["is_person"] == "false" and memes["account_type"] == "meme"
    assert brand["is_person"] == "false" and brand["account_type"] == "brand"
    assert jose["is_person"] == "true" and "\n" in jose["bio"]
    assert empty["account_type"] == "" and empty["evidence"] == ""  # nothing to judge, nothing invented
    for row in (maya, memes, jose, brand):
        assert 0.0 <= float(row["person_probability"]) <= 1.0
        assert row["evidence"] and "(" in row["evidence"]


def test_only_handle_is_required(tmp_path):
    src, out = write(tmp_path, "handle\nsunny.bakes\nthe_daily_facts\n"), tmp_path / "o.csv"
    assert classify("-i", str(src), "-o", str(out)).exit_code == 0
    assert [r["handle"] for r in rows(out)] == ["sunny.bakes", "the_daily_facts"]


def test_same_input_same_output(tmp_path):
    src = write(tmp_path, GOOD)
    classify("-i", str(src), "-o", str(tmp_path / "a.csv"))
    classify("-i", str(src), "-o", str(tmp_path / "b.csv"), "--chunk-rows", "100")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_streams_in_chunks_without_losing_rows(tmp_path):
    body = "handle,bio\n" + "".join(f"user{i},I love baking number {i}\n" for i in range(2500))
    src, out = write(tmp_path, body), tmp_path / "o.csv"
    assert classify("-i", str(src), "-o", str(out), "--chunk-rows", "1000").exit_code == 0
    assert [r["handle"] for r in rows(out)] == [f"user{i}" for i in range(2500)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("display_name,bio\nMaya,hi\n", "no 'handle' column"),
        ("", "is empty"),
        ('handle,bio,followers\na,"two\nlines",10\nb,fine,lots\n', "line 4: followers is 'lots', not a number"),
        ("handle,bio\na,b\nc,d,e\n", "line 3"),
        ("handle,display_name\na,b,c,d\n", "line 2"),  # first row longer than the header: no shift
        ("handle,followers\na,10\nb,-5\n", "line 3: followers is '-5', a negative count"),
        ("handle,account_type\na,b\n", "already has output column"),
    ],
)
def test_bad_input_names_the_problem_and_writes_nothing(tmp_path, text, message):
    src, out = write(tmp_path, text), tmp_path / "out.csv"
    result = classify("-i", str(src), "-o", str(out))
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["in.csv"]  # no temp file left behind


def test_refuses_to_overwrite_without_force(tmp_path):
    src, out = write(tmp_path, GOOD), write(tmp_path, "keep me", "out.csv")
    result = classify("-i", str(src), "-o", str(out))
    assert result.exit_code != 0 and "--force" in result.output
    assert out.read_text() == "keep me"
    assert classify("-i", str(src), "-o", str(out), "--force").exit_code == 0


def test_missing_input_file(tmp_path):
    result = classify("-i", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.csv"))
    assert result.exit_code != 0 and "does not exist" in result.output


def test_counts_are_read_like_the_platforms_print_them(tmp_path):
    """"12.5K", a German "1.234" and "1 234" are the same counts as their plain digits; a float
    count as pandas writes it ("1200.0") still reads."""
    pairs = [("12.5K", "12500"), ("1.234", "1234"), ("1 234", "1234"), ("3,5 Mio.", "3500000"), ("1.000", "1000"),
             ("1200.0", "1200")]
    body = "handle,bio,followers\n" + "".join(
        f'baker,I bake bread,"{text}"\nbaker,I bake bread,{plain}\n' for text, plain in pairs)
    src, out = write(tmp_path, body), tmp_path / "o.csv"
    result = classify("-i", str(src), "-o", str(out))
    assert result.exit_code == 0, result.output
    got = rows(out)
    verdict = ("account_type", "person_probability", "needs_review", "evidence")
    for printed, plain in zip(got[::2], got[1::2], strict=True):
        assert [printed[c] for c in verdict] == [plain[c] for c in verdict], printed["followers"]


def test_needs_review_flags_verdicts_near_the_threshold(tmp_path):
    """The same rule as the warehouse's candidates (transforms.score.REVIEW_MARGIN)."""
    from transforms.score import REVIEW_MARGIN

    src = write(tmp_path, GOOD)
    assert classify("-i", str(src), "-o", str(tmp_path / "a.csv")).exit_code == 0
    maya = float(rows(tmp_path / "a.csv")[0]["person_probability"])
    threshold = round(maya, 2)  # maya now sits right at the threshold
    assert classify("-i", str(src), "-o", str(tmp_path / "b.csv"), "--threshold", str(threshold)).exit_code == 0
    got = rows(tmp_path / "b.csv")
    assert got[0]["needs_review"] == "true"
    for row in got:
        if row["person_probability"] == "":
            assert row["needs_review"] == ""
        else:
            near = abs(float(row["person_probability"]) - threshold) < REVIEW_MARGIN
            assert row["needs_review"] == ("true" if near else "false"), row["handle"]


def test_bare_handles_stay_near_the_prior_and_need_review(tmp_path):
    """Issue 12: with only a handle, `nike` came out a person at 0.97 and `nasa` at 0.84."""
    from transforms.account_known import prior_logit
    from transforms.account_model import load_model

    prior = 1 / (1 + math.exp(-prior_logit(load_model())))
    src, out = write(tmp_path, "handle\nnike\nnasa\nlena.backt\n"), tmp_path / "o.csv"
    assert classify("-i", str(src), "-o", str(out)).exit_code == 0
    for row in rows(out):
        assert abs(float(row["person_probability"]) - prior) < 0.12, row
        assert row["needs_review"] == "true", row
