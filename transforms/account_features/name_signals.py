"""Display-name and handle signals: a first name, 'First Last', shape, name vs handle."""

from __future__ import annotations

import numpy as np
import pandas as pd

from transforms._text import (
    extract,
)
from transforms.account_features.inputs import Fields, Lexicon
from transforms.account_features.values import (
    ANY_PAGE_WORD,
    PAGE_LABEL,
    PAGE_PATTERNS,
    Signals,
    Wording,
    contains,
    count,
    found,
    n_words,
    numbers,
    texts,
)
from transforms.account_words import (
    ALL_CAPS,
    CAMEL_HANDLE,
    CAMEL_NAME,
    DIGITS_END_PATTERN,
    EMOJI_PATTERN,
    HANDLE_BOT,
    HANDLE_WORDS,
    NAME_ARTICLE,
    NAME_FIRST_TOKEN,
    NAME_LAST_TOKEN,
    TITLE_CASE_NAME,
)

_HANDLE_PATTERNS = {k: f"(?P<m>{v})" for k, v in HANDLE_WORDS.items()}
HANDLE_LENGTH_MAX = 15.0  # Twitter's limit: the longest handle in the training data
_HANDLE_PREFIX_MAX = 10  # longer given names are rare; prefixes 4..10 letters are tried
_ANY_HANDLE_WORD = "|".join(f"(?:{v})" for v in HANDLE_WORDS.values())


def _first_token(text: pd.Series) -> pd.Series:
    """The first run of letters after a title: 'Dr. Maya-Jane P' -> 'maya' (lowercased text)."""
    return extract(text, NAME_FIRST_TOKEN)


def _last_token(text: pd.Series) -> pd.Series:
    return extract(text, NAME_LAST_TOKEN)


def _measured_part(handle: pd.Series, length: np.ndarray) -> Wording:
    """"'lena' is 4": the part of the handle the model measured (without "@" and the domain or
    instance: lena.backt -> lena) and its length, so the evidence's number is true."""
    text = handle.to_numpy(dtype=object, na_value="")
    return lambda rows: np.array([f"'{t}' is {int(n)}" for t, n in
                                  zip(text[rows].tolist(), length[rows].tolist(), strict=True)],
                                 dtype=object)


def _handle_given(handle: pd.Series, lexicon: Lexicon) -> tuple[np.ndarray, Wording]:
    """The longest first name the handle starts with: the whole leading word (>= 3 letters)
    or a prefix of it (>= 4 letters: "mattjones" -> "matt"). One lexicon lookup for all
    candidate prefixes of all rows."""
    run = handle.str.replace("[^a-z].*$", "", regex=True)
    run_len = run.str.len().fillna(0).to_numpy()
    n = len(run)
    lengths = [0, *range(_HANDLE_PREFIX_MAX, 3, -1)]  # 0: the whole run; then longest first
    candidates = pd.concat([run if k == 0 else run.str.slice(0, k) for k in lengths],
                           ignore_index=True)
    strength = lexicon.lookup(candidates).reshape(len(lengths), n)
    strength[0] *= run_len >= 3
    for i, k in enumerate(lengths[1:], start=1):
        strength[i] *= run_len > k  # a proper prefix, not the whole run again
    found = strength > 0
    first = np.where(found.any(axis=0), found.argmax(axis=0), -1)
    best_len = np.where(first > 0, np.array(lengths)[np.maximum(first, 0)], 0)
    value = np.where(first >= 0, strength[np.maximum(first, 0), np.arange(n)], 0.0)
    text = run.to_numpy(dtype=object, na_value="")

    def words(rows: np.ndarray) -> np.ndarray:
        return np.array([t if k == 0 else t[:k] for t, k in
                         zip(text[rows].tolist(), best_len[rows].tolist())], dtype=object)

    return value, words



def name_signals(f: Fields, s: Signals, lexicon: Lexicon) -> None:
    """Display name and handle: a first name, 'First Last', shape, name vs handle."""
    name, name_cased, handle = f.name, f.name_cased, f.handle
    token = _first_token(name)
    strength = lexicon.lookup(token) * (token.str.len().fillna(0).to_numpy() >= 2)
    given = strength > 0
    s.put("name_given", given, texts(token))
    s.put("name_given_strength", strength)
    page_word = found(name, ANY_PAGE_WORD)
    title_case = found(name_cased, TITLE_CASE_NAME) & ~page_word
    s.put("name_title_case", title_case)
    s.put("name_given_title_case", title_case & given)
    name_words = n_words(name)
    s.put("name_one_word", name_words == 1)
    s.put("name_long", name_words >= 4, numbers(name_words, "%d"))
    s.phrase("name_article", NAME_ARTICLE, name)
    s.put("name_caps", found(name_cased.str.replace("[^A-Za-z]", "", regex=True), ALL_CAPS))
    s.put("name_digits", found(name, "[0-9]"))
    s.put("name_emoji", found(name, EMOJI_PATTERN))
    s.put("name_camel", found(name_cased, CAMEL_NAME))
    s.put("handle_camel", found(f.handle_cased, CAMEL_HANDLE))
    s.put("bio_has_name", contains(f.bio, name, 5))

    h_strength, h_words = _handle_given(handle, lexicon)
    s.put("handle_given", h_strength > 0, h_words)
    s.put("handle_given_strength", h_strength)
    handle_letters = handle.str.replace("[^a-z]", "", regex=True)
    last = _last_token(name)
    has_first = contains(handle_letters, token, 3)
    has_last = contains(handle_letters, last, 3)
    s.put("handle_has_name", has_first | has_last, texts(token.where(has_first, last)))
    s.put("handle_has_given", has_first & given)
    s.put("handle_not_name", given & title_case & ~(has_first | has_last)
          & handle.notna().to_numpy())
    s.put("handle_digits", found(handle, DIGITS_END_PATTERN))
    s.put("handle_bot", found(handle, HANDLE_BOT))
    last_strength = lexicon.lookup(last) * (last.str.len().fillna(0).to_numpy() >= 2)
    s.put("name_last_given", last_strength * (name_words >= 2), texts(last))
    s.put("handle_has_digit", found(handle, "[0-9]"))
    s.put("handle_underscore", count(handle, "_") > 0)
    h_len = handle.str.len().fillna(0).to_numpy(dtype=np.float64)
    # centred on a typical handle (10 characters), 0 when there is none; capped at Twitter's
    # 15, the longest the training data can have: longer handles (TikTok, Bluesky domains)
    # are no evidence the weight was fitted on
    s.put("handle_length", np.where(h_len > 0, (np.minimum(h_len, HANDLE_LENGTH_MAX) - 10.0)
                                    / 15.0, 0.0), _measured_part(handle, h_len))
    handle_page = found(handle, _ANY_HANDLE_WORD)
    for kind, label in PAGE_LABEL.items():
        s.phrase(f"name_{label}", PAGE_PATTERNS[kind], name, within=page_word)
        s.phrase(f"handle_{label}", _HANDLE_PATTERNS[kind], handle, within=handle_page)

