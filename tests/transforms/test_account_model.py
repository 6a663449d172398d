"""The measured account-type model: each signal, the n-grams, the model file, the interface.

Every account here is written for this file (no dataset rows). Nothing is timed.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from transforms import account_features as af
from transforms.account_evidence import EVIDENCE_LIMIT
from transforms.account_model import MODEL_FILE, MODEL_VERSION, AccountModel, load_model
from transforms.account_type import (
    ACCOUNT_TYPE_COLUMNS,
    ACCOUNT_TYPES,
    score_account_type,
    score_with_model,
)

LEXICON = af.Lexicon(np.array(["maya", "priya", "matt", "chris", "jose", "ana", "kenji", "alex",
                               "alexander"]),
                     np.array([1.0, 0.8, 0.9, 0.9, 0.9, 0.9, 0.7, 0.9, 0.8]))


def logit(p: np.ndarray) -> np.ndarray:
    """The log-odds a probability came from."""
    return np.log(p / (1.0 - p))


def signals(**cols) -> af.Signals:
    """Named signals for rows given as column=list keyword arguments."""
    return af.named_signals(af.prepare(pd.DataFrame(cols)), LEXICON)


def value(key: str, **fields) -> float:
    """One signal's value for a single account."""
    return float(signals(**{k: [v] for k, v in fields.items()}).values[key][0])


def worded(s: af.Signals, key: str, row: int = 0) -> str:
    return str(s.wording[key](np.array([row]))[0])


def one(**fields) -> pd.Series:
    return score_account_type(pd.DataFrame({k: [v] for k, v in fields.items()})).iloc[0]


def weight(line: str) -> float:
    return float(re.search(r"\(([+-][0-9]+\.[0-9])\)$", line).group(1))


# ---------------------------------------------------------------- inputs


class TestPrepare:
    def test_handles_lose_at_sign_and_domain(self):
        f = af.prepare(pd.DataFrame({"handle": ["@maya.bsky.social", "priya@mastodon.social",
                                                "Chris_92", None]}))
        assert f.handle.tolist()[:3] == ["maya", "priya", "chris_92"]
        assert pd.isna(f.handle[3])

    def test_camel_case_handle_words(self):
        f = af.prepare(pd.DataFrame({"handle": ["CityBakeryNews", "maya_92", "TVGuideUK"]}))
        assert f.handle_words.tolist() == ["city bakery news", "maya", "tv guide uk"]

    def test_posts_count_or_posts(self):
        f = af.prepare(pd.DataFrame({"posts_count": [5, None], "posts": [9, 7]}))
        assert f.num["posts"].tolist() == [5.0, 7.0]

    def test_text_is_folded(self):
        f = af.prepare(pd.DataFrame({"display_name": ["José Ñúñez"], "bio": ["Café ’n’ crème"]}))
        assert f.name[0] == "jose nunez" and f.bio[0] == "cafe 'n' creme"


# ---------------------------------------------------------------- names and handles


class TestNameSignals:
    def test_first_name_with_strength(self):
        s = signals(display_name=["Maya Patel", "Dr. Kenji Sato", "Xylo Zed", None])
        assert s.values["name_given"].tolist() == [1, 1, 0, 0]
        assert s.values["name_given_strength"][:2].tolist() == pytest.approx([1.0, 0.7])
        assert worded(s, "name_given", 1) == "kenji"

    def test_title_case_but_not_with_page_words(self):
        assert value("name_title_case", display_name="Mary-Jane O'Neil") == 1
        assert value("name_title_case", display_name="mary jane") == 0
        assert value("name_title_case", display_name="Daily Memes") == 0
        assert value("name_given_title_case", display_name="Maya Patel") == 1

    @pytest.mark.parametrize(("name", "key"), [
        ("Maya", "name_one_word"), ("The Green Kitchen Co Ltd", "name_long"),
        ("THE BAKERY", "name_caps"), ("Shop24", "name_digits"), ("Maya 🌸", "name_emoji"),
        ("GreenKitchen", "name_camel"), ("The Bakery", "name_article"),
    ])
    def test_name_shapes(self, name, key):
        assert value(key, display_name=name) == 1

    def test_handle_starts_with_longest_first_name(self):
        s = signals(handle=["alexanderwrites", "mattjones", "priya_92", "ana", "zzz", "al"])
        assert s.values["handle_given"].tolist() == [1, 1, 1, 1, 0, 0]
        assert [worded(s, "handle_given", i) for i in range(4)] == [
            "alexander", "matt", "priya", "ana"]

    def test_handle_matches_display_name(self):
        s = signals(display_name=["Maya Patel", "Maya Patel", "Maya Patel"],
                    handle=["mayabakes", "patel.bsky.social", "sunnybakery"])
        assert s.values["handle_has_name"].tolist() == [1, 1, 0]
        assert s.values["handle_has_given"].tolist() == [1, 0, 0]
        assert s.values["handle_not_name"].tolist() == [0, 0, 1]

    def test_handle_digits_camel_and_bot(self):
        assert value("handle_digits", handle="maya_1990") == 1
        assert value("handle_camel", handle="CityBakeryNews") == 1
        assert value("handle_bot", handle="weather_bot") == 1
        assert value("handle_bot", handle="abbott") == 0

    def test_handle_shape(self):
        s = signals(handle=["maya_b2", "mayabakes", None])
        assert s.values["handle_has_digit"].tolist() == [1, 0, 0]
        assert s.values["handle_underscore"].tolist() == [1, 0, 0]
        assert s.values["handle_length"].tolist() == pytest.approx([-3 / 15, -1 / 15, 0])
        assert worded(s, "handle_length", 1) == "'mayabakes' is 9"
        # capped where the training data ends (Twitter's 15): a TikTok handle of 24 counts as 15
        s = signals(handle=["a" * 15, "a" * 24])
        assert s.values["handle_length"].tolist() == pytest.approx([5 / 15, 5 / 15])
        assert worded(s, "handle_length", 1) == "'" + "a" * 24 + "' is 24"

    def test_nameless_copies_apply_only_without_a_display_name(self):
        df = pd.DataFrame({"display_name": ["Maya Patel", None], "bio": ["I bake", "I bake"]})
        f = af.prepare(df)
        dense = af.dense_matrix(af.named_signals(f, LEXICON), f)
        assert dense.shape == (2, len(af.SIGNAL_KEYS)) == (2, 2 * len(af.BASE_KEYS))
        assert af.SIGNAL_KEYS[len(af.BASE_KEYS):] == [k + af.NAMELESS for k in af.BASE_KEYS]
        col = {k: dense[:, j].tolist() for j, k in enumerate(af.SIGNAL_KEYS)}
        assert col["bio_first_person"] == [1, 1]
        assert col["bio_first_person" + af.NAMELESS] == [0, 1]
        assert col["name_given" + af.NAMELESS] == [0, 0]
        # an absent column is unknown, not empty: no nameless weights
        f = af.prepare(pd.DataFrame({"bio": ["I bake"]}))
        assert af.nameless(f).tolist() == [0]
        assert not af.dense_matrix(af.named_signals(f, LEXICON), f)[0, len(af.BASE_KEYS):].any()

    def test_last_name_token_is_a_first_name(self):
        s = signals(display_name=["Taylor Alex", "Alex", "Bakery Kenji"])
        assert s.values["name_last_given"].tolist() == pytest.approx([0.9, 0.0, 0.7])
        assert worded(s, "name_last_given", 2) == "kenji"


# ---------------------------------------------------------------- bio


class TestBioSignals:
    @pytest.mark.parametrize(("bio", "key", "phrase"), [
        ("I bake bread", "bio_first_person", "i"), ("Ich bin Lehrerin", "bio_first_person", "ich"),
        ("We bake bread", "bio_we", "We"), ("she/her", "bio_pronouns", "she/her"),
        ("mum of two", "bio_family", "mum of"), ("Nurse and runner", "bio_role", "nurse"),
        ("23 y/o in Lisbon", "bio_age", "23 y/o"), ("Views are my own", "bio_own_views",
                                                    "views are my own"),
        ("A family bakery", "bio_article", "a"),
    ])
    def test_phrases(self, bio, key, phrase):
        s = signals(bio=[bio])
        assert s.values[key][0] == 1
        assert worded(s, key) == phrase

    def test_us_the_country_is_not_we(self):
        assert value("bio_we", bio="Based in the US") == 0
        assert value("bio_we", bio="Visit us downtown") == 1

    @pytest.mark.parametrize(("bio", "key"), [
        ("see https://maya.example", "bio_link"), ("hello@maya.example", "bio_email"),
        ("Call 0161 496 0000", "bio_phone"), ("friend of @ana", "bio_mentions"),
        ("bread 🍞", "bio_emoji"), ("runner | baker | mum", "bio_list"),
        ("just a girl who loves bread", "bio_lowercase"),
        ("Official Store Of Fine Things", "bio_title_words"),
    ])
    def test_shapes(self, bio, key):
        assert value(key, bio=bio) == 1

    def test_emoji_bangs_digits_and_capitalised_pairs(self):
        s = signals(bio=["bread 🍞🥖 yum!!", "Call 0161 496", "Founder of Green Kitchen", None])
        assert s.values["bio_emoji_count"].tolist() == pytest.approx([2 / 3, 0, 0, 0])
        assert s.values["bio_exclaims"].tolist() == pytest.approx([2 / 3, 0, 0, 0])
        assert worded(s, "bio_exclaims") == "2"
        assert s.values["bio_digit_share"][1] == pytest.approx(5 * 7 / 13)
        assert worded(s, "bio_digit_share", 1) == "54"
        assert s.values["bio_capitalised_pair"].tolist() == [0, 0, 1, 0]
        assert worded(s, "bio_capitalised_pair", 2) == "Green Kitchen"

    def test_hashtags_graded_and_worded(self):
        s = signals(bio=["#bread #baking lover"])
        assert s.values["bio_hashtags"][0] == 0.5 and worded(s, "bio_hashtags") == "2"

    @pytest.mark.parametrize(("bio", "kind"), [
        ("Daily memes and shitposts", "meme"), ("Fun facts every morning", "facts"),
        ("The cutest puppies", "animal"), ("Official store, free shipping", "brand"),
        ("Breaking news, 24/7", "news"), ("Credit to owners, DM for removal", "repost"),
        ("Fan page, not affiliated", "fan"), ("DM for promo", None),
    ])
    def test_page_families(self, bio, kind):
        assert value(f"bio_{kind or 'page'}", bio=bio) == 1

    def test_shop_my_looks_is_not_a_shop(self):
        assert value("bio_brand", bio="Shop my looks below") == 0

    def test_empty_and_length(self):
        s = signals(bio=[None, "x" * 160])
        assert s.values["bio_empty"].tolist() == [1, 0]
        assert s.values["bio_length"].tolist() == [0, 0.5]

    def test_bio_repeats_display_name(self):
        assert value("bio_has_name", display_name="Green Kitchen",
                     bio="green kitchen makes soup") == 1


# ---------------------------------------------------------------- posts and counts


class TestPostAndCountSignals:
    def test_share_beats_sample_post(self):
        s = signals(sample_post=["via @ana lol", "via @ana lol", None],
                    credit_share=[None, 0.25, 0.5])
        assert s.values["post_credit"].tolist() == [1.0, 0.25, 0.5]
        assert worded(s, "post_credit", 0) == "the sample post credits another account"
        assert worded(s, "post_credit", 1) == "25% of posts credit another account"

    @pytest.mark.parametrize(("post", "key"), [
        ("I made soup", "post_first_person"), ("read it https://x.example", "post_link"),
        ("@ana yes!", "post_reply"), ("#a #b great", "post_hashtags"),
        ("We are open today", "post_we"), ("a https://a.example b https://b.example",
                                           "post_links"),
        ("Markets Fall As Rates Rise", "post_headline"), ("Sunny at 12:30 today", "post_timestamp"),
    ])
    def test_sample_post(self, post, key):
        assert value(key, sample_post=post) == 1

    def test_sample_post_mentions_capitals_and_length(self):
        s = signals(sample_post=["thanks @ana and @priya_k!", "BREAKING: MARKETS fall", None])
        assert s.values["post_mentions"].tolist() == pytest.approx([2 / 3, 0, 0])
        assert worded(s, "post_mentions") == "2"
        assert s.values["post_caps_share"].tolist() == pytest.approx([0, 15 / 19, 0])
        assert s.values["post_length"].tolist() == pytest.approx([25 / 140 - 0.5, 22 / 140 - 0.5, 0])

    def test_counts_are_logs_and_unknown_is_zero(self):
        s = signals(followers=[315, 100_000, None], following=[315, 10, None])
        assert s.values["followers"][0] == pytest.approx(0.0, abs=0.01)
        assert s.values["followers_10k"][1] == pytest.approx(1.0, abs=0.01)
        assert s.values["follow_ratio"][1] < -3 + 1e-9
        assert s.values["followers"][2] == s.values["follow_ratio"][2] == 0
        assert worded(s, "followers", 1) == "has 100000 followers and follows 10"

    def test_posts_per_follower_is_clipped_below(self):
        s = signals(posts_count=[10, 5000], followers=[100_000, 100])
        assert s.values["posts_per_follower"].tolist() == pytest.approx([-1.0, np.log10(5001 / 101)])


class TestPriors:
    def test_fixed_prior_contributions(self):
        f = af.prepare(pd.DataFrame({
            "is_bot": [True, False, None, None, None],
            "posts_per_week": [None, 14, 28, 10_000, None],
            "repost_share": [None, 0.5, 1.0, None, None],
            "face_in_avatar": pd.array([True, False, None, None, None], dtype="boolean"),
        }))
        c = af.prior_contributions(f)
        assert c["is_bot"].tolist() == [af.PRIORS["is_bot"], 0, 0, 0, 0]
        assert c["cadence"][1] == 0 and c["cadence"][2] == pytest.approx(af.PRIORS["cadence"])
        assert c["cadence"][3] == af.PRIORS["cadence_max"]
        assert c["repost_share"][1] == 0 and c["repost_share"][2] == af.PRIORS["repost_share"]
        assert c["face"].tolist() == [af.PRIORS["face_yes"], af.PRIORS["face_no"], 0, 0, 0]
        assert (af.PRIORS["face_yes"], af.PRIORS["face_no"]) == (0.8, -0.4)


# ---------------------------------------------------------------- n-grams


class TestNgrams:
    def test_words_bigrams_and_stand_ins(self):
        rows, tokens = af.word_ngrams(pd.Series(["dm for promo https://x.example @ana 2024",
                                                 None, "日本語 ok"], dtype="string"), 2)
        pairs = list(zip(rows.tolist(), tokens.to_pylist()))
        assert (0, "dm for") in pairs and (0, af.URL_TOKEN) in pairs
        assert (0, af.MENTION_TOKEN) in pairs and (0, "0000") in pairs
        assert (2, "日本語") in pairs and (2, "日本語 ok") in pairs
        assert not any(r == 1 for r, _ in pairs)
        assert not any(t.startswith("0000 ") and r == 2 for r, t in pairs)  # no cross-row pair

    def test_words_do_not_glue_rows(self):
        rows, tokens = af.word_ngrams(pd.Series(["ab", "cd"], dtype="string"), 1)
        assert list(zip(rows.tolist(), tokens.to_pylist())) == [(0, "ab"), (1, "cd")]

    def test_unique_pairs_drop_repeats_and_unknowns(self):
        r, c = af.unique_pairs(np.array([0, 0, 1, 1]), np.array([3, 3, -1, 2]), 10)
        assert sorted(zip(r.tolist(), c.tolist())) == [(0, 3), (1, 2)]

    def test_char_hash_is_stable(self):
        # the model file's bucket weights depend on these exact hashes
        rows, buckets, norm = af.char_ngrams(pd.Series(["ab", None], dtype="string"), (2,), 18)
        assert rows.tolist() == [0, 0, 0] and norm[1] == 0
        assert buckets.tolist() == [237531, 91044, 181614]

    def test_char_scores_equal_the_matrix_product(self):
        text = pd.Series(["héllo wörld", None, "x", "Maya Patel 🌸"], dtype="string")
        rows, buckets, norm = af.char_ngrams(text, (2, 3, 4), 12)
        w = np.random.default_rng(0).normal(size=2 ** 12)
        expected = np.bincount(rows, weights=w[buckets], minlength=4) * norm
        np.testing.assert_allclose(af.char_ngram_scores(text, (2, 3, 4), 12, w), expected)


# ---------------------------------------------------------------- fitting and the file


class TestFitAndFile:
    def test_logistic_fit_matches_scikit_learn(self):
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression

        from training.logistic import fit_logistic

        rng = np.random.default_rng(1)
        X = rng.normal(size=(200, 5))
        y = (X @ np.array([1.0, -2.0, 0.5, 0.0, 1.5]) + rng.normal(size=200) > 0).astype(float)
        w, b = fit_logistic(sparse.csr_matrix(X), y, C=0.5)
        ref = LogisticRegression(C=0.5, tol=1e-10, max_iter=10_000).fit(X, y)
        np.testing.assert_allclose(w, ref.coef_[0], atol=1e-5)
        assert b == pytest.approx(ref.intercept_[0], abs=1e-5)

    def test_prior_mean_holds_where_data_is_silent(self):
        from scipy import sparse

        from training.logistic import fit_logistic

        X = sparse.csr_matrix(np.c_[np.r_[np.ones(10), np.zeros(10)], np.zeros(20)])
        y = np.r_[np.ones(10), np.zeros(10)]
        w, _ = fit_logistic(X, y, C=1.0, prior=np.array([0.0, -2.4]))
        assert w[1] == pytest.approx(-2.4) and w[0] > 0

    def test_saved_model_scores_like_the_fitted_one(self, tmp_path):
        from training.account_type import fit as T
        from training.account_type.main import export

        people = ["Maya Patel", "Chris Jones", "Priya Shah", "Ana Silva", "Kenji Sato",
                  "Alex Kim", "Jose Ruiz", "Matt Lee"]
        pages = ["Daily Memes", "City News", "Green Shop", "Cute Pups", "Fact Hub",
                 "Clip Vault", "Fan Club", "Acme Store"]
        df = pd.DataFrame({
            "display_name": people + pages,
            "handle": [n.lower().replace(" ", "") for n in people + pages],
            "bio": ["I bake bread, mum of 2"] * 4 + ["runner and writer, she/her"] * 4
            + ["Daily memes, DM for promo"] * 4 + ["Official store. We ship worldwide"] * 4,
            "followers": [300, 500, 200, 800, 400, 250, 600, 150] + [90_000] * 8,
            "following": [400, 300, 350, 500, 450, 200, 700, 180] + [10] * 8,
            "sample_post": ["I made soup"] * 8 + ["via @someone lol"] * 8,
        })
        y = np.r_[np.ones(8), np.zeros(8)]
        feat = T.featurize(df, LEXICON)
        rows = np.arange(16)
        fitted = T.fit(feat, y, rows, T.Config(C=1.0, min_df=1))
        calib = (1.2, -0.1)
        expected = calib[0] * T.decision(feat, fitted, rows) + calib[1]
        model = export(feat, fitted, calib, LEXICON, {"note": "test"})
        path = tmp_path / MODEL_FILE
        model.save(path)
        loaded = AccountModel.load(path)
        fresh = score_with_model(df, model).person_probability.to_numpy(dtype=float)
        out = score_with_model(df, loaded)
        np.testing.assert_allclose(logit(fresh), expected, atol=1e-5)
        np.testing.assert_allclose(out.person_probability.to_numpy(dtype=float), fresh, atol=1e-12)
        assert loaded.meta == {"note": "test"} and loaded.version == MODEL_VERSION
        assert (out.account_type.iloc[:8] == "person").all()
        assert (out.account_type.iloc[8:] != "person").all()

    def test_packaged_model(self):
        from importlib import resources

        model = load_model()
        assert model is load_model()  # read once
        assert MODEL_VERSION in MODEL_FILE and model.version == MODEL_VERSION
        assert list(model.signal_keys) == af.SIGNAL_KEYS
        blob = resources.files("transforms").joinpath("models", MODEL_FILE).read_bytes()
        assert len(blob) < 5_000_000
        assert len(model.lexicon) > 10_000
        assert 0.5 < model.calibration[0] < 3


class TestLearningCurve:
    def test_points_are_deterministic_and_count_training_rows(self, monkeypatch):
        from training.account_type import evaluate as E
        from training.account_type import fit as T

        rng = np.random.default_rng(0)
        n = 60
        y = np.r_[np.ones(n // 2), np.zeros(n // 2)]
        df = pd.DataFrame({
            "display_name": [f"Maya Patel {i}" if t else f"Daily Memes {i}" for i, t in enumerate(y)],
            "handle": [f"user{i}" for i in range(n)],
            "bio": np.where(y > 0, "mum of 2, I bake", "Daily memes, DM for promo"),
            "followers": rng.integers(100, 1000, n),
        })
        y[[0, 7, 14, 40, 47, 54]] = 1 - y[[0, 7, 14, 40, 47, 54]]  # label noise: F1 < 1
        strata = y.astype(int).astype(str)
        feat = T.featurize(df, LEXICON)
        monkeypatch.setattr(E, "CURVE", ((5, 0.5), (10, 1.0)))
        monkeypatch.setattr(E, "CURVE_SEEDS", 2)
        curve = E.learning_curve(feat, y, strata, T.Config(C=1.0, min_df=1), jobs=1)
        assert [c["train_rows"] for c in curve] == [24, 54]  # 60 * 4/5 * 0.5, 60 * 9/10
        assert all(0.5 < f1 < 1.0 for c in curve for f1 in c["macro_f1_runs"])
        again = E._curve_point(feat, y, strata, T.Config(C=1.0, min_df=1), 5, 0.5, E.SEED)
        assert again == curve[0]["macro_f1_runs"][0]


class TestThresholdSearch:
    def test_best_cut_maximises_macro_f1_and_prefers_the_middle(self):
        from training.metrics import best_cut, metrics_f1

        y = np.r_[np.ones(6), np.zeros(4)]
        p = np.array([0.9, 0.8, 0.7, 0.66, 0.64, 0.45, 0.6, 0.3, 0.2, 0.1])
        cut = best_cut(y, p)
        assert cut == 0.625  # the one candidate between the page at 0.6 and the person at 0.64
        assert metrics_f1(y, p, cut) > metrics_f1(y, p, 0.5)
        assert best_cut(np.r_[np.ones(2), np.zeros(2)], np.array([0.9, 0.8, 0.2, 0.1])) == 0.5


# ---------------------------------------------------------------- the interface


class TestInterface:
    def test_columns_index_and_dtypes(self):
        df = pd.DataFrame({"display_name": ["Maya Patel", "Daily Memes"],
                           "bio": ["mum of 2, I bake", "daily memes, dm for promo"]},
                          index=[10, 3])
        out = score_account_type(df)
        assert list(out.columns) == ACCOUNT_TYPE_COLUMNS
        assert out.index.tolist() == [10, 3]
        assert str(out.person_probability.dtype) == "Float64"
        assert set(out.account_type) <= set(ACCOUNT_TYPES)
        assert out.person_probability.between(0, 1).all()

    def test_no_columns_all_nulls_and_empty(self):
        assert len(score_account_type(pd.DataFrame(index=range(3)))) == 3
        nulls = pd.DataFrame({c: [None] for c in [
            "platform", "handle", "display_name", "bio", "followers", "following", "posts",
            "posts_count", "is_bot", "posts_per_week", "repost_share", "credit_share",
            "first_person_post_share", "sample_post", "avatar_url", "face_in_avatar"]})
        out = score_account_type(nulls)
        assert out.person_probability.notna().all()
        empty = score_account_type(pd.DataFrame(columns=["bio", "handle"]))
        assert list(empty.columns) == ACCOUNT_TYPE_COLUMNS and len(empty) == 0

    def test_unicode_emoji_html_and_junk(self):
        df = pd.DataFrame({
            "display_name": ["𝓜𝓪𝔂𝓪 ✨", "<b>Shop</b>", "\u200bZoë\u200b", "🍞🍞🍞", "x" * 5000],
            "bio": ["<p>I bake &amp; run</p>", "مرحبا بكم", "日本語のテキスト", "\n\t ", None],
            "handle": ["maya", "@@", "zoe.bsky.social", "🍞", None],
            "followers": ["12k", -5, 3.5, None, "nan"],
            "sample_post": [None, "<a href='x'>link</a>", "ok 😂😂", "", "I"],
        })
        out = score_account_type(df)
        assert len(out) == 5 and out.person_probability.between(0, 1).all()
        assert all(isinstance(e, list) for e in out.evidence)

    def test_threshold_moves_the_person_cut(self):
        df = pd.DataFrame({"display_name": ["Maya Patel"], "bio": ["I bake"]})
        p = score_account_type(df).person_probability[0]
        assert score_account_type(df, threshold=p).account_type[0] == "person"
        assert score_account_type(df, threshold=min(p + 0.01, 1.0)).account_type[0] != "person"

    def test_deterministic_and_blocks_agree(self):
        base = pd.DataFrame({
            "display_name": ["Maya Patel", "Daily Memes", None, "City News Desk"],
            "bio": ["mum of 2, I bake", "memes daily", "we post news", None],
            "handle": ["maya_p", "dailymemes", "newsbot", "citynews"],
            "followers": [300, 90_000, None, 5000],
        })
        big = pd.concat([base] * 5_001, ignore_index=True)  # > 20k rows: scored in blocks
        once = score_account_type(big)
        pd.testing.assert_frame_equal(once, score_account_type(big.copy()))
        single = score_account_type(base)
        pd.testing.assert_frame_equal(once.iloc[:4], single)
        pd.testing.assert_frame_equal(once.iloc[-4:].reset_index(drop=True), single)

    def test_face_in_avatar_is_a_fixed_prior(self):
        df = pd.DataFrame({"display_name": ["Sam Lee"] * 3,
                           "face_in_avatar": pd.array([True, False, None], dtype="boolean")})
        out = score_account_type(df)
        logit = np.log(out.person_probability / (1 - out.person_probability)).to_numpy(float)
        assert logit[0] - logit[2] == pytest.approx(0.8, abs=1e-6)
        assert logit[1] - logit[2] == pytest.approx(-0.4, abs=1e-6)
        assert "a face in the avatar (+0.8)" in out.evidence[0]


# ---------------------------------------------------------------- evidence and examples


class TestEvidence:
    def test_format_order_and_cap(self):
        r = one(display_name="Daily Memes", bio="Daily memes, facts, news, fan page, shop",
                handle="dailymemes", posts_per_week=200, repost_share=1.0, credit_share=1.0,
                followers=90_000, following=1, is_bot=True)
        assert len(r.evidence) == EVIDENCE_LIMIT
        assert all(re.search(r"^\S.* \([+-][0-9]+\.[0-9]\)$", e) for e in r.evidence)
        sizes = [abs(weight(e)) for e in r.evidence]
        assert sizes == sorted(sizes, reverse=True)
        assert r.evidence[0] == "the platform marks it as a bot (-12.0)"

    def test_plain_words(self):
        r = one(display_name="Maya Patel", bio="I bake sourdough. Mum of 2, she/her",
                handle="mayapatel")
        text = " ".join(r.evidence)
        assert "display name starts with a common first name ('maya')" in text
        assert "zurlz" not in text and "zatz" not in text
        r = one(bio="Official store, we ship worldwide. Shop now https://x.example")
        assert any(e.startswith(("bio says '", "bio contains '", "wording of the bio"))
                   for e in r.evidence)

    def test_nameless_weights_join_their_signal_line(self):
        """Without a display name a signal's line adds its own and its nameless weight."""
        cols = {"display_name": [None], "bio": ["I bake sourdough and I run"]}
        r = score_account_type(pd.DataFrame(cols)).iloc[0]
        model = load_model()
        a = model.calibration[0]
        s = signals(**cols)
        expected = sum(a * model.signal_coef[af.SIGNAL_KEYS.index(k + suffix)] * s.values[k][0]
                       for k in ("bio_first_person", "bio_first_person_count")
                       for suffix in ("", af.NAMELESS))
        line = next(e for e in r.evidence if e.startswith("bio speaks in the first person"))
        assert weight(line) == pytest.approx(expected, abs=0.051)
        assert all(re.search(r"^\S.* \([+-][0-9]+\.[0-9]\)$", e) for e in r.evidence)

    def test_cadence_and_reposts_worded(self):
        r = one(posts_per_week=98, repost_share=0.9)
        assert any(e.startswith("posts 14 times a day (") for e in r.evidence)
        assert any(e.startswith("90% of recent posts are reposts (") for e in r.evidence)

    def test_nothing_known_means_no_evidence(self):
        assert score_account_type(pd.DataFrame(index=range(2))).evidence.tolist() == [[], []]


class TestExamples:
    def test_clear_person(self):
        r = one(display_name="Maya Patel", bio="I bake sourdough, mum of 2. she/her",
                handle="mayapatel", followers=640, following=500)
        assert r.account_type == "person" and r.person_probability > 0.8

    def test_bot_flag_outweighs_person_words(self):
        r = one(display_name="Maya Patel", bio="I'm a mum and a baker", is_bot=True)
        assert r.account_type != "person" and r.person_probability < 0.2

    @pytest.mark.parametrize(("name", "bio", "kind"), [
        ("Daily Memes", "Daily memes 😂 DM for promo", "meme"),
        ("Fun Facts", "Did you know? Facts every day", "facts"),
        ("Cute Pups", "The cutest puppies and kittens", "animal"),
        ("Acme Store", "Official Acme store. Free shipping worldwide.", "brand"),
        ("World Wire", "Breaking news and headlines, 24/7", "news"),
        ("Clip Vault", "Credit to owners. DM for removal. Submit your clips", "repost"),
        ("Jem Fans", "Fan page, not affiliated with Jemma", "fan"),
    ])
    def test_page_kinds(self, name, bio, kind):
        r = one(display_name=name, bio=bio, followers=50_000, following=20)
        assert r.account_type == kind and r.person_probability < 0.3

    def test_repost_page_by_its_posts(self):
        r = one(display_name="Vault", bio="the good stuff", credit_share=0.8, repost_share=0.9,
                followers=80_000, following=5)
        assert r.account_type == "repost"
