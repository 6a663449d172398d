"""What a creator's text is about, in the forms a brief is matched against: the niche model's
probabilities, a 64-number content vector and the main language, all from one reading.

The niche features (hashed word and character n-grams, transforms/niches.py) are computed once
and serve both the niche model and the vector. The vector is a signed random projection of
those features: every hashed bucket adds its weight, with a sign, to ``PROJECTION_NONZEROS``
of the 64 dimensions, both chosen by hashing the bucket index (a sparse Johnson-Lindenstrauss
projection; no matrix is stored or trained), then the vector is L2-normalised. Two texts that
share words and spellings get a high cosine, in any language, so a brief's own words
(``text_profile``) compare directly with a creator's.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
from scipy import sparse

from transforms.language import main_language
from transforms.niches import (
    NICHES,
    load_niche_model,
    niche_documents,
    niche_features,
    recent_posts,
    top_niches,
)
from transforms.vectors import as_vectors

CONTENT_DIM = 64
PROJECTION_NONZEROS = 4  # dimensions each hashed bucket feeds
_SEED = np.uint64(0x5C0C0FFEE)  # part of the vector's definition: changing it changes every vector
CONTENT_COLUMNS = ("niches", "niche", "niche_probs", "content_vector", "language")


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: well-spread 64-bit hashes of consecutive integers."""
    x = (x + _SEED) * np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@cache
def projection(width: int) -> sparse.csr_matrix:
    """width x CONTENT_DIM, PROJECTION_NONZEROS signed entries per row, from hashes of the row
    index alone (the same on every machine and in every version of numpy)."""
    with np.errstate(over="ignore"):
        h = _mix(np.arange(width * PROJECTION_NONZEROS, dtype=np.uint64))
    dims = (h >> np.uint64(58)).astype(np.int64)  # the top 6 bits: 0..63
    signs = np.where((h & np.uint64(1)) == 1, 1.0, -1.0).astype(np.float32)
    rows = np.repeat(np.arange(width, dtype=np.int64), PROJECTION_NONZEROS)
    m = sparse.csr_matrix((signs, (rows, dims)), shape=(width, CONTENT_DIM))
    m.sum_duplicates()
    return m


def content_vectors(features: sparse.csr_matrix) -> np.ndarray:
    """n x CONTENT_DIM float32 unit vectors; NaN rows for rows without features."""
    v = np.asarray((features @ projection(features.shape[1])).todense(), dtype=np.float32)
    norm = np.linalg.norm(v, axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(norm > 0, v / norm, np.nan).astype(np.float32)


def content_profile(names: pd.Series, bios: pd.Series, post_texts: pd.Series,
                    post_owner: np.ndarray) -> pd.DataFrame:
    """Per creator row: ``niches`` and ``niche`` (as transforms.niches.top_niches words them),
    ``niche_probs`` (float32, one per NICHES, in that order), ``content_vector`` (CONTENT_DIM
    float32, unit length) and ``language`` (transforms.language). ``post_owner[i]`` is the
    creator row of post i, -1 to skip it. No text at all: every column NA/None. The result has a
    fresh RangeIndex, one row per name in the input order."""
    model = load_niche_model()
    order = [model.classes.index(n) for n in NICHES]
    docs = niche_documents(names, bios, post_texts, post_owner)
    has = docs.notna().to_numpy()
    probs = np.full((len(docs), len(NICHES)), np.nan)
    vectors = np.full((len(docs), CONTENT_DIM), np.nan, dtype=np.float32)
    if has.any():
        features = niche_features(docs[has], model.bits)
        probs[has] = model.probabilities_of(features)[:, order]
        vectors[has] = content_vectors(features)
    top = top_niches(probs, NICHES)
    return pd.DataFrame({
        "niches": top["niches"],
        "niche": top["niche"],
        "niche_probs": as_vectors(probs),
        "content_vector": as_vectors(vectors),
        "language": main_language(docs).reset_index(drop=True),
    })


def creator_content(creators: pd.DataFrame, posts: pd.DataFrame, pos: np.ndarray) -> pd.DataFrame:
    """content_profile of each creator row from its display name, bio and newest posts
    (``pos``: each post's creator row, as transforms._keys.creator_positions gives it)."""
    recent = recent_posts(posts["published_at"], pos)
    out = content_profile(creators["display_name"], creators["bio"], posts["text"], recent)
    return out.set_index(creators.index)


def text_profile(text: str) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(niche_probs, content_vector) of one piece of text (a brief, a seed's words), comparable
    with content_profile's; (None, None) when there is nothing to read."""
    profile = content_profile(pd.Series([text]), pd.Series([None]), pd.Series([], dtype="string"),
                              np.zeros(0, dtype=np.int64))
    return profile.at[0, "niche_probs"], profile.at[0, "content_vector"]
