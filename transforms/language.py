"""The main language of each creator's text (bio and recent captions), as an ISO 639-1 code.

The model is py3langid's (langid.py's byte n-gram naive Bayes over 97 languages, shipped inside
its wheel: nothing is downloaded). py3langid walks its n-gram automaton one text and one byte at
a time in Python; here the same automaton walks every text at once, one byte position per numpy
step, so the answer is the library's own (``classify`` with normalised probabilities) at tens of
thousands of creators per second. Only ISO 639-1 languages are candidates (the model also
knows some with three-letter codes only, such as Nigerian Pidgin, which short English captions
were mistaken for).

A creator gets NULL, not a guess, when there is too little to say: fewer than ``MIN_CHARS``
characters of text, or a winning probability below ``MIN_CONFIDENCE``. Only the first
``MAX_BYTES`` bytes are read (the bio and the first captions): the language of a creator does
not change after a few sentences, and the cost grows with every byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from py3langid.langid import MODEL_FILE, LanguageIdentifier
from scipy import sparse

from transforms._text import _arrow
from transforms.frames import STRING, to_string
from transforms.pair_counts import pair_counts

MIN_CHARS = 20  # below this many characters a short bio ("hi!", a name) says nothing reliable
MIN_CONFIDENCE = 0.5  # the winner's normalised probability (py3langid's norm_probs)
MAX_BYTES = 400  # about a bio and the first two captions: 20k creators in ~0.5 s of CPU (bench_match)


@dataclass(frozen=True, eq=False)
class _Automaton:
    """py3langid's model as flat arrays: transitions, each state's feature, the class table."""

    next_state: np.ndarray  # (row of state) * 256 + byte -> next state
    row_base: np.ndarray  # state -> its row's offset in next_state
    feature: np.ndarray  # state -> feature index, -1 for none
    ptc: np.ndarray  # features x classes, log P(feature | class)
    pc: np.ndarray  # classes, log prior
    classes: tuple[str, ...]
    alias_pairs: tuple[tuple[int, int], ...]  # (first, duplicate) columns of one label


@cache
def _automaton() -> _Automaton:
    """The packaged model, its classes narrowed to ISO 639-1 (two-letter) codes as
    py3langid's ``set_languages`` would: ``pcm``, ``zxx`` and the like are never answered."""
    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(sorted({c for c in ident.nb_classes if len(c) == 2}))
    first: dict[str, int] = {}
    pairs = []
    for i, c in enumerate(ident.nb_classes):
        if c in first:
            pairs.append((first[c], i))
        else:
            first[c] = i
    return _Automaton(
        next_state=np.asarray(ident.tk_nextmove, dtype=np.int64),
        row_base=np.asarray(ident.tk_row, dtype=np.int64) << 8,
        feature=np.asarray(ident.tk_output, dtype=np.int64),
        ptc=np.ascontiguousarray(ident.nb_ptc, dtype=np.float32),  # scipy copies any other layout per product
        pc=np.asarray(ident.nb_pc, dtype=np.float32),
        classes=tuple(ident.nb_classes),
        alias_pairs=tuple(pairs),
    )


def _utf8(texts: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(bytes back to back, each text's start, each text's length capped at MAX_BYTES). The
    texts are taken as NFC already (core.text.clean_text's form), as py3langid would make them."""
    arr = pc.fill_null(_arrow(texts).combine_chunks().cast(pa.large_string()), "")
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset:arr.offset + len(arr) + 1]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8) if arr.buffers()[2] is not None \
        else np.zeros(0, dtype=np.uint8)
    return data, offsets[:-1], np.minimum(np.diff(offsets), MAX_BYTES)


def _feature_counts(data: np.ndarray, start: np.ndarray, length: np.ndarray, a: _Automaton
                    ) -> sparse.csr_matrix:
    """texts x features: how often each byte n-gram feature fires (py3langid's visit counts)."""
    order = np.argsort(-length, kind="stable")  # longest first: the live texts are a prefix
    start, length = start[order], length[order]
    state = np.zeros(len(order), dtype=np.int64)
    rows, feats = [], []
    for p in range(int(length.max()) if len(length) else 0):
        live = int(np.searchsorted(-length, -p, side="left"))  # texts longer than p
        s = a.next_state[a.row_base[state[:live]] + data[start[:live] + p]]
        state[:live] = s
        f = a.feature[s]
        hit = np.flatnonzero(f >= 0)
        rows.append(order[hit])
        feats.append(f[hit])
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(feats) if feats else np.zeros(0, dtype=np.int64)
    return pair_counts(r, c, len(length), a.ptc.shape[0], np.float32)


def language_probabilities(texts: pd.Series) -> tuple[np.ndarray, tuple[str, ...]]:
    """texts x classes: py3langid's normalised probabilities (its softmax at temperature
    sqrt(bytes)), aliased labels folded into their first column."""
    a = _automaton()
    data, start, length = _utf8(to_string(texts))
    counts = _feature_counts(data, start, length, a)
    counts.data = np.log1p(counts.data)
    scores = np.asarray(counts @ a.ptc, dtype=np.float32) + a.pc
    scores *= (1.0 / np.sqrt(np.maximum(length, 1)))[:, None].astype(np.float32)
    scores = np.exp(scores - scores.max(axis=1, keepdims=True))
    scores /= scores.sum(axis=1, keepdims=True)
    for i, j in a.alias_pairs:
        scores[:, i] += scores[:, j]
        scores[:, j] = 0.0
    return scores, a.classes


def main_language(texts: pd.Series) -> pd.Series:
    """Each text's language code, NA below MIN_CHARS characters or MIN_CONFIDENCE."""
    texts = to_string(texts)
    out = pd.Series(pd.NA, index=texts.index, dtype=STRING)
    chars = texts.str.len().fillna(0).to_numpy(dtype=int)
    enough = np.flatnonzero(chars >= MIN_CHARS)
    if not len(enough):
        return out
    probs, classes = language_probabilities(texts.iloc[enough])
    best = probs.argmax(axis=1)
    sure = probs[np.arange(len(best)), best] >= MIN_CONFIDENCE
    out.iloc[enough[sure]] = np.asarray(classes, dtype=object)[best[sure]]
    return out

