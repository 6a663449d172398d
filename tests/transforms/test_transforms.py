"""transforms/: frames, normalize, engagement, tiers, contacts and the score entry point.

Every frame is built in the test; no files, no network. The account-type scorer has its own
file (test_transforms_account_type.py), as do the regex guard and the scale smoke test.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from core.records import Post, Profile, RawResponse, ScrapeError
from transforms.contacts import extract_contacts
from transforms.engagement import (
    ENGAGEMENT_COLUMNS,
    METRICS_VERSION,
)
from transforms.frames import (
    ERROR_COLUMNS,
    POST_COLUMNS,
    POST_DTYPES,
    PROFILE_COLUMNS,
    PROFILE_DTYPES,
    RAW_COLUMNS,
    SCORE_COLUMNS,
    SCORE_DTYPES,
    errors_frame,
    posts_frame,
    profiles_frame,
    raw_frame,
)
from transforms.normalize import normalize_posts, normalize_profiles
from transforms.score import score_creators
from transforms.tiers import (
    DEFAULT,
    HYPEAUDITOR_LEGACY,
    LATER_FOHR,
    TierScheme,
    assign_tier,
    get_scheme,
    resolve_scheme,
    scheme_from_spec,
)

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)


def day(n: float) -> datetime:
    """n days before NOW."""
    return NOW - timedelta(days=n)


def profiles_df(rows: list[dict]) -> pd.DataFrame:
    return profiles_frame([Profile(**r) for r in rows], NOW)


def posts_df(rows: list[dict]) -> pd.DataFrame:
    return posts_frame([Post(**r) for r in rows], NOW)


def post(i: int, creator: str = "c1", **kw) -> dict:
    base = {"platform": "bluesky", "post_id": f"{creator}-p{i}", "creator_id": creator,
            "published_at": day(i)}
    return base | kw


def assert_dtypes(df: pd.DataFrame, dtypes: dict) -> None:
    assert list(df.columns) == list(dtypes)
    for col, dtype in dtypes.items():
        assert df[col].dtype == dtype, (col, df[col].dtype, dtype)


# ---------------------------------------------------------------- frames


class TestFrames:
    def test_profiles_frame_columns_and_dtypes(self):
        df = profiles_df([{"platform": "bluesky", "creator_id": "did:1", "handle": "a",
                           "followers": 10, "verified": True}])
        assert_dtypes(df, PROFILE_DTYPES)
        assert PROFILE_COLUMNS[-1] == "observed_at"
        assert df.loc[0, "followers"] == 10
        assert pd.isna(df.loc[0, "following"])
        assert bool(df.loc[0, "verified"]) is True
        assert df.loc[0, "observed_at"] == pd.Timestamp(NOW)

    def test_empty_inputs_keep_columns_and_dtypes(self):
        assert_dtypes(profiles_frame([], NOW), PROFILE_DTYPES)
        assert_dtypes(posts_frame([], NOW), POST_DTYPES)
        assert list(raw_frame([]).columns) == RAW_COLUMNS
        assert list(errors_frame([]).columns) == ERROR_COLUMNS
        assert len(raw_frame([])) == 0

    def test_posts_frame_published_at_is_utc_microseconds(self):
        naive = datetime(2024, 1, 1, 10, 0)
        plus2 = datetime(2024, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
        df = posts_df([post(1, published_at=naive), post(2, published_at=plus2),
                       post(3, published_at=None)])
        assert str(df["published_at"].dtype) == "datetime64[us, UTC]"
        assert df.loc[0, "published_at"] == pd.Timestamp("2024-01-01 10:00", tz="UTC")
        assert df.loc[1, "published_at"] == pd.Timestamp("2024-01-01 10:00", tz="UTC")
        assert pd.isna(df.loc[2, "published_at"])
        assert list(df.columns) == POST_COLUMNS

    def test_raw_and_errors_frames(self):
        raw = RawResponse("bluesky", "profiles", "alice", "https://x/y", 200, "{}",
                          fetched_at=NOW)
        err = ScrapeError("bluesky", "alice", "https://x/y", 404, "Profile not found",
                          raw.response_id, occurred_at=NOW)
        r, e = raw_frame([raw]), errors_frame([err])
        assert r.loc[0, "status"] == 200 and r.loc[0, "response_id"] == raw.response_id
        assert e.loc[0, "reason"] == "Profile not found"
        assert str(r["fetched_at"].dtype) == "datetime64[us, UTC]"
        assert str(e["status"].dtype) == "Int64"

    def test_score_columns_are_the_creator_scores_table(self):
        assert SCORE_COLUMNS == [
            "platform", "creator_id", "scored_at", "n_posts", "er_median", "er_mean",
            "er_formula", "er_views_median", "er_views_mean", "posts_per_week",
            "days_since_last_post", "sponsored_share",
            "repost_share", "tier", "tier_scheme", "account_type", "person_probability",
            "is_person", "person_threshold", "needs_review", "evidence", "model_version",
            "metrics_version", "contact_email",
            "contact_link", "authenticity_score", "authenticity_flags", "authenticity_version",
            "collab_stance", "collab_evidence", "paid_posts", "gifted_posts", "affiliate_posts",
            "paid_share", "past_partners",
            "niches", "niche", "niche_probs", "content_vector", "language", "content_version", "niche_version",
        ]


# ---------------------------------------------------------------- normalize


class TestNormalize:
    def test_profiles_dedupe_keeps_last_observation(self):
        df = pd.DataFrame({
            "platform": ["bluesky", "Bluesky ", "bluesky", "mastodon"],
            "creator_id": ["did:1", "did:1", "did:1", "did:1"],
            "handle": ["old", "newest", "middle", "other"],
            "followers": [1, 3, 2, 9],
            "observed_at": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01",
                                           "2024-01-01"], utc=True),
        })
        out = normalize_profiles(df)
        assert len(out) == 2
        bsky = out[out.platform == "bluesky"].iloc[0]
        assert bsky.handle == "newest" and bsky.followers == 3
        assert_dtypes(out, PROFILE_DTYPES)

    def test_profiles_ties_keep_the_later_row(self):
        df = pd.DataFrame({"platform": ["x", "x"], "creator_id": ["1", "1"],
                           "handle": ["first", "second"]})
        assert normalize_profiles(df).handle.tolist() == ["second"]

    def test_profile_text_cleaning(self):
        df = pd.DataFrame({
            "platform": ["bluesky"] * 3, "creator_id": ["1", "2", "3"],
            "handle": ["  @Maya.BSKY.social ", "@@x", "   "],
            "display_name": ["Maya\u200b  Patel\u200d", "  ", "A\x00B\tC"],
            "bio": ["line one\n\nline   two\u2028three", "", "\ufeffhi\u202e"],
            "followers": [10, -5, None], "following": [-1, 3, 0],
        })
        out = normalize_profiles(df)
        assert out.handle.tolist()[:2] == ["maya.bsky.social", "x"]
        assert pd.isna(out.handle[2])
        assert out.display_name[0] == "Maya Patel"
        assert pd.isna(out.display_name[1])
        assert out.display_name[2] == "AB C"
        assert out.bio[0] == "line one line two three"
        assert pd.isna(out.bio[1])
        assert out.bio[2] == "hi"
        assert out.followers.tolist()[0] == 10
        assert pd.isna(out.followers[1]) and pd.isna(out.following[0])

    def test_profiles_without_key_are_dropped(self):
        df = pd.DataFrame({"platform": ["x", None, "x"], "creator_id": ["1", "2", " "]})
        assert normalize_profiles(df).creator_id.tolist() == ["1"]

    def test_posts_dedupe_utc_and_counts(self):
        df = pd.DataFrame({
            "platform": ["bluesky", "bluesky", "bluesky", "mastodon"],
            "post_id": ["p1", "p1", "p2", "p1"],
            "creator_id": ["c", "c", "c", "m"],
            "published_at": ["2024-01-01T12:00:00+02:00", "2024-01-01T12:00:00+02:00",
                             "2024-01-02T00:00:00", None],
            "likes": [5, 7, -1, 3],
            "is_repost": [None, True, False, None],
            "observed_at": pd.to_datetime(["2024-02-01", "2024-03-01", "2024-01-01",
                                           "2024-01-01"], utc=True),
        })
        out = normalize_posts(df)
        assert_dtypes(out, POST_DTYPES)
        assert len(out) == 3  # p1 on two platforms are two posts
        p1 = out[(out.platform == "bluesky") & (out.post_id == "p1")].iloc[0]
        assert p1.likes == 7 and bool(p1.is_repost) is True
        assert p1.published_at == pd.Timestamp("2024-01-01 10:00", tz="UTC")
        p2 = out[out.post_id == "p2"].iloc[0]
        assert pd.isna(p2.likes)
        assert p2.published_at == pd.Timestamp("2024-01-02", tz="UTC")
        assert out.is_repost.notna().all() and out.is_sponsored.notna().all()

    def test_posts_without_creator_are_dropped(self):
        df = pd.DataFrame({"platform": ["x", "x"], "post_id": ["1", "2"],
                           "creator_id": ["a", None]})
        assert normalize_posts(df).post_id.tolist() == ["1"]

    def test_empty_frames(self):
        assert_dtypes(normalize_profiles(pd.DataFrame()), PROFILE_DTYPES)
        assert_dtypes(normalize_posts(pd.DataFrame()), POST_DTYPES)
        assert len(normalize_posts(posts_frame([], NOW))) == 0


# ---------------------------------------------------------------- engagement


def metrics_for(profiles: list[dict], posts: list[dict], **kw) -> pd.DataFrame:
    """The engagement columns of the scores flows compute (``score_creators``)."""
    return engagement_of(score_creators(profiles_df(profiles), posts_df(posts), now=NOW, **kw))


def engagement_of(scores: pd.DataFrame) -> pd.DataFrame:
    assert set(ENGAGEMENT_COLUMNS) <= set(scores.columns)
    return scores[ENGAGEMENT_COLUMNS]


CREATOR = {"platform": "bluesky", "creator_id": "c1", "handle": "c1", "followers": 1000}


class TestEngagement:
    def test_median_and_mean_by_hand(self):
        likes = [10, 20, 30, 40, 400]  # ER 0.01, 0.02, 0.03, 0.04, 0.40
        m = metrics_for([CREATOR], [post(i, likes=lk) for i, lk in enumerate(likes, 1)],
                        formula="likes")
        row = m.iloc[0]
        assert row.n_posts == 5
        assert row.er_median == pytest.approx(0.03)
        assert row.er_mean == pytest.approx(0.10)
        assert row.er_formula == "likes/followers"

    def test_a_creator_with_only_reposts_after_the_others_has_no_er_and_no_crash(self):
        reposter = CREATOR | {"creator_id": "c2", "handle": "c2"}
        m = metrics_for([CREATOR, reposter], [post(1, likes=10), post(1, "c2", likes=50, is_repost=True)],
                        formula="likes").set_index("creator_id")
        assert m.loc["c1", "er_median"] == pytest.approx(0.01) and pd.isna(m.loc["c2", "er_median"])

    def test_even_count_median_averages_the_middle_two(self):
        m = metrics_for([CREATOR], [post(i, likes=lk) for i, lk in enumerate([10, 20, 30, 50], 1)],
                        formula="likes")
        assert m.er_median[0] == pytest.approx(0.025)

    def test_formulas_and_missing_components(self):
        posts = [post(1, likes=10, comments=5, shares=5), post(2, likes=10, comments=None,
                                                                 shares=None)]
        by = {f: metrics_for([CREATOR], posts, formula=f).er_mean[0]
              for f in ["likes", "likes+comments", "likes+comments+shares"]}
        assert by["likes"] == pytest.approx(0.010)
        assert by["likes+comments"] == pytest.approx((0.015 + 0.010) / 2)
        assert by["likes+comments+shares"] == pytest.approx((0.020 + 0.010) / 2)
        assert metrics_for([CREATOR], posts).er_formula[0] == "likes+comments+shares/followers"

    def test_unknown_likes_give_no_er_for_that_post(self):
        m = metrics_for([CREATOR], [post(1, likes=None, comments=50), post(2, likes=20)])
        assert m.er_mean[0] == pytest.approx(0.02) and m.n_posts[0] == 2

    def test_reposts_are_excluded_from_er_but_counted_in_cadence(self):
        posts = [post(1, likes=10), post(2, likes=9000, is_repost=True), post(3, likes=30)]
        m = metrics_for([CREATOR], posts, formula="likes").iloc[0]
        assert m.er_mean == pytest.approx(0.02)
        assert m.n_posts == 3
        assert m.repost_share == pytest.approx(1 / 3)

    def test_er_uses_last_n_original_posts(self):
        # newest first: 2 reposts, then originals with ER .01 .02 .03 .04
        posts = [post(1, likes=1, is_repost=True), post(2, likes=1, is_repost=True)]
        posts += [post(i + 3, likes=10 * (i + 1)) for i in range(4)]
        m = metrics_for([CREATOR], posts, formula="likes", last_n=2).iloc[0]
        assert m.er_mean == pytest.approx(0.015)  # the two newest originals
        assert m.n_posts == 2  # the sample: the two newest posts of any kind
        assert m.repost_share == 1.0

    def test_null_or_zero_followers_give_null_er(self):
        profiles = [CREATOR | {"creator_id": "none", "followers": None},
                    CREATOR | {"creator_id": "zero", "followers": 0}]
        posts = [post(1, creator="none", likes=5), post(1, creator="zero", likes=5)]
        m = metrics_for(profiles, posts)
        assert m.er_median.isna().all() and m.er_mean.isna().all()
        assert m.n_posts.tolist() == [1, 1]

    def test_cadence_recency_and_sponsored(self):
        posts = [post(i, likes=1, is_sponsored=i <= 2) for i in (1, 2, 3, 8, 15)]
        m = metrics_for([CREATOR], posts).iloc[0]
        assert m.posts_per_week == pytest.approx(5 / 14 * 7)  # 5 posts over 14 days
        assert m.days_since_last_post == pytest.approx(1.0)
        assert m.sponsored_share == pytest.approx(0.4)

    def test_min_span_is_seven_days(self):
        posts = [post(0, likes=1, published_at=NOW - timedelta(hours=h)) for h in (1, 2, 3)]
        posts = [p | {"post_id": f"p{i}"} for i, p in enumerate(posts)]
        assert metrics_for([CREATOR], posts).posts_per_week[0] == pytest.approx(3.0)

    def test_creator_without_posts(self):
        m = metrics_for([CREATOR, CREATOR | {"creator_id": "c2"}], [post(1, likes=5)])
        row = m.set_index("creator_id").loc["c2"]
        assert row.n_posts == 0
        for col in ["er_median", "er_mean", "posts_per_week", "days_since_last_post",
                    "sponsored_share", "repost_share"]:
            assert pd.isna(row[col]), col

    def test_undated_posts_count_but_not_in_time_metrics(self):
        m = metrics_for([CREATOR], [post(1, likes=10), post(2, likes=30, published_at=None)],
                        formula="likes").iloc[0]
        assert m.n_posts == 2 and m.er_mean == pytest.approx(0.02)
        assert m.days_since_last_post == pytest.approx(1.0)

    def test_future_posts_do_not_give_negative_recency(self):
        m = metrics_for([CREATOR], [post(-2, likes=1)])
        assert m.days_since_last_post[0] == 0.0

    def test_one_row_per_profile_in_profile_order_and_foreign_posts_ignored(self):
        profiles = [CREATOR | {"creator_id": "b"}, CREATOR | {"creator_id": "a"},
                    CREATOR | {"creator_id": "a", "platform": "mastodon"}]
        posts = [post(1, creator="a", likes=10), post(1, creator="zzz", likes=10),
                 post(2, creator="a", likes=10) | {"platform": "mastodon"}]
        m = metrics_for(profiles, posts)
        assert list(zip(m.platform, m.creator_id)) == [("bluesky", "b"), ("bluesky", "a"),
                                                      ("mastodon", "a")]
        assert m.n_posts.tolist() == [0, 1, 1]
        assert list(m.columns) == ENGAGEMENT_COLUMNS

    def test_empty_and_bad_arguments(self):
        m = engagement_of(score_creators(profiles_frame([], NOW), posts_frame([], NOW), now=NOW))
        assert len(m) == 0 and list(m.columns) == ENGAGEMENT_COLUMNS
        with pytest.raises(ValueError, match="likes\\+comments"):
            metrics_for([CREATOR], [], formula="views")
        with pytest.raises(ValueError):
            metrics_for([CREATOR], [], last_n=0)
        assert METRICS_VERSION == "engagement-v2"

    def test_er_by_views_where_views_exist(self):
        posts = [post(1, likes=90, comments=10, views=1000), post(2, likes=40, comments=10, views=2000),
                 post(3, likes=20, comments=0), post(4, likes=5, views=0),
                 post(5, likes=999, views=10, is_repost=True)]
        m = metrics_for([CREATOR], posts, formula="likes+comments").iloc[0]
        # per post 100/1000 and 50/2000; no views, zero views and the repost are left out
        assert m.er_views_median == pytest.approx((0.1 + 0.025) / 2)
        assert m.er_views_mean == pytest.approx((0.1 + 0.025) / 2)
        without = metrics_for([CREATOR], [post(1, likes=3)]).iloc[0]
        assert pd.isna(without.er_views_median) and pd.isna(without.er_views_mean)


# ---------------------------------------------------------------- tiers


class TestTiers:
    @pytest.mark.parametrize(
        ("followers", "tier"),
        [(0, "sub_nano"), (999, "sub_nano"), (1_000, "nano"), (9_999, "nano"),
         (10_000, "micro"), (49_999, "micro"), (50_000, "mid"), (499_999, "mid"),
         (500_000, "macro"), (999_999, "macro"), (1_000_000, "mega"), (10**9, "mega")],
    )
    def test_default_boundaries(self, followers, tier):
        assert assign_tier(pd.Series([followers]), DEFAULT)[0] == tier

    def test_later_fohr(self):
        s = assign_tier(pd.Series([9_999, 10_000, 99_999, 100_000, 500_000, 1_000_000]), LATER_FOHR)
        assert s.tolist() == ["nano", "micro", "micro", "mid", "macro", "mega"]

    def test_hypeauditor_legacy(self):
        s = assign_tier(pd.Series([999, 4_999, 5_000, 19_999, 20_000, 100_000, 1_000_000]),
                        HYPEAUDITOR_LEGACY)
        assert s.tolist() == ["sub_nano", "nano", "micro", "micro", "mid", "macro", "mega"]

    def test_null_followers_null_tier_and_index_kept(self):
        s = assign_tier(pd.Series([None, 20_000], index=[7, 9], dtype="Int64"))
        assert pd.isna(s[7]) and s[9] == "micro"
        assert len(assign_tier(pd.Series([], dtype="Int64"))) == 0

    def test_labels_and_lookup(self):
        assert DEFAULT.label == "default@v1"
        assert get_scheme("later_fohr") is LATER_FOHR
        assert get_scheme("default@v1") is DEFAULT
        with pytest.raises(ValueError, match="default@v1.*later_fohr@v1.*hypeauditor_legacy"):
            get_scheme("nope")
        with pytest.raises(ValueError):
            get_scheme("default@v0")

    def test_custom_spec(self):
        s = scheme_from_spec("nano:1000, micro:10_000,mid:50k,mega:1.5m")
        assert s.bounds == (("nano", 1000), ("micro", 10_000), ("mid", 50_000),
                            ("mega", 1_500_000))
        assert s.label.startswith("custom@") and len(s.label) == len("custom@") + 8
        assert scheme_from_spec("nano:1000,micro:10000").label == \
            scheme_from_spec("nano:1000, micro:10_000").label
        assert scheme_from_spec("nano:1000").label != scheme_from_spec("nano:2000").label
        assert assign_tier(pd.Series([1_499_999, 1_500_000]), s).tolist() == ["mid", "mega"]
        assert resolve_scheme("nano:1").bounds == (("nano", 1),)
        assert resolve_scheme("later_fohr") is LATER_FOHR

    @pytest.mark.parametrize(
        "spec",
        ["", " , ", "nano", "nano:", ":100", "nano:abc", "nano:-5", "nano:1.5",
         "nano:1000,micro:500", "nano:1000,nano:2000", "Nano Tier:1000", "sub_nano:5"],
    )
    def test_spec_errors(self, spec):
        with pytest.raises(ValueError):
            scheme_from_spec(spec)

    def test_scheme_validation(self):
        with pytest.raises(ValueError):
            TierScheme("x", "1", ())
        with pytest.raises(ValueError):
            TierScheme("x", "1", (("a", 10), ("b", 10)))


# ---------------------------------------------------------------- contacts


class TestContacts:
    def test_emails_including_obfuscated(self):
        bio = pd.Series([
            "Baker. maya [at] gmail [dot] com",
            "biz: tom(at)studio.co.uk",
            "Reach me: Ana.Silva@Mail.COM.",
            "maya at gmail dot com for collabs",
            "contact {at} x-y.io",
            "write to j_d+x@ex-ample.io!",
            "nothing here, @mention only",
            None,
        ])
        emails = extract_contacts(bio)["contact_email"].tolist()
        assert emails[:6] == ["maya@gmail.com", "tom@studio.co.uk", "ana.silva@mail.com",
                              "maya@gmail.com", "contact@x-y.io", "j_d+x@ex-ample.io"]
        assert emails[6] is pd.NA and emails[7] is pd.NA

    def test_links(self):
        bio = pd.Series([
            "hi https://example.com/a?b=1, ok",
            "all my links: linktr.ee/maya.",
            "mail maya@gmail.com only",
            "@alice.bsky.social says hi",
            "visit www.shop.de/x!",
            "no link",
            None,
        ])
        ext = pd.Series([None, None, None, None, None, "https://fallback.org", "https://e.com"])
        links = extract_contacts(bio, ext)["contact_link"].tolist()
        assert links[0] == "https://example.com/a?b=1"
        assert links[1] == "https://linktr.ee/maya"
        assert links[2] is pd.NA  # an email's domain is not a link
        assert links[3] is pd.NA  # a handle is not a link
        assert links[4] == "https://www.shop.de/x"
        assert links[5:] == ["https://fallback.org", "https://e.com"]

    def test_bio_link_wins_over_external_url_and_index_is_kept(self):
        out = extract_contacts(pd.Series(["see http://a.io"], index=[42]),
                               pd.Series(["https://b.io"], index=[0]))
        assert out.index.tolist() == [42]
        assert out.loc[42, "contact_link"] == "http://a.io"

    def test_empty(self):
        out = extract_contacts(pd.Series([], dtype=object), None)
        assert list(out.columns) == ["contact_email", "contact_link"] and len(out) == 0


# ---------------------------------------------------------------- score_creators


def sample_inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    profiles = profiles_df([
        {"platform": "bluesky", "creator_id": "did:1", "handle": "maya_old",
         "display_name": "Maya P", "followers": 3_000},  # superseded by the later row
        {"platform": "bluesky", "creator_id": "did:1", "handle": "@Maya.bsky.social",
         "display_name": "Maya Patel", "bio": "I bake sourdough, mum of 2 🍞 maya [at] gmail "
         "[dot] com", "followers": 4_000, "following": 300},
        {"platform": "bluesky", "creator_id": "did:2", "handle": "dailymemes",
         "display_name": "Daily Memes", "bio": "Daily memes 😂 DM for promo linktr.ee/memes",
         "followers": 20_000, "following": 3},
        {"platform": "mastodon", "creator_id": "77", "handle": "ghost", "followers": None},
    ])
    posts = posts_df(
        [post(i, creator="did:1", likes=40 + i, comments=2, text="my starter is alive")
         for i in range(1, 8)]
        + [post(i, creator="did:2", likes=300, is_repost=i % 2 == 0, text="via @src 😂")
           for i in range(1, 20)]
    )
    return profiles, posts


class TestScore:
    def test_columns_dtypes_and_rows(self):
        profiles, posts = sample_inputs()
        out = score_creators(profiles, posts, now=NOW)
        assert_dtypes(out, SCORE_DTYPES)
        assert len(out) == 3  # did:1 appears twice in profiles
        assert out.scored_at.eq(pd.Timestamp(NOW)).all()
        assert (out.model_version == "logreg-v3").all()
        assert (out.metrics_version == "engagement-v2").all()
        assert (out.tier_scheme == "default@v1").all()

    def test_values(self):
        profiles, posts = sample_inputs()
        out = score_creators(profiles, posts, now=NOW).set_index("creator_id")
        maya, memes, ghost = out.loc["did:1"], out.loc["did:2"], out.loc["77"]
        assert maya.account_type == "person" and bool(maya.is_person)
        assert maya.tier == "nano" and maya.n_posts == 7
        assert maya.contact_email == "maya@gmail.com"
        assert maya.er_median == pytest.approx((44 + 2 + 0) / 4000)
        assert memes.account_type == "meme" and not bool(memes.is_person)
        assert memes.tier == "micro" and memes.contact_link == "https://linktr.ee/memes"
        assert memes.repost_share == pytest.approx(9 / 19)
        assert pd.isna(ghost.tier) and ghost.n_posts == 0
        evidence = json.loads(maya.evidence)
        assert isinstance(evidence, list) and 0 < len(evidence) <= 5
        assert all(isinstance(e, str) for e in evidence)
        # nothing known but an empty bio and a handle: the evidence says only that
        assert all("no bio" in e or "handle" in e for e in json.loads(ghost.evidence))

    def test_evidence_json_keeps_non_ascii(self):
        profiles = profiles_df([{"platform": "x", "creator_id": "1", "handle": "jose",
                                 "display_name": "José García", "bio": "Soy fotógrafa"}])
        out = score_creators(profiles, posts_frame([], NOW), now=NOW)
        assert "\\u" not in out.evidence[0]
        assert "jose" in out.evidence[0]

    def test_scheme_threshold_and_formula_options(self):
        profiles, posts = sample_inputs()
        out = score_creators(profiles, posts, now=NOW, tier_scheme="hypeauditor_legacy",
                             formula="likes", person_threshold=0.999999)
        assert (out.tier_scheme == "hypeauditor_legacy@v1").all()
        assert (out.er_formula == "likes/followers").all()
        # a threshold above every probability: nobody is a person, and account_type agrees
        assert not out.is_person.any()
        assert (out.account_type != "person").all()
        custom = score_creators(profiles, posts, now=NOW, tier_scheme="small:0,big:10000")
        assert set(custom.tier.dropna()) == {"small", "big"}
        with pytest.raises(ValueError):
            score_creators(profiles, posts, now=NOW, tier_scheme="nope")
        with pytest.raises(ValueError):
            score_creators(profiles, posts, now=NOW, person_threshold=2)

    def test_is_person_matches_threshold(self):
        profiles, posts = sample_inputs()
        out = score_creators(profiles, posts, now=NOW, person_threshold=0.5)
        assert (out.is_person == (out.person_probability >= 0.5)).all()
        assert ((out.account_type == "person") == out.is_person).all()

    def test_empty_inputs(self):
        for profiles, posts in [(profiles_frame([], NOW), posts_frame([], NOW)),
                                (pd.DataFrame(), pd.DataFrame())]:
            out = score_creators(profiles, posts, now=NOW)
            assert len(out) == 0
            assert_dtypes(out, SCORE_DTYPES)

    def test_profiles_without_posts_frame_columns(self):
        profiles, _ = sample_inputs()
        out = score_creators(profiles, pd.DataFrame(), now=NOW)
        assert len(out) == 3 and (out.n_posts == 0).all()

    def test_deterministic(self):
        profiles, posts = sample_inputs()
        a = score_creators(profiles, posts, now=NOW)
        b = score_creators(profiles.copy(), posts.copy(), now=NOW)
        pd.testing.assert_frame_equal(a, b)

    def test_naive_now_is_utc(self):
        profiles, posts = sample_inputs()
        out = score_creators(profiles, posts, now=NOW.replace(tzinfo=None))
        assert out.scored_at[0] == pd.Timestamp(NOW)
