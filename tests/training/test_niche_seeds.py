"""The seed lexicons and the weak-label rule of the niches the labelled data lacks
(training/niches/seeds.py): what counts as a clear hit, what stays ``other``, and removing the
seeds from a text."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pandas as pd

from training.niches.main import DATA_NICHES, SEEDED_NICHES, as_data_niches
from training.niches.seeds import (
    seed_hits,
    seed_labels,
    seed_lexicons,
    strip_seeds,
)
from transforms.niche_seeds import SEED_FILE, seed_niche, with_seed_niches
from transforms.niches import NICHES, document_words

LANGUAGES = ("en", "de", "es", "fr", "it", "pt", "tags")


def test_every_niche_beyond_the_datas_nine_has_a_lexicon_in_six_languages_and_hashtags():
    raw = json.loads(resources.files("transforms.models").joinpath(SEED_FILE).read_text(encoding="utf-8"))
    assert set(seed_lexicons()) == set(SEEDED_NICHES) == set(NICHES) - set(DATA_NICHES)
    for niche in SEEDED_NICHES:
        assert all(raw[niche].get(lang) for lang in LANGUAGES), niche


def test_two_distinct_seed_terms_of_one_dominant_niche_relabel_an_other_account():
    docs = pd.Series(["late night gaming on the ps5 #gaming", "new song out, guitar and piano",
                      "gaming gaming gaming", "my guitar and my ps5",
                      "wandern in den bergen, natur pur", "hiking and gaming with my ps5 and xbox",
                      "sourdough recipe #baking #gaming #ps5"])
    labels = pd.Series(["other"] * 6 + ["food"])
    assert seed_labels(docs, labels).tolist() == [
        "gaming", "music",
        "other",  # one distinct term, however often
        "other",  # one term each: no niche dominates
        "outdoors",
        "gaming",  # 3 gaming terms against 1 outdoors: dominant
        "food",  # the data's own label is never replaced
    ]


def test_a_term_matches_whole_words_with_or_without_a_hash():
    hits = seed_hits(pd.Series(["#Gaming and gaming", "gamingly artistic", "video  games", None]))
    assert hits["gaming"].tolist() == [1, 0, 1, 0]
    assert hits["art"].tolist() == [0, 0, 0, 0]


def test_strip_seeds_removes_every_seed_term_and_keeps_the_rest():
    stripped = strip_seeds(pd.Series(["Loving my new #PS5 and the Guitar, said my cat", None]))
    assert stripped.str.split().tolist() == [["Loving", "my", "new", "and", "the", ",", "said", "my", "cat"], []]


def test_as_data_niches_folds_the_seeded_niches_into_other():
    p = np.zeros((1, len(NICHES)))
    p[0, NICHES.index("gaming")], p[0, NICHES.index("food")], p[0, NICHES.index("other")] = 0.5, 0.3, 0.2
    folded = as_data_niches(p)
    assert folded.shape == (1, len(DATA_NICHES))
    assert folded[0, DATA_NICHES.index("other")] == 0.7 and folded[0, DATA_NICHES.index("food")] == 0.3


def test_at_scoring_time_the_rule_picks_the_same_seed_niche_as_the_training_labels():
    """transforms/niche_seeds.py counts the terms on the niche model's tokens, not by regex: on
    texts of one- and two-word terms it picks what the labelling rule picks for an `other`."""
    docs = pd.Series(["late night gaming on the ps5 #gaming", "new song out, guitar and piano",
                      "gaming gaming gaming", "my guitar and my ps5", "wandern in den bergen, natur pur",
                      "hiking and gaming with my ps5 and xbox", "street photography with my new camera",
                      "i bake sourdough every sunday"], dtype="string")
    labelled = seed_labels(docs, pd.Series(["other"] * len(docs)))
    picked, niches = seed_niche(*document_words(docs), len(docs))
    assert [niches[k] if k >= 0 else "other" for k in picked] == labelled.tolist()


def test_the_rule_mixes_a_picked_seed_niche_in_at_half_and_leaves_other_rows_alone():
    docs = pd.Series(["streamer and gamer: ranked matches, retro consoles #gaming #twitch", "i bake sourdough"],
                     dtype="string")
    probs = np.full((2, len(NICHES)), 1 / len(NICHES))
    out = with_seed_niches(probs, NICHES, *document_words(docs))
    assert out[0].argmax() == NICHES.index("gaming") and np.isclose(out[0].sum(), 1.0)
    assert out[0, NICHES.index("gaming")] == 0.5 + 0.5 / len(NICHES)
    np.testing.assert_array_equal(out[1], probs[1])
