"""The niche model: packaged weights round trip, determinism, plain captions in several languages,
no text means no niche, and scoring through score_creators."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from transforms.content import CONTENT_COLUMNS, creator_content
from transforms.niches import (
    MODEL_FILE,
    NICHES,
    NicheModel,
    load_niche_model,
    niche_documents,
    top_niches,
)
from transforms.score import score_creators

NOW = datetime(2024, 5, 1, 12, tzinfo=UTC)
NO_POSTS = pd.Series([], dtype="string")


def niches_of(texts: list[str], names: list[str | None] | None = None, *, seeds: bool = True) -> pd.DataFrame:
    names = names or [None] * len(texts)
    docs = niche_documents(pd.Series(names, dtype="string"), pd.Series([None] * len(texts), dtype="string"),
                           pd.Series(texts, dtype="string"), np.arange(len(texts)))
    model = load_niche_model()
    return top_niches(model.probabilities(docs, seeds=seeds), model.classes)


def test_the_packaged_weights_round_trip_through_save_and_load(tmp_path):
    model = load_niche_model()
    assert model.classes == NICHES
    model.save(tmp_path / MODEL_FILE)
    again = NicheModel.from_bytes((tmp_path / MODEL_FILE).read_bytes())
    assert again.classes == model.classes and again.bits == model.bits
    np.testing.assert_array_equal(again.coef, model.coef)
    np.testing.assert_array_equal(again.intercept, model.intercept)
    assert (resources.files("transforms.models") / MODEL_FILE).stat().st_size < 5_000_000


def test_the_packaged_weights_reproduce_the_reports_example_scores():
    report = json.loads((resources.files("transforms.models") / "niches_report.json").read_text())
    examples = report["examples"]
    # the weights alone, as the report read them (scoring then applies the seed rule)
    got = niches_of([e["text"] for e in examples], seeds=False)["niches"].tolist()
    assert got == [e["niches"] for e in examples]


def test_same_input_same_output_and_the_format_is_three_named_probabilities():
    texts = ["Pasta carbonara night 🍝 recipe in my stories", "Hiking the Dolomites this week"]
    first, second = niches_of(texts), niches_of(list(reversed(texts)))
    assert first["niches"].tolist() == list(reversed(second["niches"].tolist()))
    parts = first.loc[0, "niches"].split("|")
    assert len(parts) == 3 and first.loc[0, "niche"] == parts[0].split(":")[0]
    probs = [float(p.split(":")[1]) for p in parts]
    assert probs == sorted(probs, reverse=True) and all(p.split(":")[0] in NICHES for p in parts)


PLAIN_CAPTIONS = {
    "food": ["Homemade lasagna tonight, recipe on the blog #foodie #homecooking",
             "Frisch gebackenes Sauerteigbrot mit Butter, Rezept folgt #backen #foodblogger",
             "Tarte aux pommes maison pour le dessert, recette en bio #recette #cuisine"],
    "travel": ["Sunrise over the temples of Bali, best trip ever #travel #wanderlust",
               "Viaje a Lisboa: callejones, tranvías y vistas al mar #viajar #travelgram"],
    "fitness": ["Morning workout: squats, deadlifts and a 5k run #fitness #gym #workout",
                "Allenamento di oggi in palestra, gambe e addominali #fitness #palestra"],
    "pet": ["My cat Mochi sleeping on the sofa again 🐱 #catsofinstagram",
            "Unser Hund Bruno liebt den Strand 🐶 #hund #dogsofinstagram"],
    "beauty": ["New makeup look: glowy foundation, winged eyeliner and a nude lipstick #makeup #beauty"],
    "interior": ["Our living room makeover: new sofa, plants and a cosy rug #interiordesign #homedecor"],
    "family": ["Family day at the park with my two little ones, motherhood is the best #momlife"],
    "fashion": ["Today's outfit: oversized blazer, denim and white sneakers #ootd #fashion #streetstyle"],
}
#: The niches the seed lexicons added (niches-v2), written before the model was trained.
SEEDED_CAPTIONS = {
    "gaming": ["Late night stream: ranked matches on my new PC setup, come hang out 🎮 #gaming #twitch",
               "Heute Abend zocken wir das neue Zelda auf der Konsole, Stream ab 20 Uhr #gaming"],
    "tech": ["Unboxing the new laptop: benchmarks, battery life and is the upgrade worth it? #tech #gadgets",
             "Mi nuevo setup de programación: monitor, teclado mecánico y mucho código #tecnologia"],
    "music": ["New single out Friday! Recorded the guitar and vocals in our home studio #music #newmusic",
              "Concert ce soir avec le groupe, nouvelle chanson à la guitare #musique"],
    "sport": ["Match day! Our team won 3-1 in the derby, what a goal in the last minute ⚽ #football",
              "Partita di calcio domenica, allenamento con la squadra tutta la settimana #calcio"],
    "art": ["New watercolor painting finished, a small landscape from my sketchbook #art #artist",
            "Nova ilustração terminada, desenho a lápis e aquarela #arte #ilustração"],
    "books": ["Just finished this novel in two days, my next read is on the shelf #bookstagram #reading",
              "Dieses Buch habe ich in zwei Tagen gelesen, meine Lieblingsbücher des Jahres #bücher #lesen"],
    "outdoors": ["Hiking to the summit at sunrise, tent pitched by the lake #hiking #outdoors",
                 "Ruta de senderismo por la montaña, acampada bajo las estrellas #senderismo"],
}


@pytest.mark.parametrize(("niche", "caption"),
                         [(n, c) for n, captions in PLAIN_CAPTIONS.items() for c in captions])
def test_plain_captions_in_several_languages_land_in_their_niche(niche, caption):
    assert niches_of([caption]).loc[0, "niche"] == niche


@pytest.mark.parametrize(("niche", "caption"),
                         [(n, c) for n, captions in SEEDED_CAPTIONS.items() for c in captions])
def test_captions_of_the_seeded_niches_in_several_languages_land_in_them_not_in_other(niche, caption):
    assert niches_of([caption]).loc[0, "niche"] == niche


def test_a_creator_with_no_text_gets_null_niches_not_a_crash():
    creators = pd.DataFrame({"display_name": pd.Series([None, "Ana", ""], dtype="string"),
                             "bio": pd.Series([None, None, None], dtype="string")})
    posts = pd.DataFrame({"text": pd.Series([None, "", "#travel Rome"], dtype="string"),
                          "published_at": pd.to_datetime([NOW, NOW, NOW], utc=True)})
    out = creator_content(creators, posts, np.array([0, 0, 1]))
    assert out["niches"].isna().tolist() == [True, False, True]
    assert out["niche"].isna().tolist() == [True, False, True]
    empty = creator_content(creators.iloc[:0], posts.iloc[:0], np.zeros(0, dtype=np.int64))
    assert list(empty.columns) == list(CONTENT_COLUMNS) and empty.empty


def test_only_the_creators_latest_posts_are_read():
    creators = pd.DataFrame({"display_name": pd.Series([None], dtype="string"),
                             "bio": pd.Series([None], dtype="string")})
    old = ["Sunrise over the temples of Bali #travel #wanderlust"] * 8
    new = ["Homemade lasagna tonight, recipe on the blog #foodie"] * 8
    posts = pd.DataFrame({"text": pd.Series(old + new, dtype="string"),
                          "published_at": pd.to_datetime([datetime(2020, 1, 1, tzinfo=UTC)] * 8 + [NOW] * 8)})
    assert creator_content(creators, posts, np.zeros(16, dtype=np.int64)).loc[0, "niche"] == "food"


def test_score_creators_writes_niches_and_niche():
    profiles = pd.DataFrame({"platform": ["bluesky", "bluesky"], "creator_id": ["a", "b"],
                             "handle": ["a", "b"], "display_name": ["Lena Bakes", None], "bio": [None, None]})
    posts = pd.DataFrame({"platform": ["bluesky"], "post_id": ["p1"], "creator_id": ["a"],
                          "published_at": [NOW], "text": ["Sourdough bread fresh from the oven, recipe below #baking"]})
    out = score_creators(profiles, posts, now=NOW)
    assert out.loc[0, "niche"] == "food" and out.loc[0, "niches"].startswith("food:")
    assert pd.isna(out.loc[1, "niches"]) and pd.isna(out.loc[1, "niche"])
