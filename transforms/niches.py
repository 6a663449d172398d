"""What a creator posts about: a linear model over hashed word and character n-grams of the
display name, bio and recent captions, in any language (no vocabulary: the hash is the column).

``niches`` is the top three with probabilities ("food:0.91|travel:0.05|family:0.02") and
``niche`` the first of them; a creator with no text at all gets NULL for both, not a guess.
Trained by training/niches/ on real Instagram captions (Kim et al., WWW 2020): that data's nine
labels, plus art, books, gaming, music, outdoors, sport and tech, labelled weakly by seed
lexicons among the accounts the data calls ``other`` (training/niches/seeds.py).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy import sparse

from core.text import CLEANED_CHARS, clean_text
from transforms._text import _arrow, from_arrow, matches
from transforms.account_features.chars import char_ngrams
from transforms.account_features.words import word_ngrams
from transforms.frames import STRING, to_string
from transforms.niche_seeds import with_seed_niches
from transforms.pair_counts import pair_counts

NICHES = ("art", "beauty", "books", "family", "fashion", "fitness", "food", "gaming", "interior", "music",
          "outdoors", "pet", "sport", "tech", "travel", "other")
NICHE_VERSION = "niches-v3"  # (niches-v2 was a nine-niche experiment, never shipped)
MODEL_FILE = f"niches_{NICHE_VERSION}.npz"
BLOCK_BITS = 17  # word n-grams and char n-grams get 2**17 buckets each
CHAR_NS = (3, 4, 5)
POSTS_PER_CREATOR = 8  # the recent captions read per creator (the training data has 1 to 8)
TOP = 3
_NEWLINE = pa.scalar("\n", pa.large_string())


def niche_documents(names: pd.Series, bios: pd.Series, post_texts: pd.Series,
                    post_owner: np.ndarray) -> pd.Series:
    """One lower-cased document per creator: name, bio, then its posts' texts in their order
    (post_owner[i] is the creator row of post i, -1 for none), newline-separated, through
    core.text's cleaner. NA where a creator has no text at all. Joined in Arrow, no Python work
    per creator: only a document the cleaner could change goes through it."""
    n = len(names)
    texts = to_string(post_texts).reset_index(drop=True)
    parts = [_arrow(to_string(s).reset_index(drop=True)).combine_chunks().cast(pa.large_string())
             for s in (names, bios)]
    joined = pc.binary_join_element_wise(*parts, _posts_of(texts, np.asarray(post_owner), n), _NEWLINE,
                                         null_handling="replace")
    doc = from_arrow(joined, pd.RangeIndex(n)).str.strip()
    doc = doc.mask(doc.str.len().eq(0))
    dirty = np.flatnonzero(matches(doc, CLEANED_CHARS) | ~_is_nfc(doc))
    if len(dirty):
        doc.iloc[dirty] = doc.iloc[dirty].map(clean_text, na_action="ignore")
    return to_string(doc).str.lower()


def _posts_of(texts: pd.Series, owner: np.ndarray, n: int) -> pa.Array:
    """Per creator row, its post texts newline-joined in their order ("" for none)."""
    keep = (owner >= 0) & texts.notna().to_numpy()
    own = owner[keep]
    order = np.argsort(own, kind="stable")
    offsets = np.concatenate([[0], np.cumsum(np.bincount(own, minlength=n))]).astype(np.int64)
    values = _arrow(texts).combine_chunks().cast(pa.large_string()).filter(pa.array(keep)).take(order)
    return pc.binary_join(pa.LargeListArray.from_arrays(pa.array(offsets), values), _NEWLINE)


def _is_nfc(doc: pd.Series) -> np.ndarray:
    """Whether each text is in NFC already (NA: True)."""
    arr = _arrow(doc).combine_chunks()
    same = pc.equal(arr, pc.utf8_normalize(arr, form="NFC"))
    return np.asarray(pc.fill_null(same, True).to_numpy(zero_copy_only=False), dtype=bool)


def _hash_tokens(tokens: np.ndarray, bits: int) -> np.ndarray:
    """Deterministic buckets for strings (pandas' SipHash with its fixed key)."""
    h = pd.util.hash_array(tokens.astype(object))
    return (h >> np.uint64(64 - bits)).astype(np.int64)


def _token_buckets(tokens: pa.Array, bits: int) -> np.ndarray:
    """_hash_tokens of Arrow strings, each distinct token hashed once."""
    encoded = tokens.dictionary_encode()
    buckets = _hash_tokens(np.asarray(encoded.dictionary.to_pylist(), dtype=object), bits)
    return buckets[encoded.indices.to_numpy(zero_copy_only=False)]


def _normalised(rows: np.ndarray, cols: np.ndarray, n: int, bits: int) -> sparse.csr_matrix:
    """n x 2**bits: square roots of the (row, col) counts (damping repeated hashtags), each row
    scaled to unit length (its squared length is the sum of its counts, its number of tokens)."""
    m = pair_counts(rows, cols, n, 1 << bits)
    row = np.repeat(np.arange(n), np.diff(m.indptr))
    tokens = np.bincount(row, weights=m.data, minlength=n)
    scale = np.where(tokens > 0, 1.0 / np.sqrt(np.maximum(tokens, 1)), 0.0)
    m.data = np.sqrt(m.data) * scale[row]
    return m


def document_words(docs: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """(row, token) of every word and word pair of the documents: the one tokenising that the
    niche model and the content vector (transforms/content_model.py) both read."""
    return word_ngrams(to_string(docs).reset_index(drop=True), 2)


def niche_blocks(docs: pd.Series, bits: int = BLOCK_BITS, words: tuple[np.ndarray, pa.Array] | None = None
                 ) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """(word 1-2 grams, char 3-5 grams) hashed, each n x 2**bits and L2-normalised by row.
    ``words``: document_words(docs) when the caller already has them."""
    n = len(docs)
    docs = to_string(docs).reset_index(drop=True)
    w_rows, tokens = words if words is not None else document_words(docs)
    c_rows, c_buckets, _ = char_ngrams(docs, CHAR_NS, bits)
    return _normalised(w_rows, _token_buckets(tokens, bits), n, bits), _normalised(c_rows, c_buckets, n, bits)


def niche_features(docs: pd.Series, bits: int = BLOCK_BITS,
                   words: tuple[np.ndarray, pa.Array] | None = None) -> sparse.csr_matrix:
    """[word 1-2 grams | char 3-5 grams] as one matrix (niche_blocks side by side, n x
    2**(bits+1)): what training fits on."""
    return sparse.hstack(niche_blocks(docs, bits, words), format="csr")


@dataclass(frozen=True, eq=False)
class NicheModel:
    """Weights (features x niches), intercepts and the classes' order."""

    coef: np.ndarray  # float32, 2**(bits+1) x len(classes)
    intercept: np.ndarray
    classes: tuple[str, ...]
    bits: int
    meta: dict

    def save(self, path: Path) -> None:
        """int8 weights with a power-of-two scale per niche, compressed, no pickle: sixteen
        niches in under 5 MB to commit (float16 took 8), and a saved model saves to the same bytes."""
        header = {"classes": list(self.classes), "bits": self.bits, "meta": self.meta}
        peak = np.maximum(np.abs(self.coef).max(axis=0), 1e-30)
        scale = np.exp2(np.ceil(np.log2(peak / 127.0))).astype(np.float32)
        with open(path, "wb") as fh:
            np.savez_compressed(fh, coef=np.round(self.coef / scale).astype(np.int8), scale=scale,
                                intercept=self.intercept.astype(np.float64),
                                header=np.array(json.dumps(header, sort_keys=True)))

    @classmethod
    def from_bytes(cls, blob: bytes) -> NicheModel:
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            header = json.loads(str(z["header"]))
            return cls(coef=z["coef"].astype(np.float32) * z["scale"], intercept=z["intercept"],
                       classes=tuple(header["classes"]), bits=int(header["bits"]), meta=header["meta"])

    def probabilities(self, docs: pd.Series, *, seeds: bool = True) -> np.ndarray:
        """Each niche's probability per document; NaN rows where there is no text."""
        p = np.full((len(docs), len(self.classes)), np.nan)
        has = to_string(docs).notna().to_numpy()
        if has.any():
            p[has] = self.read(docs[has], document_words(docs[has]), seeds=seeds)
        return p

    def read(self, docs: pd.Series, words: tuple[np.ndarray, pa.Array], *, seeds: bool = True) -> np.ndarray:
        """Probabilities of documents (none missing) whose document_words are ``words``, with the
        seed lexicons' rule applied (transforms/niche_seeds.py) unless ``seeds`` is False."""
        word_block, char_block = niche_blocks(docs, self.bits, words)
        width = word_block.shape[1]  # each block against its half of the weights: no stacked copy
        p = ovr_probabilities(word_block @ self.coef[:width] + char_block @ self.coef[width:] + self.intercept)
        return with_seed_niches(p, self.classes, *words) if seeds else p


def ovr_probabilities(z: np.ndarray) -> np.ndarray:
    """One-vs-rest logits to probabilities that sum to 1 (each sigmoid, then normalised)."""
    s = 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
    return s / s.sum(axis=1, keepdims=True)


@cache
def load_niche_model() -> NicheModel:
    """The packaged weights (transforms/models/), read once per process."""
    blob = resources.files("transforms.models").joinpath(MODEL_FILE).read_bytes()
    return NicheModel.from_bytes(blob)


def top_niches(p: np.ndarray, classes: tuple[str, ...], top: int = TOP) -> pd.DataFrame:
    """``niches`` as "food:0.91|travel:0.05|family:0.02" and ``niche``; NA for NaN rows."""
    order = np.argsort(-np.nan_to_num(p, nan=-1.0), axis=1, kind="stable")[:, :top]
    names = np.asarray(classes, dtype=object)[order]
    probs = np.take_along_axis(p, order, axis=1)
    cells = [names[:, j] + ":" + pd.Series(probs[:, j]).map("{:.2f}".format).to_numpy(dtype=object)
             for j in range(order.shape[1])]
    joined = pd.Series(cells[0], dtype=object)
    for c in cells[1:]:
        joined = joined + "|" + c
    missing = np.isnan(p).any(axis=1)
    return pd.DataFrame({
        "niches": pd.Series(joined, dtype=STRING).mask(missing),
        "niche": pd.Series(names[:, 0], dtype=STRING).mask(missing),
    })


def recent_posts(published_at: pd.Series, pos: np.ndarray) -> np.ndarray:
    """``pos`` (each post's creator row, as transforms._keys.creator_positions gives it) with
    every post but each creator's POSTS_PER_CREATOR newest set to -1: the captions read."""
    recent = np.asarray(pos).copy()
    if len(published_at):
        newest_first = (pd.DataFrame({"owner": recent, "at": published_at.to_numpy()})
                        .sort_values(["owner", "at"], ascending=[True, False], na_position="last",
                                     kind="stable"))
        rank = newest_first.groupby("owner", sort=False).cumcount()
        recent[rank.index[rank.to_numpy() >= POSTS_PER_CREATOR]] = -1
    return recent
