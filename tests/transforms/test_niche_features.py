"""The niche model's features, cheap by construction: char n-gram rows built in document order,
whole-string buckets hashed over Arrow buffers, the documents joined in Arrow, and
content_profile cut into blocks of creators giving what one piece gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy import sparse

from transforms import content, row_blocks
from transforms.account_features.chars import (
    char_ngram_rows,
    char_ngrams,
    string_buckets,
)
from transforms.content import content_profile
from transforms.niches import niche_documents
from transforms.vectors import as_matrix, as_vectors

TEXTS = ["héllo wörld", None, "x", "", "ab", "Maya Patel 🌸", "abab abab abab"]


def test_char_rows_are_char_ngrams_counts_over_the_square_root_of_their_windows():
    text = pd.Series(TEXTS, dtype="string")
    rows, buckets, norm = char_ngrams(text, (3, 4, 5), 12)
    expected = sparse.csr_matrix((norm[rows], (rows, buckets)), shape=(len(TEXTS), 2 ** 12))
    got = char_ngram_rows(text, (3, 4, 5), 12)
    np.testing.assert_allclose(got.toarray(), expected.toarray(), rtol=1e-6)


def test_char_rows_of_texts_shorter_than_every_window_are_empty():
    got = char_ngram_rows(pd.Series(["a", None, ""], dtype="string"), (4, 5), 10)
    assert got.shape == (3, 2 ** 10) and not got.toarray().any()


def test_a_whole_string_gets_the_bucket_a_char_window_of_its_bytes_gets():
    strings = ["dm for", "café", "x", "", "🌸 bloom"]
    got = string_buckets(pa.array([f" {s} " for s in strings], pa.large_string()), 16)
    for s, bucket in zip(strings, got, strict=True):
        # char_ngrams reads " s ": its one window of the full length is all of it
        _, windows, _ = char_ngrams(pd.Series([s], dtype="string"), (len(s.encode()) + 2,), 16)
        assert windows.tolist() == [bucket]
    assert got.dtype == np.int32


def test_documents_join_each_creators_posts_in_their_order_and_clean_only_what_needs_it():
    names = pd.Series(["Ana", None, "Bo\u200b", None], dtype="string")
    bios = pd.Series(["Cook\r\nand baker ", None, None, "  "], dtype="string")
    posts = pd.Series(["First", "Caf\u0065\u0301", None, "second", "", "elsewhere"], dtype="string")
    owner = np.array([0, 2, 0, 0, 2, -1])
    docs = niche_documents(names, bios, posts, owner)
    assert docs[0] == "ana\ncook\nand baker \nfirst\nsecond"
    assert pd.isna(docs[1]) and pd.isna(docs[3])
    assert docs[2] == "bo\n\ncaf\u00e9"  # zero-width space gone, NFC, the empty post kept


def test_content_profile_in_blocks_of_creators_is_the_same_as_in_one_piece(monkeypatch):
    rng = np.random.default_rng(3)
    words = np.array(["pasta", "recipe", "hiking", "alps", "lipstick", "puppy", "ootd", "sofa", "🌸"])
    n = 40
    names = pd.Series([" ".join(rng.choice(words, 2)) for _ in range(n)], dtype="string")
    bios = pd.Series([None if i % 5 == 0 else " ".join(rng.choice(words, 6)) for i in range(n)], dtype="string")
    posts = pd.Series([" ".join(rng.choice(words, 8)) for _ in range(150)], dtype="string")
    owner = rng.integers(-1, n, len(posts))  # in no order, some read by nobody
    whole = content_profile(names, bios, posts, owner)
    monkeypatch.setattr(row_blocks, "MIN_ROWS_PER_WORKER", 7)
    monkeypatch.setattr(row_blocks.os, "cpu_count", lambda: 4)
    on_threads = content_profile(names, bios, posts, owner)
    monkeypatch.setattr(content, "BLOCK_BYTES", 300)  # a few creators' text a block
    by_bytes = content_profile(names, bios, posts, owner)
    for blocks in (on_threads, by_bytes):
        assert blocks.index.equals(pd.RangeIndex(n))
        for column in ("niches", "niche", "language"):
            pd.testing.assert_series_equal(blocks[column], whole[column])
        for column in ("niche_probs", "content_vector"):
            np.testing.assert_array_equal(as_matrix(blocks[column], len(whole[column].dropna().iloc[0])),
                                          as_matrix(whole[column], len(whole[column].dropna().iloc[0])))


def test_row_blocks_are_as_many_on_each_worker_and_cover_every_row_once(monkeypatch):
    monkeypatch.setattr(row_blocks, "MIN_ROWS_PER_WORKER", 10)
    monkeypatch.setattr(row_blocks.os, "cpu_count", lambda: 2)
    seen: list[tuple[int, int]] = []

    def score(start: int, stop: int) -> pd.DataFrame:
        seen.append((start, stop))
        return pd.DataFrame({"row": range(start, stop)}, index=range(start, stop))

    out = row_blocks.in_row_blocks(100, score, max_rows=40)  # 3 blocks needed, 4 made: 2 a worker
    assert len(seen) == 4 and out["row"].tolist() == list(range(100))


def test_a_vector_column_becomes_a_matrix_with_nan_rows_for_missing_or_broken_vectors():
    m = np.arange(12, dtype=np.float32).reshape(4, 3)
    column = as_vectors(m)
    column[1] = None
    column[2] = np.array([1.0, np.nan, 2.0], dtype=np.float32)
    expected = m.copy()
    expected[[1, 2]] = np.nan
    np.testing.assert_array_equal(as_matrix(column, 3), expected)
    column[3] = [9.0, 10.0, 11.0]  # a plain list, as a caller may store
    np.testing.assert_array_equal(as_matrix(column, 3)[3], [9.0, 10.0, 11.0])
