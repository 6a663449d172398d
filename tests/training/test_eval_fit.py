"""The fit evaluation's arithmetic and its honesty, on tiny frames built here (no dataset):
precision@k counts what it should, and no creator's niche probabilities come from a model
that saw that creator."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from core.brief import Brief
from training.content.fit import fit_content_model
from training.cv import FOLDS, folds
from training.eval_fit import (
    SEEDS_PER_SEARCH,
    lookalike_precision,
    out_of_fold_content,
    out_of_fold_niche_probs,
    precision_at_k,
    rank_by_fold,
    seed_draws,
    with_niche_probs,
)
from training.niches.fit import fit, predict
from transforms.niches import NICHES

SEED = 7


def test_precision_at_k_is_the_share_of_the_target_among_the_first_k():
    ranked = np.array([4, 4, 6, 4, 0])
    assert precision_at_k(ranked, 4, k=1) == 1.0
    assert precision_at_k(ranked, 4, k=2) == 1.0
    assert precision_at_k(ranked, 4, k=3) == pytest.approx(2 / 3)
    assert precision_at_k(ranked, 4, k=4) == 0.75
    assert precision_at_k(ranked, 6, k=4) == 0.25
    assert precision_at_k(ranked, 4, k=50) == 0.6  # fewer rows than k: the share of all of them
    assert np.isnan(precision_at_k(np.array([], dtype=int), 4, k=50))


def _memorisable(per_niche: int = 15) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Each creator has one feature of its own and nothing else: a model that saw a creator can
    recall its label, a model that did not can only give every unseen creator the same answer.
    (Three niches: with two, the fit is one binary model.)"""
    y = np.repeat([NICHES.index(n) for n in ("food", "pet", "travel")], per_niche)
    n = len(y)
    return sparse.identity(n, format="csr"), y


def _fold_rows_answer_alike(p: np.ndarray, y: np.ndarray) -> bool:
    return all(np.allclose(p[te], p[te][0]) for _, te in folds(y, y, FOLDS, SEED))


@pytest.mark.parametrize("replayed", [False, True], ids=["nested", "replayed"])
def test_out_of_fold_probabilities_never_come_from_a_model_that_saw_the_creator(replayed):
    X, y = _memorisable()
    chosen = [{"alpha": 3e-5, "inner": []}] * FOLDS if replayed else None
    p = out_of_fold_niche_probs(X, y, SEED, chosen=chosen, jobs=1)
    assert p.shape == (len(y), len(NICHES))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert _fold_rows_answer_alike(p, y)
    # The check can fail: a model that saw the creators recalls each one's own label.
    seen = predict(fit(X, y, len(NICHES), 3e-5), X)
    assert not _fold_rows_answer_alike(seen, y)
    assert (seen.argmax(axis=1) == y).all()


def test_with_niche_probs_replaces_the_three_niche_columns_row_for_row():
    profile = pd.DataFrame({"niches": ["x"] * 3, "niche": ["x"] * 3, "niche_probs": [None] * 3,
                            "content_vector": [np.ones(2)] * 3}, index=[10, 11, 12])
    p = np.full((3, len(NICHES)), 0.01)
    for row, niche in enumerate(["pet", "food", "travel"]):
        p[row, NICHES.index(niche)] = 0.92
    out = with_niche_probs(profile, p)
    assert out["niche"].tolist() == ["pet", "food", "travel"]
    assert out.loc[11, "niches"].startswith("food:0.92|")
    np.testing.assert_allclose(out.loc[12, "niche_probs"], p[2].astype(np.float32))
    assert out["content_vector"].equals(profile["content_vector"])


def test_seed_draws_are_distinct_members_of_the_niche_and_repeatable():
    y = np.array([0, 4, 4, 1, 4, 4, 2, 4])
    draws = seed_draws(y, 4, np.random.default_rng(SEED), searches=6, per_search=3)
    assert len(draws) == 6
    assert all(len(set(d)) == 3 and (y[d] == 4).all() for d in draws)
    again = seed_draws(y, 4, np.random.default_rng(SEED), searches=6, per_search=3)
    assert all((a == b).all() for a, b in zip(draws, again, strict=True))


def test_lookalike_precision_counts_non_seeds_only():
    """Fewer creators than TOP_K, each niche's content apart from the others': every non-seed
    is ranked, so precision is the share of same-niche creators among the non-seeds, which a
    seed counted among the hits would raise."""
    niches = ["food", "pet", "travel"]
    y = np.repeat([NICHES.index(n) for n in niches], 5)
    p = np.full((len(y), len(NICHES)), 0.01)
    p[np.arange(len(y)), y] = 0.92
    vectors = np.eye(len(NICHES), dtype=np.float32)[y]
    creators = with_niche_probs(pd.DataFrame({
        "platform": "instagram", "handle": [f"creator{i}" for i in range(len(y))], "followers": 5000,
        "content_vector": list(vectors), "niches": pd.NA, "niche": pd.NA, "niche_probs": None}), p)
    rows = {r["niche"]: r for r in lookalike_precision(creators, y, SEED, searches=2)}
    expected = (5 - SEEDS_PER_SEARCH) / (len(y) - SEEDS_PER_SEARCH)
    for niche in niches:
        assert rows[niche]["mean"] == pytest.approx(expected)
        assert rows[niche]["base_rate"] == pytest.approx(expected)


def test_out_of_fold_content_models_never_saw_their_folds_words_and_rank_every_creator_once():
    """Each creator's caption names its fold ("folda", "foldb", ...: the tokeniser makes every
    digit 0), a word no other fold has: a fold's model must not know its own fold's word (it
    never read those captions) but know every other's."""
    y = np.repeat([NICHES.index(n) for n in ("food", "pet", "travel")], 15)
    fold_of = np.empty(len(y), dtype=int)
    for i, (_, te) in enumerate(folds(y, y, FOLDS, SEED)):
        fold_of[te] = i
    name = [f"fold{chr(97 + i)}" for i in range(FOLDS)]
    docs = pd.Series([f"{name[fold_of[i]]} {NICHES[y[i]]} recipes cooking travel dogs" for i in range(len(y))])
    content = out_of_fold_content(docs, y, SEED, max_df=1.0, bigrams=False)
    assert len(content) == FOLDS
    # The check can fail: a model fitted on every creator knows every fold's word.
    assert set(name) <= set(fit_content_model(docs, 1.0, bigrams=False)[0].vocabulary.to_pylist())
    for i, fold in enumerate(content):
        vocabulary = set(fold.model.vocabulary.to_pylist())
        assert name[i] not in vocabulary
        assert {name[j] for j in range(FOLDS) if j != i} <= vocabulary
        assert (fold_of[fold.rows] == i).all()
    creators = pd.DataFrame({"platform": "instagram", "handle": [f"c{i}" for i in range(len(y))],
                             "followers": 1000, "niche_probs": None, "content_vector": None})
    ranked = rank_by_fold(creators, Brief(text="dogs and pets", name="t"), None, content)
    assert sorted(ranked.index) == list(range(len(y)))
    assert ranked["fit_rank"].tolist() == list(range(1, len(y) + 1))
    scores = ranked["fit_score"].to_numpy(dtype=float)
    assert (np.diff(scores) <= 0).all()
    assert ranked["text_cosine"].notna().all()
