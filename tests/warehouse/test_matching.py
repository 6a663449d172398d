"""What a match reads from a real DuckDB file: the content columns stored with every score
(migration 013) round trip, the pool's SQL filters mean what brief_mask means, the ranking over
the pool (cosines in SQL) is rank_fit's over the full rows, and --like seeds resolve as scout
forget resolves handles, with bad ones as exit-2 errors naming candidates."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import duckdb
import numpy as np
import pandas as pd
import pytest

from core.brief import Brief
from core.records import Post, Profile
from flows.match import rank_warehouse
from transforms.content_model import CONTENT_VERSION
from transforms.fit import MODEL_VERSIONS, brief_mask, rank_fit
from transforms.frames import errors_frame, posts_frame, profiles_frame, raw_frame
from transforms.niches import NICHES
from transforms.score import score_creators
from transforms.vectors import as_matrix
from warehouse.db import connect
from warehouse.load import load_run
from warehouse.matching import SeedNotResolved
from warehouse.migrate import migrate
from warehouse.warehouse import Warehouse

NOW = datetime(2026, 3, 1, tzinfo=UTC)
PEOPLE = [
    # platform, id, handle, name, bio, captions
    ("bluesky", "did:plc:ana", "ana.bsky.social", "Ana Silva", "I'm Ana, I bake sourdough at home. PR friendly",
     ["my sourdough loaf today, recipe below #baking", "I made lemon cake with my kids this morning"]),
    ("bluesky", "did:plc:ben", "ben.bsky.social", "Ben Okafor", "I run marathons and lift. Paid collaborations only",
     ["My leg day at the gym: squats and deadlifts #fitness", "I ran 30k this morning, legs are gone"]),
    ("bluesky", "did:plc:eva", "eva.example.com", "Eva Braun", "Ich reise gern und fotografiere Städte in Europa",
     ["Sonnenuntergang in Lissabon, was für eine Reise #reisen", "Mein Wochenende in Wien war wunderschön"]),
    ("mastodon", "mastodon.social:1", "ana@mastodon.social", "Ana Costa", "I cook pasta and share family recipes",
     ["fresh pasta with olive oil from my kitchen #recipe", "my grandmother's tomato sauce, step by step"]),
    ("mastodon", "mastodon.social:2", "wenc@mastodon.social", "Wen Chen", "I knit and I garden, slowly",
     ["my new scarf is done", "I planted tomatoes today in my garden"]),
    ("mastodon", "mastodon.social:3", "mute@mastodon.social", None, None, []),
]


def stored_rows(db, brief: Brief | None = None) -> pd.DataFrame:
    """The full stored rows of every creator the brief's SQL filters keep, in the pool's order."""
    with Warehouse(db).match_read(brief or Brief(text=""), {}, MODEL_VERSIONS) as read:
        return read.rows(read.pool["score_row"])


def load(db) -> pd.DataFrame:
    by_platform = {}
    for platform, cid, handle, name, bio, captions in PEOPLE:
        by_platform.setdefault(platform, []).append((cid, handle, name, bio, captions))
    scores = []
    for i, (platform, people) in enumerate(by_platform.items()):
        profiles = profiles_frame([Profile(platform, cid, handle, display_name=name, followers=2000 + 1000 * k,
                                           following=300, posts_count=40, bio=bio)
                                   for k, (cid, handle, name, bio, _) in enumerate(people)], NOW)
        posts = posts_frame([Post(platform, f"{cid}/p{j}", cid, NOW - timedelta(days=j + 1), text, likes=80 + j,
                                  comments=6) for cid, _, _, _, captions in people
                             for j, text in enumerate(captions)], NOW)
        score = score_creators(profiles, posts, now=NOW)
        scores.append(score)
        load_run(db, run_id=f"r{i}", profiles=profiles, posts=posts, scores=score, raw_responses=raw_frame([]),
                 errors=errors_frame([]), run={"flow": "discover", "platform": platform, "params": {},
                                               "started_at": NOW, "finished_at": NOW, "status": "completed"})
    return pd.concat(scores, ignore_index=True)


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    db = tmp_path_factory.mktemp("match") / "scout.duckdb"
    scores = load(db)
    with duckdb.connect(str(db)) as con:  # everyone a person, so the person filter keeps them all
        con.execute("UPDATE creator_scores SET is_person = true")
    return db, scores


def test_content_columns_round_trip_through_the_warehouse(stored):
    db, scores = stored
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT creator_id, niche_probs, content_vector, language FROM creator_scores "
                           "ORDER BY creator_id").fetchall()
        view = dict(con.execute("SELECT creator_id, language FROM candidates").fetchall())
    expected = scores.set_index("creator_id")
    for cid, probs, vector, language in rows:
        want = expected.loc[cid]
        if want["content_vector"] is None:
            assert probs is None and vector is None and language is None
            continue
        np.testing.assert_array_equal(np.asarray(probs, dtype=np.float32), want["niche_probs"])
        np.testing.assert_array_equal(np.asarray(vector, dtype=np.float32), want["content_vector"])
        assert language == (None if pd.isna(want["language"]) else want["language"])
    assert expected.at["did:plc:eva", "language"] == "de" and expected.at["did:plc:ana", "language"] == "en"
    assert expected.at["mastodon.social:3", "content_vector"] is None  # no text at all
    assert set(view) <= set(expected.index) and view.get("did:plc:eva", "de") == "de"


@pytest.mark.parametrize("brief", [
    Brief(text=""),
    Brief(text="", platforms=("mastodon",)),
    Brief(text="", languages=("de",)),
    Brief(text="", collaboration="gifting"),
    Brief(text="", collaboration="paid", tiers=("nano",)),
    Brief(text="", min_authenticity=101),
])
def test_the_pool_filters_in_sql_exactly_as_brief_mask_does(stored, brief):
    db, _ = stored
    everyone = stored_rows(db)
    assert len(everyone) == len(PEOPLE)
    expected = everyone.loc[brief_mask(everyone, brief), "creator_id"].tolist()
    assert stored_rows(db, brief)["creator_id"].tolist() == expected
    if brief.platforms or brief.languages or brief.collaboration != "any":
        assert 0 < len(expected) < len(PEOPLE)


def test_a_brief_ranks_the_stored_creators_from_their_stored_vectors(stored):
    db, _ = stored
    pool = stored_rows(db)
    assert isinstance(pool["content_vector"].dtype, pd.ArrowDtype)
    assert np.isnan(as_matrix(pool["content_vector"], 64)).any(axis=1).sum() == 1
    ranked = rank_fit(pool, Brief(text="creators who cook at home and share family recipes"))
    assert set(ranked["handle"].head(2)) == {"ana.bsky.social", "ana@mastodon.social"}


@pytest.mark.parametrize(("likes", "ids"), [
    (("bluesky:@Ana.bsky.social",), ["did:plc:ana"]),
    (("@ben.bsky.social", "ben.bsky.social"), ["did:plc:ben"]),
    (("wenc",), ["mastodon.social:2"]),
    (("mastodon:wenc", "bluesky:eva.example.com"), ["mastodon.social:2", "did:plc:eva"]),
    (("did:plc:ben",), ["did:plc:ben"]),
])
def test_seeds_resolve_like_forget_resolves_handles(stored, likes, ids):
    db, _ = stored
    assert Warehouse(db).seed_frame(likes)["creator_id"].tolist() == ids


@pytest.mark.parametrize(("like", "said"), [
    ("ana", "matched 2 creators: bluesky:ana.bsky.social, mastodon:ana@mastodon.social"),
    ("nobody.bsky.social", "matched no stored creator"),
    ("tiktok:ana", "matched no stored tiktok creator"),
    ("mastodon:nobody", "matched no stored mastodon creator"),
])
def test_unknown_and_ambiguous_seeds_are_bad_input_naming_the_candidates(stored, like, said):
    db, _ = stored
    with pytest.raises(SeedNotResolved) as err:
        Warehouse(db).seed_frame(("ben.bsky.social", like))
    assert said in str(err.value) and err.value.exit_code == 2
    assert "\n" not in str(err.value)


def test_stored_vectors_say_which_content_model_made_them(stored, tmp_path):
    """New scores carry this code's CONTENT_VERSION; vectors stored before migration 017 (a
    random projection) are marked projection-v0, so a match can tell the two apart."""
    db, _ = stored
    pool = stored_rows(db)
    has_vector = pool["content_vector"].notna()
    assert has_vector.any() and (pool.loc[has_vector, "content_version"] == CONTENT_VERSION).all()
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    migrate(con, up_to=16)
    con.execute("""INSERT INTO creator_scores (platform, creator_id, run_id, scored_at, content_vector)
        VALUES ('bluesky', 'a', 'r', TIMESTAMPTZ '2024-05-01', repeat([0.125::FLOAT], 64)),
               ('bluesky', 'b', 'r', TIMESTAMPTZ '2024-05-01', NULL)""")
    con.close()
    with connect(old) as upgraded:
        versions = dict(upgraded.execute("SELECT creator_id, content_version FROM creator_scores").fetchall())
    assert versions == {"a": "projection-v0", "b": None}


@pytest.fixture(scope="module")
def history(stored, tmp_path_factory):
    """The stored warehouse plus what a match must see through: an older score of Ana's (not the
    latest, with another vector) and Eva's vector made by another content model."""
    db = tmp_path_factory.mktemp("history") / "scout.duckdb"
    shutil.copy(stored[0], db)
    with duckdb.connect(str(db)) as con:
        con.execute("""INSERT INTO creator_scores BY NAME
            SELECT * REPLACE ('old' AS run_id, scored_at - INTERVAL 1 DAY AS scored_at, false AS is_latest,
                              list_reverse(content_vector)::FLOAT[64] AS content_vector, 0.9 AS er_median)
            FROM creator_scores WHERE creator_id = 'did:plc:ana'""")
        con.execute("UPDATE creator_scores SET content_version = 'projection-v0' WHERE creator_id = 'did:plc:eva'")
    return db


@pytest.mark.parametrize("brief", [
    Brief(text="creators who cook at home and share family recipes"),
    Brief(text="I travel through Europe and photograph its cities"),
    Brief(text="creators who cook at home", languages=("en",), collaboration="gifting", min_authenticity=10),
    Brief(text="family recipes", exclude=("mastodon:ana@mastodon.social", "@wenc@mastodon.social")),
    Brief(text="", like=("ana.bsky.social",)),
    Brief(text="baking at home", like=("mastodon:wenc", "eva.example.com"), tiers=("nano", "micro")),
])
def test_ranking_the_pool_with_cosines_in_sql_is_rank_fit_over_the_full_rows(history, brief):
    """The fast path (the pool's scalars, the 64-d cosines computed by DuckDB, evidence for the
    rows shown) ranks exactly as rank_fit does over every filtered creator's full stored row."""
    everyone = stored_rows(history, brief)
    seeds = Warehouse(history).seed_frame(brief.like) if brief.like else None
    expected = rank_fit(everyone[brief_mask(everyone, brief)], brief, seeds)
    ranked = rank_warehouse(history, brief)
    assert ranked["creator_id"].tolist() == expected["creator_id"].tolist()
    assert list(ranked.columns) == list(expected.columns)
    for column in ("fit_score", "fit_niche", "fit_text", "fit_language", "fit_quality", "fit_like"):
        np.testing.assert_allclose(ranked[column].to_numpy(dtype=float, na_value=np.nan),
                                   expected[column].to_numpy(dtype=float, na_value=np.nan), atol=1e-6, err_msg=column)
    assert ranked["fit_evidence"].tolist() == expected["fit_evidence"].tolist()
    top = rank_warehouse(history, brief, limit=2)
    pd.testing.assert_frame_equal(top, ranked.head(2))
    eva = ranked.loc[ranked["creator_id"] == "did:plc:eva", "fit_evidence"]
    if brief.text and len(eva):
        assert "words unknown: scored with another content model" in eva.iloc[0]


def test_nine_niche_scores_read_as_unknown_after_migration_019_and_the_match_says_rescore(tmp_path):
    """Scores stored before 019 hold a nine-niche model's probabilities: 019 widens niche_probs to
    NICHES and clears them (their order is another taxonomy's) and marks them nine-niches, so a
    match reads the niche part as unknown and says why instead of misreading nine numbers."""
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    migrate(con, up_to=17)
    assert con.execute("SELECT data_type FROM information_schema.columns WHERE table_name = 'creator_scores' "
                       "AND column_name = 'niche_probs'").fetchone() == ("FLOAT[9]",)
    con.execute("""INSERT INTO creators (platform, creator_id, handle, first_seen_at, last_seen_at)
        VALUES ('bluesky', 'a', 'a.bsky.social', TIMESTAMPTZ '2024-05-01', TIMESTAMPTZ '2024-05-01'),
               ('bluesky', 'b', 'b.bsky.social', TIMESTAMPTZ '2024-05-01', TIMESTAMPTZ '2024-05-01')""")
    con.execute("""INSERT INTO creator_scores (platform, creator_id, run_id, scored_at, is_person, is_latest,
                                               niches, niche, niche_probs)
        VALUES ('bluesky', 'a', 'r', TIMESTAMPTZ '2024-05-01', true, true, 'food:0.91|travel:0.05|family:0.02', 'food',
                [0.01, 0.02, 0.01, 0.0, 0.91, 0.0, 0.0, 0.05, 0.0]::FLOAT[9]),
               ('bluesky', 'b', 'r', TIMESTAMPTZ '2024-05-01', true, true, NULL, NULL, NULL)""")
    con.close()
    with connect(old) as upgraded:
        rows = upgraded.execute("SELECT creator_id, niches, niche_probs, niche_version FROM creator_scores "
                                "ORDER BY creator_id").fetchall()
        width = upgraded.execute("SELECT data_type FROM information_schema.columns WHERE table_name = "
                                 "'creator_scores' AND column_name = 'niche_probs'").fetchone()
    assert width == (f"FLOAT[{len(NICHES)}]",)
    assert rows == [("a", "food:0.91|travel:0.05|family:0.02", None, "nine-niches"), ("b", None, None, None)]
    ranked = rank_warehouse(old, Brief(text="home cooking and family recipes"))
    evidence = dict(zip(ranked["handle"], ranked["fit_evidence"], strict=True))
    assert ranked["fit_niche"].isna().all()
    assert "niche unknown: scored with another niche model; run scout rescore" in evidence["a.bsky.social"]
    assert "content unknown: no text to read" in evidence["b.bsky.social"]
    assert "another niche model" not in evidence["b.bsky.social"]
