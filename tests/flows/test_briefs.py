"""Briefs from a TOML file and the command line: one Brief, options over the file, and every bad
value one line naming the key and where it came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.brief import Brief
from flows.briefs import BriefError, BriefOptions, brief_params, build_brief

FULL = '''
name = "crete-olive-oil-q1"
brief = "Small olive oil producer from Crete:   creators who cook at home."
platforms = ["Instagram", "bluesky"]
tiers = ["nano", "micro"]
languages = ["EN", "de"]
min_authenticity = 60
collaboration = "gifting"
exclude = ["@already.contacted"]
like = ["@maya.cooks"]
'''


def brief_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "brief.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_file_becomes_one_brief_with_names_normalised(tmp_path):
    brief = build_brief(BriefOptions(), brief_file(tmp_path, FULL))
    assert brief == Brief(text="Small olive oil producer from Crete: creators who cook at home.",
                          name="crete-olive-oil-q1", platforms=("instagram", "bluesky"), tiers=("nano", "micro"),
                          languages=("en", "de"), min_authenticity=60.0, collaboration="gifting",
                          exclude=("@already.contacted",), like=("@maya.cooks",))
    assert brief_params(brief)["platforms"] == ["instagram", "bluesky"] and "text" not in brief_params(brief)


def test_command_line_options_replace_the_files_values_and_keep_the_rest(tmp_path):
    options = BriefOptions(text="vegan baking", platforms=("mastodon",), collaboration="any", like=("@a", "@b"))
    brief = build_brief(options, brief_file(tmp_path, FULL))
    assert (brief.text, brief.platforms, brief.collaboration, brief.like) == (
        "vegan baking", ("mastodon",), "any", ("@a", "@b"))
    assert brief.tiers == ("nano", "micro") and brief.min_authenticity == 60.0  # the file's own


def test_inline_only_and_lookalikes_only_are_briefs():
    assert build_brief(BriefOptions(text="home cooking")).text == "home cooking"
    assert build_brief(BriefOptions(like=("@maya",))).like == ("@maya",)


@pytest.mark.parametrize(("text", "message"), [
    ('brief = "x"\ncolour = "red"\n', "unknown key 'colour'"),
    ('brief = "x"\ntiers = "nano, micro"\nmin_authenticity = "high"\n', "key 'min_authenticity' must be a number"),
    ('brief = "x"\ntiers = [1, 2]\n', "key 'tiers' must be a list of strings"),
    ('brief = 3\n', "key 'brief' must be a string"),
    ('brief = "   "\n', "key 'brief': the brief is empty"),
    ('brief = "x"\ntiers = ["gold"]\n', "key 'tiers': unknown tier 'gold'"),
    ('brief = "x"\nplatforms = ["myspace"]\n', "key 'platforms': unknown platform 'myspace'"),
    ('brief = "x"\ncollaboration = "free"\n', "key 'collaboration': collaboration 'free' is not one of"),
    ('brief = "x"\nmin_authenticity = 120\n', "key 'min_authenticity': must be a number from 0 to 100"),
    ('brief = "x"\nlanguages = ["english"]\n', "key 'languages': language 'english' is not an ISO 639-1"),
    ('brief = "x\n', "is not valid TOML"),
])
def test_a_bad_file_is_one_line_naming_the_key_and_the_file(tmp_path, text, message):
    path = brief_file(tmp_path, text)
    with pytest.raises(BriefError) as caught:
        build_brief(BriefOptions(), path)
    assert str(path) in str(caught.value) and message in str(caught.value)
    assert "\n" not in str(caught.value) and caught.value.exit_code == 2


@pytest.mark.parametrize(("options", "message"), [
    (BriefOptions(), "--brief: the brief is empty"),
    (BriefOptions(text="x", tiers=("gold",)), "--tier: unknown tier 'gold'"),
    (BriefOptions(text="x", collaboration="free"), "--collaboration: collaboration 'free'"),
])
def test_a_bad_option_names_the_option(options, message):
    with pytest.raises(BriefError, match=message):
        build_brief(options)


def test_a_bad_option_over_a_good_file_names_the_option_not_the_file(tmp_path):
    with pytest.raises(BriefError, match="^--platform: unknown platform 'myspace'"):
        build_brief(BriefOptions(platforms=("myspace",)), brief_file(tmp_path, FULL))


def test_a_missing_file_is_one_line(tmp_path):
    with pytest.raises(Exception, match="does not exist") as caught:
        build_brief(BriefOptions(), tmp_path / "nope.toml")
    assert caught.value.exit_code == 2
