"""Weak supervision for the niches the labelled data lacks: seed lexicons
(transforms/models/niche_seeds.json, written from general knowledge before any row was read, and
applied again at scoring time by transforms/niche_seeds.py) turned into labels and back out of text.

Rule (``seed_labels``): an account the dataset's authors labelled ``other`` becomes niche N when
its document contains at least MIN_DISTINCT distinct seed terms of N and N's distinct hits are at
least DOMINANCE times those of every other seed niche; every other account keeps its label. A
term matches a whole word or word sequence of the document (any case), with or without a '#'.
``strip_seeds`` removes every seed term from a text, so a held-out figure can say whether a
model learned more than the seeds themselves.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd

from transforms.niche_seeds import clear_niche, seed_lexicons


def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of the terms, longest first, each a whole word sequence, '#' optional."""
    alternatives = sorted((r"\s+".join(map(re.escape, t.split())) for t in terms), key=len, reverse=True)
    return re.compile(r"(?<![\w#])#?(?:" + "|".join(alternatives) + r")(?![\w])", re.IGNORECASE)


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {niche: _pattern(terms) for niche, terms in seed_lexicons().items()}


def seed_hits(docs: pd.Series) -> pd.DataFrame:
    """Per document and seed niche, how many distinct seed terms occur (0 for missing text)."""
    text = docs.fillna("").astype(str)
    return pd.DataFrame({niche: text.map(lambda d, p=p: len({m.lstrip("#").lower() for m in p.findall(d)}))
                         for niche, p in _patterns().items()}, index=docs.index)


def seed_labels(docs: pd.Series, labels: pd.Series, unlabelled: str = "other") -> pd.Series:
    """``labels`` with each ``unlabelled`` account whose text clearly hits one seed niche
    (the module's rule) relabelled to that niche."""
    hits = seed_hits(docs[labels == unlabelled])
    picked = clear_niche(hits.to_numpy()) if len(hits) else np.zeros(0, dtype=np.int64)
    out = labels.copy()
    clear = picked >= 0
    out.loc[hits.index[clear]] = np.asarray(hits.columns)[picked[clear]]
    return out


def strip_seeds(docs: pd.Series) -> pd.Series:
    """The documents with every seed term of every niche removed (whitespace kept)."""
    text = docs.fillna("").astype(str)
    for p in _patterns().values():
        text = text.str.replace(p, " ", regex=True)
    return text
