"""The follower model: packaged weights, the mass-follower rule, evidence wording, unknowns."""

from __future__ import annotations

import json
import re
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from transforms.follower_features import KEYS, follower_features
from transforms.follower_model import MODEL_FILE, MODEL_VERSION, load_follower_model
from transforms.followers import score_followers

NOW = pd.Timestamp("2013-05-01", tz="UTC")


def report() -> dict:
    text = resources.files("transforms").joinpath("models", "followers_report.json").read_text("utf-8")
    return json.loads(text)


def test_packaged_weights_reproduce_the_reports_scores():
    examples = report()["final"]["examples"]
    frame = pd.DataFrame([{**e["input"], "observed_at": e["observed_at"]} for e in examples])
    got = score_followers(frame, now=pd.Timestamp("2030-01-01", tz="UTC"))["fake_probability"]
    np.testing.assert_allclose(got.to_numpy(), [e["fake_probability"] for e in examples], atol=2e-6)
    model = load_follower_model()
    assert model is load_follower_model() and model.version == MODEL_VERSION
    assert MODEL_FILE in report()["model_file"]["name"] and list(model.keys) == KEYS


def test_report_carries_the_headline_figures():
    cv = report()["cross_validation"]["all"]
    assert cv["n"] == 2340 and cv["accuracy"] > 0.9 and cv["macro_f1"] > 0.9
    left_out = {r["source"] for r in report()["leave_one_source_out"]}
    assert {"FSF", "INT", "TWT"} <= left_out


@pytest.mark.parametrize(("followers", "following", "mass"), [
    (100, 1_501, True), (100, 1_500, False), (250, 2_000, False), (0, 1_600, True), (None, 5_000, False),
])
def test_mass_follower_rule_comes_before_the_model(followers, following, mass):
    frame = pd.DataFrame({"handle": ["x"], "followers": pd.Series([followers], dtype=float),
                          "following": pd.Series([following], dtype=float)})
    out = score_followers(frame, now=NOW).iloc[0]
    assert (out.follower_class == "mass_follower") is mass
    if not mass:
        assert out.follower_class == ("fake" if out.is_fake else "real")


def test_evidence_signs_match_the_wording_and_the_model():
    frame = pd.DataFrame({
        "handle": ["maya_bakes", "jennifer84302", "rob"],
        "bio": ["I bake bread", "", "dad, runner"],
        "followers": [412, 9, 3000], "following": [380, 610, 200], "posts": [2100, 4, 8000],
        "created_at": ["2010-03-02", "2013-03-20", "2008-01-01"],
    })
    out = score_followers(frame, now=NOW)
    model = load_follower_model()
    contrib = model.contributions(follower_features(frame, NOW).to_numpy(dtype=float))
    logit = contrib.sum(axis=1) + model.bias()
    np.testing.assert_allclose(out["fake_probability"], 1 / (1 + np.exp(-logit)))
    for row, items in enumerate(out["authenticity_evidence"]):
        assert items, "every judged account gets a reason"
        for item in items:
            word, value = re.fullmatch(r".+: suggests (fake|real) \(([+-][0-9.]+)\)", item).groups()
            assert (float(value) > 0) == (word == "fake")
        largest = np.abs(contrib[row]).max()
        assert float(items[0].rsplit("(", 1)[1].rstrip(")")) == pytest.approx(
            np.sign(contrib[row][np.abs(contrib[row]).argmax()]) * largest, abs=0.051)


def test_an_absent_column_is_unknown_not_empty():
    without = pd.DataFrame({"handle": ["ana"], "followers": [120]})
    empty_bio = without.assign(bio=[""])
    p_without = score_followers(without, now=NOW).iloc[0]
    p_empty = score_followers(empty_bio, now=NOW).iloc[0]
    assert not any("bio" in e for e in p_without.authenticity_evidence)
    assert p_empty.fake_probability > p_without.fake_probability  # a known empty bio looks bought
