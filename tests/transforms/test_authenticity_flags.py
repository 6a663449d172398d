"""Authenticity flags on small frames built here: each flag, its edge cases, and the score."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import duckdb
import numpy as np
import pandas as pd
import pytest
from datasketch import MinHash

from transforms.authenticity import (
    AUTHENTICITY_VERSION,
    AuthenticityContext,
    ad_network,
    rescore_ad_network,
)
from transforms.authenticity.benchmarks import MIN_BENCHMARK_CREATORS
from transforms.authenticity.profile_flags import new_account
from transforms.score import score_creators

NOW = datetime(2026, 1, 1, tzinfo=UTC)
OWN = ["walked the dog along the river before breakfast and saw two herons fishing",
       "my grandmother taught me this plum cake recipe when I was seven years old",
       "finally fixed the bike chain myself after watching three videos and failing twice",
       "rainy sunday, reading a thick novel about sailors and drinking far too much tea"]


def creator(cid: str, *, followers: int | None = 3000, following: int | None = 200, platform: str = "mastodon",
            **extra) -> dict:
    return {"platform": platform, "creator_id": cid, "handle": cid, "display_name": cid.title(),
            "followers": followers, "following": following, **extra}


def posts_of(cid: str, likes, comments, *, platform: str = "mastodon", texts=None, sponsored=False) -> list[dict]:
    n = len(likes)
    texts = texts or [f"{cid} post number {k} about bread and ovens and flour" for k in range(n)]
    return [{"platform": platform, "post_id": f"{cid}-{k}", "creator_id": cid, "text": texts[k],
             "published_at": NOW - timedelta(days=k + 1), "likes": likes[k], "comments": comments[k],
             "is_sponsored": sponsored} for k in range(n)]


def flags_of(profiles: list[dict], posts: list[dict], **context) -> dict[str, list[dict]]:
    """creator_id -> its flag records, through the one scoring entry point."""
    out = score_creators(pd.DataFrame(profiles), pd.DataFrame(posts, columns=list(posts[0]) if posts else ["platform"]),
                         now=NOW, authenticity=AuthenticityContext(**context))
    assert (out["authenticity_version"] == AUTHENTICITY_VERSION).all()
    return {cid: json.loads(f) for cid, f in zip(out["creator_id"], out["authenticity_flags"], strict=True)}


def network_flags_of(profiles: list[dict], posts: list[dict]) -> dict[str, list[dict]]:
    """creator_id -> its flag records once scored and then judged by the ad-network pass over everyone."""
    frame = pd.DataFrame(posts)
    frame["is_repost"] = frame["is_repost"] if "is_repost" in frame else False
    scores = score_creators(pd.DataFrame(profiles), frame, now=NOW).assign(run_id="run")
    changed = rescore_ad_network(scores, frame).set_index("creator_id")["authenticity_flags"]
    return {cid: json.loads(changed.get(cid, f)) for cid, f in zip(scores["creator_id"], scores["authenticity_flags"], strict=True)}


def named(flags: list[dict], name: str) -> dict | None:
    return next((f for f in flags if f["name"] == name), None)


def organic_likes(n: int = 10, base: int = 100) -> list[int]:
    return [base + (37 * k) % 60 for k in range(n)]  # varies by about 20%


class TestFewComments:
    def test_bought_likes_are_high_with_the_norm_in_the_evidence(self):
        flags = flags_of([creator("fake"), creator("real")],
                         posts_of("fake", [900] * 3 + [1000] * 3 + [1100] * 4, [1] * 10)
                         + posts_of("real", organic_likes(), [7] * 10))
        flag = named(flags["fake"], "few_comments")
        assert flag["severity"] == "high" and flag["value"] == pytest.approx(0.1, abs=0.02)
        assert flag["threshold"] == pytest.approx(0.62)
        assert flag["evidence"].startswith("0.1 comments per 100 likes; nano accounts on mastodon median 6.2")
        assert named(flags["real"], "few_comments") is None

    def test_no_comments_field_or_hidden_likes_raise_nothing(self):
        flags = flags_of([creator("nocomments"), creator("hidden")],
                         posts_of("nocomments", organic_likes(), [None] * 10)
                         + posts_of("hidden", [None] * 10, [0] * 10))
        assert named(flags["nocomments"], "few_comments") is None
        assert flags["hidden"] == []

    def test_the_warehouse_benchmark_replaces_the_fallback_when_the_cell_is_big_enough(self):
        bench = pd.DataFrame({"platform": ["mastodon"], "tier": ["nano"], "n_creators": [MIN_BENCHMARK_CREATORS],
                              "log_er_median": [np.log(0.04)], "log_er_mad": [0.4], "comments_per_100_likes": [2.0]})
        posts = posts_of("few", [200] * 10, [1] * 8 + [0] * 2)  # 0.4 per 100 likes: medium under 2.0, high under 6.2
        with_bench = flags_of([creator("few")], posts, benchmarks=bench)["few"]
        assert named(with_bench, "few_comments")["severity"] == "medium"
        assert "median 2.0 (warehouse: 30 creators)" in named(with_bench, "few_comments")["evidence"]
        small = bench.assign(n_creators=MIN_BENCHMARK_CREATORS - 1)
        fallback = named(flags_of([creator("few")], posts, benchmarks=small)["few"], "few_comments")
        assert fallback["severity"] == "high" and "(fallback table)" in fallback["evidence"]

    def test_a_comment_pod_has_many_times_the_norms_comments(self):
        likes = organic_likes()
        flags = flags_of([creator("pod"), creator("chatty"), creator("real")],
                         posts_of("pod", likes, [lk * 40 // 100 for lk in likes])  # about 40 per 100 likes
                         + posts_of("chatty", likes, [lk * 20 // 100 for lk in likes])
                         + posts_of("real", likes, [7] * 10))
        pod = named(flags["pod"], "many_comments")
        assert pod["severity"] == "high" and pod["threshold"] == pytest.approx(31.0)
        assert pod["evidence"].startswith("39.") and "nano accounts on mastodon median 6.2" in pod["evidence"]
        assert named(flags["chatty"], "many_comments")["severity"] == "medium"
        assert named(flags["real"], "many_comments") is None and named(flags["pod"], "few_comments") is None


class TestErOutlier:
    def test_far_above_the_tier_is_high_and_zero_followers_has_no_er_to_judge(self):
        flags = flags_of([creator("inflated", followers=2000), creator("nobody", followers=0)],
                         posts_of("inflated", [x * 8 for x in organic_likes()], [80] * 10)
                         + posts_of("nobody", organic_likes(), [7] * 10))
        flag = named(flags["inflated"], "er_outlier")
        assert flag["severity"] == "high" and flag["value"] > 3.5
        assert "above nano accounts on mastodon median 4.0%" in flag["evidence"]
        assert named(flags["nobody"], "er_outlier") is None

    def test_an_ordinary_er_is_not_flagged(self):
        flags = flags_of([creator("ok", followers=3000)], posts_of("ok", organic_likes(), [7] * 10))
        assert named(flags["ok"], "er_outlier") is None


class TestLikesShape:
    def test_uniform_likes_over_eight_posts_are_flagged_but_not_over_seven(self):
        flags = flags_of([creator("flat"), creator("short")],
                         posts_of("flat", [100, 101, 100, 99, 100, 102, 100, 100], [7] * 8)
                         + posts_of("short", [100, 101, 100, 99, 100, 102, 100], [7] * 7))
        assert named(flags["flat"], "likes_uniform")["severity"] == "medium"
        assert named(flags["short"], "likes_uniform") is None

    def test_one_post_far_above_the_median_is_spiky(self):
        flags = flags_of([creator("spike")], posts_of("spike", [100] * 4 + [2000] + organic_likes(5), [7] * 10))
        assert named(flags["spike"], "likes_spiky")["value"] == pytest.approx(20, rel=0.2)


class TestGrowth:
    def history(self, cid: str, followers: list[int], days_ago: list[int]) -> pd.DataFrame:
        return pd.DataFrame({"platform": "mastodon", "creator_id": cid, "followers": followers,
                             "observed_at": [NOW - timedelta(days=d) for d in days_ago]})

    def test_a_round_jump_is_high_and_smooth_growth_is_not_flagged(self):
        snaps = pd.concat([self.history("bought", [3000, 3010, 3020], [60, 30, 3]),
                           self.history("organic", [2700, 2850, 2950], [60, 30, 3])])
        flags = flags_of([creator("bought", followers=8020), creator("organic", followers=3000)],
                         posts_of("bought", organic_likes(), [7] * 10) + posts_of("organic", organic_likes(), [7] * 10),
                         snapshots=snaps)
        flag = named(flags["bought"], "follower_jump")
        assert flag["severity"] == "high" and "+5,000 followers" in flag["evidence"]
        assert "a day over 30 days" in flag["evidence"]
        assert named(flags["organic"], "follower_jump") is None

    def test_one_snapshot_no_history_or_a_slow_jump_raise_nothing(self):
        flags = flags_of([creator("once"), creator("slow", followers=6000)],
                         posts_of("once", organic_likes(), [7] * 10) + posts_of("slow", organic_likes(), [7] * 10),
                         snapshots=self.history("slow", [3000], [40]))
        assert named(flags["once"], "follower_jump") is None
        assert named(flags["slow"], "follower_jump") is None  # +3,000 over 40 days is not a jump


class TestProfileFlags:
    def test_mass_following_and_follow_back_ratio(self):
        flags = flags_of([creator("f4f", followers=1200, following=4000), creator("popular", followers=9000,
                          following=2000), creator("hidden", followers=None, following=None)], [])
        assert {f["name"] for f in flags["f4f"]} == {"mass_following", "follow_back_ratio"}
        assert [f["name"] for f in flags["popular"]] == ["mass_following"]
        assert flags["hidden"] == []

    def test_new_account_only_where_the_platform_gives_its_age(self):
        ages = pd.DataFrame([creator("young", followers=8000, account_created_at=NOW - timedelta(days=20)),
                             creator("old", followers=8000, account_created_at=NOW - timedelta(days=900)),
                             creator("unknown", followers=8000, account_created_at=None)])
        flags = new_account(ages, NOW)
        assert flags["row"].tolist() == [0] and flags["value"].tolist() == [20]
        assert flags["evidence"].tolist() == ["8,000 followers on an account 20 days old"]
        through_score = flags_of(ages.to_dict(orient="records"), [])
        assert named(through_score["young"], "new_account")["severity"] == "medium"
        assert through_score["old"] == [] and through_score["unknown"] == []


class TestAdNetwork:
    ADS = ["Try the new GlowSkin serum today, use my code GLOW20 for twenty percent off your first order",
           "GlowSkin night cream changed my routine, link in bio for the spring sale and free shipping",
           "Nothing beats SuperFizz energy drink before the gym, grab a pack at your local store now"]

    def test_creators_sharing_captions_are_flagged_with_others_and_the_sponsored_share(self):
        ring = ["ad1", "ad2", "ad3", "ad4"]
        posts = [p for cid in ring for p in posts_of(cid, organic_likes(4), [7] * 4, sponsored=True,
                                                     texts=[*self.ADS, OWN[ring.index(cid)]])]
        posts += posts_of("own", organic_likes(4), [7] * 4)
        flags = network_flags_of([creator(c) for c in [*ring, "own"]], posts)
        for cid in ring:
            flag = named(flags[cid], "ad_network")
            assert flag["severity"] == "high" and flag["value"] == 0.75
            assert flag["evidence"] == "3 of 4 recent posts near-identical to posts by 3 other creators; 100% sponsored"
        assert named(flags["own"], "ad_network") is None

    def test_creators_on_other_platforms_count_and_short_or_own_texts_do_not(self):
        posts = posts_of("new", organic_likes(3), [7] * 3, texts=[a.upper() + "!!" for a in self.ADS], sponsored=True)
        posts += posts_of("old1", organic_likes(3), [7] * 3, texts=self.ADS, platform="bluesky")  # a creative is the same text anywhere
        posts += posts_of("solo", organic_likes(3), [7] * 3, texts=self.ADS)
        posts += posts_of("gm1", organic_likes(3), [7] * 3, texts=["good morning everyone"] * 3)
        posts += posts_of("gm2", organic_likes(3), [7] * 3, texts=["good morning everyone"] * 3)
        profiles = [creator("old1", platform="bluesky"), *(creator(c) for c in ["new", "solo", "gm1", "gm2"])]
        flags = network_flags_of(profiles, posts)
        assert named(flags["new"], "ad_network")["evidence"].startswith("3 of 3 recent posts near-identical to posts by 2")
        assert named(flags["gm1"], "ad_network") is None

    def test_unsponsored_copies_and_templates_shared_by_many_are_not_an_ad_network(self):
        crowd = [f"t{i}" for i in range(14)]  # a sponsored template 13 others post too
        posts = [p for cid in crowd for p in posts_of(cid, organic_likes(3), [7] * 3, sponsored=True, texts=self.ADS)]
        posts += [p for cid in ["u1", "u2"] for p in posts_of(cid, organic_likes(3), [7] * 3, texts=self.ADS)]
        flags = network_flags_of([creator(c) for c in [*crowd, "u1", "u2"]], posts)
        assert all(named(flags[cid], "ad_network") is None for cid in [*crowd, "u1", "u2"])

    def test_repost_pages_reposting_a_creators_sponsored_posts_are_not_a_network(self):
        posts = [{**p, "is_repost": cid != "own"} for cid in ["own", "page1", "page2", "page3"]
                 for p in posts_of(cid, organic_likes(3), [7] * 3, sponsored=True, texts=self.ADS)]
        flags = network_flags_of([creator(c) for c in ["own", "page1", "page2", "page3"]], posts)
        assert all(named(flags[cid], "ad_network") is None for cid in ["own", "page1", "page2", "page3"])


def test_the_score_is_100_minus_the_severity_penalties_and_flags_are_worst_first():
    out = score_creators(pd.DataFrame([creator("f4f", followers=1200, following=4000), creator("clean")]),
                         pd.DataFrame(posts_of("clean", organic_likes(), [7] * 10)), now=NOW)
    assert out["authenticity_score"].tolist() == [100 - 15 - 5, 100]
    assert [f["severity"] for f in json.loads(out["authenticity_flags"][0])] == ["medium", "low"]
    assert json.loads(out["authenticity_flags"][1]) == []


def test_the_ad_network_pass_over_posts_in_several_frames_flags_what_one_frame_flags():
    """The warehouse streams a million creators' posts in frames; cut anywhere, even through one
    creator's posts, the flags are the same as from one frame."""
    ring = ["ad1", "ad2", "ad3", "ad4"]
    posts = [p for cid in ring for p in posts_of(cid, organic_likes(4), [7] * 4, sponsored=True,
                                                 texts=[*TestAdNetwork.ADS, OWN[ring.index(cid)]])]
    posts += posts_of("own", organic_likes(4), [7] * 4)
    frame = pd.DataFrame(posts).assign(is_repost=False)
    scores = score_creators(pd.DataFrame([creator(c) for c in [*ring, "own"]]), frame, now=NOW).assign(run_id="run")
    whole = rescore_ad_network(scores, frame)
    for size in (1, 3, 7):
        parts = (frame.iloc[i:i + size] for i in range(0, len(frame), size))
        pd.testing.assert_frame_equal(rescore_ad_network(scores, parts), whole)
    assert len(whole)  # the inputs do flag someone


def _word_counts(texts: pd.Series) -> np.ndarray:
    return ad_network._words(texts).str.count("[a-z0-9]+").fillna(0).to_numpy(dtype=np.int64)


def test_no_non_ascii_character_makes_more_words_than_the_long_text_bound_allows():
    every = pd.Series([chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c <= 0xDFFF], dtype="string[pyarrow]")
    assert _word_counts(every).max() == ad_network.WORDS_PER_CHARACTER


def test_the_long_text_bound_never_drops_a_text_the_cleaning_would_keep():
    rng = np.random.default_rng(7)
    pieces = ["glow", "Serum", "20%", "code:GLOW20", "https://ex.am/ple?x=1", "José", "ＦＵＬＬ", "ﬁne", "⅓", "℅",
              "😀", "a😀b", "e\u0301", "zero\u200bwidth", "\u00a0", "\t", "\n", "’s", "--", "日本語", "١٢٣", "𝓜𝓪𝔂𝓪"]
    texts = pd.Series([" ".join(rng.choice(pieces, size=rng.integers(1, 30))) for _ in range(3000)] + [None, ""],
                      dtype="string[pyarrow]")
    counts = _word_counts(texts)
    assert ((counts >= ad_network.MIN_WORDS) <= ad_network._may_be_long(texts)).all()
    assert 0.2 < (counts >= ad_network.MIN_WORDS).mean() < 0.8  # both sides of the bound are tried


def test_the_warehouse_side_bound_is_the_numpy_bound_on_every_text():
    """The SQL condition the pass reads posts with (NETWORK_POSTS) keeps exactly the texts
    _may_be_long keeps, in DuckDB: around the threshold, with punctuation, accents, emoji, CJK,
    NULL and empty texts."""
    rng = np.random.default_rng(11)
    pieces = ["glow", "Serum", "20%", "a,b", "x-y-z", "José", "😀", "a😀b", "e\u0301", "日本語", "⅓", "--", "...",
              "\u00a0", "\n", "’s", "7", "𝓜𝓪𝔂𝓪", "ＦＵＬＬ"]
    texts = [" ".join(rng.choice(pieces, size=rng.integers(1, 12))) for _ in range(4000)]
    texts += ["w " * n for n in range(9, 15)] + ["w" * 40, None, "", " "]
    series = pd.Series(texts, dtype="string[pyarrow]")
    with duckdb.connect() as con:
        con.register("t", pd.DataFrame({"i": range(len(texts)), "text": series}))
        sql = con.execute(f"SELECT {ad_network.NETWORK_POSTS['texts']} FROM t ORDER BY i").fetchall()
    in_sql = np.array([bool(kept) for (kept,) in sql])
    np.testing.assert_array_equal(in_sql, ad_network._may_be_long(series))
    assert 0.2 < in_sql.mean() < 0.8  # both sides of the bound are tried


def test_comparable_posts_keep_each_text_with_its_owner_when_reposts_come_first():
    ads = TestAdNetwork.ADS
    posts = pd.DataFrame({"platform": "instagram", "creator_id": ["page", "own", "short", "own"],
                          "text": [ads[0], ads[1], "good morning", ads[2]], "is_sponsored": [True, True, False, False],
                          "is_repost": [True, False, False, False]}, index=[10, 20, 30, 40])
    out = ad_network.comparable_posts(posts)
    assert out["owner"].tolist() == ["instagram\x1fown"] * 2
    assert out["text"].tolist() == [ads[1], ads[2]] and out["paid"].tolist() == [True, False]


def test_captions_keep_each_texts_minhash_values_and_estimate_jaccard_as_minhash_does():
    """The pass keeps signatures as rows of one array, not MinHash objects: the same values, in
    the order added over frames, a repeated (owner, text) kept once."""
    ads = TestAdNetwork.ADS
    frame = pd.DataFrame({"platform": "instagram", "creator_id": ["a", "b", "a"], "text": [ads[0], ads[1], ads[0]],
                          "is_sponsored": True, "is_repost": False})
    captions = ad_network.Captions()
    captions.add(frame.iloc[:2])
    captions.add(frame.iloc[2:])  # "a" posting ads[0] again: not a new text
    signatures = captions.signatures()
    expected = MinHash.bulk(ad_network._shingles(ad_network._words(pd.Series(ads[:2], dtype="string"))),
                            num_perm=ad_network.NUM_PERM)
    assert signatures.shape == (2, ad_network.NUM_PERM) and captions.owners == ["instagram\x1fa", "instagram\x1fb"]
    assert (signatures == np.array([m.hashvalues for m in expected])).all()
    first, second = (ad_network.sketch(row) for row in signatures)
    assert first.jaccard(second) == expected[0].jaccard(expected[1])
