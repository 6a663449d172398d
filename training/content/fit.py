"""Fit the content model (transforms/content_model.py) on documents: the vocabulary by document
frequency, smoothed IDF, then a truncated SVD of the TF-IDF matrix. Used for the shipped model
(all dev creators) and, inside each outer fold, by the fit evaluation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from sklearn.decomposition import TruncatedSVD

from transforms.content_model import CONTENT_DIM, ContentModel
from transforms.niches import document_words

MAX_TERMS = 30_000  # the vocabulary's size cap, most frequent first
MIN_DF = 3  # a term must occur in this many documents
MAX_DF_GRID = (1.0, 0.1, 0.05)  # ... and in at most this share of them (function words out)
SVD_ITERATIONS = 7
SVD_SEED = 14


def document_frequencies(rows: np.ndarray, tokens: pa.Array) -> pd.Series:
    """How many documents each token occurs in, most frequent first (ties by the token)."""
    codes, uniques = pd.factorize(np.asarray(tokens.to_pylist(), dtype=object))
    pairs = pd.unique(rows * np.int64(len(uniques) + 1) + codes)
    df = np.bincount(pairs % (len(uniques) + 1), minlength=len(uniques))
    freq = pd.Series(df, index=pd.Index(uniques, dtype=object))
    return freq.sort_index(kind="stable").sort_values(ascending=False, kind="stable")


def choose_vocabulary(freq: pd.Series, documents: int, max_df: float, max_terms: int = MAX_TERMS,
                      min_df: int = MIN_DF) -> pd.Series:
    """The at most ``max_terms`` most frequent terms found in at least ``min_df`` documents and
    in at most ``max_df`` of them: the words every caption has (the, and, at) would otherwise
    make the SVD's strongest directions and pull every text toward every other."""
    return freq[(freq >= min_df) & (freq <= max_df * documents)].iloc[:max_terms]


def fit_content_model(docs: pd.Series, max_df: float, *, max_terms: int = MAX_TERMS, min_df: int = MIN_DF,
                      bigrams: bool = True) -> tuple[ContentModel, dict]:
    """The model and what the report says of it (vocabulary size, explained variance)."""
    docs = docs.fillna("").reset_index(drop=True)
    rows, tokens = document_words(docs)
    freq = document_frequencies(rows, tokens)
    if not bigrams:
        freq = freq[~freq.index.str.contains(" ", regex=False)]
    vocab = choose_vocabulary(freq, len(docs), max_df, max_terms, min_df)
    idf = (np.log((1 + len(docs)) / (1 + vocab.to_numpy(dtype=float))) + 1).astype(np.float32)
    empty = ContentModel(vocabulary=pa.array(vocab.index.tolist(), pa.large_string()), idf=idf,
                         terms=np.zeros((len(vocab), CONTENT_DIM), dtype=np.float32), meta={})
    X = empty.tfidf(rows, tokens, len(docs))
    dims = min(CONTENT_DIM, len(vocab))  # a tiny corpus: fewer directions, the rest zero
    svd = TruncatedSVD(dims, algorithm="randomized", n_iter=SVD_ITERATIONS, random_state=SVD_SEED)
    svd.fit(X)
    terms = np.zeros((len(vocab), CONTENT_DIM), dtype=np.float32)
    terms[:, :dims] = svd.components_.T
    stats = {"documents": len(docs), "terms": len(vocab), "max_terms": max_terms, "min_df": min_df, "max_df": max_df,
             "bigrams": bigrams, "bigram_terms": int(vocab.index.str.contains(" ", regex=False).sum()),
             "explained_variance": round(float(svd.explained_variance_ratio_.sum()), 4),
             "first_component_variance": round(float(svd.explained_variance_ratio_[0]), 4)}
    model = ContentModel(vocabulary=empty.vocabulary, idf=idf, terms=terms,
                         meta={k: stats[k] for k in ("documents", "terms", "min_df", "max_df", "bigrams")})
    return model, stats


def neighbour_agreement(vectors: np.ndarray, y: np.ndarray, k: int = 10, chunk: int = 2048) -> float:
    """Mean share of each creator's ``k`` nearest others (by cosine) with its own label: how
    well the vectors group creators by what they post about, without any brief. Rows without
    a vector count 0."""
    v = np.nan_to_num(vectors)
    agree = np.zeros(len(y))
    for start in range(0, len(y), chunk):
        sims = v[start:start + chunk] @ v.T
        sims[np.arange(len(sims)), np.arange(start, start + len(sims))] = -np.inf  # not itself
        near = np.argpartition(-sims, k, axis=1)[:, :k]
        agree[start:start + chunk] = (y[near] == y[start:start + chunk, None]).mean(axis=1)
    agree[np.isnan(vectors).any(axis=1)] = 0.0
    return float(agree.mean())
