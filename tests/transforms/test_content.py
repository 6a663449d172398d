"""content_profile and text_profile: the same text always gives the same unit vector, no text
gives nothing, language on plain bios and captions in several languages, and the vector is
the library's language call done for every creator at once."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from transforms.content import (
    CONTENT_COLUMNS,
    CONTENT_DIM,
    content_profile,
    text_profile,
)
from transforms.language import MIN_CHARS, language_probabilities, main_language
from transforms.niches import NICHES

BIOS = {
    "en": "Home cook sharing easy family recipes, sourdough and weekend baking with my kids",
    "de": "Ich koche gerne für meine Familie und teile hier meine liebsten Rezepte und Backideen",
    "fr": "Je partage mes recettes de cuisine maison, mes desserts et mes balades en famille",
    "es": "Comparto mis recetas caseras favoritas y mis viajes por España con mi familia",
}


def profile(names: list[str | None], bios: list[str | None], posts: list[str] = (),
            owner: list[int] = ()) -> pd.DataFrame:
    return content_profile(pd.Series(names, dtype="string"), pd.Series(bios, dtype="string"),
                           pd.Series(list(posts), dtype="string"), np.asarray(owner, dtype=np.int64))


def test_same_text_same_profile_and_vectors_have_unit_length():
    first = profile(["Mia", "Tom"], [BIOS["en"], BIOS["de"]], ["sourdough loaf #baking"], [0])
    again = profile(["Tom", "Mia"], [BIOS["de"], BIOS["en"]], ["sourdough loaf #baking"], [1])
    assert list(first.columns) == list(CONTENT_COLUMNS)
    for col in ("niche_probs", "content_vector"):
        np.testing.assert_array_equal(first.at[0, col], again.at[1, col])
        np.testing.assert_array_equal(first.at[1, col], again.at[0, col])
    assert first["niches"].tolist() == again["niches"].tolist()[::-1]
    for v in first["content_vector"]:
        assert v.dtype == np.float32 and v.shape == (CONTENT_DIM,)
        assert abs(float(np.linalg.norm(v)) - 1.0) < 1e-5
    probs = first.at[0, "niche_probs"]
    assert probs.dtype == np.float32 and probs.shape == (len(NICHES),)
    assert abs(float(probs.sum()) - 1.0) < 1e-5
    assert NICHES[int(np.argmax(probs))] == first.at[0, "niche"]


def test_no_text_gives_null_everything_and_short_text_no_language():
    out = profile([None, "Ana", ""], [None, None, "  "])
    assert out.loc[0].isna().all() and out.loc[2].isna().all()
    assert out.at[1, "niche_probs"] is not None and out.at[1, "content_vector"] is not None
    assert pd.isna(out.at[1, "language"])  # "ana" is far below MIN_CHARS
    assert len("ana") < MIN_CHARS


def test_the_content_vector_is_closer_for_texts_that_share_words():
    out = profile([None] * 3, ["sourdough bread and cakes, baking every weekend",
                               "baking sourdough bread every weekend with cakes",
                               "marathon training, gym sessions and running shoes"])
    v = np.vstack(out["content_vector"].to_list())
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_a_cooking_brief_is_closer_to_a_cooking_creator_than_to_a_gym_creator():
    """No word of the brief is in either creator's captions: only what the words mean (which
    words occur together in real captions) can tell the two apart."""
    _, brief = text_profile("Small olive oil producer from Crete: creators who cook at home and share recipes.")
    out = profile(["Nonna Rosa", "Jake Lifts"], [None, None],
                  ["homemade lasagna tonight with fresh basil #foodie", "baked a lemon cake for dessert, so tasty",
                   "leg day: squats and deadlifts #fitness", "new personal best on the bench press, gains"],
                  [0, 0, 1, 1])
    cooking, gym = out["content_vector"]
    assert brief @ cooking > brief @ gym + 0.1


@pytest.mark.parametrize(("lang", "bio"), list(BIOS.items()))
def test_language_of_plain_bios(lang, bio):
    assert profile([None], [bio]).at[0, "language"] == lang


def test_language_comes_from_the_captions_when_the_bio_is_short():
    out = profile(["Lena"], ["hi"], ["Heute gibt es Apfelkuchen nach dem Rezept meiner Oma, so lecker",
                                     "Wir waren am Wochenende wandern in den Bergen"], [0, 0])
    assert out.at[0, "language"] == "de"


def test_the_vectorised_walk_gives_py3langids_own_probabilities():
    texts = pd.Series([*BIOS.values(), "ciao a tutti, oggi vi porto al mare in sardegna"], dtype="string")
    probs, classes = language_probabilities(texts)
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(dict.fromkeys(classes)))
    for text, row in zip(texts, probs, strict=True):
        lang, confidence = identifier.classify(text)
        assert classes[int(row.argmax())] == lang
        assert abs(float(row.max()) - confidence) < 1e-4
    assert main_language(texts).tolist() == ["en", "de", "fr", "es", "it"]


def test_text_profile_matches_content_profile_of_the_same_words():
    brief = "Creators who cook at home and share family recipes"
    probs, vector = text_profile(brief)
    same = profile([brief], [None])
    np.testing.assert_array_equal(probs, same.at[0, "niche_probs"])
    np.testing.assert_array_equal(vector, same.at[0, "content_vector"])
    assert NICHES[int(np.argmax(probs))] == "food"
    assert text_profile("   ") == (None, None)
