"""Scale smoke test: 200k posts for 8k creators go through score_creators intact.

Asserts results only, never timings (bench/bench_transforms.py measures speed).
"""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pandas as pd

from transforms.frames import SCORE_DTYPES
from transforms.score import score_creators

NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)
N_CREATORS = 8_000
N_POSTS = 200_000


def synthetic(seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    ids = np.array([f"did:{i}" for i in range(N_CREATORS)], dtype=object)
    is_page = np.arange(N_CREATORS) % 2 == 1
    profiles = pd.DataFrame({
        "platform": "bluesky",
        "creator_id": ids,
        "handle": np.where(is_page, "memes_" + np.arange(N_CREATORS).astype(str), "maya"),
        "display_name": np.where(is_page, "Daily Memes", "Maya Patel"),
        "bio": np.where(is_page, "Daily memes 😂 DM for promo", "I bake bread, mum of 2"),
        "followers": rng.integers(500, 2_000_000, N_CREATORS),
        "following": rng.integers(1, 2_000, N_CREATORS),
    })
    owner = rng.integers(0, N_CREATORS, N_POSTS)
    owner[:N_CREATORS] = np.arange(N_CREATORS)  # everyone posts at least once
    posts = pd.DataFrame({
        "platform": "bluesky",
        "post_id": np.arange(N_POSTS).astype(str),
        "creator_id": ids[owner],
        "published_at": pd.Timestamp(NOW) - pd.to_timedelta(rng.integers(0, 60 * 86_400, N_POSTS),
                                                            unit="s"),
        "text": np.where(is_page[owner], "via @src lol", "my loaf today"),
        "likes": rng.integers(0, 1_000, N_POSTS),
        "comments": rng.integers(0, 50, N_POSTS),
        "shares": rng.integers(0, 10, N_POSTS),
        "is_repost": rng.random(N_POSTS) < 0.1,
        "is_sponsored": rng.random(N_POSTS) < 0.05,
    })
    return profiles, posts, is_page


def test_two_hundred_thousand_posts():
    profiles, posts, is_page = synthetic()
    out = score_creators(profiles, posts, now=NOW)

    assert len(out) == N_CREATORS
    assert list(out.columns) == list(SCORE_DTYPES)
    assert out.creator_id.tolist() == profiles.creator_id.tolist()
    counts = posts.groupby("creator_id").size().reindex(profiles.creator_id).to_numpy()
    assert (out.n_posts.to_numpy() == np.minimum(counts, 50)).all()
    assert out.er_median.notna().mean() > 0.99
    assert ((out.er_median >= 0) & (out.er_mean >= 0)).all()
    assert (out.posts_per_week > 0).all()
    assert (out.is_person.to_numpy() == ~is_page).all()
    assert set(out.account_type[is_page]) == {"meme"}
    assert out.tier.notna().all()


def test_scale_result_matches_pandas_groupby_reference():
    """ER median on a subset, recomputed the slow obvious way."""
    profiles, posts, _ = synthetic(seed=5)
    out = score_creators(profiles, posts, now=NOW).set_index("creator_id")
    sub = posts[posts.creator_id.isin(profiles.creator_id[:200]) & ~posts.is_repost]
    sub = sub.sort_values("published_at", ascending=False, kind="stable")
    top = sub.groupby("creator_id").head(50)
    followers = profiles.set_index("creator_id").followers
    er = (top.likes + top.comments + top.shares) / top.creator_id.map(followers)
    expected = er.groupby(top.creator_id).median()
    got = out.er_median.reindex(expected.index).astype(float)
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-12)
