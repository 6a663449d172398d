"""The logistic regression every model here is fitted with: an L2-regularised MAP fit (our own,
so the weights are plain numbers we save ourselves), class balancing and Platt scaling."""

from __future__ import annotations

import numpy as np
from scipy import optimize, sparse


def fit_logistic(X: sparse.csr_matrix, y: np.ndarray, C: float,
                 sample_weight: np.ndarray | None = None,
                 prior: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """min 0.5*|w - prior|^2 + C * sum_i s_i * logloss_i (intercept unpenalised), Newton-CG.

    With prior = 0 this is scikit-learn's LogisticRegression(C=C) objective, written out so
    the weights are plain numbers we save ourselves, and so a weight can be pulled towards a
    prior value instead of 0. Newton steps with exact Hessian-vector products converge in a
    few dozen sparse products, far fewer than L-BFGS needs here.
    """
    n, d = X.shape
    s = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    w0 = np.zeros(d) if prior is None else np.asarray(prior, dtype=float)
    sign = np.where(y > 0, 1.0, -1.0)
    Xt = X.T.tocsr()
    state: dict[str, np.ndarray] = {}

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:d], theta[d]
        margin = sign * (X @ w + b)
        p_wrong = np.exp(-np.logaddexp(0.0, margin))  # P(the other label)
        state["curv"] = C * s * p_wrong * (1.0 - p_wrong)
        g = -sign * s * p_wrong
        grad = np.empty(d + 1)
        grad[:d] = (w - w0) + C * (Xt @ g)
        grad[d] = C * g.sum()
        return 0.5 * (w - w0) @ (w - w0) + C * (s * np.logaddexp(0.0, -margin)).sum(), grad

    def hessp(theta: np.ndarray, v: np.ndarray) -> np.ndarray:
        curv = state["curv"]
        u = curv * (X @ v[:d] + v[d])
        out = np.empty(d + 1)
        out[:d] = v[:d] + Xt @ u
        out[d] = u.sum()
        return out

    res = optimize.minimize(objective, np.r_[w0, 0.0], jac=True, hessp=hessp,
                            method="Newton-CG", options={"xtol": 1e-8, "maxiter": 200})
    return res.x[:d], float(res.x[d])


def class_weights(y: np.ndarray, balanced: bool) -> np.ndarray:
    """Per-row weights that make both classes count equally (the metrics are macro)."""
    if not balanced:
        return np.ones(len(y))
    pos = y.mean()
    return np.where(y > 0, 0.5 / pos, 0.5 / (1 - pos))


def platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """a, b so that sigmoid(a*z + b) is calibrated (a 1-D logistic fit, nearly unpenalised)."""
    a, b = fit_logistic(sparse.csr_matrix(z.reshape(-1, 1)), y, C=1e4)
    return float(a[0]), b


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))
