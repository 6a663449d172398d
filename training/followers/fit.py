"""The follower model's fit: standardise the features of transforms/follower_features.py on
the training rows, then an L2-regularised, class-balanced logistic regression."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy import sparse

from training.cv import Scorer
from training.logistic import class_weights, fit_logistic


@dataclass(frozen=True)
class Config:
    """C: inverse L2 strength on the standardised features."""

    C: float = 1.0


GRID = [Config(C=c) for c in (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)]


@dataclass
class Fitted:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def decision(self, X: np.ndarray) -> np.ndarray:
        return standardise(X, self.mean, self.scale) @ self.coef + self.intercept


def standardise(X: np.ndarray, mean: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """(x - mean) / scale, an unknown value (NaN) at the mean: it contributes nothing."""
    return np.nan_to_num((X - mean) / scale, nan=0.0)


def fit(X: np.ndarray, y: np.ndarray, rows: np.ndarray, cfg: Config) -> Fitted:
    train = X[rows]
    mean = np.nanmean(train, axis=0)
    scale = np.nanstd(train, axis=0)
    scale = np.where(scale > 0, scale, 1.0)  # a constant column stays 0 after standardising
    Z = standardise(train, mean, scale)
    w, b = fit_logistic(sparse.csr_matrix(Z), y[rows], cfg.C, class_weights(y[rows], True))
    return Fitted(mean, scale, w, b)


def _score(X: np.ndarray, y: np.ndarray, cfg: Config, train: np.ndarray, test: np.ndarray
           ) -> np.ndarray:
    return fit(X, y, train, cfg).decision(X[test])


def scorer(X: np.ndarray, y: np.ndarray) -> Scorer:
    """The follower fit as a training.cv Scorer (a partial: joblib can send it)."""
    return partial(_score, X, y)
