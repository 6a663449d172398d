"""The seed lexicons of the niches the labelled data lacks, applied when a creator is read.

niches-v3 learned art, books, gaming, music, outdoors, sport and tech from the few hundred
accounts the lexicons labelled in its training data (training/niches/seeds.py), too few to read
them reliably: the sandbox's gamers, tech reviewers, photographers and gardeners came out as
fashion, travel or other. So the same lexicons (models/niche_seeds.json, written from general
knowledge before any row was read, never tuned) are applied again by the same rule that made
the labels: a document holding at least MIN_DISTINCT distinct terms of one seed niche, and at
least DOMINANCE times as many as of any other seed niche, has its probabilities mixed with that
niche at SEED_WEIGHT (a half: the niche becomes the top one, the model's reading stays in the
rest). Terms are matched on the niche model's own word and word-pair tokens
(transforms.niches.document_words), with or without '#'; a term of three or more words is not.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from transforms.account_features.words import word_ngrams
from transforms.frames import STRING

SEED_FILE = "niche_seeds.json"
MIN_DISTINCT = 2
DOMINANCE = 2.0
SEED_WEIGHT = 0.5


@cache
def seed_lexicons() -> dict[str, tuple[str, ...]]:
    """Niche -> its distinct seed terms over every language and the hashtags, lower-case."""
    raw = json.loads(resources.files("transforms.models").joinpath(SEED_FILE).read_text(encoding="utf-8"))
    return {niche: tuple(dict.fromkeys(t.lower() for terms in by_language.values() for t in terms))
            for niche, by_language in raw.items() if not niche.startswith("_")}


@cache
def _term_tokens() -> tuple[pa.Array, np.ndarray, np.ndarray, tuple[str, ...]]:
    """The tokens of every term of one or two words as document_words spells them (digits as
    0), and '#' + token for one-word terms; each token's term id; each term's niche id; and the
    niches' order."""
    niches = tuple(seed_lexicons())
    terms = [(t, k) for k, n in enumerate(niches) for t in seed_lexicons()[n] if 1 <= len(t.split()) <= 2]
    rows, tokens = word_ngrams(pd.Series([t for t, _ in terms], dtype=STRING), 2)
    words = np.array([len(t.split()) for t, _ in terms])
    spaces = pc.count_substring(tokens, " ").to_numpy(zero_copy_only=False)
    whole = spaces == words[rows] - 1  # the token that spans the whole term
    token = tokens.filter(pa.array(whole)).to_pylist()
    term = rows[whole]
    single = [(f"#{t}", i) for t, i in zip(token, term, strict=True) if " " not in t and not t.startswith("#")]
    token += [t for t, _ in single]
    term = np.concatenate([term, np.array([i for _, i in single], dtype=np.int64)])
    keep = np.unique(np.array(token, dtype=object), return_index=True)[1]  # one term per token
    return (pa.array([token[i] for i in keep], pa.large_string()), term[keep],
            np.array([k for _, k in terms], dtype=np.int64), niches)


def seed_niche(rows: np.ndarray, tokens: pa.Array, n: int) -> tuple[np.ndarray, tuple[str, ...]]:
    """Per document (``rows``/``tokens`` as document_words gives them, ``n`` documents), the
    index of the seed niche the rule picks, -1 for none; and the seed niches' order."""
    vocab, term, niche_of_term, niches = _term_tokens()
    at = pc.index_in(tokens, value_set=vocab).to_numpy(zero_copy_only=False)
    hit = ~np.isnan(at) if at.dtype.kind == "f" else at >= 0
    # document_words lists the words, then the pairs of adjacent words of one document. A word
    # inside a matched two-word term does not count again (a regex takes the longer match).
    n_words = len(tokens) - int(pc.sum(pc.match_substring(tokens, " ")).as_py() or 0)
    pair_start = np.flatnonzero(rows[:n_words - 1] == rows[1:n_words]) if n_words > 1 else np.zeros(0, np.int64)
    covered = pair_start[np.flatnonzero(hit[n_words:])]
    hit[np.concatenate([covered, covered + 1])] = False
    pairs = np.unique(np.stack([rows[hit], term[at[hit].astype(np.int64)]]), axis=1)  # distinct terms
    counts = np.zeros((n, len(niches)), dtype=np.int64)
    np.add.at(counts, (pairs[0], niche_of_term[pairs[1]]), 1)
    return clear_niche(counts), niches


def clear_niche(counts: np.ndarray) -> np.ndarray:
    """The rule on distinct-term counts (documents x seed niches): per document the column of
    the niche with at least MIN_DISTINCT terms and DOMINANCE times any other's, -1 for none."""
    ordered = np.sort(counts, axis=1)
    top = ordered[:, -1]
    runner_up = ordered[:, -2] if counts.shape[1] > 1 else np.zeros(len(counts), dtype=counts.dtype)
    clear = (top >= MIN_DISTINCT) & (top >= DOMINANCE * runner_up)
    return np.where(clear, counts.argmax(axis=1), -1)


def with_seed_niches(probs: np.ndarray, classes: tuple[str, ...], rows: np.ndarray, tokens: pa.Array
                     ) -> np.ndarray:
    """``probs`` (documents x ``classes``) with each document the rule gives a seed niche mixed
    with it at SEED_WEIGHT; the others unchanged."""
    picked, niches = seed_niche(rows, tokens, len(probs))
    mine = np.flatnonzero(picked >= 0)
    if not len(mine):
        return probs
    out = probs.copy()
    out[mine] *= 1.0 - SEED_WEIGHT
    out[mine, [classes.index(niches[k]) for k in picked[mine]]] += SEED_WEIGHT
    return out
