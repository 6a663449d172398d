"""The content vector's model: a small LSA (latent semantic analysis) of captions.

TF-IDF over a fixed vocabulary of words and word pairs (the tokens of
transforms.account_features.words.word_ngrams, the niche model's own reading), then a
64-column term matrix from a truncated SVD, trained by training/content/. Words that occur in
the same captions share directions, so "cook" and "recipes" land near each other even when two
texts share no word. The file name carries CONTENT_VERSION: stored vectors of another version
are not comparable with this one's.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa
from scipy import sparse

from transforms.account_features.words import vocabulary_columns

CONTENT_DIM = 64
CONTENT_VERSION = "lsa-v1"
MODEL_FILE = f"content_{CONTENT_VERSION}.npz"


def term_frequencies(rows: np.ndarray, tokens: pa.Array, n: int, vocabulary: pa.Array) -> sparse.csr_matrix:
    """n x len(vocabulary) sublinear term frequencies (1 + log count); tokens outside the
    vocabulary are dropped."""
    cols = vocabulary_columns(tokens, vocabulary)
    known = cols >= 0
    m = sparse.csr_matrix((np.ones(int(known.sum()), dtype=np.float32), (rows[known], cols[known])),
                          shape=(n, len(vocabulary)))
    m.sum_duplicates()
    m.data = 1.0 + np.log(m.data)
    return m


def unit_rows(m: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (float32); NaN rows where a row is all zero (nothing known)."""
    norm = np.linalg.norm(m, axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(norm > 0, m / norm, np.nan).astype(np.float32)


@dataclass(frozen=True, eq=False)
class ContentModel:
    """The vocabulary, each term's IDF and its CONTENT_DIM-column row of the SVD's term matrix."""

    vocabulary: pa.Array  # large_string, one term per row of ``terms``
    idf: np.ndarray  # float32
    terms: np.ndarray  # float32, len(vocabulary) x CONTENT_DIM
    meta: dict

    def tfidf(self, rows: np.ndarray, tokens: pa.Array, n: int) -> sparse.csr_matrix:
        """Each document's TF-IDF row, L2-normalised (a long caption list weighs no more than a bio)."""
        m = term_frequencies(rows, tokens, n, self.vocabulary) @ sparse.diags(self.idf)
        norm = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        return sparse.diags(np.where(norm > 0, 1.0 / np.maximum(norm, 1e-12), 0.0)) @ m

    def vectors(self, rows: np.ndarray, tokens: pa.Array, n: int) -> np.ndarray:
        """n x CONTENT_DIM unit vectors of the documents' (row, token) pairs; NaN rows for a
        document with no word in the vocabulary."""
        return unit_rows(np.asarray(self.tfidf(rows, tokens, n) @ self.terms))

    def save(self, path: Path) -> None:
        """float16 term matrix, compressed, no pickle: a few MB to commit."""
        header = {"version": CONTENT_VERSION, "meta": self.meta}
        with open(path, "wb") as fh:
            np.savez_compressed(fh, vocabulary=np.array(self.vocabulary.to_pylist(), dtype=str),
                                idf=self.idf.astype(np.float32), terms=self.terms.astype(np.float16),
                                header=np.array(json.dumps(header, sort_keys=True)))

    @classmethod
    def from_bytes(cls, blob: bytes) -> ContentModel:
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            header = json.loads(str(z["header"]))
            return cls(vocabulary=pa.array(z["vocabulary"].tolist(), pa.large_string()),
                       idf=z["idf"].astype(np.float32), terms=z["terms"].astype(np.float32),
                       meta=header["meta"])


@cache
def load_content_model() -> ContentModel:
    """The packaged model (transforms/models/), read once per process."""
    return ContentModel.from_bytes(resources.files("transforms.models").joinpath(MODEL_FILE).read_bytes())
