"""The signals of the account-type model (inputs, signals and their groups, words, chars: one module a kind), computed column-wise for a whole frame at once.

Three kinds of feature, all zero when their input is missing:

1. Named signals (one dense column each, with a plain-words description for the evidence):
   display-name shape and a first-name lexicon, name vs handle, bio wording (first person,
   "we", pronouns, family and role words, page-word families, links), post wording (credits,
   first person), and counts (followers, following, posts). A few have no training data at
   all (the platform's bot flag, posting cadence, share of reposts, a face in the avatar):
   those carry FIXED prior weights, documented in PRIORS, added after calibration.
2. Word n-grams of the bio, display name and sample post, looked up in a vocabulary fitted at
   training time (so the evidence can quote the word).
3. Hashed character n-grams of the display name, handle and bio over UTF-8 bytes (no
   vocabulary: the hash is the column), which catch name-like spellings in any script.

The training script and inference call the same functions, so they cannot drift apart. All
regexes run on pyarrow's RE2 kernels and the n-grams on Arrow buffers with numpy: no per-row
Python.
"""

from __future__ import annotations

from transforms.account_features.chars import (
    CHAR_BITS,
    CHAR_FIELDS,
    char_field,
    char_ngram_scores,
    char_ngrams,
)
from transforms.account_features.count_signals import PRIORS, prior_contributions
from transforms.account_features.inputs import Fields, Lexicon, prepare, text_column
from transforms.account_features.signals import (
    BASE_KEYS,
    BASE_SIGNALS,
    NAMELESS,
    PAGE_KINDS,
    SIGNAL_KEYS,
    dense_matrix,
    named_signals,
    nameless,
)
from transforms.account_features.values import Signals, Wording
from transforms.account_features.words import (
    MENTION_TOKEN,
    URL_TOKEN,
    WORD_FIELDS,
    unique_pairs,
    vocabulary_columns,
    word_field,
    word_ngrams,
)

__all__ = [
    "BASE_KEYS", "BASE_SIGNALS", "CHAR_BITS", "CHAR_FIELDS", "MENTION_TOKEN", "NAMELESS", "PAGE_KINDS",
    "PRIORS", "SIGNAL_KEYS", "URL_TOKEN", "WORD_FIELDS", "Fields", "Lexicon", "Signals", "Wording",
    "char_field", "char_ngram_scores", "char_ngrams", "dense_matrix", "named_signals", "nameless",
    "prepare", "prior_contributions", "text_column", "unique_pairs", "vocabulary_columns",
    "word_field", "word_ngrams",
]
