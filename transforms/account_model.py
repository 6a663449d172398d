"""The account-type model's weights: the file format (numpy .npz, no pickle) and the
inference form (calibration folded in), read once per process.

The weights are written by training/account_type/ and packaged in transforms/models/; the
file name carries MODEL_VERSION, so a retrained model cannot be mistaken for this code's.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa

from transforms import account_features as af

MODEL_VERSION = "logreg-v3"
MODEL_FILE = f"account_type_{MODEL_VERSION}.npz"


@dataclass(frozen=True, eq=False)  # compared and cached by identity
class AccountModel:
    """Everything inference needs: weights per feature block, calibration, the lexicon."""

    version: str
    signal_keys: tuple[str, ...]
    signal_coef: np.ndarray  # raw (uncalibrated) weight per named signal
    intercept: float
    calibration: tuple[float, float]  # calibrated logit = a * raw logit + b
    vocab: dict[str, np.ndarray]  # word field -> n-gram strings
    word_coef: dict[str, np.ndarray]  # word field -> raw weight per n-gram
    char_ns: dict[str, tuple[int, ...]]
    char_bits: int
    char_coef: dict[str, np.ndarray]  # char field -> raw weight per hash bucket (dense)
    lexicon: af.Lexicon
    meta: dict = field(default_factory=dict)

    def save(self, path: Path) -> None:
        """An .npz of plain arrays (strings as unicode arrays, no pickle), compressed."""
        arrays: dict[str, np.ndarray] = {
            "signal_coef": np.asarray(self.signal_coef, dtype=np.float64),
            "lexicon_names": np.asarray(self.lexicon.names, dtype=str),
            "lexicon_strength": np.asarray(self.lexicon.strength, dtype=np.float32),
        }
        for name in self.vocab:
            arrays[f"vocab_{name}"] = np.asarray(self.vocab[name], dtype=str)
            arrays[f"word_coef_{name}"] = np.asarray(self.word_coef[name], dtype=np.float32)
        for name, coef in self.char_coef.items():
            nz = np.flatnonzero(coef)
            arrays[f"char_idx_{name}"] = nz.astype(np.int32)
            arrays[f"char_coef_{name}"] = coef[nz].astype(np.float32)
        header = {
            "version": self.version, "signal_keys": list(self.signal_keys),
            "intercept": self.intercept, "calibration": list(self.calibration),
            "word_fields": list(self.vocab), "char_ns": {k: list(v) for k, v in self.char_ns.items()},
            "char_bits": self.char_bits, "meta": self.meta,
        }
        arrays["header"] = np.array(json.dumps(header, sort_keys=True))
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)

    @classmethod
    def from_bytes(cls, blob: bytes) -> AccountModel:
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            header = json.loads(str(z["header"]))
            width = 2 ** int(header["char_bits"])
            char_coef = {}
            for name in header["char_ns"]:
                dense = np.zeros(width, dtype=np.float32)
                dense[z[f"char_idx_{name}"]] = z[f"char_coef_{name}"]
                char_coef[name] = dense
            return cls(
                version=header["version"],
                signal_keys=tuple(header["signal_keys"]),
                signal_coef=z["signal_coef"],
                intercept=float(header["intercept"]),
                calibration=(float(header["calibration"][0]), float(header["calibration"][1])),
                vocab={k: z[f"vocab_{k}"] for k in header["word_fields"]},
                word_coef={k: z[f"word_coef_{k}"] for k in header["word_fields"]},
                char_ns={k: tuple(v) for k, v in header["char_ns"].items()},
                char_bits=int(header["char_bits"]),
                char_coef=char_coef,
                lexicon=af.Lexicon(z["lexicon_names"], z["lexicon_strength"]),
                meta=header.get("meta", {}),
            )

    @classmethod
    def load(cls, path: Path) -> AccountModel:
        return cls.from_bytes(Path(path).read_bytes())


@cache
def load_model() -> AccountModel:
    """The packaged weights (transforms/models/MODEL_FILE), read once per process."""
    blob = resources.files("transforms").joinpath("models", MODEL_FILE).read_bytes()
    model = AccountModel.from_bytes(blob)
    if model.version != MODEL_VERSION or list(model.signal_keys) != af.SIGNAL_KEYS:
        raise RuntimeError(f"{MODEL_FILE} does not match this code: retrain with "
                           "python -m training.train_account_type")
    return model


@dataclass(frozen=True)
class Prepared:
    """A model's weights in inference form: calibration folded in, vocabularies as Arrow."""

    signal_w: np.ndarray
    bias: float
    word_w: dict[str, np.ndarray]
    vocab: dict[str, pa.Array]
    char_w: dict[str, np.ndarray]


@cache
def prepared(model: AccountModel) -> Prepared:
    if list(model.signal_keys) != af.SIGNAL_KEYS:
        raise ValueError("the model's signals are not this code's: retrain it")
    a, b = model.calibration
    return Prepared(
        signal_w=a * np.asarray(model.signal_coef, dtype=np.float64),
        bias=a * model.intercept + b,
        word_w={k: a * v.astype(np.float64) for k, v in model.word_coef.items()},
        vocab={k: pa.array(v.tolist(), pa.large_string()) for k, v in model.vocab.items()},
        char_w={k: a * v.astype(np.float64) for k, v in model.char_coef.items()},
    )

