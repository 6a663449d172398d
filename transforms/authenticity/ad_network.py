"""Ad-network suspicion: a creator whose recent posts are near-copies of posts by other creators
(accounts paid to post a creative they did not make), together with the sponsored share.

Decided once a run's records are loaded, over every creator's latest score and recent posts in
the warehouse (``rescore_ad_network`` in combine.py), not batch by batch: an ad network's members
turn up in any batch, run or platform. Texts are cleaned and folded (``transforms._text``, the
vectorised core.text cleaner), cut into word shingles and compared by MinHash/LSH (``datasketch``),
so the cost grows with the posts, not with their pairs.
Posts carry no thumbnail, so image matches are not made. Template-like short captions are
common among real creators, so a post needs MIN_WORDS words to be compared at all.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from datasketch import LeanMinHash, MinHash, MinHashLSH

from transforms._text import clean_text, fold
from transforms.account_features.values import byte_view, per_row
from transforms.authenticity.records import by_severity, flag_frame, fmt
from transforms.engagement import DEFAULT_LAST_N
from transforms.frames import STRING

#: Each creator's latest original posts compared: those its engagement is measured over.
RECENT_POSTS = DEFAULT_LAST_N
SHINGLE_WORDS = 3
MIN_WORDS = 12
NUM_PERM = 64
#: Estimated Jaccard similarity of the shingles at which two posts are the same creative.
SIMILARITY = 0.8
#: authenticity-v2: a post counts as a shared creative only when it is the creator's own sponsored
#: post (not a repost) and between 1 and MAX_GROUP other creators post it too. An ad network hands
#: one creative to a small group of unrelated accounts; a caption that many more share is a template,
#: a meme or a repost chain, and unsponsored shared captions are what templates look like (v1 flagged
#: those low, about 100 of the demo's 300 creators, none of them planted).
MAX_GROUP = 12
#: Flagged (medium) with at least MIN_SHARED such posts making SHARED_SHARE of the creator's
#: texts; high when MANY_CREATORS others post them as well.
MIN_SHARED = 2
SHARED_SHARE = 0.1
MANY_CREATORS = 3


def _words(texts: pd.Series) -> pd.Series:
    """Each text lower-case, ascii-folded, as words of letters and digits (URLs left out)."""
    return fold(clean_text(texts)).str.lower().str.replace("https?://[^ ]+|[^a-z0-9 ]", " ", regex=True)


#: The most words ``_words`` makes of one non-ASCII character ('⅓' -> "1 3"), checked over every
#: code point by tests/transforms/test_authenticity_flags.py.
WORDS_PER_CHARACTER = 2


def _may_be_long(texts: pd.Series) -> np.ndarray:
    """Whether a text can have MIN_WORDS words once in ``_words``, from a bound read off its UTF-8
    bytes without cleaning: its runs of ASCII letters and digits (cleaning and folding only join
    or drop them) plus WORDS_PER_CHARACTER per non-ASCII character (each has a continuation
    byte). Most captions are short, so most texts skip the cleaning, which was most of the pass.
    NA reads as "" (never long)."""
    data, offsets = byte_view(texts)
    alnum = _ASCII_ALNUM[data]
    starts = alnum.copy()
    starts[1:] &= ~alnum[:-1]
    first = offsets[:-1][np.diff(offsets) > 0]
    starts[first] = alnum[first]  # a row's first byte starts a run whatever ended the row before
    continuation = (data & 0xC0) == 0x80
    bound = per_row(offsets, starts + np.uint8(WORDS_PER_CHARACTER) * continuation)
    return bound >= MIN_WORDS


_ASCII_ALNUM = np.zeros(256, dtype=bool)
_ASCII_ALNUM[[*b"0123456789", *b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", *b"abcdefghijklmnopqrstuvwxyz"]] = True


def may_be_long_sql(text: str) -> str:
    """_may_be_long as a DuckDB condition on the VARCHAR column ``text``, so the warehouse sends
    the pass only the texts it would compare (at 1M creators with 30M short captions, reading
    every text and bounding it in numpy was most of the pass). A text's continuation bytes are its
    bytes less its code points (``strlen - length``); ``k`` runs of ASCII letters and digits are a
    regex match, asked for the ``k`` that the continuation bytes leave to reach MIN_WORDS. NULL
    is never long."""
    def runs(k: int) -> str:
        return f"regexp_matches({text}, '[0-9A-Za-z]+(?:[^0-9A-Za-z]+[0-9A-Za-z]+){{{k - 1}}}')"

    extra = f"{WORDS_PER_CHARACTER} * (strlen({text}) - length({text}))"
    non_ascii = " ".join(f"WHEN {extra} >= {MIN_WORDS - k} THEN {runs(k)}" for k in range(1, MIN_WORDS))
    return (f"CASE WHEN strlen({text}) = length({text}) THEN {runs(MIN_WORDS)} "  # ASCII only: most captions
            f"WHEN {extra} >= {MIN_WORDS} THEN true {non_ascii} ELSE false END")  # ELSE: NULL text


#: What the pass reads of each creator's posts (``Warehouse.rescore_latest``'s keywords): its
#: RECENT_POSTS latest originals, and of those only the texts that may have MIN_WORDS words.
NETWORK_POSTS = {"recent": RECENT_POSTS, "texts": may_be_long_sql("text")}


def _shingles(words: pd.Series) -> list[set[bytes]]:
    """Word shingles of texts already in words (``_words``)."""
    out: list[set[bytes]] = []
    for text in words.tolist():
        w = text.split()
        out.append({" ".join(w[i:i + SHINGLE_WORDS]).encode() for i in range(len(w) - SHINGLE_WORDS + 1)})
    return out


def comparable_posts(posts: pd.DataFrame) -> pd.DataFrame:
    """The original posts (platform, creator_id, text, is_sponsored, is_repost) whose text has at
    least MIN_WORDS words, the only ones compared: owner ("platform\x1fcreator_id"), text, paid and
    words. Words are bounded in numpy, so no Python string is made for the many short texts, and
    only texts that may be long enough are cleaned, CLEAN_CHUNK at a time."""
    text = posts["text"].astype(STRING).reset_index(drop=True)
    original = ~posts["is_repost"].to_numpy(dtype=bool, na_value=False)  # a repost is not a copy
    read = np.flatnonzero(original & _may_be_long(text))
    pieces = [_words(text.iloc[read[start:start + CLEAN_CHUNK]].reset_index(drop=True))
              for start in range(0, len(read), CLEAN_CHUNK)]
    words = pd.concat(pieces, ignore_index=True) if pieces else pd.Series([], dtype=STRING)
    long = words.str.count("[a-z0-9]+").fillna(0).to_numpy(dtype=np.int64) >= MIN_WORDS
    kept = read[long]
    return pd.DataFrame({"owner": _owner(posts["platform"].iloc[kept], posts["creator_id"].iloc[kept]),
                         "text": text.iloc[kept].reset_index(drop=True),
                         "paid": posts["is_sponsored"].to_numpy(dtype=bool, na_value=False)[kept],
                         "words": words[long].reset_index(drop=True)})


#: Texts hashed at once: their shingle sets are the pass's largest transient objects.
HASH_CHUNK = 2_000
#: Posts of a frame bounded at once (a frame holds up to CREATOR_BATCH creators' posts): the
#: bound's byte arrays (about 8 bytes per byte of text) stay this size. The 1M-creator pass took
#: the same time with 20,000 as with 200,000, which added 20 MiB to a 2000-creator discover.
POST_CHUNK = 20_000
#: Texts that may be long cleaned at once: cleaning's transient arrays stay this size.
CLEAN_CHUNK = 10_000


@dataclass
class Captions:
    """Every comparable text's MinHash signature with its owner ("platform\x1fcreator_id") and
    whether it is paid, gathered frame by frame: the texts and their words are dropped once hashed,
    and a signature is kept as a row of NUM_PERM 32-bit hash values in one array, where a MinHash
    object per post also carried its own array header, attributes and dict."""

    owners: list[str] = field(default_factory=list)
    paid: list[bool] = field(default_factory=list)
    _blocks: list[np.ndarray] = field(default_factory=list)  # HASH_CHUNK x NUM_PERM uint32 each
    _seen: set[bytes] = field(default_factory=set)

    def add(self, posts: pd.DataFrame) -> None:
        """One frame's comparable posts, each (owner, text) once over every frame (the first kept)."""
        texts = comparable_posts(posts)
        texts = texts[self._first_seen(texts["owner"].tolist(), texts["text"].tolist())].reset_index(drop=True)
        for start in range(0, len(texts), HASH_CHUNK):
            hashes = MinHash.bulk(_shingles(texts["words"].iloc[start:start + HASH_CHUNK]), num_perm=NUM_PERM)
            self._blocks.append(np.array([h.hashvalues for h in hashes], dtype=np.uint32).reshape(-1, NUM_PERM))
        self.owners += texts["owner"].tolist()
        self.paid += texts["paid"].to_numpy(dtype=bool).tolist()

    def _first_seen(self, owners: list[str], texts: list[str]) -> np.ndarray:
        """Which (owner, text) pairs no earlier row or frame had; a 128-bit digest of each pair is
        remembered, not the text."""
        fresh = []
        for owner, text in zip(owners, texts, strict=True):
            key = hashlib.blake2b(f"{owner}\x1e{text}".encode(), digest_size=16).digest()
            fresh.append(key not in self._seen)
            self._seen.add(key)
        return np.array(fresh, dtype=bool)

    def signatures(self) -> np.ndarray:
        """Every text's signature, one row each in the order added (the blocks joined once)."""
        if len(self._blocks) != 1:
            self._blocks = [np.concatenate(self._blocks) if self._blocks else np.zeros((0, NUM_PERM), np.uint32)]
        return self._blocks[0]

    def copied_by(self, queried: list[int]) -> dict[int, set[str]]:
        """For each text of ``queried`` (positions), the owners other than its own of texts
        near-identical to it. LSH buckets and the Jaccard estimate are symmetric, so an index of
        the queried texts alone, probed with every text, finds what an index of every text would."""
        signatures = self.signatures()
        indexed = {i: sketch(signatures[i]) for i in queried}  # few: the judged creators' sponsored posts
        lsh = MinHashLSH(threshold=SIMILARITY, num_perm=NUM_PERM)
        with lsh.insertion_session() as session:
            for i, indexed_sketch in indexed.items():
                session.insert(i, indexed_sketch)
        found: dict[int, set[str]] = {i: set() for i in queried}
        for j, signature in enumerate(signatures):
            probe = sketch(signature)
            for i in lsh.query(probe):
                if self.owners[j] != self.owners[i] and indexed[i].jaccard(probe) >= SIMILARITY:
                    found[i].add(self.owners[j])
        return found


MINHASH_SEED = 1  # datasketch's default, which MinHash.bulk hashed with ...
MINHASH_SCHEME = MinHash(num_perm=NUM_PERM).scheme  # ... and the permutation scheme it used


def sketch(signature: np.ndarray) -> LeanMinHash:
    """One kept signature as the MinHash it came from (hash values only), for the LSH index."""
    return LeanMinHash(seed=MINHASH_SEED, hashvalues=signature, scheme=MINHASH_SCHEME)


def _owner(platform: pd.Series, creator_id: pd.Series) -> pd.Series:
    """"platform\x1fcreator_id", Arrow-backed: no Python string per post."""
    return (platform.astype(STRING) + "\x1f" + creator_id.astype(STRING)).reset_index(drop=True)


def ad_network_flags(creators: pd.DataFrame, posts: pd.DataFrame | Iterable[pd.DataFrame]) -> pd.DataFrame:
    """ad_network flags for ``creators`` (platform, creator_id, sponsored_share; a flag's row is the
    creator's position), comparing all their original posts (platform, creator_id, text,
    is_sponsored, is_repost; one frame, or frames one after another, so a million creators' posts
    need not be in memory at once) with each other's at once: across platforms, since a creative is
    the same text wherever it is posted, and across runs, so no creator is judged before its
    network's other members are known. Posts of creators not in ``creators`` count as others' posts only."""
    n = len(creators)
    row_of = dict(zip(_owner(creators["platform"], creators["creator_id"]).tolist(), range(n), strict=True))
    captions = Captions()
    for part in ([posts] if isinstance(posts, pd.DataFrame) else posts):
        for start in range(0, len(part), POST_CHUNK):
            captions.add(part.iloc[start:start + POST_CHUNK])
    judged = np.zeros(n, dtype=np.int64)
    shared = np.zeros(n, dtype=np.int64)
    copied_by: dict[int, set[str]] = defaultdict(set)  # rows with shared posts only (1M empty sets: 1.3 s)
    rows = [row_of.get(owner) for owner in captions.owners]
    for row in rows:
        if row is not None:
            judged[row] += 1
    queried = [i for i, (row, is_paid) in enumerate(zip(rows, captions.paid, strict=True))
               if row is not None and is_paid]  # a judged creator's own sponsored posts
    for i, others in captions.copied_by(queried).items():
        if 1 <= len(others) <= MAX_GROUP:
            shared[rows[i]] += 1
            copied_by[rows[i]] |= others
    n_others = np.zeros(n, dtype=np.int64)
    n_others[list(copied_by)] = [len(others) for others in copied_by.values()]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(judged > 0, shared / np.maximum(judged, 1), np.nan)
    flagged = (shared >= MIN_SHARED) & (share >= SHARED_SHARE)
    sponsored = np.nan_to_num(creators["sponsored_share"].to_numpy(dtype="float64", na_value=np.nan), nan=0.0)
    severity = by_severity(flagged & (n_others >= MANY_CREATORS), flagged)
    r = np.flatnonzero(flagged)
    evidence = (fmt(shared[r], ".0f") + " of " + fmt(judged[r], ".0f") + " recent posts near-identical to posts by "
                + fmt(n_others[r], ".0f") + " other creators; " + fmt(100 * sponsored[r], ".0f") + "% sponsored")
    return flag_frame(r, "ad_network", severity[r], share[r], SHARED_SHARE, evidence.to_numpy())
