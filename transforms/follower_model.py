"""The follower model's weights: the file (numpy .npz, no pickle) and its inference form.

Written by training/followers/ into transforms/models/; the file name carries MODEL_VERSION,
so a retrained model cannot be mistaken for this code's.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from transforms.follower_features import KEYS

MODEL_VERSION = "followers-logreg-v1"
MODEL_FILE = "followers_logreg-v1.npz"


@dataclass(frozen=True, eq=False)  # compared and cached by identity
class FollowerModel:
    """A logistic regression on standardised features, Platt-calibrated.

    calibrated logit = a * (coef . (x - mean) / scale + intercept) + b; an unknown feature
    is its training mean, so it contributes nothing.
    """

    keys: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # per standardised feature, uncalibrated
    intercept: float
    calibration: tuple[float, float]
    version: str = MODEL_VERSION
    meta: dict = field(default_factory=dict)

    def contributions(self, features: np.ndarray) -> np.ndarray:
        """Per row and feature, its share of the calibrated logit (0 where unknown)."""
        standard = np.nan_to_num((features - self.mean) / self.scale, nan=0.0)
        return standard * (self.calibration[0] * self.coef)

    def bias(self) -> float:
        a, b = self.calibration
        return a * self.intercept + b

    def save(self, path: Path) -> None:
        header = {"version": self.version, "keys": list(self.keys), "intercept": self.intercept,
                  "calibration": list(self.calibration), "meta": self.meta}
        with open(path, "wb") as fh:
            np.savez_compressed(fh, mean=self.mean, scale=self.scale, coef=self.coef,
                                header=np.array(json.dumps(header, sort_keys=True)))

    @classmethod
    def from_bytes(cls, blob: bytes) -> FollowerModel:
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            header = json.loads(str(z["header"]))
            return cls(keys=tuple(header["keys"]), mean=z["mean"], scale=z["scale"], coef=z["coef"],
                       intercept=float(header["intercept"]),
                       calibration=(float(header["calibration"][0]), float(header["calibration"][1])),
                       version=header["version"], meta=header.get("meta", {}))


@cache
def load_follower_model() -> FollowerModel:
    """The packaged weights (transforms/models/MODEL_FILE), read once per process."""
    blob = resources.files("transforms").joinpath("models", MODEL_FILE).read_bytes()
    model = FollowerModel.from_bytes(blob)
    if model.version != MODEL_VERSION or list(model.keys) != KEYS:
        raise RuntimeError(f"{MODEL_FILE} does not match this code: retrain with "
                           "python -m training.train_followers")
    return model
