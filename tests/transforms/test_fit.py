"""rank_fit and brief_mask on small frames whose content comes from content_profile: a food
brief ranks the food creators first, every filter, unknown parts left out of the score and named
in the evidence, the evidence's sign, and lookalikes that leave the seeds out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.brief import Brief
from core.identity import split_ref
from transforms.content import content_profile
from transforms.fit import FIT_COLUMNS, WEIGHTS, brief_mask, rank_fit

CREATORS = [
    # handle, platform, tier, followers, er, authenticity, stance, paid posts, bio, caption
    ("pasta.paolo", "instagram", "micro", 12_000, 0.05, 85, "unknown", 0,
     "Italian home cook: pasta, olive oil and family recipes", "fresh pasta with olive oil from my kitchen #recipe"),
    ("mia.bakes", "instagram", "nano", 5_000, 0.04, 90, "open_to_gifting", 0,
     "Home baker, sourdough and cakes, PR friendly", "my new sourdough loaf, recipe in bio #baking #homemade"),
    ("tom.runs", "bluesky", "nano", 8_000, 0.02, 80, "paid_only", 3,
     "Marathon runner, gym every day, rates on request", "leg day at the gym, squats and deadlifts #fitness #workout"),
    ("lea.reist", "instagram", "nano", 3_000, 0.03, 40, "unknown", 0,
     "Reisen und Fotografie, immer unterwegs in Europa", "Sonnenuntergang in Lissabon, was für eine Reise #reisen #travel"),
    ("kim.cooks", "bluesky", "micro", 20_000, 0.01, None, "open_to_gifting", 2,
     "Weeknight dinners and baking for busy families, gifting welcome", "one-pot chicken curry recipe for tonight #dinner #recipe"),
]
FOOD = Brief(text="Small olive oil producer from Crete: creators who cook at home and share recipes.")


def frame() -> pd.DataFrame:
    cols = ["handle", "platform", "tier", "followers", "er_median", "authenticity_score", "collab_stance",
            "paid_posts", "bio", "caption"]
    df = pd.DataFrame(CREATORS, columns=cols)
    df["collab_evidence"] = np.where(df["collab_stance"] == "unknown", None, "bio says \"" + df["bio"] + "\"")
    content = content_profile(pd.Series([None] * len(df), dtype="string"), df["bio"].astype("string"),
                              df["caption"].astype("string"), np.arange(len(df)))
    return pd.concat([df.drop(columns=["bio", "caption"]), content], axis=1)


def test_a_food_brief_ranks_the_food_creators_first_with_every_fit_column():
    ranked = rank_fit(frame(), FOOD)
    assert [c for c in FIT_COLUMNS if c not in ranked.columns] == []
    assert set(ranked["handle"].head(3)) == {"pasta.paolo", "mia.bakes", "kim.cooks"}
    assert ranked["fit_rank"].tolist() == [1, 2, 3, 4, 5]
    scores = ranked["fit_score"].to_numpy(dtype=float)
    assert (np.diff(scores) <= 0).all() and ((scores >= 0) & (scores <= 1)).all()
    assert len(rank_fit(frame().iloc[:0], FOOD)) == 0


def test_the_evidence_says_why_and_its_wording_follows_the_sign():
    ranked = rank_fit(frame(), Brief(text=FOOD.text, languages=("en", "fr"))).set_index("handle")
    paolo, tom, lea = (ranked.at[h, "fit_evidence"] for h in ("pasta.paolo", "tom.runs", "lea.reist"))
    assert paolo.startswith("posts about food: niche food ") and "brief food " in paolo
    assert "language en matches" in paolo
    assert tom.startswith("posts little about food: niche food ") and "(mostly fitness " in tom
    assert "language de, not en, fr" in lea and ranked.at["lea.reist", "fit_language"] == 0
    assert 'open to gifting: bio says "Home baker' in ranked.at["mia.bakes", "fit_evidence"]
    assert 'paid only: bio says "Marathon' in tom
    assert "ER 5.0%: top " in paolo and "authenticity 85/100" in paolo
    assert "ER 1.0%: bottom " in ranked.at["kim.cooks", "fit_evidence"]
    for handle, row in ranked.iterrows():
        said_close = "words close to the brief" in row["fit_evidence"]
        assert said_close == (row["fit_text"] >= 0.5), handle


def test_unknown_parts_are_left_out_of_the_score_and_named():
    df = frame().drop(columns=["er_median"])
    df["authenticity_score"] = None
    df.loc[4, ["niche_probs", "content_vector", "language"]] = None
    ranked = rank_fit(df, Brief(text=FOOD.text, languages=("en",))).set_index("handle")
    kim = ranked.loc["kim.cooks"]
    assert pd.isna(kim["fit_niche"]) and pd.isna(kim["fit_text"]) and pd.isna(kim["fit_quality"])
    assert pd.isna(kim["fit_language"]) and kim["fit_score"] == 0 and kim["fit_rank"] == 5
    assert "content unknown: no text to read" in kim["fit_evidence"]
    assert "words unknown" not in kim["fit_evidence"]
    assert "language unknown" in kim["fit_evidence"]
    assert "quality unknown: no ER or authenticity" in kim["fit_evidence"]
    paolo = ranked.loc["pasta.paolo"]
    parts = {k: paolo[k] for k in ("fit_niche", "fit_text", "fit_language")}
    expected = sum(WEIGHTS[k] * v for k, v in parts.items()) / sum(WEIGHTS[k] for k in parts)
    assert paolo["fit_score"] == pytest.approx(expected)
    bare = rank_fit(frame()[["platform", "handle"]], FOOD)  # nothing to score at all
    assert bare["fit_score"].isna().all() and bare["fit_rank"].tolist() == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(("brief", "kept"), [
    (Brief(text="", platforms=("Bluesky",)), {"tom.runs", "kim.cooks"}),
    (Brief(text="", tiers=("micro",)), {"pasta.paolo", "kim.cooks"}),
    (Brief(text="", min_authenticity=60), {"pasta.paolo", "mia.bakes", "tom.runs", "kim.cooks"}),
    (Brief(text="", collaboration="gifting"), {"pasta.paolo", "mia.bakes", "lea.reist", "kim.cooks"}),
    (Brief(text="", collaboration="paid"), {"pasta.paolo", "tom.runs", "lea.reist", "kim.cooks"}),
    (Brief(text="", exclude=("@Pasta.Paolo", "mia.bakes", "bluesky:tom.runs", "bluesky:lea.reist")),
     {"lea.reist", "kim.cooks"}),
])
def test_brief_mask_applies_each_filter(brief, kept):
    df = frame()
    assert set(df.loc[brief_mask(df, brief), "handle"]) == kept


def test_a_language_filter_keeps_the_creators_whose_language_is_unknown():
    df = frame()
    df.loc[0, "language"] = None
    kept = set(df.loc[brief_mask(df, Brief(text="", languages=("de",))), "handle"])
    assert kept == {"pasta.paolo", "lea.reist"}
    assert brief_mask(df.drop(columns=["language"]), Brief(text="", languages=("de",))).all()


def test_split_ref_reads_the_three_spellings():
    assert split_ref("@Mia.Bakes") == (None, "mia.bakes")
    assert split_ref("instagram:@mia") == ("instagram", "mia")
    assert split_ref("did:plc:abc") == (None, "did:plc:abc")


def test_lookalikes_leave_the_seeds_out_and_rank_the_similar_first():
    df = frame()
    seeds = df[df["handle"].isin(["pasta.paolo", "mia.bakes"])]
    ranked = rank_fit(df, Brief(text=""), seeds)
    assert "pasta.paolo" not in set(ranked["handle"]) and "mia.bakes" not in set(ranked["handle"])
    assert ranked["handle"].iloc[0] == "kim.cooks"
    top = ranked.iloc[0]
    assert top["fit_evidence"].startswith("niche and vocabulary like @pasta.paolo and @mia.bakes: similarity ")
    assert ranked.iloc[-1]["fit_evidence"].startswith("unlike @pasta.paolo and @mia.bakes: similarity ")
    assert ranked["fit_like"].iloc[0] == ranked["fit_like"].max()


def test_seeds_with_nothing_stored_still_compare_by_what_they_have():
    df = frame()
    seeds = df[df["handle"] == "kim.cooks"].assign(niche_probs=[None], content_vector=[None])
    ranked = rank_fit(df, Brief(text=""), seeds)
    assert "kim.cooks" not in set(ranked["handle"])
    assert ranked["fit_like"].notna().all()  # audience size alone, and said so
    assert ranked["fit_evidence"].str.contains("audience size like @kim.cooks: similarity |unlike @kim.cooks").all()
    assert not ranked["fit_evidence"].str.contains("niche and vocabulary").any()
    alone = rank_fit(df, Brief(text=""), seeds.assign(followers=[None]))
    assert alone["fit_like"].isna().all() and "unlike" not in " ".join(alone["fit_evidence"])
    assert alone["fit_evidence"].str.startswith("likeness to @kim.cooks unknown").all()


def test_top_returns_the_same_best_rows_with_the_same_evidence():
    """Only the best rows get evidence written (a warehouse match of 1M creators shows 20)."""
    full = rank_fit(frame(), FOOD)
    best = rank_fit(frame(), FOOD, top=3)
    columns = ["handle", *FIT_COLUMNS]
    assert len(best) == 3
    pd.testing.assert_frame_equal(best[columns].reset_index(drop=True), full[columns].head(3).reset_index(drop=True))


def test_a_creator_read_but_with_no_word_in_the_vocabulary_is_said_so():
    """Text in a script the content model never saw: niches are read, the vector is not."""
    df = frame()
    df.loc[4, "content_vector"] = None
    kim = rank_fit(df, FOOD).set_index("handle").loc["kim.cooks"]
    assert pd.notna(kim["fit_niche"]) and pd.isna(kim["fit_text"])
    assert "words unknown: none in the content model's vocabulary" in kim["fit_evidence"]
    assert "no text to read" not in kim["fit_evidence"]


def test_a_vector_another_content_model_made_is_unknown_not_compared():
    """A stored vector of another CONTENT_VERSION (a score made before lsa-v1) is in other
    coordinates: its cosine with this model's brief would be noise."""
    df = frame().assign(content_version="lsa-v1")
    df.loc[4, "content_version"] = "projection-v0"
    ranked = rank_fit(df, FOOD).set_index("handle")
    kim = ranked.loc["kim.cooks"]
    assert pd.notna(kim["fit_niche"]) and pd.isna(kim["fit_text"])
    assert "words unknown: scored with another content model; run scout rescore" in kim["fit_evidence"]
    assert "none in the content model's vocabulary" not in kim["fit_evidence"]
    assert ranked["fit_text"].drop("kim.cooks").notna().all() and "content_version" not in ranked.columns
    seed = df[df["handle"] == "kim.cooks"]
    stale_seed = rank_fit(df, Brief(text=""), seeds=seed)["fit_like"].to_numpy(dtype=float)
    no_vector = rank_fit(df, Brief(text=""), seeds=seed.assign(content_vector=[None]))["fit_like"]
    np.testing.assert_array_equal(stale_seed, no_vector.to_numpy(dtype=float))  # a seed's too


def test_a_good_match_names_the_niche_it_shares_with_the_brief_never_other():
    """A short brief the niche model reads as mostly 'other' ("vegan baking, open to gifting") still
    explains a baker by food, the niche they share; a poor match names the brief's main named niche."""
    from transforms.fit_evidence import _niche_line
    from transforms.niches import NICHES

    def probs(**p: float) -> np.ndarray:
        return np.array([p.get(n, 0.0) for n in NICHES])

    brief = probs(other=0.30, food=0.25, family=0.15, travel=0.05)
    creators = np.vstack([probs(food=0.80, other=0.10), probs(travel=0.90, other=0.05)])
    lines = _niche_line(brief, creators, np.array([0.8, 0.1])).to_pylist()
    assert lines[0] == "posts about food: niche food 0.80, brief food 0.25"
    assert lines[1] == "posts little about food: niche food 0.00 (mostly travel 0.90), brief food 0.25"


def test_top_cuts_through_ties_in_input_order_as_a_full_sort_does():
    """The best ``top`` are found by partitioning, not sorting: rows that tie (the same creator
    four times over) still come in input order, exactly the full ranking's first rows."""
    df = pd.concat([frame().assign(handle=frame()["handle"] + f".{copy}") for copy in range(4)], ignore_index=True)
    full = rank_fit(df, FOOD)
    for top in (1, 2, 5, 7, 19):
        best = rank_fit(df, FOOD, top=top)
        assert best["handle"].tolist() == full["handle"].head(top).tolist()
    assert [h[-1] for h in full["handle"].head(4)] == ["0", "1", "2", "3"]


def test_the_evidence_names_the_seeded_niches_a_gaming_brief_and_creator_share():
    gamer = ("pixel.pia", "bluesky", "nano", 4_000, 0.04, 85, "unknown", 0,
             "Streamer and gamer: ranked matches, retro consoles and PC builds",
             "late night stream, new PC setup and my PS5 #gaming #twitch")
    df = frame()
    extra = content_profile(pd.Series([None], dtype="string"), pd.Series([gamer[8]], dtype="string"),
                            pd.Series([gamer[9]], dtype="string"), np.arange(1))
    row = pd.DataFrame([gamer[:8]], columns=df.columns[:8]).assign(collab_evidence=None)
    df = pd.concat([df, pd.concat([row, extra], axis=1)], ignore_index=True)
    ranked = rank_fit(df, Brief(text="A gaming headset brand looking for streamers who play video games."))
    assert ranked.iloc[0]["handle"] == "pixel.pia"
    assert ranked.iloc[0]["fit_evidence"].startswith("posts about gaming: niche gaming ")
