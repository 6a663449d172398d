"""Word n-grams of the bio, display name and sample post, tokenised on Arrow buffers, looked up
in a vocabulary fitted at training time (so the evidence can quote the word)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from transforms._text import (
    _arrow,
)
from transforms.account_features.inputs import Fields
from transforms.frames import to_string

_URL_RE = "(?:https?://|www[.])[^ ]*"
_MENTION_RE = "@[a-z0-9_.]+"
_SPACE = pa.scalar(" ", pa.large_string())

# ---------------------------------------------------------------- word n-grams


URL_TOKEN = "zurlz"  # stand-ins that survive tokenising; the evidence words them
MENTION_TOKEN = "zatz"
WORD_FIELDS: dict[str, int] = {"bio": 2, "name": 1, "handle": 1, "post": 2}  # longest n-gram


def word_field(f: Fields, name: str) -> pd.Series:
    return {"bio": f.bio, "name": f.name, "handle": f.handle_words, "post": f.post}[name]


def _word_byte_table() -> np.ndarray:
    """Per UTF-8 byte value: 1 if it can be part of a word, 0 if it separates words.

    ASCII letters, digits, "#", "'" and "_" are word bytes. Of multi-byte characters, those
    whose lead byte is 0xE2 (U+2000-U+2FFF: punctuation, arrows, symbols) or 0xF0-0xF4
    (emoji and other astral symbols) separate; the rest (accented letters that escaped
    folding, Greek, Cyrillic, Arabic, Hebrew, Indic, CJK ...) belong to words.
    """
    table = np.zeros(256, dtype=bool)
    for ch in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789#'_":
        table[ord(ch)] = True
    table[0xC2:0xE2] = True
    table[0xE3:0xF0] = True
    return table


_WORD_BYTE = _word_byte_table()


def _tokens(arr: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """(row, word) for every word of lowercased text, by one scan over its UTF-8 bytes.

    A word is a maximal run of word bytes (_WORD_BYTE) within one row; every digit becomes
    "0". Much faster than a regex split, and the same function serves training.
    """
    n = len(arr)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset:arr.offset + n + 1]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    offsets = offsets - offsets[0]
    word = _WORD_BYTE[data]
    cont = np.flatnonzero((data & 0xC0) == 0x80)  # continuation bytes take their lead's class
    cont = cont[cont > 0]
    for _ in range(3):  # a character has at most 3 continuation bytes
        word[cont] = word[cont - 1]
    nonempty = offsets[:-1] < offsets[1:]
    first, last = offsets[:-1][nonempty], offsets[1:][nonempty] - 1
    before = np.empty_like(word)  # is the previous byte a word byte of the same row?
    before[1:] = word[:-1]
    before[first] = False
    after = np.empty_like(word)
    after[:-1] = word[1:]
    after[last] = False
    apostrophe = np.flatnonzero(data == 39)  # only inside a word: l'amour, not 'quoted'
    word[apostrophe] = before[apostrophe] & after[apostrophe]
    before[1:] = word[:-1]
    before[first] = False
    after[:-1] = word[1:]
    after[last] = False
    starts = np.flatnonzero(word & ~before)
    ends = np.flatnonzero(word & ~after) + 1
    chars = data[word]
    chars[(chars >= 48) & (chars <= 57)] = 48  # every digit -> "0": shapes, not numbers
    tok_offsets = np.zeros(len(starts) + 1, dtype=np.int64)
    np.cumsum(ends - starts, out=tok_offsets[1:])
    tokens = pa.LargeStringArray.from_buffers(len(starts), pa.py_buffer(tok_offsets),
                                              pa.py_buffer(chars))
    rows = np.searchsorted(offsets, starts, side="right") - 1
    return rows.astype(np.int64), tokens


def word_ngrams(text: pd.Series, longest: int) -> tuple[np.ndarray, pa.Array]:
    """(row, token) pairs: words and, if longest is 2, adjacent pairs ("dm for").

    URLs become URL_TOKEN, mentions MENTION_TOKEN and every digit "0", so the vocabulary
    learns the shape rather than the address.
    """
    if len(text) == 0:
        return np.zeros(0, dtype=np.int64), pa.array([], pa.large_string())
    arr = pc.fill_null(_arrow(to_string(text)).combine_chunks(), "")
    arr = pc.replace_substring_regex(arr, _URL_RE, f" {URL_TOKEN} ")
    arr = pc.replace_substring_regex(arr, _MENTION_RE, f" {MENTION_TOKEN} ")
    rows, flat = _tokens(arr.cast(pa.large_string()))
    out_rows, out_tokens = [rows], [flat]
    if longest >= 2 and len(flat) > 1:
        same = rows[:-1] == rows[1:]
        pairs = pc.binary_join_element_wise(flat.slice(0, len(flat) - 1), flat.slice(1), _SPACE)
        out_rows.append(rows[:-1][same])
        out_tokens.append(pairs.filter(pa.array(same)))
    tokens = pa.concat_arrays([t.cast(pa.large_string()) for t in out_tokens])
    return np.concatenate(out_rows), tokens


def vocabulary_columns(tokens: pa.Array, vocab: pa.Array) -> np.ndarray:
    """Each token's position in the vocabulary, -1 if absent."""
    if len(tokens) == 0:
        return np.zeros(0, dtype=np.int64)
    idx = pc.index_in(tokens, value_set=vocab)
    return np.asarray(pc.fill_null(idx, -1).to_numpy(), dtype=np.int64)


def unique_pairs(rows: np.ndarray, cols: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, col) pairs without repeats and without col == -1: presence, not counts."""
    ok = cols >= 0
    key = pd.unique(rows[ok] * np.int64(max(width, 1)) + cols[ok])  # hashing, no sort
    return key // max(width, 1), key % max(width, 1)


