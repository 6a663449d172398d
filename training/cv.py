"""Honest measurement shared by every model: stratified folds, out-of-fold scores, grid
selection by calibrated out-of-fold log-loss, and nested cross-validation.

A model plugs in as a ``Scorer``: ``score(config, train_rows, test_rows)`` fits on the train
rows and returns decision values (logits) of the test rows. Fixed seeds: same data, same figures.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from sklearn.model_selection import StratifiedKFold

from training.logistic import platt, sigmoid
from training.metrics import best_cut, log_loss

FOLDS = 5
INNER_FOLDS = 4
JOBS = 2  # processes for the grid search (--jobs)

Scorer = Callable[[Any, np.ndarray, np.ndarray], np.ndarray]


def folds(y: np.ndarray, strata: np.ndarray, k: int, seed: int) -> list[tuple[np.ndarray, ...]]:
    skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    return list(skf.split(np.zeros(len(y)), strata))


def oof_scores(score: Scorer, y: np.ndarray, strata: np.ndarray, rows: np.ndarray, cfg: Any,
               k: int, seed: int, share: float = 1.0) -> np.ndarray:
    """Out-of-fold decision values for `rows`, from k models each blind to its fold and
    trained on a random `share` of the rest (below 1 only for a learning curve)."""
    rng = np.random.default_rng(seed)
    z = np.zeros(len(rows))
    for tr, te in folds(y[rows], strata[rows], k, seed):
        if share < 1:
            tr = np.sort(rng.choice(tr, int(len(tr) * share), replace=False))
        z[te] = score(cfg, rows[tr], rows[te])
    return z


def _grid_point(score: Scorer, y: np.ndarray, strata: np.ndarray, rows: np.ndarray,
                cfg: Any, k: int, seed: int) -> tuple[float, np.ndarray]:
    z = oof_scores(score, y, strata, rows, cfg, k, seed)
    a, b = platt(z, y[rows])
    return log_loss(y[rows], sigmoid(a * z + b)), z


def select(score: Scorer, y: np.ndarray, strata: np.ndarray, rows: np.ndarray,
           grid: Sequence[Any], k: int, seed: int, jobs: int = JOBS
           ) -> tuple[Any, np.ndarray, list[dict]]:
    """The grid point (a dataclass) with the lowest calibrated out-of-fold log-loss on `rows`
    (ties: the earlier point). Grid points run in `jobs` processes; the result does not
    depend on it."""
    results = Parallel(n_jobs=jobs)(
        delayed(_grid_point)(score, y, strata, rows, cfg, k, seed) for cfg in grid)
    table = [{**asdict(cfg), "log_loss": round(loss, 5)} for cfg, (loss, _) in zip(grid, results, strict=True)]
    i = int(np.argmin([loss for loss, _ in results]))
    return grid[i], results[i][1], table


def nested_cv(score: Scorer, y: np.ndarray, strata: np.ndarray, grid: Sequence[Any],
              seed: int, jobs: int = JOBS) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """Outer 5-fold predictions; each outer fold picks its grid point, Platt scaling and
    decision threshold by inner CV on its own training part only. Returns the calibrated
    probabilities and, per row, the threshold its outer fold chose."""
    p, cut = np.zeros(len(y)), np.zeros(len(y))
    chosen = []
    for i, (tr, te) in enumerate(folds(y, strata, FOLDS, seed)):
        cfg, z_in, _ = select(score, y, strata, tr, grid, INNER_FOLDS, seed + 1 + i, jobs)
        a, b = platt(z_in, y[tr])
        cut[te] = best_cut(y[tr], sigmoid(a * z_in + b))
        p[te] = sigmoid(a * score(cfg, tr, te) + b)
        chosen.append({"fold": i + 1, **asdict(cfg), "cut": float(cut[te][0])})
        print(f"  outer fold {i + 1}: {cfg} cut {cut[te][0]}", file=sys.stderr)
    return p, cut, chosen
